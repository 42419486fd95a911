"""Live run folders: start one, and rebuild one from its recorded seed and inputs (``replay``, ``resume``).

Same scenario + seed + inputs at the same simulation times = the same journal, byte for byte;
``replay`` checks it, ``resume`` relies on it to carry a crashed exercise on from its last commit.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from ballotdrill import __version__
from ballotdrill.application import RunFolderError, load_run
from ballotdrill.application.folder import LIVE, holder_of, locked, make_output_folder
from ballotdrill.journal import JOURNAL_FILE, encode_data, read_meta
from ballotdrill.live.core import LiveCore, check_played
from ballotdrill.live.inputs import Input
from ballotdrill.live.store import NOW_KEY, LiveStore, MemoryStore, TimedInput, read_inputs, read_rows
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.roles import as_played, cast_meta, cast_of
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.timefmt import format_clock_precise

LIVE_KEY = "live"
"""Meta key of a live run: JSON with the played actors and the starting speed."""


class Diverged(BallotdrillError):
    """A live journal that its own inputs do not reproduce."""


def _cast(doc: ScenarioFile, scenario: str, played: Iterable[str]) -> tuple[ScenarioFile, tuple[str, ...]]:
    """The structure as ``scenario`` plays it and the actors played (a role named by ``--play`` is the actor the
    scenario gives it), checked."""
    cast = cast_of(doc, scenario)
    check_played(played, doc.structure.actors, cast, scenario)  # a misspelt role is suggested too
    actors = tuple(dict.fromkeys(cast.get(actor, actor) for actor in played))
    doc = as_played(doc, scenario)  # the structure as this scenario plays it: what the journal stores
    LiveCore(doc, scenario, seed=1, played=actors, store=MemoryStore())  # checks --play
    return doc, actors


def start_live(folder: Path, doc: ScenarioFile, scenario: str, *, seed: int, played: Iterable[str],
               speed: float, source: str = "") -> LiveCore:
    """A new live exercise journalled (durably) into ``folder``; its first rows are committed.

    ``played`` may name a role of the structure (``--play organiser``): the actor the scenario gives it is played.
    """
    roles = cast_meta(doc, scenario)  # the roles as the scenario gives them, for the participants table
    doc, actors = _cast(doc, scenario, played)  # before a folder is made
    make_output_folder(folder)
    path = folder / JOURNAL_FILE
    if path.exists():
        raise BallotdrillError(f"{path} already exists; choose a new --out folder, or 'ballotdrill resume {folder}'")
    store = LiveStore(path, {
        "format": "1", "version": __version__, "scenario": scenario, "seed": str(seed), "source": source,
        "document": doc.model_dump_json(by_alias=True), "decisions": "{}",
        "overrides": "[]",  # a live exercise takes no --set: said, so compare does not see a difference from a run
        LIVE_KEY: json.dumps({"played": list(actors), "speed": speed}, sort_keys=True), **roles})
    core = LiveCore(doc, scenario, seed=seed, played=actors, store=store, speed=speed)
    core.journal.flush()
    core.commit()
    return core


def _held(folder: Path, start: Callable[[], LiveCore]) -> tuple[LiveCore, contextlib.ExitStack]:
    """``start()`` with ``folder`` locked for this live exercise; the lock is held until the returned stack is
    closed (by :func:`~ballotdrill.live.play.play` once the journal is sealed, or on the way out)."""
    held = contextlib.ExitStack()
    made = not folder.exists()
    try:
        held.enter_context(locked(folder, LIVE))
        return start(), held
    except BaseException:
        held.close()
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # refused before anything was written: no empty folder left behind
        raise


def open_live(folder: Path, doc: ScenarioFile, scenario: str, *, seed: int, played: Iterable[str],
              speed: float, source: str = "") -> tuple[LiveCore, contextlib.ExitStack]:
    """:func:`start_live` with ``folder`` held by this exercise from its first row to its seal: a second ``live``
    or ``resume`` into it is refused (busy), and ``report``/``export``/``compare`` know it plays on."""
    _cast(doc, scenario, played)  # --play is checked before a folder is made
    return _held(folder, lambda: start_live(folder, doc, scenario, seed=seed, played=played, speed=speed,
                                            source=source))


def open_resumed(folder: Path) -> tuple[LiveCore, contextlib.ExitStack]:
    """:func:`resume_folder` with ``folder`` held, as :func:`open_live`; a folder that does not exist is refused."""
    live_folder(folder, "a live exercise that stopped")
    return _held(folder, lambda: resume_folder(folder))


def live_folder(folder: Path, what: str) -> None:
    """Refuse ``folder`` in one line when it is no folder, asking for ``what`` (a live exercise's): a batch run's
    advice ('ballotdrill run --out') would not do for ``resume`` or ``replay``."""
    if not folder.is_dir():
        found = f"{folder} is a file, not a folder" if folder.exists() else f"{folder}: no such folder"
        raise RunFolderError(f"{found}; give the folder of {what} (the --out of 'ballotdrill live')")


class Recorded(NamedTuple):
    """What a live run folder holds: how to rebuild it, and what it committed."""

    doc: ScenarioFile
    scenario: str
    seed: int
    played: tuple[str, ...]
    speed: float
    inputs: list[TimedInput]
    rows: list[tuple[int, float, str, str | None, str | None, str | None, str | None]]
    now: float
    ended: bool


def read_recorded(folder: Path) -> Recorded:
    """A live run folder's seed, inputs and committed rows (a clear error for anything else)."""
    path = folder / JOURNAL_FILE
    run = load_run(folder)  # checks the folder holds a readable run with its scenario file
    meta = read_meta(path)
    if LIVE_KEY not in meta:
        raise RunFolderError(f"{folder}: not a live exercise (no '{LIVE_KEY}' in its meta); "
                             "a batch run is replayed with 'ballotdrill run --seed N --decisions FILE'")
    live = json.loads(meta[LIVE_KEY])
    rows = read_rows(path)
    return Recorded(run.doc, run.scenario, int(meta.get("seed", "0")), tuple(live["played"]), float(live["speed"]),
                    read_inputs(path), rows, float(meta.get(NOW_KEY, "0")),
                    any(row[2] == "run_ended" for row in rows))


def rebuild(rec: Recorded, until: float | None = None) -> tuple[LiveCore, MemoryStore]:
    """Replay ``rec``'s inputs in batch, to ``until`` (default: where the record stops)."""
    memory = MemoryStore()
    core = LiveCore(rec.doc, rec.scenario, seed=rec.seed, played=rec.played, store=memory, speed=rec.speed)
    for item in rec.inputs:
        core.advance(item.t)
        if core.now != item.t:
            raise Diverged(f"input {item.n} ({item.input.kind}) was given at t={item.t!r}, "
                           f"but the replay is at t={core.now!r}")
        outcome = core.apply(item.input)
        if not outcome.ok:
            raise Diverged(f"input {item.n} ({item.input.kind}) is refused on replay: {outcome.message}")
    core.advance(until if until is not None else (core.horizon if rec.ended else rec.now))
    core.journal.flush()
    return core, memory


def _encoded(memory: MemoryStore) -> list[tuple[int, float, str, str | None, str | None, str | None, str | None]]:
    return [(seq, t, kind, inc, actor, step, encode_data(kind, data))
            for seq, (t, kind, inc, actor, step, data) in enumerate(memory.rows)]


def first_divergence(recorded: list[tuple[object, ...]], replayed: list[tuple[object, ...]]) -> str | None:
    """None when the two journals are identical; else where they first differ, with both rows."""
    for a, b in zip(recorded, replayed, strict=False):
        if a != b:
            return f"first divergence at seq {a[0]}:\n  journal: {a}\n  replay:  {b}"
    if len(recorded) != len(replayed):
        longer, which = (recorded, "journal") if len(recorded) > len(replayed) else (replayed, "replay")
        shorter = min(len(recorded), len(replayed))
        return f"first divergence at seq {shorter}: only the {which} has it: {longer[shorter]}"
    return None


class ReplayResult(NamedTuple):
    """A replay's verdict: identical (with the count of events checked), or where it diverged."""

    identical: bool
    events: int
    message: str


def replay_folder(folder: Path) -> ReplayResult:
    """Re-run a live exercise (finished or crashed) from its journal in batch and compare byte for byte."""
    live_folder(folder, "a live exercise")
    rec = read_recorded(folder)
    try:
        core, memory = rebuild(rec)
    except Diverged as exc:
        return ReplayResult(False, 0, str(exc))
    problem = first_divergence(list(rec.rows), list(_encoded(memory)))
    if problem is not None:
        return ReplayResult(False, len(rec.rows), problem)
    at = format_clock_precise(core.clock0 + rec.now)
    state = ("finished" if rec.ended else f"is still being played live (replayed to its last commit, at {at})"
             if holder_of(folder) == LIVE else f"stopped at {at} (not finished)")
    return ReplayResult(True, len(rec.rows), f"{len(rec.rows)} events and {len(rec.inputs)} inputs replayed "
                                             f"identically; the exercise {state}")


def resume_folder(folder: Path) -> LiveCore:
    """A crashed live exercise rebuilt to its last commit, journalling on into the same file."""
    rec = read_recorded(folder)
    if rec.ended:
        raise BallotdrillError(f"{folder}: this exercise has ended; 'ballotdrill replay {folder}' checks it and "
                               f"'ballotdrill report {folder}' rebuilds its report")
    core, memory = rebuild(rec)
    problem = first_divergence(list(rec.rows), list(_encoded(memory)))
    if problem is not None:
        raise Diverged(f"{folder}: cannot resume, the journal is not what its inputs give ({problem})")
    store = LiveStore(folder / JOURNAL_FILE)
    core.store = store
    core.tee.store = store
    memory.rows.clear()
    core.apply(Input("restart", {}))  # journalled, so the report says where the exercise was carried on
    core.commit()
    return core
