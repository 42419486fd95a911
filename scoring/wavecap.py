"""When an incident's wave reached its cap, replayed from the journal's rows.

A wave that has reached its cap reaches nobody more, whatever the response does: a delay after that moment
added no reach. The moment is worked out as the engine grows the wave (:class:`~ballotdrill.scenarios.waves.Wave`):
from its ``incident_started`` row (initial, doubling time, cap), the mitigations' share of its growth
(``mitigated``, multiplied) and every slowing (``wave_slowed``, the doubling time it set) — the same replay
:mod:`~ballotdrill.scoring.openharm` makes of an open incident's reach (:func:`replayed`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ballotdrill.journal import Event, IncidentStarted, Mitigated, WaveSlowed
from ballotdrill.journal.kinds import INCIDENT_STARTED, MITIGATED, WAVE_SLOWED
from ballotdrill.scenarios.scenario import Reach
from ballotdrill.scenarios.structure import Effect
from ballotdrill.scenarios.waves import Wave
from ballotdrill.scoring.feed import DecodedHandlers, Handlers
from ballotdrill.scoring.growth import reach_of

__all__ = ["WaveCaps", "WaveStart", "cap_reached", "mitigated", "replayed", "slowed_by", "slowed_from_start",
           "wave_starts"]


def replayed(reach: Reach, start: float, growth: float, slowed: Iterable[tuple[float, float]]) -> Wave:
    """An incident's wave as the engine grew it: started at ``start`` with the mitigations' share of its growth
    (``growth``, multiplied), then each ``(t, doubling time set then)`` slowing (``math.inf``: it stopped)."""
    wave = Wave(reach, start, growth)
    for since, doubling in slowed:
        wave.slow(since, doubling=doubling)
    return wave


def mitigated(growth: float, event: Event) -> float:
    """The mitigations' share of a wave's growth rate after a ``mitigated`` row (multiplied, as the engine does;
    recorded at the mitigation's start, before its wave grew)."""
    share = event.fields(Mitigated).growth
    return growth if share is None else growth * share


def slowed_by(slowed: tuple[tuple[float, float], ...], event: Event) -> tuple[tuple[float, float], ...]:
    """A wave's slowings after a ``wave_slowed`` row: ``(t, doubling time set then)``, ``math.inf`` if it stopped."""
    doubling = event.fields(WaveSlowed).doubling
    return (*slowed, (event.t, math.inf if doubling is None else float(doubling)))


def cap_reached(wave: Wave) -> float | None:
    """t when ``wave`` first reached its cap as the engine counts it (its truncated reach equal to the cap; None: it
    never does, at the rates it was given): each segment's crossing of one below the cap by the engine's own
    :meth:`~ballotdrill.scenarios.waves.Wave.crossing`, never the logarithm's exact solution, which can land a
    rounding error before the reach gets there."""
    ends = [since for since, _, _ in wave.segments[1:]] + [math.inf]
    for count, ((since, _, _), end) in enumerate(zip(wave.segments, ends, strict=True), 1):
        delay = _until(wave, count).crossing(wave.cap - 1, since)
        if delay is not None and since + delay <= end:
            return since + delay
    return None


def _until(wave: Wave, count: int) -> Wave:
    """``wave`` with its first ``count`` segments only: as it grew before its next slowing."""
    part = copy.copy(wave)
    part.segments = wave.segments[:count]
    return part


class _Course(NamedTuple):
    start: float
    reach: Reach
    growth: float = 1.0
    slowed: tuple[tuple[float, float], ...] = ()


class WaveCaps:
    """Per incident with a wave, its course from the rows, until :meth:`capped_at` takes it."""

    def __init__(self) -> None:
        self._courses: dict[str, _Course] = {}

    def handlers(self) -> Handlers:
        return {MITIGATED: self._mitigated, WAVE_SLOWED: self._slowed}

    def decoded_handlers(self) -> DecodedHandlers:
        return {INCIDENT_STARTED: self._started}

    def _started(self, event: Event, started: IncidentStarted) -> None:
        reach = reach_of(started.reach)
        if reach is not None and event.incident is not None:
            self._courses[event.incident] = _Course(event.t, reach)

    def _mitigated(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        if course is not None:
            self._courses[str(event.incident)] = course._replace(growth=mitigated(course.growth, event))

    def _slowed(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        if course is not None:
            self._courses[str(event.incident)] = course._replace(slowed=slowed_by(course.slowed, event))

    def capped_at(self, incident: str, until: float) -> float | None:
        """t when ``incident``'s wave reached its cap, if it did by ``until`` (None otherwise, or it has no wave);
        its course is let go (each incident is asked once, when it is folded in)."""
        course = self._courses.pop(incident, None)
        if course is None:
            return None
        t = cap_reached(replayed(course.reach, course.start, course.growth, course.slowed))
        return t if t is not None and t <= until else None


class WaveStart(NamedTuple):
    """How an incident's wave began: when, as specified, and the mitigations' share of its growth."""

    start: float
    reach: Reach
    growth: float = 1.0


def wave_starts(events: Iterable[Event]) -> dict[str, WaveStart]:
    """Per incident with a wave among ``events`` (its ``incident_started`` and ``mitigated`` rows), how it began."""
    out: dict[str, WaveStart] = {}
    for event in events:
        incident = event.incident
        if incident is None:
            continue
        if event.kind == INCIDENT_STARTED:
            reach = reach_of(event.fields(IncidentStarted).reach)
            if reach is not None:
                out[incident] = WaveStart(event.t, reach)
        elif event.kind == MITIGATED and incident in out:
            out[incident] = out[incident]._replace(growth=mitigated(out[incident].growth, event))
    return out


def slowed_from_start(began: WaveStart, effects: Sequence[Effect], at: float) -> int:
    """The people the wave would have reached by ``at`` had every slowing of ``effects`` (its procedures' slowing
    steps) taken hold the moment it began: the least any slowing by those steps could have let it reach."""
    wave = Wave(began.reach, began.start, began.growth)
    for effect in effects:
        wave.slow(began.start, doubling=effect.doubling, growth=effect.growth)
    return wave.reach(at)
