"""A live exercise's clock for the report: the speed it started at, its speed changes, pauses, stops and resumes.

Read from the journal's ``speed_changed``, ``paused``/``resumed`` and ``stopped``/``restarted`` rows and the
starting speed in the run's meta (``live``). Their ``wall`` fields (Unix seconds) give the real time a pause or a
stop lasted; the simulated clock stands still meanwhile. None of it is scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from pydantic import Field

from ballotdrill.journal import Event, Kind
from ballotdrill.journal.events import CTRL_C, Paused, Restarted, Resumed, SpeedChanged, Stopped
from ballotdrill.scoring.model import Frozen

STARTED_PAUSED = "start"
"""A ``paused`` row's ``by`` when the exercise started paused (``--start-paused``; ``live.core`` writes it)."""

KINDS = frozenset({Kind.SPEED_CHANGED, Kind.PAUSED, Kind.RESUMED, Kind.STOPPED, Kind.RESTARTED, Kind.ENDED_EARLY})
"""The rows the clock is read from (the report keeps them whatever their incident)."""


class ClockChange(Frozen):
    """One change of a live exercise's clock; ``seq`` is its journal row (the evidence)."""

    seq: int
    t: float
    what: str
    """``speed``, ``paused``, ``stopped``, ``restarted``, ``ended`` (the facilitator ended it early) or ``start`` (it
    started paused, ``--start-paused``, until the facilitator started it)."""
    text: str
    by: str = ""
    """What stopped it, for a stop: ``Ctrl-C``, ``SIGTERM`` or ``SIGHUP``."""


class LiveClock(Frozen):
    """How a live exercise's clock ran: the starting speed and each change, in journal order."""

    speed: float
    """Times faster than real time at the start."""
    changes: list[ClockChange] = Field(default_factory=list)

    @property
    def ended_early(self) -> float | None:
        """When the facilitator ended the exercise before the scenario's end (None: it did not)."""
        return next((c.t for c in self.changes if c.what == "ended"), None)

    def summary(self) -> str:
        """One line for the report's overview: ``started at 60× …; 1 speed change; 2 pauses (section 8)``."""
        waited = any(c.what == "start" for c in self.changes)
        parts = [f"started at {speed_text(self.speed)}"
                 + (", after waiting paused for the facilitator (--start-paused)" if waited else "")]
        for what, one, many in _COUNTED:
            count = sum(c.what == what for c in self.changes)
            if count:
                causes = sorted({c.by for c in self.changes if c.what == what and c.by})
                parts.append(f"{count} {one if count == 1 else many}" + (f" ({', '.join(causes)})" if causes else ""))
        return "; ".join(parts) + " (section 8)"


_COUNTED = (("speed", "speed change", "speed changes"), ("paused", "pause", "pauses"),
            ("stopped", "stop", "stops"), ("restarted", "resume of the run folder", "resumes of the run folder"),
            ("ended", "early end by the facilitator", "early ends by the facilitator"))


def live_clock(events: Iterable[Event], meta: Mapping[str, str], ended: bool) -> LiveClock | None:
    """The clock of a live exercise (None for a batch run: its meta has no ``live``). ``ended``: the journal reaches
    the exercise's end (else it stops where the exercise was last committed)."""
    try:
        speed = float(json.loads(meta["live"])["speed"])
    except (KeyError, TypeError, ValueError):
        return None
    rows = [e for e in events if e.kind in KINDS]
    end = "when the exercise ended" if ended else "where the journal stops"
    changes: list[ClockChange] = []
    for n, e in enumerate(rows):
        later = rows[n + 1:]
        if e.kind == Kind.SPEED_CHANGED:
            changed = e.fields(SpeedChanged)
            changes.append(ClockChange(seq=e.seq, t=e.t, what="speed", text=f"speed {speed_text(changed.speed)} "
                                                                             f"(was {changed.previous:g}×)"))
        elif e.kind == Kind.PAUSED:
            at_start = e.fields(Paused).by == STARTED_PAUSED
            text = _paused(e, at_start, n > 0 and rows[n - 1].kind == Kind.RESTARTED, later, end)
            changes.append(ClockChange(seq=e.seq, t=e.t, what="start" if at_start else "paused", text=text))
        elif e.kind == Kind.STOPPED:
            back = next((r for r in later if r.kind == Kind.RESTARTED), None)
            stopped = e.fields(Stopped)
            text = f"stopped unfinished ({stop_cause(stopped.by)}); " + (
                f"carried on {_after(stopped.wall, back.fields(Restarted).wall)}" if back is not None
                else "not carried on: the journal stops here")
            changes.append(ClockChange(seq=e.seq, t=e.t, what="stopped", text=text, by=stopped.by or CTRL_C))
        elif e.kind == Kind.ENDED_EARLY:
            changes.append(ClockChange(seq=e.seq, t=e.t, what="ended",
                                       text="ended early by the facilitator ('end'), before the scenario's end"))
        elif e.kind == Kind.RESTARTED:
            restarted = e.fields(Restarted)
            after_stop = n > 0 and rows[n - 1].kind == Kind.STOPPED
            text = f"carried on with 'ballotdrill resume' at {speed_text(restarted.speed)}" + (
                "" if after_stop else ", from its last commit: the exercise had stopped without a record of stopping "
                                      "(its process was killed with SIGKILL or crashed, or the machine failed)")
            changes.append(ClockChange(seq=e.seq, t=e.t, what="restarted", text=text))
    return LiveClock(speed=speed, changes=changes)


def _paused(e: Event, at_start: bool, restarted: bool, later: list[Event], end: str) -> str:
    """A pause's row: the facilitator's, or the start's own (``--start-paused``, on ``live`` or on ``resume``:
    right after its ``restarted``), and whether and when the clock went on."""
    if at_start:
        how = (("carried on", " again") if restarted else ("started", ""))
        said, went = f"{how[0]} paused (--start-paused), waiting for the facilitator to start it{how[1]}", "started"
    else:
        said, went = "paused by the facilitator", "resumed"
    back = next((r for r in later if r.kind in (Kind.RESUMED, Kind.PAUSED)), None)
    if back is None or back.kind != Kind.RESUMED:
        return f"{said}; still paused {end}"
    return f"{said}; {went} {_after(e.fields(Paused).wall, back.fields(Resumed).wall)}"


def stop_cause(by: str | None) -> str:
    """What stopped a live exercise, in words: ``a Ctrl-C at the facilitator's console`` or ``a termination signal
    (SIGTERM)``; ``by`` None (a journal written before the cause was recorded) is a Ctrl-C."""
    if not by or by == CTRL_C:
        return "a Ctrl-C at the facilitator's console"
    return f"a termination signal ({by})"


def speed_text(speed: float) -> str:
    """``60× (a simulated minute a second)``, ``1× (real time)``, ``600×``."""
    named = {1.0: "real time", 60.0: "a simulated minute a second"}.get(speed)
    return f"{speed:g}×" + (f" ({named})" if named else "")


def _after(start: float | None, end: float | None) -> str:
    """``8 min 20 s later (real time)``, or ``later`` when a wall time is missing."""
    if start is None or end is None:
        return "later"
    return f"{wall_span(end - start)} later (real time)"


def wall_span(seconds: float) -> str:
    """A real-time span: ``0.4 s``, ``45 s``, ``8 min 20 s``, ``2 h 5 min``."""
    seconds = max(0.0, seconds)
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min" + (f" {whole % 60} s" if whole % 60 else "")
    minutes = round(seconds / 60)
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")

