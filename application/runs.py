"""Run folders: run a scenario into one, load one, write its reports, read a decisions file.

Every front end (the command line, the live console, the server, sweeps) calls these; none
of them composes a run folder by hand.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ballotdrill.application.folder import locked, refuse_if_busy, require_empty
from ballotdrill.application.journalfile import (
    JSONL_FILE,
    META_FILE,
    RunFolderError,
    check_journal_file,
    damaged,
    find_journal,
    one_line,
)
from ballotdrill.application.livefeed import MALFORMED, OFFLOAD_ROWS, LiveFeed
from ballotdrill.application.livestate import journal_clock, live_standing
from ballotdrill.application.reportfiles import REPORT_FILES, malformed, write_report_files
from ballotdrill.application.runinputs import parse_until
from ballotdrill.exercise.errors import RunError
from ballotdrill.journal import JOURNAL_FILE, Event, Kind, RunStarted, read_events, read_meta
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.interrupts import is_interrupt
from ballotdrill.journal.seal import SEAL_KEY, RowsToCheck, Verdict, settle, verify, verify_all_but_rows
from ballotdrill.journal.sqlite_uri import connect_read_only
from ballotdrill.scenarios.errors import BallotdrillError, CannotWrite

if TYPE_CHECKING:  # the engine, the report and the scenario models are imported when a run or a report is made
    from ballotdrill.exercise.run import Progress
    from ballotdrill.report import Report
    from ballotdrill.scenarios.scenario import ScenarioFile


class Run(NamedTuple):
    """A run folder's journal, scenario file, scenario name and meta."""

    events: list[Event]
    doc: ScenarioFile
    scenario: str
    meta: dict[str, str]


class RunFiles(NamedTuple):
    """A run folder's scenario file, scenario name, meta and journal file, its events not read."""

    journal: Path
    doc: ScenarioFile
    scenario: str
    meta: dict[str, str]


INPUT_FILES = (JOURNAL_FILE, f"{JOURNAL_FILE}-wal", f"{JOURNAL_FILE}-shm", JSONL_FILE, META_FILE)
"""What a run folder's reports and exports are made from: never written over."""



def open_run(run_dir: Path) -> RunFiles:
    """Find a run folder's journal (``journal.sqlite``, or ``journal.jsonl`` + ``meta.json``), read its meta and
    its stored scenario file.

    The events stay on disk: a caller streams them (:func:`read_events`, :func:`stored_rows`). No row is read
    unless the meta names no scenario (then the first row's).
    """
    from pydantic import ValidationError

    from ballotdrill.scenarios import crossref
    from ballotdrill.scenarios.scenario import ScenarioFile

    journal, meta = find_journal(run_dir)
    try:
        try:
            stored = json.loads(meta["document"])
        except (ValueError, TypeError) as exc:
            raise RunFolderError(f"{run_dir}: the journal's stored scenario file ('document' in its meta) is not "
                                 f"valid JSON ({one_line(exc)}); the journal was damaged: restore it from a copy, or "
                                 "run the scenario again") from None
        doc = ScenarioFile.model_validate(stored)
        started = None if meta.get("scenario") else _started_scenario(journal)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        raise RunFolderError(f"{run_dir}: the stored scenario file is not valid ({where}: {error['msg']})") from None
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
    inconsistent = crossref.check(doc)
    if inconsistent:
        raise RunFolderError(f"{run_dir}: the stored scenario file is inconsistent ({inconsistent[0][1]})")
    name = meta.get("scenario") or str(started or doc.default_scenario)
    if name not in doc.scenarios:
        raise RunFolderError(f"{run_dir}: the run names scenario {name!r}, which its stored scenario file does "
                             f"not hold ({', '.join(doc.scenarios)})")
    return RunFiles(journal, doc, name, meta)


def _started_scenario(journal: Path) -> str | None:
    """The scenario named by the journal's first row (``run_started``), for a meta that names none."""
    with contextlib.closing(read_events(journal)) as events:  # closed here, not when collected
        first = next(events, None)
    return first.fields(RunStarted).scenario if first is not None and first.kind == Kind.RUN_STARTED else None


def load_run(run_dir: Path) -> Run:
    """Read ``journal.sqlite`` (or ``journal.jsonl`` + ``meta.json``) from a run folder, every event in memory,
    unchecked against its seal (see :func:`load_checked`); rows and stored scenario must still be readable."""
    files = open_run(run_dir)
    try:
        events = list(read_events(files.journal))
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
    for event in events:
        _check_row(Path(run_dir), event)
    return Run(events, files.doc, files.scenario, files.meta)


def stream_run(run_dir: Path, files: RunFiles, feed: Callable[[Event], None]) -> None:
    """Feed every event of a run folder's journal to ``feed``, in ``seq`` order: one pass, never all in memory.

    Rows are checked as :func:`load_run` checks them; ``feed`` failing on a malformed row or stored scenario
    is a :class:`RunFolderError` too.
    """
    rows = read_events(files.journal)
    while True:
        try:
            event = next(rows, None)
        except (OSError, ValueError, KeyError, TypeError, sqlite3.Error) as exc:
            raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
        if event is None:
            return
        _check_row(Path(run_dir), event)
        try:
            feed(event)
        except MALFORMED as exc:
            raise malformed(run_dir, exc) from None




def _check_row(run_dir: Path, event: Event) -> None:
    """A journal row as the engine writes it: a finite time, a kind, data that is a mapping."""
    t = event.t
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t):
        raise RunFolderError(f"{run_dir}: journal row {event.seq} has time {t!r}; a time is a finite number of minutes")
    if not isinstance(event.kind, str) or not isinstance(event.data, dict):
        raise RunFolderError(f"{run_dir}: journal row {event.seq} is malformed (its data must be a JSON object, "
                             f"got {type(event.data).__name__})")


class RunProblem(NamedTuple):
    """What is wrong with a run folder's journal: ``state`` — ``""`` (nothing: sealed), ``unfinished`` (no seal:
    interrupted, killed or failed), ``changed`` (after it was sealed) or ``unsealed`` (a JSON Lines journal, which
    carries no seal) — and ``text``, in words (empty when nothing is)."""

    state: str = ""
    text: str = ""
    standing: str = ""
    """For a live exercise's journal, what follows the run's name ("was played live and stopped unfinished at
    09:51 (…)", "is still being played live (…)"); empty otherwise."""

    @property
    def unfinished(self) -> bool:
        return self.state == "unfinished"


def check_run(run_dir: Path, *, force: bool = False) -> str:
    """Refuse a run folder that a run is writing, or of a journal format this version does not read; refuse one
    that did not finish or was changed after it ended unless ``force``, and then return what is wrong."""
    return run_problem(run_dir, force=force).text


def run_problem(run_dir: Path, *, force: bool = False) -> RunProblem:
    """:func:`check_run`, saying what kind of problem it found."""
    problem, rows = check_run_but_rows(run_dir, force=force)
    if rows is not None:  # the pass over every row, here
        verdict = verify_rows(run_dir, rows)
        if verdict.state != "sealed":
            return refuse_changed(run_dir, verdict, force=force)
    return problem


def check_run_but_rows(run_dir: Path, *, force: bool = False) -> tuple[RunProblem, RowsToCheck | None]:
    """:func:`check_run` but for the digest of the journal's rows, left to the caller's own pass over them:
    what is wrong (or empty), and the rows' digest to check (None when there is none to check: a journal not sealed,
    changed in its meta, or played live on). With ``force`` too: a row changed in place is found by that pass alone,
    and a forced report must still be marked unverified for it."""
    run_dir = Path(run_dir)
    live = refuse_if_busy(run_dir, force=force)  # True: a live exercise plays on in it, read to its last commit
    sqlite_path = run_dir / JOURNAL_FILE
    if sqlite_path.is_file():
        if not live:  # a journal left by a killed run is brought back to one file; never one a live exercise writes
            try:
                settle(sqlite_path)
            except sqlite3.DatabaseError as exc:
                raise damaged(run_dir, exc) from None
            except (sqlite3.Error, OSError) as exc:
                raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") \
                    from None
        check_journal_file(run_dir)
        try:
            check = verify_all_but_rows(sqlite_path)
        except (sqlite3.Error, OSError) as exc:
            raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None
        if live and isinstance(check, Verdict) and check.state == "unfinished":
            playing = live_standing(run_dir, sqlite_path, playing=True)
            return RunProblem("unfinished", f"{LIVE_NOW}: its journal keeps {check.rows:,} rows to its last commit"
                              + (f", at {playing.at}" if playing else ""),
                              playing.standing if playing else ""), None
        if not isinstance(check, Verdict):
            return RunProblem(), check
        return refuse_changed(run_dir, check, force=force), None
    if (run_dir / JSONL_FILE).is_file():
        return refuse_changed(run_dir, None, force=force), None
    return RunProblem(), None  # load_run says what is missing


def verify_rows(run_dir: Path, rows: RowsToCheck) -> Verdict:
    """The pass over every row of a run folder's journal that :func:`check_run_but_rows` left to do."""
    try:
        return verify(Path(run_dir) / JOURNAL_FILE, rows)
    except (sqlite3.Error, OSError) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {one_line(exc)})") from None


UNFINISHED = "the run did not finish (interrupted, killed or failed)"
"""How a check describes a journal without a seal."""
LIVE_NOW = "the exercise is still being played live"
"""How a check describes the journal of a live exercise that plays on (read with --force)."""
UNFINISHED_HARM = ("; it is reported up to its last row, where the harm of the incidents still open is worked out "
                   "from the rows (each one's wave, voters and stations, and the polls) when the end of the run "
                   "did not record it")
"""What a report of such a journal says of its harm."""


def refuse_changed(run_dir: Path, verdict: Verdict | None, *, force: bool = False) -> RunProblem:
    """What is wrong with a run whose journal is not as sealed (``verdict``; None: a JSON Lines journal, which
    carries no seal): refused unless ``force``, then returned."""
    if verdict is None:
        problem = RunProblem("unsealed", "a JSON Lines journal carries no seal, so it cannot be checked")
    elif verdict.state == "unfinished":
        live = live_standing(run_dir, Path(run_dir) / JOURNAL_FILE, playing=False)
        problem = (RunProblem("unfinished", f"{UNFINISHED}: its journal keeps {verdict.rows:,} rows but no seal")
                   if live is None else
                   RunProblem("unfinished", f"the exercise {live.standing}: its journal keeps {verdict.rows:,} rows "
                                            f"but no seal; {live.detail}", live.standing))
    elif verdict.state == "changed":
        problem = RunProblem("changed", f"the journal was changed after the run ended ({verdict.detail})")
    else:
        return RunProblem()
    if not force:
        raise RunFolderError(f"{run_dir}: {problem.text}; add --force to use it anyway (the output is marked "
                             "unverified)")
    return problem


def load_checked(run_dir: Path, *, force: bool = False) -> tuple[Run, str]:
    """:func:`check_run`, then :func:`load_run`: the run, and what is wrong with it (empty when sealed)."""
    problem = check_run(run_dir, force=force)
    return load_run(run_dir), problem


def write_reports(run_dir: Path, formats: Sequence[str] = tuple(REPORT_FILES), *,
                  force: bool = False) -> tuple[Report, list[Path]]:
    """Rebuild the report from the run folder's (sealed) journal, streamed once, and write the asked formats.

    ``force``: report on an unfinished or changed run too, each file marked as unverified and why.
    """
    for fmt in formats:
        if fmt not in REPORT_FILES:
            raise BallotdrillError(f"--format must be one of {', '.join(REPORT_FILES)} (got {fmt!r})")
    found = run_problem(Path(run_dir), force=force)
    problem = found.text + (UNFINISHED_HARM if found.unfinished else "")
    files = open_run(Path(run_dir))
    from ballotdrill.report.report import ReportFeed

    feed = ReportFeed(files.doc, files.scenario, unfinished=found.unfinished)
    with collector_paused():  # the scorer makes no reference cycles: collections would find nothing
        stream_run(Path(run_dir), files, feed.feed)
    return write_report_files(Path(run_dir), partial(feed.assemble, files.meta), files.doc, files.scenario, formats,
                              problem)


class RunOutcome(NamedTuple):
    """A finished batch run: its folder, how many events it journalled, and its report."""

    folder: Path
    events: int
    report: Report


class RunInterrupted(BallotdrillError):
    """A run stopped by Ctrl-C: its folder keeps what was recorded, unsealed."""


@contextlib.contextmanager
def before_writing(what: str = "the run") -> Iterator[None]:
    """A Ctrl-C while a command reads and checks its inputs, before it makes its folder: one line saying so."""
    try:
        yield
    except KeyboardInterrupt:
        raise RunInterrupted(nothing_written(what)) from None


def nothing_written(what: str) -> str:
    """The line for a Ctrl-C before ``what`` (``the run``) began."""
    return f"interrupted before {what} began; nothing was written"


def run_to_folder(doc: ScenarioFile, scenario: str, *, seed: int, folder: Path, until: str | None = None,
                  decisions: Mapping[str, str] | None = None, source: str = "",
                  progress: Progress | None = None, overrides: Sequence[str] = ()) -> RunOutcome:
    """Play ``scenario`` in batch into ``folder`` (new or empty; locked while the run writes it): journal and
    stored scenario file, sealed when the run ends, then its reports.

    ``overrides``: the ``--set PATH=VALUE`` texts ``doc`` was loaded with, recorded in the run's meta
    (key ``overrides``, a JSON list) so the report and ``compare`` can say what made this run.
    """
    from ballotdrill.exercise.run import run_exercise
    from ballotdrill.report.report import ReportFeed
    from ballotdrill.scenarios.roles import as_played, cast_meta

    folder = Path(folder)
    cast = cast_meta(doc, scenario)  # the roles as the scenario gives them, kept in the meta for the participants
    doc = as_played(doc, scenario)  # the structure as this scenario plays it: what the journal stores and reports show
    live = LiveFeed(doc, scenario, journal=folder / JOURNAL_FILE)
    created = [p for p in (folder, *folder.parents) if not p.exists()]  # leaf first
    try:
        try:
            with locked(folder):
                require_empty(folder)
                try:
                    result = run_exercise(doc, scenario, seed=seed, until_clock=parse_until(until), out=folder,
                                          decisions=decisions, source=source, progress=progress,
                                          meta={"overrides": json.dumps(list(overrides)), **cast}, feed=live)
                except (RunError, CannotWrite) as exc:
                    if (folder / JOURNAL_FILE).exists():
                        raise type(exc)(f"{exc}; {kept(folder)}") from None
                    raise
                # Scored as it played: the journal is not read back (``report`` rebuilds the same from it).
                files = RunFiles(folder / JOURNAL_FILE, doc, scenario, read_meta(folder / JOURNAL_FILE))
                assemble = live.assembler(files.meta)
                if assemble is None:  # a row the live feed could not take (its rebuild says what is wrong), or its
                    rebuilt = ReportFeed(doc, scenario)  # scoring process failed: the report rebuilt from the journal
                    stream_run(folder, files, rebuilt.feed)
                    assemble = partial(rebuilt.assemble, files.meta)
                report, _ = write_report_files(folder, assemble, doc, scenario, tuple(REPORT_FILES), "",
                                               apart=result.count >= OFFLOAD_ROWS)
        except BaseException as exc:  # a Ctrl-C at any point: what the folder holds now, and what to do with it
            live.stop()
            if not is_interrupt(exc):
                raise
            if not (folder / JOURNAL_FILE).exists():
                raise RunInterrupted(nothing_written("the run")) from None
            raise RunInterrupted(interrupted(folder)) from None
    except BaseException:
        if not (folder / JOURNAL_FILE).exists():  # refused before it began: leave nothing behind
            with contextlib.suppress(OSError):
                for made in created:
                    made.rmdir()
        raise
    return RunOutcome(folder, result.count, report)


def interrupted(folder: Path) -> str:
    """The line for a run stopped by Ctrl-C: unfinished (stopped while it played), or played and sealed."""
    try:
        sealed = read_meta(folder / JOURNAL_FILE).get(SEAL_KEY)
        rows = int(json.loads(sealed)["rows"]) if sealed is not None else None
    except (sqlite3.Error, OSError, ValueError, TypeError, KeyError):
        rows = None
    if rows is None:
        return f"interrupted: {kept(folder)}"
    reports = [name for name in REPORT_FILES.values() if (folder / name).is_file()]
    whole = f"interrupted after the run had played: {folder} holds the whole run, sealed ({rows:,} journal rows)"
    if len(reports) == len(REPORT_FILES):
        return f"{whole}, and its reports ({', '.join(reports)})"
    written = f", and only {', '.join(reports)} of its reports" if reports else ", and no report yet"
    return f"{whole}{written}; 'ballotdrill report {folder}' writes them"


def kept(folder: Path) -> str:
    """What an unfinished run left in ``folder``, and how to report on it."""
    try:
        with contextlib.closing(connect_read_only(folder / JOURNAL_FILE)) as db:
            count, last = db.execute("SELECT count(*), max(t) FROM events").fetchone()
            until = f" up to {journal_clock(db, last)}" if last is not None else ""
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return f"{folder} keeps an unreadable journal"
    return (f"{folder} keeps {count:,} journal rows{until}, marked unfinished; "
            f"'ballotdrill report {folder} --force' reports on them")
