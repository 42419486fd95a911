"""Run folders defend themselves: sealed when a run ends, checked before use, locked while written, never a file
overwritten that ballotdrill did not write there, and an interrupted run says what it kept."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line
from format_helpers import one_desk

from ballotdrill.journal.seal import SEAL_KEY, verify

ROOT = Path(__file__).resolve().parent.parent

SMALL = one_desk("small", "Small", ['{at: "09:00", incident: {id: X1, type: outage}}',
                                   '{at: "09:30", incident: {id: X2, type: outage}}'])

LONG = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        desk: {staff: 50}
      procedures:
        fix:
          trigger: {type: outage}
          steps:
            - {id: triage, actor: desk, duration: {dist: exponential, mean: 2m}}
            - {id: mend, actor: desk, duration: 1m}
    scenarios:
      long:
        title: Long
        start: "00:00"
        end: "05:00"
        injects:
          - {every: {dist: exponential, mean: 10s}, incident: {id: B, type: outage}}
    """
)
"""About 17,000 journal rows: past one batch, so the journal goes through the writer process."""


def bd(*args: str, cwd: Path, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "ballotdrill", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def finished(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = bd(*args, cwd=cwd)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(list(args), proc.returncode, out, err)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """small.yaml and a finished run of it in ``good``."""
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    result = in_process(("run", "-f", "small.yaml", "--out", "good"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    return tmp_path


def cli(work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        *args: str) -> subprocess.CompletedProcess[str]:
    return in_process(args, work, monkeypatch, capsys)


def edit(journal: Path, *statements: str) -> None:
    with sqlite3.connect(journal) as db:
        for statement in statements:
            db.execute(statement)
    db.close()


# -- the seal ---------------------------------------------------------------------------------------------------

def test_a_finished_run_is_sealed_over_its_rows_and_its_meta(work: Path) -> None:
    journal = work / "good" / "journal.sqlite"
    with sqlite3.connect(journal) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        (count,) = db.execute("SELECT count(*) FROM events").fetchone()
    db.close()
    seal = json.loads(meta[SEAL_KEY])
    assert seal["rows"] == count and len(seal["digest"]) == 64
    assert {"document", "seed", "scenario", "format", "decisions"} <= set(seal["meta"])
    assert verify(journal).state == "sealed"


TAMPERING = {
    "row-deleted": ("DELETE FROM events WHERE seq = 3", "journal rows and now holds"),
    "row-duplicated": ("INSERT INTO events SELECT 99, t, kind, incident, actor, step, data FROM events WHERE seq = 4",
                       "journal rows and now holds"),
    "row-changed": ("UPDATE events SET t = t + 1 WHERE seq = 5", "its rows or its meta"),
    "scenario-changed": ("UPDATE meta SET value = replace(value, '10m', '1m') WHERE key = 'document'",
                         "its rows or its meta"),
    "seed-changed": ("UPDATE meta SET value = '2' WHERE key = 'seed'", "its rows or its meta"),
    "unfinished": (f"DELETE FROM meta WHERE key = '{SEAL_KEY}'", "the run did not finish"),
    "seal-garbled": (f"UPDATE meta SET value = 'x' WHERE key = '{SEAL_KEY}'", "its seal is not readable"),
}
ROWS_ONLY = {"row-changed"}
"""A row changed in place, which only a pass over every row finds (compare from a valid scores.json counts the
journal's rows against the seal's count, which finds a row deleted or added, but reads none)."""


@pytest.mark.parametrize("case", list(TAMPERING))
def test_report_compare_and_export_refuse_a_changed_or_unfinished_run(
        case: str, work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    statement, expected = TAMPERING[case]
    before = (work / "good" / "report.md").read_bytes()
    edit(work / "good" / "journal.sqlite", statement)
    refused = [("report", "good"), ("export", "good", "--jsonl", "x.jsonl")]
    if case in ROWS_ONLY:
        # compare takes the scores the run was scored with when sealed (scores.json names that seal) and counts
        # the rows but reads none; without a scores.json it checks the journal, and refuses it
        assert cli(work, monkeypatch, capsys, "compare", "good", "good").returncode == 0
        (work / "good" / "scores.json").unlink()
    refused.append(("compare", "good", "good"))
    for args in refused:
        line = one_line(cli(work, monkeypatch, capsys, *args), expected, "add --force to use it anyway")
        assert line.startswith("good: ")
    assert (work / "good" / "report.md").read_bytes() == before  # the old report is left as it was
    assert not (work / "x.jsonl").exists()


@pytest.mark.parametrize("case", ["row-deleted", "row-changed"])
def test_force_reports_anyway_and_says_so_everywhere(case: str, work: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A row changed in place (found only by a pass over every row) is marked as a row deleted is."""
    edit(work / "good" / "journal.sqlite", TAMPERING[case][0])
    exported = cli(work, monkeypatch, capsys, "export", "good", "--jsonl", "x.jsonl", "--force")
    assert exported.returncode == 0 and (work / "x.jsonl").is_file()
    assert exported.stderr.startswith("warning: good: the journal was changed after the run ended")
    result = cli(work, monkeypatch, capsys, "report", "good", "--force")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("warning: good: the journal was changed after the run ended")
    note = "Unverified run: the journal was changed after the run ended"
    assert (work / "good" / "report.md").read_text(encoding="utf-8").startswith(f"> **{note}")
    assert note in (work / "good" / "report.html").read_text(encoding="utf-8")
    assert json.loads((work / "good" / "scores.json").read_text(encoding="utf-8"))["unverified"].startswith(note)
    assert cli(work, monkeypatch, capsys, "compare", "good", "good", "--force").returncode == 0


def test_the_report_of_an_unfinished_run_says_what_it_cannot_count(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    edit(work / "good" / "journal.sqlite", f"DELETE FROM meta WHERE key = '{SEAL_KEY}'")
    assert cli(work, monkeypatch, capsys, "report", "good", "--force").returncode == 0
    banner = (work / "good" / "report.md").read_text(encoding="utf-8").splitlines()[0]
    assert "the run did not finish" in banner and "the harm of the incidents still open is worked out from the " \
        "rows" in banner
    compared = cli(work, monkeypatch, capsys, "compare", "good", "good", "--force", "--json")
    assert compared.returncode == 0, compared.stderr
    notes = json.loads(compared.stdout)["notes"]
    assert notes[:2] == [f"{side} did not finish: it is reported up to its last row, where the harm of the incidents "
                         "still open is worked out from the rows (each one's wave, voters and stations, and the polls) "
                         "when the end of the run did not record it." for side in "AB"]


def test_a_newer_journal_format_is_refused_even_with_force(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    edit(work / "good" / "journal.sqlite", "UPDATE meta SET value = '2' WHERE key = 'format'")
    one_line(cli(work, monkeypatch, capsys, "report", "good", "--force"), "journal is in format '2'")


HAND_EDITS = {
    "t-not-a-number": ("UPDATE events SET t = 'soon' WHERE seq = 2", "journal row 2 has time 'soon'"),
    "data-a-list": ("UPDATE events SET data = '[1, 2]' WHERE seq = 2", "journal row 2 is malformed"),
    "scenario-not-stored": ("UPDATE meta SET value = 'nope' WHERE key = 'scenario'", "names scenario 'nope'"),
    "severity-high": ("UPDATE events SET data = replace(data, '\"severity\":2', '\"severity\":\"high\"') "
                      "WHERE kind = 'incident_started'", ""),
    "document-garbage": ("UPDATE meta SET value = '{\"version\": 1}' WHERE key = 'document'",
                         "the stored scenario file is not valid"),
}


@pytest.mark.parametrize("case", list(HAND_EDITS))
def test_a_hand_edited_run_forced_is_one_line_never_a_traceback(
        case: str, work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    statement, expected = HAND_EDITS[case]
    edit(work / "good" / "journal.sqlite", statement)
    result = cli(work, monkeypatch, capsys, "report", "good", "--force")
    assert "Traceback" not in result.stderr
    if result.returncode == 0:  # a value the report can still show
        assert not expected
        return
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert expected in lines[0]



@pytest.mark.parametrize("setup", ["empty file", "no tables yet"])
def test_a_run_killed_before_its_journal_was_set_up_has_nothing_to_report(
        setup: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A kill between creating journal.sqlite and its first commit leaves a file without tables."""
    journal = tmp_path / "r" / "journal.sqlite"
    journal.parent.mkdir()
    journal.touch()
    if setup == "no tables yet":
        with sqlite3.connect(journal) as db:
            db.execute("PRAGMA journal_mode=WAL")
    assert verify(journal) == (("unfinished", 0, "it was stopped before its journal was set up"))
    for args in (("report", "r"), ("report", "r", "--force"), ("export", "r", "--jsonl", "r.jsonl", "--force")):
        result = in_process(args, tmp_path, monkeypatch, capsys)
        assert one_line(result) == ("r: the run did not finish: it was stopped before its journal was set up, "
                                    "so there is nothing to report; run it again"), args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # nothing written

# -- never overwrite what is not ours, never follow a link, never write over the input ---------------------------

def test_report_rewrites_its_own_files_but_not_the_users(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(work, monkeypatch, capsys, "report", "good").returncode == 0  # its own files: rebuilt
    (work / "good" / "report.html").write_text("my notes", encoding="utf-8")
    one_line(cli(work, monkeypatch, capsys, "report", "good"), "good/report.html was not written by ballotdrill")
    assert (work / "good" / "report.html").read_text(encoding="utf-8") == "my notes"
    (work / "secret.md").write_text("outside", encoding="utf-8")
    (work / "good" / "report.md").unlink()
    (work / "good" / "report.md").symlink_to(work / "secret.md")
    one_line(cli(work, monkeypatch, capsys, "report", "good", "--format", "md"), "is a symbolic link")
    assert (work / "secret.md").read_text(encoding="utf-8") == "outside"


def test_out_that_is_a_symbolic_link_is_refused_for_run_and_live(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (work / "elsewhere").mkdir()
    (work / "linked").symlink_to(work / "elsewhere")
    for args in (("run", "-f", "small.yaml", "--out", "linked"),
                 ("live", "-f", "small.yaml", "--out", "linked", "--speed", "1000")):
        one_line(cli(work, monkeypatch, capsys, *args),
                 "linked is a symbolic link; ballotdrill never writes through one")
    assert list((work / "elsewhere").iterdir()) == []


def test_a_run_writes_only_into_a_new_or_empty_folder(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (work / "mine").mkdir()
    (work / "mine" / "report.html").write_text("my report", encoding="utf-8")
    one_line(cli(work, monkeypatch, capsys, "run", "-f", "small.yaml", "--out", "mine"),
             "mine is not empty (it holds report.html)")
    assert (work / "mine" / "report.html").read_text(encoding="utf-8") == "my report"
    assert sorted(p.name for p in (work / "mine").iterdir()) == ["report.html"]


def test_no_command_writes_over_its_own_input(work: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    journal = (work / "good" / "journal.sqlite").read_bytes()
    one_line(cli(work, monkeypatch, capsys, "export", "good", "--csv", "good/journal.sqlite"), "own input")
    assert (work / "good" / "journal.sqlite").read_bytes() == journal
    one_line(cli(work, monkeypatch, capsys, "show", "--file", "small.yaml", "--csv", "small.yaml"), "own input")
    assert (work / "small.yaml").read_text(encoding="utf-8") == SMALL
    # an export into the run folder is ballotdrill's own file from then on: written again without complaint
    for _ in range(2):
        assert cli(work, monkeypatch, capsys, "export", "good", "--csv", "good/journal.csv").returncode == 0
    # a run's own report files are never replaced by an export, though ballotdrill wrote them; nor is one file
    # named for two exports (refused before either is written)
    before = {name: (work / "good" / name).read_bytes() for name in ("report.md", "scores.json", "report.html")}
    for flag, name in (("--csv", "report.md"), ("--jsonl", "scores.json"), ("--ocel", "report.html")):
        one_line(cli(work, monkeypatch, capsys, "export", "good", flag, f"good/{name}"),
                 f"good/{name} is the run's ")
    assert {name: (work / "good" / name).read_bytes() for name in before} == before
    one_line(cli(work, monkeypatch, capsys, "export", "good", "--jsonl", "both.txt", "--csv", "both.txt"),
             "both.txt is named for two exports")
    assert not (work / "both.txt").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    from ballotdrill.application import write_output

    target = tmp_path / "report.md"
    write_output(target, lambda path: path.write_text("old", encoding="utf-8"), folder=tmp_path)  # one it may replace
    files = sorted(p.name for p in tmp_path.iterdir())

    def half_then_full_disk(path: Path) -> None:
        path.write_text("half a rep", encoding="utf-8")
        raise OSError(28, "No space left on device")  # ENOSPC, simulated

    with pytest.raises(Exception, match=r"report\.md: cannot write \(No space left on device\); nothing was changed"):
        write_output(target, half_then_full_disk, folder=tmp_path)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == files == [".ballotdrill-outputs.json", "report.md"]


# -- a full disk ----------------------------------------------------------------------------------------------

def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, check=False)
    return result.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> object:
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "600k"):
        pytest.skip("cannot mount a tmpfs here (needs root); the simulated ENOSPC test covers the write path")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_a_run_with_one_line(small_disk: Path, tmp_path: Path) -> None:
    (tmp_path / "long.yaml").write_text(LONG, encoding="utf-8")
    result = finished("run", "-f", "long.yaml", "--out", str(small_disk / "r"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write the journal" in lines[0] and "disk is full" in lines[0], lines
    left = sorted(p.name for p in (small_disk / "r").iterdir())
    assert not [name for name in left if "report" in name or name.endswith(".tmp")], left


def test_a_full_disk_leaves_no_half_written_report(small_disk: Path, work: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    run = small_disk / "run"
    run.mkdir()
    (run / "journal.sqlite").write_bytes((work / "good" / "journal.sqlite").read_bytes())
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk, then free a few KiB
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - 8192))
    line = one_line(cli(work, monkeypatch, capsys, "report", str(run)), "cannot write", "nothing was changed")
    assert "No space left on device" in line
    assert sorted(p.name for p in run.iterdir()) == ["journal.sqlite"]  # nothing half-written, no temporary


def test_report_force_on_a_full_disk_says_the_disk_is_full_not_the_journal_damaged(small_disk: Path,
                                                                                     tmp_path: Path) -> None:
    """A run stopped by a full disk keeps its rows in its WAL; its own advice ('report … --force') followed while the
    disk is still full cannot settle them: the journal is intact, so the line says to free space and run the same
    command again (not that it is damaged); once space is freed, that command reports."""
    subprocess.run(["mount", "-o", "remount,size=3m", str(small_disk)], check=True)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * 2700 * 1024)
    run = small_disk / "r"
    stopped = finished("run", "--out", str(run), cwd=tmp_path)
    assert stopped.returncode == 2 and "--force" in stopped.stderr, stopped.stderr
    report = finished("report", str(run), "--force", cwd=tmp_path)
    assert report.returncode == 2 and "Traceback" not in report.stderr, report.stderr
    lines = report.stderr.strip().splitlines()
    assert len(lines) == 1 and "the disk is full" in lines[0] and "free some space" in lines[0], lines
    assert "damaged" not in lines[0] and "restore" not in lines[0]
    filler.unlink()  # space freed
    again = finished("report", str(run), "--force", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (run / "report.md").is_file()


def _left_unsettled(journal: Path, into: Path) -> None:
    """A copy of ``journal`` in ``into`` as a killed run leaves one: its last transaction still in its WAL (a write
    that changes no value)."""
    into.mkdir()
    db = sqlite3.connect(journal)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute("UPDATE meta SET value = value")
        db.commit()
        for suffix in ("", "-wal"):  # copied while the writer still holds it: the WAL is not folded back
            (into / f"journal.sqlite{suffix}").write_bytes(Path(f"{journal}{suffix}").read_bytes())
    finally:
        db.close()


def test_a_journal_that_cannot_be_settled_for_an_io_error_is_not_called_damaged(work: Path) -> None:
    """Settling an unsettled journal needs SQLite's shared-memory file beside it; a limit on file sizes below it
    makes that an I/O error. The journal is intact: the line says so and what to do, and the same command works once
    the limit is gone."""
    run = work / "unsettled"
    _left_unsettled(work / "good" / "journal.sqlite", run)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))

    limited = bd("report", str(run), cwd=work, preexec_fn=small_files)
    _, err = limited.communicate(timeout=300)
    lines = err.strip().splitlines()
    assert limited.returncode == 2 and len(lines) == 1, err
    assert "input/output error" in lines[0] and "run the same command again" in lines[0], lines
    assert "damaged" not in lines[0] and "restore" not in lines[0]
    again = finished("report", str(run), cwd=work)
    assert again.returncode == 0, again.stderr
    assert (run / "report.md").is_file()
