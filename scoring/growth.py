"""Whether an incident's harm was still growing when the run stopped, for the harm objectives.

An incident still open at the end has done the harm ``run_ended`` records so far. Whether that
is its final figure depends on the measure: a wave's ``reach`` grows until it is contained, stops
growing (a response slowed it to nothing, or a mitigation did before it began) or reaches its
cap; voter- and station-minutes grow while the incident's polling stations are open. An open
incident whose harm no longer grows has done all the harm it will do; one whose harm still grows
may pass the objective's target after the run. Read from the journal's own rows: ``run_started`` (when the
polls close), ``incident_started`` (its wave, voters, stations, way of voting), ``mitigated``,
``wave_slowed``, ``voting_extended``, ``contained`` and ``run_ended``.

An incident that ended by itself after the response slowed its wave or shortened it (``shaped``)
would have done a different harm unslowed: its wave doubling at its ``incident_started`` rate
(no mitigation's share of growth, no slowing) for its whole duration, and its duration the drawn
one before any mitigation's share (the ``mitigated`` rows' ``duration`` factors multiply), its
voter- and station-minutes counted while its polls were open (:meth:`GrowthCollector.unslowed`).
The draw of its duration does not depend on the response, so this is exact, not an estimate.
A ``wave_slowed`` row at the wave's cap changed nothing (it had reached all it could): it does not
count as the response shaping the wave.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import NamedTuple

from ballotdrill.journal import (
    Contained,
    Event,
    IncidentStarted,
    Mitigated,
    RunEnded,
    VotingExtended,
    WaveSlowed,
)
from ballotdrill.journal.kinds import (
    CONTAINED,
    INCIDENT_STARTED,
    MITIGATED,
    RUN_ENDED,
    RUN_STARTED,
    VOTING_EXTENDED,
    WAVE_SLOWED,
)
from ballotdrill.scenarios.scenario import Reach
from ballotdrill.scenarios.waves import Wave
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.pollwindow import Polls


class _Course(NamedTuple):
    """What decides whether one incident's harm still grows."""

    doubling: float
    """Its wave's doubling time now (``math.inf``: it no longer grows, or it has no wave)."""
    cap: float
    closes: float | None
    """t when its polling stations close (None: the journal does not say)."""
    voters: bool
    stations: bool
    """Whether it costs station-minutes (some stations, and less than their full throughput)."""


class _Unslowed(NamedTuple):
    """What one incident would have done left to itself: as it started, before any mitigation or slowing."""

    start: float
    wave: Reach | None
    voters: float
    station_weight: float
    """Stations times the share of their throughput lost."""
    opened: float | None
    """t when the polls open (None: the journal does not say)."""
    duration: float = 1.0
    """The share of its drawn duration it lasted (the mitigations' ``duration`` factors multiplied)."""
    ended: float | None = None
    """t when it ended by itself."""


class GrowthCollector:
    """For the incidents harm objectives measure: which harm each was still doing when the run stopped."""

    def __init__(self, incidents: Collection[str]) -> None:
        self.incidents = incidents
        self._polls = Polls()
        self._courses: dict[str, _Course] = {}
        self._plain: dict[str, _Unslowed] = {}
        self.growing: dict[tuple[str, str], float | None] = {}
        """``(incident, measure)`` for each open incident whose ``reach``, ``voter_minutes`` or
        ``station_minutes`` was still growing at the end (set by ``run_ended``): the wave's doubling time
        then, for ``reach``; None for the minutes (they grow while the polls are open)."""
        self.shaped: dict[str, list[int]] = {}
        """Per incident: the rows where the response slowed its wave or shortened it (``wave_slowed``, and
        ``mitigated`` with a share of its growth or duration)."""

    def handlers(self) -> Handlers:
        if not self.incidents:
            return {}
        return {RUN_STARTED: self._run_started, INCIDENT_STARTED: self._started, MITIGATED: self._mitigated,
                WAVE_SLOWED: self._slowed, VOTING_EXTENDED: self._extended, CONTAINED: self._contained,
                RUN_ENDED: self._ended}

    def _run_started(self, event: Event) -> None:
        self._polls = Polls.of(event)

    def _started(self, event: Event) -> None:
        incident = event.incident
        if incident is None or incident not in self.incidents:
            return
        spec = event.fields(IncidentStarted)
        wave = spec.reach or {}
        closes = self._polls.usual_close(spec)
        self._courses[incident] = _Course(
            float(wave.get("doubling", math.inf)), float(wave.get("cap", math.inf)), closes, bool(spec.voters),
            bool(spec.stations) and (spec.throughput or 0.0) < 1.0)
        self._plain[incident] = _Unslowed(
            event.t, reach_of(wave), float(spec.voters or 0),
            (spec.stations or 0) * (1.0 - (spec.throughput or 0.0)), self._polls.opens)

    def _mitigated(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        mitigated = event.fields(Mitigated)
        growth = mitigated.growth
        if course is not None and (growth is not None or mitigated.duration is not None):
            self.shaped.setdefault(str(event.incident), []).append(event.seq)
        plain = self._plain.get(event.incident or "")
        if plain is not None and mitigated.duration is not None:
            self._plain[str(event.incident)] = plain._replace(duration=plain.duration * mitigated.duration)
        if course is not None and growth is not None:  # a share of the growth rate before the wave began
            doubling = course.doubling / growth if growth > 0 else math.inf
            self._courses[str(event.incident)] = course._replace(doubling=doubling)

    def _slowed(self, event: Event) -> None:
        course = self._courses.get(event.incident or "")
        if course is not None:
            slowed = event.fields(WaveSlowed)
            if slowed.reach < course.cap:  # a wave slowed at its cap had done all the harm it could: nothing shaped
                self.shaped.setdefault(str(event.incident), []).append(event.seq)
            doubling = slowed.doubling
            self._courses[str(event.incident)] = course._replace(
                doubling=math.inf if doubling is None else doubling)

    def _extended(self, event: Event) -> None:
        course, row = self._courses.get(event.incident or ""), event.fields(VotingExtended)
        if course is not None and row.keeps(event.t):
            self._courses[str(event.incident)] = course._replace(closes=row.until)

    def _contained(self, event: Event) -> None:
        plain = self._plain.get(event.incident or "")
        if plain is not None and event.fields(Contained).how == "ended":
            self._plain[str(event.incident)] = plain._replace(ended=event.t)

    def caps(self) -> dict[str, float]:
        """Per incident with a wave: the most people it can reach (its ``cap``)."""
        return {incident: course.cap for incident, course in self._courses.items() if not math.isinf(course.cap)}

    def closes(self) -> dict[str, float]:
        """Per incident costing voter- or station-minutes: t when its polling stations closed (after any extension),
        when the journal says."""
        return {incident: course.closes for incident, course in self._courses.items()
                if course.closes is not None and (course.voters or course.stations)}

    def unslowed(self, until: float) -> dict[str, dict[str, float]]:
        """Per incident that ended by itself after the response slowed or shortened it (``shaped``): the harm it
        would have done by ``until`` (where the run stopped) left to itself, per measure (``reach``, and
        ``voter_minutes``/``station_minutes`` when the journal says when the polls open)."""
        found: dict[str, dict[str, float]] = {}
        for incident in self.shaped:
            plain, course = self._plain.get(incident), self._courses.get(incident)
            if plain is None or course is None or plain.ended is None:
                continue
            end = min(until, plain.start + (plain.ended - plain.start) / plain.duration)
            harm: dict[str, float] = {}
            if plain.wave is not None:
                harm["reach"] = Wave(plain.wave, plain.start).reach(end)
            if plain.opened is not None:
                closes = math.inf if course.closes is None else course.closes
                minutes = poll_minutes(plain.voters, plain.station_weight, plain.start, (plain.opened, closes), end)
                harm["voter_minutes"], harm["station_minutes"] = minutes
            found[incident] = harm
        return found

    def _ended(self, event: Event) -> None:
        growing: dict[tuple[str, str], float | None] = {}
        for incident, harm in (event.fields(RunEnded).harm or {}).items():
            course = self._courses.get(incident)
            if course is None:
                continue
            if "reach" in harm and not math.isinf(course.doubling) and harm["reach"] < course.cap:
                growing[(incident, "reach")] = course.doubling
            polls_open = course.closes is None or event.t < course.closes
            if course.voters and polls_open:
                growing[(incident, "voter_minutes")] = None
            if course.stations and polls_open:
                growing[(incident, "station_minutes")] = None
        self.growing = growing


class PollMinutes(NamedTuple):
    """An incident's voter- and station-minutes (rounded as the engine's ``run_ended`` row records them)."""

    voter_minutes: float
    station_minutes: float


def poll_minutes(voters: float, station_weight: float, start: float, polls: tuple[float, float],
                 end: float) -> PollMinutes:
    """The voter- and station-minutes of an incident from ``start`` to ``end`` while its polls were open (``polls``:
    t when they open and close): ``voters`` voters and ``station_weight`` stations (times the share of their
    throughput lost) kept away each minute, as the engine counts them (``IncidentState.harm``)."""
    lasted = max(0.0, min(end, polls[1]) - max(start, polls[0]))
    return PollMinutes(round(voters * lasted, 3), round(station_weight * lasted, 3))


def reach_of(wave: Mapping[str, float] | None) -> Reach | None:
    """An ``incident_started`` row's wave as the engine's :class:`Reach` (None: it has no wave)."""
    if not wave:
        return None
    return Reach.model_construct(initial=int(wave["initial"]), doubling=float(wave["doubling"]), cap=int(wave["cap"]))
