"""The plain forms of ``list``, ``validate`` and ``export`` run without typer and answer exactly as through typer
(an export writes the same files); every other form is left to typer. ``--help`` drawn with typer's renderer
imported without rich.markdown and rich.traceback is the same help as with them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process
from format_helpers import BASE, replace_once

from ballotdrill.commands import quick

ROOT = Path(__file__).resolve().parent.parent

WARNED = BASE.replace("  procedures:\n",
                      "  procedures:\n    p0:\n      trigger: {type: flood}\n      steps:\n"
                      "        - {id: s0, actor: cell-a}\n", 1)

QUICK_FORMS = [
    ("list",), ("list", "--json"), ("list", "--file", "good.yaml"), ("list", "-f", "warned.yaml", "--json"),
    ("list", "--json", "--file=good.yaml"), ("list", "--file", "bad.yaml"), ("list", "-f", "missing.yaml"),
    ("list", "--file", "./sub/../good.yaml"),
    ("validate", "good.yaml"), ("validate", "warned.yaml", "--strict"), ("validate", "--json", "warned.yaml"),
    ("validate", "good.yaml", "--strict", "bad.yaml", "--json"), ("validate", "missing.yaml"),
    ("validate", "./good.yaml", "sub", "warned.yaml"), ("validate", str(ROOT / "scenarios.yaml")),
    ("validate", "name with spaces.yaml"),
]
"""Command lines the quick path runs."""

TYPER_FORMS = [
    (), ("--help",), ("list", "--help"), ("validate", "--help"), ("validate",), ("list", "--file"),
    ("list", "--file", "--json"), ("list", "--file="), ("list", "-fgood.yaml"), ("list", "good.yaml"),
    ("list", "--json", "--json"), ("list", "--file", "good.yaml", "--file", "bad.yaml"), ("list", "--jsn"),
    ("validate", "--", "good.yaml"), ("validate", "-"), ("validate", "good.yaml", "--strict", "--strict"),
    ("validate", "good.yaml", "--help"), ("validate", ""), ("validate", "tab\there.yaml"), ("--version",),
    ("lists",), ("validate", "good.yaml", "--str"), ("show",),
    ("export",), ("export", "r", "--jsonl"), ("export", "r", "--jsonl", "--csv", "o.csv"), ("export", "r", "s"),
    ("export", "r", "--jsonl=o.jsonl"), ("export", "r", "--csv", "a.csv", "--csv", "b.csv"),
    ("export", "r", "--force", "--force", "--csv", "o.csv"), ("export", "r", "--help"), ("export", "--help"),
    ("export", "r", "--jsn", "o.jsonl"), ("export", "r", "--csv", "-"), ("export", "--", "r", "--csv", "o.csv"),
]
"""Command lines left to typer (help, errors typer words, forms the quick path does not parse)."""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "good.yaml").write_text(BASE)
    (tmp_path / "name with spaces.yaml").write_text(BASE)
    (tmp_path / "warned.yaml").write_text(WARNED)
    (tmp_path / "bad.yaml").write_text(replace_once(BASE, "actor: cell-b,", "actor: cell-bb,"))
    (tmp_path / "sub").mkdir()
    return tmp_path


@pytest.mark.parametrize("args", QUICK_FORMS)
def test_quick_forms_answer_as_typer_does(work: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    declined: list[bool] = []
    original = quick.run

    def spied(argv: list[str]) -> int | None:
        status = original(argv)  # a bad file raises through: the quick path took it
        declined.append(status is None)
        return status

    monkeypatch.setattr(quick, "run", spied)
    fast = in_process(args, work, monkeypatch, capsys)
    assert declined in ([], [False])  # the quick path answered
    monkeypatch.setattr(quick, "run", lambda argv: None)
    through_typer = in_process(args, work, monkeypatch, capsys)
    assert (fast.returncode, fast.stdout, fast.stderr) == (through_typer.returncode, through_typer.stdout,
                                                           through_typer.stderr)
    assert "Traceback" not in fast.stderr


EXPORT_FORMS = [
    ("export", "r", "--jsonl", "o.jsonl"), ("export", "--csv", "o.csv", "r"),
    ("export", "r", "--jsonl", "o.jsonl", "--csv", "o.csv", "--ocel", "o.json"), ("export", "r", "--ocel", "o.sqlite"),
    ("export", "unsealed", "--force", "--csv", "o.csv"), ("export", "unsealed", "--csv", "o.csv"), ("export", "r"),
    ("export", "missing", "--jsonl", "o.jsonl"), ("export", "r", "--jsonl", "r/report.md"),
    ("export", "r", "--jsonl", "o.jsonl", "--csv", "o.jsonl"),
]
"""Export command lines the quick path runs: written files, a forced one, refusals."""


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quick")
    (folder / "good.yaml").write_text(BASE)
    done = subprocess.run([sys.executable, "-m", "ballotdrill", "run", "--file", "good.yaml", "--out", "r"],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return folder / "r"


@pytest.mark.parametrize("args", EXPORT_FORMS)
def test_quick_exports_write_what_typer_writes(finished: Path, tmp_path: Path, args: tuple[str, ...],
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def fresh(side: str) -> Path:
        work = tmp_path / side
        shutil.copytree(finished, work / "r")
        shutil.copytree(finished, work / "unsealed")
        with sqlite3.connect(work / "unsealed" / "journal.sqlite") as db:
            db.execute("DELETE FROM meta WHERE key = 'seal'")
        return work

    declined: list[bool] = []
    original = quick.run

    def spied(argv: list[str]) -> int | None:
        status = original(argv)  # a refusal raises through: the quick path took it
        declined.append(status is None)
        return status

    monkeypatch.setattr(quick, "run", spied)
    fast = in_process(args, fresh("quick"), monkeypatch, capsys)
    assert declined in ([], [False])  # the quick path answered
    monkeypatch.setattr(quick, "run", lambda argv: None)
    through_typer = in_process(args, fresh("typer"), monkeypatch, capsys)
    assert (fast.returncode, fast.stdout, fast.stderr) == (through_typer.returncode, through_typer.stdout,
                                                           through_typer.stderr)
    assert "Traceback" not in fast.stderr
    written = {p.name: p.read_bytes() for p in (tmp_path / "quick").glob("o.*")}
    assert written == {p.name: p.read_bytes() for p in (tmp_path / "typer").glob("o.*")}
    assert bool(written) == (fast.returncode == 0)


@pytest.mark.parametrize("args", TYPER_FORMS)
def test_other_forms_are_left_to_typer(work: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(work)
    capsys.readouterr()
    assert quick.run(list(args)) is None
    assert capsys.readouterr() == ("", "")


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_BALLOTDRILL_COMPLETE", "bash_complete")
    assert quick.run(["list"]) is None


def _help(args: tuple[str, ...], *, preload: str = "") -> subprocess.CompletedProcess[str]:
    code = (f"{preload}\nimport sys\nfrom ballotdrill.cli import main\nsys.argv = ['ballotdrill', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "import rich.markdown, rich.traceback, typer.rich_utils\n"  # afterwards: the real modules
            "assert isinstance(typer.rich_utils.Markdown('# x'), rich.markdown.Markdown)\n"
            "assert hasattr(rich.markdown, 'Heading') and hasattr(rich.traceback, 'install')\n")
    env = {**os.environ, "COLUMNS": "100", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


@pytest.mark.parametrize("args", [("--help",), (), ("validate", "--help"), ("run", "--help")])
def test_help_is_drawn_the_same_without_markdown_and_traceback(args: tuple[str, ...]) -> None:
    light = _help(args)
    real = _help(args, preload="import rich.markdown, rich.traceback")
    assert light.returncode == 0 and real.returncode == 0, (light.stderr, real.stderr)
    assert (light.stdout, light.stderr) == (real.stdout, real.stderr)
    assert "\x1b[" in light.stdout + light.stderr and "Usage" in light.stdout + light.stderr


_IMPORT_WITHOUT = """
import sys
from ballotdrill.commands.help_renderer import import_without
sys.path.insert(0, sys.argv[1])
import_without("renderer", (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")))
stood_in = "rich.markdown" not in sys.modules and "markdown_it" not in sys.modules
import renderer, rich.markdown
real = rich.markdown.Markdown
print(stood_in, isinstance(renderer.Markdown("# x"), real), renderer.Markdown is real)
"""


@pytest.mark.parametrize(("imports", "expected"), [
    ("from rich.markdown import Markdown", "True True False"),  # a stand-in, making real ones
    ("from rich.markdown import Markdown, Heading", "False True True"),  # wants more: the real module
    ("import rich.markdown\nMarkdown = rich.markdown.Markdown\nrich.markdown.Heading", "False True True"),
])
def test_a_renderer_that_wants_more_than_the_stand_in_gets_the_real_module(tmp_path: Path, imports: str,
                                                                             expected: str) -> None:
    (tmp_path / "renderer.py").write_text(imports + "\n")
    done = subprocess.run([sys.executable, "-c", _IMPORT_WITHOUT, str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected.split()
