"""Objective measures: the small ``from ... to ...`` language and its parsed form."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

IncidentEvent = Literal["started", "detected", "escalated", "contained", "resolved"]

_EVENT_WORDS: dict[str, IncidentEvent] = {
    "start": "started", "started": "started",
    "detection": "detected", "detected": "detected",
    "escalation": "escalated", "escalated": "escalated",
    "containment": "contained", "contained": "contained",
    "resolution": "resolved", "resolved": "resolved",
}
_STEP_WORDS = {"start": "started", "started": "started", "completion": "completed", "completed": "completed",
               "end": "completed"}

MEASURE_HINT = (
    "write 'from incident N1 start to step publish-debunk'; an incident point is one of "
    f"{', '.join(sorted(set(_EVENT_WORDS)))}; a step point is 'step ID [started|completed] [of incident ID]'"
)


class Point(NamedTuple):
    """A moment in a run: an incident's event, or a step's start or completion within an incident."""

    incident: str
    event: str
    step: str | None = None

    def describe(self) -> str:
        if self.step is None:
            return f"incident {self.incident} {self.event}"
        return f"step {self.step} {self.event} (incident {self.incident})"


class Interval(NamedTuple):
    """The time from one point to another."""

    start: Point
    end: Point


_TOKEN = re.compile(r"\S+")


def parse_interval(text: str) -> Interval:
    """Parse ``from <point> to <point>``; raise ValueError with a hint on anything else."""
    words = _TOKEN.findall(text)
    lowered = [w.lower() for w in words]
    if len(words) < 4 or lowered[0] != "from" or "to" not in lowered[1:]:
        raise ValueError(f"cannot read time measure {text!r} ({MEASURE_HINT})")
    split = lowered.index("to", 1)
    start = _parse_point(words[1:split], text)
    end = _parse_point(words[split + 1 :], text)
    incident = start[0] or end[0]
    if incident is None:
        raise ValueError(f"time measure {text!r} names no incident ({MEASURE_HINT})")
    return Interval(Point(start[0] or incident, start[1], start[2]), Point(end[0] or incident, end[1], end[2]))


def _parse_point(words: list[str], text: str) -> tuple[str | None, str, str | None]:
    lowered = [w.lower() for w in words]
    if len(words) >= 3 and lowered[0] == "incident" and len(words) == 3:
        incident_event = _EVENT_WORDS.get(lowered[2])
        if incident_event is None:
            raise ValueError(f"unknown incident point {words[2]!r} in {text!r} ({MEASURE_HINT})")
        return words[1], incident_event, None
    if len(words) >= 2 and lowered[0] == "step":
        step, rest, event = words[1], lowered[2:], "completed"
        if rest and rest[0] in _STEP_WORDS:
            event, rest = _STEP_WORDS[rest[0]], rest[1:]
        if not rest:
            return None, event, step
        if rest[0] == "of":
            tail = words[len(words) - len(rest) + 1 :]
            if tail and tail[0].lower() == "incident":
                tail = tail[1:]
            if len(tail) == 1:
                return tail[0], event, step
    raise ValueError(f"cannot read {' '.join(words)!r} in time measure {text!r} ({MEASURE_HINT})")


MeasureKind = Literal["time", "reach", "voter_minutes", "station_minutes", "votes_lost", "on_time"]
LOWER_IS_BETTER: dict[str, bool] = {
    "time": True, "reach": True, "voter_minutes": True, "station_minutes": True, "votes_lost": True, "on_time": False,
}
