"""The documentation stays runnable: example files validate and give their recorded summaries, and every
``$ ballotdrill ...`` line in a ```console block of README.md and docs/ still parses.

Golden summaries: ``docs/examples/<name>.summary.json``. After an intended change to the engine or the
scoring, regenerate them with ``BALLOTDRILL_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_docs_examples.py``
and review the diff.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ballotdrill import application, cli, scenarios
from ballotdrill.scenarios.timefmt import parse_clock

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
REGEN = os.environ.get("BALLOTDRILL_REGEN_GOLDEN") == "1"
RUN_FOR_REAL = {"validate", "list", "show", "schema"}
"""Commands that only read: documented lines with these run for real; the others are parsed and asked for --help."""

runner = CliRunner()


def test_there_are_examples() -> None:
    assert {p.stem for p in EXAMPLE_FILES} >= {"minimal", "handoff", "shifts"}
    assert (EXAMPLES / "README.md").is_file()


# --- (1) every scenario file validates ------------------------------------------------------------------------------

def test_every_example_and_the_library_validate() -> None:
    files = [*EXAMPLE_FILES, ROOT / "scenarios.yaml"]
    result = runner.invoke(cli.app, ["validate", *map(str, files), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [r["ok"] for r in report] == [True] * len(files), [r["problems"] for r in report]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_each_example_explains_itself_and_is_in_the_readme(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:3] if line.startswith("#")]
    assert header and path.name in header[0], f"{path.name} starts with a comment naming it and saying what it shows"
    assert f"`{path.name}`" in (EXAMPLES / "README.md").read_text(encoding="utf-8")


# --- (2) each example gives its recorded summary ---------------------------------------------------------------------

def summary_of(path: Path, out: Path) -> dict[str, Any]:
    result = runner.invoke(cli.app, ["run", "--file", str(path), "--seed", "1", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    assert data.pop("out") == str(out)  # where this run went: not part of the result
    return data


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_summary_matches_its_golden_file(path: Path, tmp_path: Path) -> None:
    data = summary_of(path, tmp_path / path.stem)
    golden = path.with_name(f"{path.stem}.summary.json")
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if REGEN:
        golden.write_text(text, encoding="utf-8", newline="\n")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run with BALLOTDRILL_REGEN_GOLDEN=1 to create it")
    assert data == json.loads(golden.read_text(encoding="utf-8")), (
        f"{golden.name} differs: if the change is intended, regenerate with BALLOTDRILL_REGEN_GOLDEN=1 and review")


def test_every_golden_file_has_its_example() -> None:
    stems = {p.stem for p in EXAMPLE_FILES}
    for golden in EXAMPLES.glob("*.summary.json"):
        assert golden.name.removesuffix(".summary.json") in stems, f"{golden.name} has no example file"


def test_the_examples_show_what_their_readme_says(tmp_path: Path) -> None:
    """The README's prose about seed 1 (and its --set and --decisions variants) holds."""
    minimal = summary_of(EXAMPLES / "minimal.yaml", tmp_path / "minimal")
    assert minimal["objectives"]["O1"]["rating"] == "P" and minimal["incidents"]["E1"]["resolve"] is not None

    handoff = summary_of(EXAMPLES / "handoff.yaml", tmp_path / "handoff")
    assert handoff["totals"]["handoff_failures"] == 0
    assert {o["rating"] for o in handoff["objectives"].values()} == {"P"}
    replay = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "handoff.yaml"), "--json", "--out",
                                     str(tmp_path / "monitor"), "--decisions",
                                     str(EXAMPLES / "keep-monitoring.json")])
    assert replay.exit_code == 0, replay.output
    monitor = json.loads(replay.stdout)
    assert {o["rating"] for o in monitor["objectives"].values()} == {"U"}
    assert monitor["incidents"]["N1"]["contain"] is None
    assert set(monitor["incidents"]) == set(handoff["incidents"])
    seed2 = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "handoff.yaml"), "--seed", "2", "--json",
                                    "--out", str(tmp_path / "seed2")])
    assert json.loads(seed2.stdout)["totals"]["reroutes"] >= 1

    shifts = summary_of(EXAMPLES / "shifts.yaml", tmp_path / "shifts")
    assert shifts["totals"]["unstaffed_queued"] >= 1 and shifts["objectives"]["O1"]["rating"] == "M"
    on_call = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "shifts.yaml"), "--json", "--out",
                                      str(tmp_path / "on-call"), "--set", "structure.actors.municipal-office.staff=1"])
    assert json.loads(on_call.stdout)["objectives"]["O1"]["rating"] == "P"

    by_day = summary_of(EXAMPLES / "shifts-by-day.yaml", tmp_path / "by-day")
    late = {i for i, times in by_day["incidents"].items() if times["resolve"] > 30}
    assert late and all(i.startswith("C1-") for i in late)
    always = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "shifts-by-day.yaml"), "--json", "--out",
                                     str(tmp_path / "always"), "--set", "structure.actors.helpdesk.staff=5"])
    assert json.loads(always.stdout)["totals"]["on_time"] == 1.0

    rush = summary_of(EXAMPLES / "rush-hours.yaml", tmp_path / "rush")
    doubled = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "rush-hours.yaml"), "--json", "--out",
                                      str(tmp_path / "doubled"), "--set", "scenarios.polling-day.background_factor=2"])
    heavy = json.loads(doubled.stdout)
    assert 0.7 <= rush["totals"]["on_time"] < 0.8
    assert heavy["totals"]["incidents"] > 1.8 * rush["totals"]["incidents"]
    assert heavy["actors"]["helpdesk"]["utilisation"] > 0.95 and heavy["totals"]["on_time"] < 0.5

    cell = summary_of(EXAMPLES / "crisis-cell.yaml", tmp_path / "cell")
    assert cell["totals"]["on_time"] == 0.0 and cell["objectives"]["O1"]["rating"] == "U"
    assert cell["actors"]["cell/spokesperson"]["steps"] == 3
    alone = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "crisis-cell.yaml"), "--json", "--out",
                                    str(tmp_path / "alone"), "--set", "structure.procedures.respond.steps.0.staff=1"])
    quick = json.loads(alone.stdout)
    assert quick["totals"]["on_time"] == 1.0 and quick["totals"]["reach"] < cell["totals"]["reach"] / 2

    election = summary_of(EXAMPLES / "election.yaml", tmp_path / "election")
    assert election["totals"]["station_minutes"] == 120 + 360
    brussels = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "election.yaml"), "--json", "--out",
                                       str(tmp_path / "brussels"), "--set",
                                       "scenarios.local-election.election.closes.electronic=16:00"])
    assert json.loads(brussels.stdout)["totals"]["station_minutes"] == 120 + 480

    owned = summary_of(EXAMPLES / "owner.yaml", tmp_path / "owner")
    assert owned["objectives"]["O1"]["rating"] == "P" and owned["actors"]["interior-ict"]["steps"] == 1
    shared = runner.invoke(cli.app, ["run", "--file", str(EXAMPLES / "owner.yaml"), "--json", "--out",
                                     str(tmp_path / "shared"), "--set",
                                     "scenarios.two-attacks.injects.1.incident.owner=municipal-it-provider"])
    one_desk = json.loads(shared.stdout)
    assert one_desk["objectives"]["O1"]["rating"] == "M" and one_desk["actors"]["municipal-it-provider"]["steps"] == 2


# --- (3) the documented commands still parse ------------------------------------------------------------------------

CONSOLE_BLOCK = re.compile(r"^```console[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def documented_commands(path: Path) -> list[str]:
    """The ``$ ballotdrill ...`` lines of the ```console blocks of a Markdown file (without the ``$ ``)."""
    if not path.is_file():
        return []
    return [line[2:].strip() for block in CONSOLE_BLOCK.findall(path.read_text(encoding="utf-8"))
            for line in block.splitlines() if line.startswith("$ ballotdrill")]


DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), EXAMPLES / "README.md"]
COMMANDS = [(path, command) for path in DOC_FILES for command in documented_commands(path)]


def test_the_guides_contingency_injects_release_one_rumour_in_every_seed() -> None:
    """The facilitator's guide (section 2): the public line is exercised in every run, because C1 (D1 contained)
    and N1 (D1 not contained) check D1 at the same moment, so exactly one of them is released. Checked at
    18:30 and 18:40, a D1 contained in between released neither (seeds 15, 23, 27, 29, 33, 34, 37 and 39)."""
    from ballotdrill.exercise import run_exercise

    guide = scenarios.load_file(EXAMPLES / "guide.yaml")
    for seed in range(1, 41):
        events = run_exercise(guide, "results-night", seed=seed).events
        released = {e.data["inject"] for e in events if e.kind == "inject_delivered"} & {"C1", "N1"}
        assert len(released) == 1, f"seed {seed}: {sorted(released) or 'neither C1 nor N1'} released"


def test_the_readme_documents_commands() -> None:
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("README.md does not exist yet")
    if not documented_commands(readme):
        pytest.skip("README.md has no ```console block with '$ ballotdrill' lines yet")
    assert len(documented_commands(EXAMPLES / "README.md")) >= 4


def argv_of(command: str) -> list[str]:
    """The arguments of a documented command line: shell comments and redirections dropped, globs expanded."""
    words = shlex.split(command, comments=True)
    assert words[0] == "ballotdrill"
    args: list[str] = []
    for word in words[1:]:
        if word in {">", ">>", "|", "2>", "&&"} or word.startswith((">", "|", "2>")):
            break
        if any(ch in word for ch in "*?["):
            matches = sorted(glob.glob(word, root_dir=ROOT))
            assert matches, f"{word!r} matches no file"
            args.extend(matches)
        else:
            args.append(word)
    return args


def _shipped(root: Path) -> frozenset[str] | None:
    """The project's own files and folders, as git tracks them (None: not a git checkout)."""
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    files = listed.splitlines()
    return frozenset(files) | frozenset(str(parent) for f in files for parent in PurePosixPath(f).parents
                                        if str(parent) != ".")


SHIPPED = _shipped(ROOT)


def in_project(arg: str, root: Path = ROOT, shipped: frozenset[str] | None = SHIPPED) -> str:
    """``arg`` as a path in the project if it names one of the project's own files (``docs/examples/…``), else as
    written: a file a user left in the working tree (README's ``msel.csv``) is none of the line's business."""
    if arg.startswith("-") or not (root / arg).exists():
        return arg
    return str(root / arg) if shipped is None or arg.rstrip("/") in shipped else arg


def test_a_users_file_in_the_working_tree_is_not_taken_for_the_projects(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.yaml").write_text("", encoding="utf-8")
    (tmp_path / "msel.csv").write_text("left by a README example", encoding="utf-8")
    shipped = frozenset({"docs", "docs/guide.yaml"})
    assert in_project("docs/guide.yaml", tmp_path, shipped) == str(tmp_path / "docs" / "guide.yaml")
    assert in_project("msel.csv", tmp_path, shipped) == "msel.csv"  # written in the scratch folder, not over it
    assert in_project("--csv", tmp_path, shipped) == "--csv"


def parse_only(args: list[str]) -> dict[str, Any]:
    """Parse ``args`` as ``ballotdrill`` would, converting every value (a bad one raises), without running it."""
    group = typer.main.get_command(cli.app)
    parent = group.make_context("ballotdrill", args[:1])
    command = group.get_command(parent, args[0])  # type: ignore[attr-defined]
    assert command is not None, f"no command {args[0]!r}"
    params: dict[str, Any] = command.make_context(args[0], args[1:], parent=parent).params
    return params


@pytest.mark.skipif(not COMMANDS, reason="no '$ ballotdrill' lines in ```console blocks of README.md or docs/ yet")
@pytest.mark.parametrize(("path", "command"), COMMANDS,
                         ids=[f"{p.relative_to(ROOT)}: {c}" for p, c in COMMANDS])
def test_documented_command_parses(path: Path, command: str, monkeypatch: pytest.MonkeyPatch,
                                   tmp_path: Path) -> None:
    # Run in a scratch folder: project files the line names are found in the project, and whatever the command
    # writes (an MSEL spreadsheet, a schema) lands in the scratch folder, not in the project.
    monkeypatch.chdir(tmp_path)
    command_name, *rest = argv_of(command)
    args = [command_name, *(in_project(a) for a in rest)]
    params = parse_only(args)
    name = args[0]
    if name in RUN_FOR_REAL:
        result = runner.invoke(cli.app, args)
        assert result.exit_code == 0, (command, result.output, result.exception)
        if name == "schema":
            assert json.loads(result.stdout)
        return
    result = runner.invoke(cli.app, [*args, "--help"])
    assert result.exit_code == 0, (command, result.output)
    assert "Usage:" in result.output
    if name == "run":
        # the scenario, the --set paths and --until must fit the file the line names
        doc = scenarios.load_file(params["file"] or scenarios.library_path(),
                                  [scenarios.Override(o) for o in params["overrides"] or []])
        scenarios.pick(doc, params["scenario"])
        if params["until"] is not None:
            parse_clock(params["until"])
        if params["decisions"] is not None and not str(params["decisions"]).startswith("runs/"):
            assert params["decisions"].is_file(), f"{command}: {params['decisions']} is not in the repository"
    if name == "sweep":
        # the scenario, --set, --grid and every --variant file must fit: every point is built and checked
        plan = application.plan_sweep(params["file"], params["scenario"], params["overrides"] or [],
                                      params["grid"] or [], params["variants"] or [])
        assert plan.points


def test_the_check_catches_a_rotten_line() -> None:
    """The checks above would fail on a renamed option, a bad value, a stray argument or a stale --set path."""
    assert argv_of("ballotdrill schema > ballotdrill.schema.json  # for editors") == ["schema"]
    for args, message in [(["run", "--sed", "7"], "No such option"), (["run", "--seed", "seven"], "integer"),
                          (["compare", "a", "b", "c"], "unexpected extra argument"), (["rnu"], "no command")]:
        with pytest.raises(Exception, match=message):
            parse_only(args)
    with pytest.raises(scenarios.ScenarioError, match="staf"):
        scenarios.load_file(scenarios.library_path(), [scenarios.Override("structure.actors.national-cert.staf=6")])
