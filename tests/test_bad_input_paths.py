"""Every command's paths given wrong: a file where a folder is expected and the reverse, a missing or unreadable
file, an output that exists already. Each is one line that says where and what (exit 2), never a traceback, a hang
or a file overwritten; nothing is written anywhere."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line
from sweep_helpers import EXAMPLE

from ballotdrill.application import run_to_folder
from ballotdrill.scenarios import load_file


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run ``r``, a scenario file ``s.yaml``, a folder ``d``, a file of the user's ``mine.txt`` and one
    of bytes that are not UTF-8; shared, since every command here is refused before it writes."""
    folder = tmp_path_factory.mktemp("paths")
    shutil.copy(EXAMPLE, folder / "s.yaml")
    run_to_folder(load_file(EXAMPLE), "busy-morning", seed=1, folder=folder / "r")
    (folder / "d").mkdir()
    (folder / "mine.txt").write_text("the only copy\n", encoding="utf-8")
    (folder / "bin.yaml").write_bytes(b"\x00\xff\xfe" * 10)
    return folder


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
            *expected: str) -> str:
    before = _files(work)
    line = one_line(in_process(args, work, monkeypatch, capsys), *expected)
    assert _files(work) == before  # nothing written, nothing replaced
    assert sorted(p.name for p in work.iterdir()) == ["bin.yaml", "d", "mine.txt", "r", "s.yaml"]
    return line


FOLDER = "is a file, not a folder; give the folder of a "


@pytest.mark.parametrize("args", [
    ("report", "s.yaml"), ("compare", "r", "s.yaml"), ("compare", "s.yaml", "r"),
    ("export", "s.yaml", "--csv", "z.csv"), ("replay", "s.yaml"), ("resume", "s.yaml"),
], ids=lambda args: " ".join(args))
def test_a_file_where_a_run_folder_is_expected_is_named_a_file(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    # It was "no journal.sqlite here", or, for resume, "no such folder" (of a file that is there).
    assert refused(work, monkeypatch, capsys, args).startswith("s.yaml " + FOLDER)


def test_decisions_of_a_file_says_it_is_a_file(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(work, monkeypatch, capsys, ("decisions", "s.yaml")) == (
        "s.yaml is a file, not a run folder: give a scenario file with --file s.yaml, or give a run folder")
    assert refused(work, monkeypatch, capsys, ("decisions", "mine.txt")) == (  # no scenario file: no --file offered
        "mine.txt is a file, not a run folder (give a run folder or a scenario name)")


@pytest.mark.parametrize("path", ["d", "nope.yaml", "bin.yaml"], ids=["a folder", "missing", "not UTF-8"])
@pytest.mark.parametrize("args", [
    ("list", "-f", "{}"), ("validate", "{}"), ("risks", "--register", "{}"), ("risks", "--file", "{}"),
    ("show", "-f", "{}"), ("import-msel", "{}", "--structure", "s.yaml", "--out", "new.yaml"),
    ("import-msel", "s.yaml", "--structure", "{}", "--out", "new.yaml"), ("run", "-f", "{}", "--out", "o"),
    ("sweep", "-f", "{}", "-n", "2", "--out", "o"),
    ("sweep", "-f", "s.yaml", "-n", "2", "--variant", "{}", "--out", "o"), ("live", "-f", "{}", "--out", "o"),
], ids=lambda args: " ".join(args) if isinstance(args, tuple) else args)
def test_a_scenario_file_that_cannot_be_read_is_one_line_naming_it(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
        path: str) -> None:
    line = refused(work, monkeypatch, capsys, tuple(arg.format(path) for arg in args))
    assert line.startswith(f"{path}:") and any(why in line for why in (
        "Is a directory", "No such file or directory", "is not UTF-8")), line


@pytest.mark.parametrize(("path", "why"), [("d", "(Is a directory)"), ("nope.json", "(No such file or directory)"),
                                           ("bin.yaml", "is not UTF-8")])
def test_a_decisions_file_that_cannot_be_read_is_one_line_naming_it(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: str, why: str) -> None:
    line = refused(work, monkeypatch, capsys, ("run", "-f", "s.yaml", "--decisions", path, "--out", "o"))
    assert line.startswith(f"{path}: ") and why in line, line


@pytest.mark.parametrize("args", [
    ("show", "busy-morning", "-f", "s.yaml", "--csv", "mine.txt"),
    ("import-msel", "s.yaml", "--structure", "s.yaml", "--out", "mine.txt"),
    ("decisions", "r", "--template", "mine.txt"),
    ("export", "r", "--jsonl", "mine.txt"), ("export", "r", "--csv", "mine.txt"), ("export", "r", "--ocel", "mine.txt"),
], ids=lambda args: " ".join(args))
def test_an_output_that_exists_is_never_overwritten(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    assert "mine.txt" in refused(work, monkeypatch, capsys, args)


@pytest.mark.parametrize("args", [
    ("run", "-f", "s.yaml", "--out", "mine.txt"), ("sweep", "-f", "s.yaml", "-n", "2", "--out", "mine.txt"),
    ("live", "--out", "mine.txt"),
], ids=lambda args: " ".join(args))
def test_a_file_where_an_output_folder_is_expected_is_named_a_file(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    # It was "cannot create the output folder (File exists)".
    assert refused(work, monkeypatch, capsys, args) == (
        "mine.txt is a file, not a folder; give a new or empty folder for --out")


@pytest.mark.parametrize("args", [
    ("show", "busy-morning", "-f", "s.yaml", "--csv", "d"),
    ("import-msel", "s.yaml", "--structure", "s.yaml", "--out", "d"), ("decisions", "r", "--template", "d"),
    ("export", "r", "--jsonl", "d"), ("export", "r", "--ocel", "d"),
], ids=lambda args: " ".join(args))
def test_a_folder_where_an_output_file_is_expected_is_refused(
        work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    assert refused(work, monkeypatch, capsys, args).startswith("d")
