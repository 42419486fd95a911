"""The harm of the incidents still open where a journal stops without a ``run_ended`` row.

A run that did not finish (killed, interrupted while it played) has no ``run_ended`` row, which
is where the engine records the harm of the incidents still open. That harm is worked out from
the rows instead, as the engine counts it (``IncidentState.harm``): a wave's reach from its
``incident_started`` row (initial, doubling time, cap), the mitigations' share of its growth
(``mitigated``, multiplied as the engine does) and every slowing (``wave_slowed``, which records
the doubling time it set), replayed on the engine's own :class:`~ballotdrill.scenarios.waves.Wave`
(:func:`~ballotdrill.scoring.wavecap.replayed`); voter- and station-minutes while its polls were open
(``run_started``: when they open and when each way of voting closes; ``voting_extended``). Only incidents
still open are kept (a ``contained`` row lets one go).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ballotdrill.journal import Event, IncidentStarted, RunStarted, VotingExtended
from ballotdrill.journal.kinds import CONTAINED, INCIDENT_STARTED, MITIGATED, RUN_STARTED, VOTING_EXTENDED, WAVE_SLOWED
from ballotdrill.scenarios.scenario import Reach
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.growth import poll_minutes, reach_of
from ballotdrill.scoring.wavecap import mitigated, replayed, slowed_by

__all__ = ["OpenHarm"]


class _Open(NamedTuple):
    """What one open incident's harm depends on."""

    start: float
    reach: Reach | None
    voters: int
    stations: int
    throughput: float
    polls: tuple[float, float]
    growth: float = 1.0
    """The mitigations' shares of its wave's growth rate, multiplied."""
    slowed: tuple[tuple[float, float], ...] = ()
    """``(t, doubling time set then)`` of each ``wave_slowed`` row (``math.inf``: it stopped growing)."""


class OpenHarm:
    """For every incident not yet contained: the harm it has done by a given time (:meth:`at`)."""

    def __init__(self) -> None:
        self._polls: tuple[float, float] = (-math.inf, math.inf)
        self._closes: dict[str, float] = {}
        self._open: dict[str, _Open] = {}

    def handlers(self) -> Handlers:
        return {RUN_STARTED: self._run_started, INCIDENT_STARTED: self._started, MITIGATED: self._mitigated,
                WAVE_SLOWED: self._slowed, VOTING_EXTENDED: self._extended, CONTAINED: self._contained}

    def _run_started(self, event: Event) -> None:
        started = event.fields(RunStarted)
        if started.polls:
            self._polls = (float(started.polls[0]), float(started.polls[1]))
        self._closes = {str(k): float(v) for k, v in (started.closes or {}).items()}

    def _started(self, event: Event) -> None:
        if event.incident is None:
            return
        spec = event.fields(IncidentStarted)
        opened, closed = self._polls
        if spec.voting is not None:
            closed = self._closes.get(spec.voting, closed)
        self._open[event.incident] = _Open(event.t, reach_of(spec.reach), int(spec.voters or 0),
                                           int(spec.stations or 0), float(spec.throughput or 0.0), (opened, closed))

    def _mitigated(self, event: Event) -> None:
        found = self._open.get(event.incident or "")
        if found is not None:
            self._open[str(event.incident)] = found._replace(growth=mitigated(found.growth, event))

    def _slowed(self, event: Event) -> None:
        found = self._open.get(event.incident or "")
        if found is not None:
            self._open[str(event.incident)] = found._replace(slowed=slowed_by(found.slowed, event))

    def _extended(self, event: Event) -> None:
        found, row = self._open.get(event.incident or ""), event.fields(VotingExtended)
        if found is not None and row.keeps(event.t):
            self._open[str(event.incident)] = found._replace(polls=(found.polls[0], float(row.until)))

    def _contained(self, event: Event) -> None:
        self._open.pop(event.incident or "", None)

    def at(self, t: float) -> dict[str, dict[str, float]]:
        """Per incident not contained, with some harm: its harm by ``t``, as the engine's ``run_ended`` row records
        it."""
        return {incident: harm for incident, inc in self._open.items() if (harm := _harm(inc, t))}


def _harm(inc: _Open, t: float) -> dict[str, float]:
    harm: dict[str, float] = {}
    if inc.reach is not None:
        harm["reach"] = replayed(inc.reach, inc.start, inc.growth, inc.slowed).reach(t)
    minutes = poll_minutes(inc.voters, inc.stations * (1.0 - inc.throughput), inc.start, inc.polls, t)
    if inc.voters:
        harm["voter_minutes"] = minutes.voter_minutes
    if inc.stations:
        harm["station_minutes"] = minutes.station_minutes
    return harm
