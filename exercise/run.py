"""Run a scenario from start to finish: set up the journal, play, record, close."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ballotdrill import __version__
from ballotdrill.exercise.decisions import DecisionProvider, RecordedDecisions, check_record, problems_line
from ballotdrill.exercise.engine import Exercise
from ballotdrill.exercise.errors import RunError
from ballotdrill.exercise.setup import Setup
from ballotdrill.journal import JOURNAL_FILE, SHAPES, Event, Journal, MemorySink, Row, Sink, SqliteSink, read_events
from ballotdrill.journal.collector import collector_paused as collector_paused  # re-exported: its old home
from ballotdrill.journal.interrupts import interrupts_held
from ballotdrill.journal.store import FORMAT_VERSION, JournalError, RunawayError
from ballotdrill.scenarios.errors import BallotdrillError, CannotWrite
from ballotdrill.scenarios.roles import as_played, cast_meta
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.timefmt import format_clock, format_end

OFFLOAD_ROWS = 8192
"""A run that fills a whole journal batch hands its SQLite writes to a writer process."""

Progress = Callable[[float, float], None]
"""Called with (minutes done, minutes in all) as a run goes."""

class RowFeed(Protocol):
    """Takes the journal's rows a batch at a time as the engine makes them, numbered from ``first_seq`` (a streaming
    scorer: :meth:`ballotdrill.scoring.stream.Scorer.take`)."""

    def take(self, first_seq: int, rows: list[Row]) -> None: ...


Feed = Callable[[Event], None] | RowFeed
"""Takes each journal event as it is written, in ``seq`` order (e.g. a streaming scorer): an :class:`Event` at a
time, or the engine's rows a batch at a time (:class:`RowFeed`, no event made per row)."""


_new_event: Any = tuple.__new__


class FeedingSink:
    """Hands each batch to ``sink``, then to ``feed``: whole (a :class:`RowFeed`), or each row as an :class:`Event`.

    A run fed to a scorer this way is scored as it plays: nothing reads the journal back.
    """

    def __init__(self, sink: Sink | None, feed: Feed) -> None:
        self.sink = sink
        self.feed = feed
        self.take: Callable[[int, list[Row]], None] | None = getattr(feed, "take", None)
        self.take_framed: Callable[[int, list[Row], bytes | None], None] | None = getattr(feed, "take_framed", None)
        """A feed that sends each batch to a process of its own takes the frame the journal's writer process got."""
        self.packs_optional = sink is None and self.take is not None and getattr(feed, "reads_packed_optional", False)
        """Rows of a packed kind may carry their optional fields in the tuple (None where absent, in the order of
        :data:`~ballotdrill.journal.packed.LAYOUT`) rather than as a dict: nothing keeps them, and the one feed reads
        them through :class:`~ballotdrill.scoring.feed.Dispatch`, which takes either form alike."""

    def write(self, first_seq: int, rows: list[Row]) -> None:
        if self.sink is not None:
            self.sink.write(first_seq, rows)
        self.hand_on(first_seq, rows)

    def hand_on(self, first_seq: int, rows: list[Row]) -> None:
        """Feed the batch just written to the sink (with the frame its writer process got, if it went to one)."""
        if self.take_framed is not None:
            self.take_framed(first_seq, rows, getattr(self.sink, "framed", None))
            return
        if self.take is not None:
            self.take(first_seq, rows)
            return
        feed: Any = self.feed
        shapes, event = SHAPES, _new_event
        for seq, (t, kind, inc, actor, step, data) in enumerate(rows, first_seq):  # unpack, inline: every row
            values = {} if data is None else dict(zip(shapes[kind], data, strict=True)) if type(data) is tuple else data
            feed(event(Event, (seq, t, kind, inc, actor, step, values)))

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()


@dataclass(frozen=True)
class RunResult:
    """What a finished run left behind: its journal events (in memory), its folder, or neither (fed, not kept)."""

    scenario: str
    seed: int
    until: float
    memory: MemorySink | None
    out: Path | None
    count: int

    @property
    def events(self) -> list[Event]:
        """The journal's events: from memory, or read back from the run folder."""
        if self.memory is not None:
            return self.memory.events()
        if self.out is None:
            raise ValueError("the run's events were fed as it played and not kept")
        return list(read_events(self.out / JOURNAL_FILE))


def resolve_until(doc: ScenarioFile, scenario: str, until_clock: float | None) -> float:
    """Simulation minutes to stop at, from a clock time (default: the scenario's end)."""
    sc = doc.scenarios[scenario]
    if until_clock is None:
        return sc.end - sc.start
    if not sc.start < until_clock <= sc.end:
        raise RunError(f"--until ({format_clock(until_clock)}) must lie after the scenario's start "
                       f"({format_clock(sc.start)}) and no later than its end ({format_end(sc.start, sc.end)})")
    return until_clock - sc.start


def run_exercise(doc: ScenarioFile, scenario: str, *, seed: int = 0, until_clock: float | None = None,
                 out: Path | None = None, decisions: Mapping[str, str] | None = None,
                 provider: DecisionProvider | None = None, source: str = "",
                 progress: Progress | None = None, chunks: int = 50,
                 meta: Mapping[str, str] | None = None, feed: Feed | None = None,
                 keep: bool = True, setup: Setup | None = None) -> RunResult:
    """Play ``scenario`` to its end (or ``until_clock``); journal to ``out``/journal.sqlite or to memory.

    ``meta``: more entries for the run folder's meta (e.g. ``overrides``), besides those every run records.
    ``feed``: takes every event as it is journalled (a streaming scorer). ``keep=False`` (with no ``out``):
    journal to ``feed`` alone, nothing kept in memory. ``setup``: what runs of this scenario share, built once
    by a caller that plays many (:class:`~ballotdrill.exercise.setup.Setup`); the run is the same without it.
    """
    meta = {**cast_meta(doc, scenario), **(meta or {})}  # the roles, which the file as played no longer has
    doc = as_played(doc, scenario)  # the structure as the scenario plays it: what the journal stores
    until = resolve_until(doc, scenario, until_clock)
    problems = check_record(decisions or {}, doc.structure, doc.scenarios[scenario])
    if problems:
        raise RunError(problems_line(problems))
    sink: Sink | None
    memory: MemorySink | None = None
    if out is not None:
        try:
            with interrupts_held():  # the journal appears with its tables and meta whole
                opened = _open_folder(out, {**(meta or {}), **run_meta(doc, scenario, seed, source, decisions)})
        except KeyboardInterrupt:
            opened.close()
            raise
        sink = opened
    elif keep or feed is None:
        sink = memory = MemorySink()
    else:
        sink = None
    if feed is not None:
        sink = FeedingSink(sink, feed)
    assert sink is not None
    journal = Journal(sink)
    if provider is None and decisions:
        provider = RecordedDecisions(decisions)
    exercise = Exercise(doc, scenario, journal, seed=seed, decisions=provider, setup=setup)
    failure: BallotdrillError | None = None
    sealing = contextlib.ExitStack()  # entered once the run has played: a Ctrl-C then waits until it is sealed
    played = False
    try:
        with collector_paused():  # a run makes no reference cycles (an event drops its callbacks once processed)
            exercise.start(until)  # run_started records where the whole run stops, not the first chunk's end
            if progress is None:
                exercise.run(until)
            else:
                for k in range(1, chunks + 1):
                    exercise.run(until * k / chunks)
                    progress(exercise.env.now, until)
            sealing.enter_context(interrupts_held())
            played = True
            exercise.finish()
    except RunawayError as exc:  # the model never lets time pass: the rows so far are kept, the run is unfinished
        failure = RunError(str(exc))
    except (JournalError, sqlite3.Error, OSError) as exc:
        failure = CannotWrite(_cannot_write(out, exc))
    except BaseException:  # interrupted: keep what was recorded, unsealed (a second Ctrl-C waits for that)
        try:
            with interrupts_held(deliver=False), contextlib.suppress(Exception):
                journal.close()
        finally:
            sealing.close()  # only entered if the run played and then failed: a Ctrl-C it held comes now
        raise
    # The run has played (or failed): its journal is closed, and sealed if whole; a Ctrl-C meanwhile is delivered
    # after. The hold began before run_ended was written, so a run whose journal holds run_ended is sealed.
    with sealing:
        if not played:  # it failed before it played
            sealing.enter_context(interrupts_held())
        try:
            if failure is not None:
                journal.rows.clear()  # the batch that failed is not retried
            elif out is not None:
                opened.seal_when_closed()  # sealed as it closes, with the digest made as the rows were written
            journal.close()
        except (JournalError, sqlite3.Error, OSError) as exc:
            failure = failure or CannotWrite(_cannot_write(out, exc))
    if failure is not None:
        raise failure
    return RunResult(scenario, seed, until, memory, out, journal.count)


def run_meta(doc: ScenarioFile, scenario: str, seed: int, source: str = "",
             decisions: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``meta`` table of a run's journal: what a report needs besides the events (the whole scenario file)."""
    return {"format": FORMAT_VERSION, "version": __version__, "scenario": scenario, "seed": str(seed),
            "source": source, "document": doc.model_dump_json(by_alias=True),
            "decisions": json.dumps(dict(decisions or {}), sort_keys=True)}
def _cannot_write(out: Path | None, exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc).removeprefix(f"{out / JOURNAL_FILE if out else ''}: ")
    return f"{out / JOURNAL_FILE if out else 'the journal'}: cannot write the journal ({reason}); the run stopped"


def _open_folder(out: Path, meta: dict[str, str]) -> SqliteSink:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    path = out / JOURNAL_FILE
    if path.exists():
        raise RunError(f"{path} already exists; choose a new --out folder (a run never overwrites another)")
    try:
        return SqliteSink(path, meta, offload=OFFLOAD_ROWS, digest=True)
    except Exception as exc:  # sqlite3 errors carry no errno
        raise RunError(f"{path}: cannot write the journal ({exc})") from None
