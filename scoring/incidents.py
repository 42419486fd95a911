"""When each incident was detected, first worked on, contained and resolved, and the run's clock: collectors fed
journal events once, in ``seq`` order.

Per incident: minutes from its start to detection, to the first step started, to containment and to
resolution (None when it never happened in the run), with who detected and contained it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from ballotdrill.journal import Contained, Escalated, Event, IncidentStarted, RunStarted
from ballotdrill.journal.kinds import (
    CONTAINED,
    DETECTED,
    ESCALATED,
    INCIDENT_STARTED,
    RESOLVED,
    RUN_ENDED,
    RUN_STARTED,
    STEP_STARTED,
)
from ballotdrill.journal.packed import Packed
from ballotdrill.scoring.feed import DecodedHandlers, Handlers, RowHandlers, feed_all
from ballotdrill.scoring.measured import IncidentMeasure
from ballotdrill.scoring.model import IncidentTimes, r3, unchecked

_new: Any = tuple.__new__


class RunInfo(NamedTuple):
    """``run_started``'s fields (None where the journal has none), with ``last_t`` the last event's t."""

    scenario: str
    seed: int | None
    start: float | None
    end: float | None
    until: float | None
    last_t: float


class RunClock:
    """The run's ``run_started`` fields (the first such row), its last ``run_ended`` and its latest t.

    ``last_t`` is kept by the scorer, which sees every event (not only the kinds handled here).
    """

    def __init__(self) -> None:
        self.started: RunStarted | None = None
        self.ended_t: float | None = None
        self.last_t = 0.0

    def handlers(self) -> Handlers:
        return {RUN_STARTED: self._started, RUN_ENDED: self._ended}

    def _started(self, event: Event) -> None:
        if self.started is None:
            self.started = event.fields(RunStarted)

    def _ended(self, event: Event) -> None:
        self.ended_t = float(event.t)

    @property
    def start(self) -> float:
        """Clock minutes of t = 0 (0 without a ``run_started`` row)."""
        return float(self.started.start or 0.0) if self.started is not None else 0.0

    def info(self) -> RunInfo:
        started = self.started
        if started is None:
            return RunInfo("", None, 0.0, None, None, self.last_t)
        return RunInfo(started.scenario if started.scenario is not None else "", started.seed,
                       started.start if started.start is not None else 0.0, started.end, started.until,
                       self.last_t)

    def until(self) -> float:
        """Where the run stopped: ``run_ended``'s t; without one (killed, interrupted, still playing) its last row's
        t, which is as far as the journal knows it played (not where it was to stop)."""
        return self.ended_t if self.ended_t is not None else float(self.last_t)


class _First(NamedTuple):
    """The first row of one kind for an incident: what timing and evidence need of it."""

    seq: int
    t: float
    actor: str | None
    how: str | None = None


class _Incident:
    """What is known of one incident so far."""

    __slots__ = ("background", "escalations", "firsts", "start")

    def __init__(self) -> None:
        self.start: tuple[Event, IncidentStarted] | None = None
        self.background = False
        """Whether the incident is an arrival of a background inject (:attr:`IncidentMeasure.background`), decided
        at its start."""
        self.firsts: dict[str, _First] = {}
        self.escalations: list[str] = []

    @property
    def resolved(self) -> bool:
        """Whether the incident was resolved (:attr:`IncidentMeasure.to_resolve` is not None)."""
        return RESOLVED in self.firsts

    def times(self, incident: str) -> IncidentTimes:
        return unchecked(IncidentTimes, self.measure(incident)._asdict())  # validated again if kept

    def measure(self, incident: str) -> IncidentMeasure:
        """The incident's fields as its :class:`IncidentTimes` holds them, without building the record."""
        assert self.start is not None
        start, data = self.start
        t0 = start.t
        firsts = self.firsts
        rows = [start.seq]
        to: dict[str, float | None] = dict.fromkeys(_TIMED)
        for kind, first in firsts.items():  # each kind's first row: its time from the start, and the row
            rows.append(first.seq)
            if kind in to:
                took = first.t - t0
                to[kind] = r3(took) if took else 0.0  # as r3(0.0): detected or worked on at the start, often
        detected, contained = firsts.get(DETECTED), firsts.get(CONTAINED)
        rows.sort()
        measured: IncidentMeasure = _new(IncidentMeasure, (  # without its Python-level __new__
            incident, str(data.type or ""), str(data.title or ""), int(data.severity or 0), str(data.inject or ""),
            self.background, r3(t0), detected.actor if detected else None,
            to[DETECTED], to[STEP_STARTED], to[CONTAINED], to[RESOLVED],
            contained.actor if contained else None, contained.how if contained else None,
            list(self.escalations), rows,
        ))
        return measured


_TIMED = (DETECTED, STEP_STARTED, CONTAINED, RESOLVED)
"""Kinds whose first row's time from the incident's start is measured."""


def is_background(incident: str, started: IncidentStarted) -> bool:
    """Whether an incident is an arrival of a background (``every:``) inject: its id is ``INJECT-n``."""
    return bool(started.inject) and incident.startswith(f"{started.inject}-")


class IncidentCollector:
    """Time to detect, first action, contain and resolve of every incident (the first row of each kind).

    ``follow`` (the incidents an objective names): a background arrival not among them is *counted only*, its
    rows after its start unread but whether it was resolved (:attr:`counted`: what a sweep's totals read of it);
    None follows every incident.
    """

    def __init__(self, follow: frozenset[str] | None = None) -> None:
        self.incidents: dict[str, _Incident] = {}
        self.order: dict[str, int] = {}
        """Incidents in the order they started, each with its ordinal (the n-th to start)."""
        self.started = 0
        self.follow = follow
        self.counted: dict[str, bool] = {}
        """The incidents counted only (with ``follow``): whether each was resolved."""

    def handlers(self) -> Handlers:
        return {DETECTED: self._first, RESOLVED: self._first, ESCALATED: self._escalated}

    def decoded_handlers(self) -> DecodedHandlers:
        return {INCIDENT_STARTED: self._started, CONTAINED: self._contained}

    def row_handlers(self) -> RowHandlers:
        return {STEP_STARTED: self._step_started}

    def background_inject(self, incident: str) -> str | None:
        """The inject of ``incident`` if it is a background arrival (None: it is not, it has not started, or it was
        let go), read from its ``incident_started`` as decoded once."""
        found = self.incidents.get(incident)
        if found is None or found.start is None or not found.background:
            return None
        return str(found.start[1].inject or "")

    def _get(self, event: Event) -> _Incident | None:
        incident = event.incident
        if incident is None:
            return None
        found = self.incidents.get(incident)
        if found is None:
            if incident in self.counted:  # counted only: nothing of it is kept but whether it was resolved
                if event.kind == RESOLVED:
                    self.counted[incident] = True
                return None
            found = self.incidents[incident] = _Incident()
        return found

    def _started(self, event: Event, started: IncidentStarted) -> None:
        inc = self._get(event)
        if inc is not None and inc.start is None:
            incident = event.incident or ""
            self.order[incident] = self.started
            self.started += 1
            background = is_background(incident, started)
            follow = self.follow
            if follow is not None and incident not in follow and background:
                del self.incidents[incident]
                self.counted[incident] = RESOLVED in inc.firsts
                return
            inc.start, inc.background = (event, started), background

    def _first(self, event: Event, how: str | None = None) -> None:
        # an incident known: one call fewer (None is no key: _get says what then)
        inc = self.incidents.get(event.incident) or self._get(event)  # type: ignore[arg-type]
        if inc is not None and event.kind not in inc.firsts:
            inc.firsts[event.kind] = _new(_First, (event.seq, event.t, event.actor, how))  # without its Python __new__

    def _contained(self, event: Event, contained: Contained) -> None:
        self._first(event, str(contained.how))

    def _step_started(self, seq: int, row: Packed) -> None:
        incident = row[2]
        if incident is None:
            return
        found = self.incidents.get(incident)
        if found is None:
            if incident in self.counted:
                return
            found = self.incidents[incident] = _Incident()
        if STEP_STARTED not in found.firsts:
            found.firsts[STEP_STARTED] = _new(_First, (seq, row[0], row[3], None))

    def _escalated(self, event: Event) -> None:
        inc = self._get(event)
        if inc is not None:
            inc.escalations.append(str(event.fields(Escalated).to or ""))
            if ESCALATED not in inc.firsts:
                inc.firsts[ESCALATED] = _First(event.seq, event.t, event.actor)

    def results(self) -> list[IncidentTimes]:
        """Every incident that started (and was not taken out with :meth:`pop`, nor counted only), in start order."""
        return [times for _, times in self.numbered()]

    def numbered(self) -> list[tuple[int, IncidentTimes]]:
        """:meth:`results`, each with its start ordinal."""
        incidents = self.incidents
        return [(n, incidents[i].times(i)) for i, n in self.order.items() if i in incidents]

    def pop(self, incident: str) -> tuple[int, IncidentMeasure]:
        """Take a started incident out, with its start ordinal and its fields (no record built): what is known of it
        is final."""
        n = self.order.pop(incident)
        return n, self.incidents.pop(incident).measure(incident)


def incident_times(events: Iterable[Event]) -> list[IncidentTimes]:
    """Time to detect, first action, contain and resolve for every incident, in start order."""
    collector = IncidentCollector()
    feed_all(collector, events)
    return collector.results()
