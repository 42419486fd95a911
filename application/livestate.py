"""Where an unsealed live exercise stands, in words: still being played, or stopped (by a Ctrl-C, a termination
signal, or with no record) and when.

``report``, ``export`` and ``compare`` with ``--force`` say this of a live exercise's journal instead of "the run did
not finish": that is what is true of it, and ``ballotdrill resume`` carries it on.
"""

from __future__ import annotations

import contextlib
import json
import shlex
import sqlite3
from pathlib import Path
from typing import NamedTuple

from ballotdrill.journal import Kind
from ballotdrill.journal.sqlite_uri import connect_read_only
from ballotdrill.scenarios.timefmt import format_clock_precise


class LiveStanding(NamedTuple):
    """An unsealed live journal: ``standing`` follows the run's name ("A was played live and …"); ``detail`` says
    how to carry it on."""

    standing: str
    detail: str
    at: str
    """The clock time its last commit reached."""


def journal_clock(db: sqlite3.Connection, t: float) -> str:
    """The clock time of the journal's time ``t`` (minutes from its ``run_started`` row's start; ``D+1 07:42:05``).

    Raises ``ValueError``, ``KeyError`` or ``TypeError`` for a ``run_started`` row whose data is not a run's start."""
    first = db.execute("SELECT data FROM events WHERE kind = ? ORDER BY seq LIMIT 1",
                       (Kind.RUN_STARTED.value,)).fetchone()
    return format_clock_precise((float(json.loads(first[0])["start"]) if first else 0.0) + t)


def live_standing(run_dir: Path, path: Path, *, playing: bool) -> LiveStanding | None:
    """How the live exercise journalled at ``path`` stands (``playing``: its folder is held by ``live`` or
    ``resume`` now); None for a batch run, or a journal this cannot read."""
    try:
        with contextlib.closing(connect_read_only(path)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('live', 'live_now')").fetchall())
            if "live" not in meta:
                return None
            at = journal_clock(db, float(meta.get("live_now") or 0.0))
            last = db.execute("SELECT kind, data FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        by = json.loads(last[1] or "{}").get("by") if last and last[0] == Kind.STOPPED else None
    except (sqlite3.Error, OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    resume = f"'ballotdrill resume {shlex.quote(str(run_dir))}' carries it on"
    if playing:
        return LiveStanding(f"is still being played live (read to its last commit, at {at})",
                            "it carries on in the process that plays it", at)
    kind = last[0] if last else None
    if kind == Kind.RUN_ENDED:
        return LiveStanding(f"was played live to its end ({at}) but never sealed (its process stopped while "
                            "closing the journal)", f"'ballotdrill replay {shlex.quote(str(run_dir))}' checks it", at)
    from ballotdrill.report.liveclock import stop_cause  # here: the report package loads scoring and Jinja2

    how = stop_cause(by) if kind == Kind.STOPPED else \
        "no stop was journalled: its process was killed with SIGKILL, or failed"
    return LiveStanding(f"was played live and stopped unfinished at {at} ({how})", resume, at)
