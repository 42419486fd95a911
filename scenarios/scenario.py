"""Scenarios: incidents, the MSEL of injects, objectives; and the whole file."""

from datetime import date
from typing import Annotated, ClassVar, Literal, cast

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from ballotdrill.scenarios.distributions import ZERO, Distribution
from ballotdrill.scenarios.election import Election, Polls, VotingMode, closes_by_mode, polls_window
from ballotdrill.scenarios.measures import LOWER_IS_BETTER, Interval, MeasureKind, parse_interval
from ballotdrill.scenarios.structure import Period, Structure, overlapping
from ballotdrill.scenarios.timefmt import format_clock, format_duration, parse_duration
from ballotdrill.scenarios.types import ClockTime, Duration, Level, Model, Name, Severity

MIN_GAP = 1 / 60
"""Background arrivals without a ``limit`` are at least this far apart on average (one second)."""

IncidentState = Literal["started", "detected", "escalated", "contained", "ended", "resolved"]
"""``ended``: contained because its own ``duration`` ran out (it went away by itself), not by the response."""


class Reach(Model):
    """How far a disinformation wave spreads: it doubles until contained, up to a cap."""

    initial: int = Field(ge=1)
    doubling: Duration = Field(gt=0)
    cap: int = Field(ge=1)

    @model_validator(mode="after")
    def _cap_above_initial(self) -> "Reach":
        if self.cap < self.initial:
            raise ValueError(f"'cap' ({self.cap}) must be at least 'initial' ({self.initial})")
        return self


class Mitigation(Model):
    """How an action taken before an incident changes it when it comes: factors on its duration, detection, growth."""

    action: Name
    duration: float | None = Field(default=None, ge=0.0, le=1.0)
    """Its duration is this share of what it would have been (0.5: a warned target recovers in half the time)."""
    detection: float | None = Field(default=None, ge=0.0, le=1.0)
    """Its detection delay is this share of what it would have been (0: noticed at once)."""
    growth: float | None = Field(default=None, ge=0.0, le=1.0)
    """Its wave grows at this share of its rate (0.5: doubling time twice as long; 0: no growth)."""

    @model_validator(mode="after")
    def _changes_something(self) -> "Mitigation":
        if self.duration is None and self.detection is None and self.growth is None:
            raise ValueError(f"mitigation by '{self.action}' needs 'duration', 'detection' or 'growth' "
                             "(a share, 0 to 1, of the incident's own)")
        return self


class Incident(Model):
    """Something that happens to the election and that the structure must handle."""

    id: Name | None = None
    type: Name
    title: str = ""
    description: str = ""
    severity: Severity = 2
    target: str = ""
    location: str = ""
    level: Level = "municipal"
    duration: Distribution | None = None
    reach: Reach | None = None
    voters: int = Field(default=0, ge=0)
    stations: int = Field(default=0, ge=0)
    throughput: float = Field(default=0.0, ge=0.0, le=1.0)
    """Share of a disrupted station's normal throughput still served (0: closed; 0.9: a minor disruption)."""
    owner: Name | None = None
    """The actor that owns what is attacked (runs the site, the network): does the steps written ``actor: owner``."""
    voting: VotingMode | None = None
    """The way of voting it disrupts: its harm stops when that mode's polls close (else when the last close)."""
    mitigated_by: list[Mitigation] = Field(default=[])
    """Preventive actions: taken before the incident starts, each changes it as it says."""
    continues: Name | None = None
    """The scripted incident this one carries on (a contingency: the attack resumes after it went away by itself).

    An objective about that incident which it left unexercised is measured on this one instead.
    """

    @model_validator(mode="after")
    def _mitigations_fit(self) -> "Incident":
        for m in self.mitigated_by:
            if m.duration is not None and self.duration is None:
                raise ValueError(f"mitigation by '{m.action}' shortens the incident's 'duration', which it does not "
                                 "have; give the incident a 'duration' or drop the mitigation's")
            if m.growth is not None and self.reach is None:
                raise ValueError(f"mitigation by '{m.action}' slows the incident's wave, which it does not have; "
                                 "give the incident a 'reach' or drop the mitigation's 'growth'")
        return self


class RatePeriod(Period):
    """A period of the day in which a background inject arrives ``factor`` times as often (0: not at all)."""

    noun: ClassVar[str] = "profile period"
    factor: float = Field(ge=0.0)


class Detection(Model):
    """Who notices an incident, and how long after it starts."""

    actor: Name
    after: Distribution = ZERO


class Message(Model):
    """A message delivered to an actor (the MSEL's 'from', 'to' and 'message')."""

    to: Name
    text: str
    sender: str = Field(default="", alias="from")


class Action(Model):
    """A spontaneous action taken by an actor, scripted (the SimCell plays it) rather than by a player."""

    actor: Name
    name: Name
    incident: Name | None = None


ENDED_IMPLIES = ("started", "contained", "ended")
"""The states an incident that ended by itself is in, whatever else happened: ``is_not`` one of them and
``ended_before`` cannot both hold."""


class Condition(Model):
    """A test of the run's state that releases a contingency inject."""

    incident: Name
    is_: IncidentState | None = Field(default=None, alias="is")
    is_not: IncidentState | None = None
    level: Level | None = None
    reach_above: int | None = Field(default=None, ge=1)
    before: Name | None = None
    """With ``is``: only while step ``before`` has not completed for the incident (expected play not yet done)."""
    ended_before: Name | None = None
    """The incident went away by itself while step ``ended_before`` had not completed for it: the order as it
    happened, whenever the condition is tested (alone, or with one of the other tests)."""

    @model_validator(mode="after")
    def _one_test(self) -> "Condition":
        given = (("is", self.is_), ("is_not", self.is_not), ("reach_above", self.reach_above))
        tests = [k for k, v in given if v is not None]
        if len(tests) > 1 or (not tests and self.ended_before is None):
            raise ValueError("a condition needs exactly one of 'is', 'is_not', 'reach_above', which 'ended_before' "
                             f"may join or replace (got {tests or 'none'})")
        if self.level is not None and "escalated" not in (self.is_, self.is_not):
            raise ValueError("'level' goes with 'is: escalated' or 'is_not: escalated'")
        if self.before is not None and self.is_ is None:
            raise ValueError("'before' (a step not yet completed) goes with 'is', e.g. "
                             "{incident: D2, is: ended, before: mitigate}")
        if self.ended_before is not None and self.is_not in ENDED_IMPLIES:
            raise ValueError(f"'ended_before' holds only once the incident has ended by itself (so it has started and "
                             f"is contained): with 'is_not: {self.is_not}' the condition can never hold; drop one of "
                             "them")
        return self


class Inject(Model):
    """One MSEL row: at a time, every so often, or when a condition holds."""

    id: Name | None = None
    at: ClockTime | None = None
    every: Distribution | None = None
    start: ClockTime | None = Field(default=None, alias="from")
    end: ClockTime | None = Field(default=None, alias="to")
    limit: int | None = Field(default=None, ge=1)
    profile: list[RatePeriod] | None = Field(default=None, min_length=1)
    when: Condition | None = None
    incident: Incident | None = None
    message: Message | None = None
    action: Action | None = None
    detected_by: Detection | None = None
    expected: str = ""
    notes: str = ""
    questions: list[str] = Field(default=[])
    """Discussion questions put to the played actors when the inject is delivered (answered in free text)."""

    @model_validator(mode="after")
    def _consistent(self) -> "Inject":
        given = [k for k in ("incident", "message", "action") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"an inject needs exactly one of 'incident', 'message' or 'action' (got {given or 'none'})")
        if self.every is not None:
            if self.at is not None or self.when is not None:
                raise ValueError("'every' (background arrivals) cannot be combined with 'at' or 'when'")
            if self.incident is None:
                raise ValueError("'every' needs an 'incident' to repeat")
            if self.limit is None and self.every.mean < MIN_GAP:
                raise ValueError(f"'every' has a mean gap of {format_duration(self.every.mean)} between arrivals, "
                                 "so time would never advance; make the gap at least 1s or give a 'limit'")
        elif self.at is None and self.when is None:
            raise ValueError("an inject needs 'at' (a time), 'every' (a distribution) or 'when' (a condition)")
        elif self.start is not None or self.end is not None or self.limit is not None or self.profile is not None:
            raise ValueError("'from', 'to', 'limit' and 'profile' go with 'every'")
        pair = overlapping([p.window for p in self.profile or []])
        if pair is not None:
            raise ValueError(
                f"profile periods {pair[0] + 1} and {pair[1] + 1} overlap; give each time of day one factor")
        if self.detected_by is not None and self.incident is None:
            raise ValueError("'detected_by' goes with an 'incident'")
        early = [m.action for m in (self.incident.mitigated_by if self.incident else []) if m.detection is not None]
        if early and self.detected_by is None:
            raise ValueError(f"mitigation by '{early[0]}' speeds up detection, but the incident is detected at once "
                             "(no 'detected_by'); give the inject a 'detected_by' or drop the mitigation's 'detection'")
        return self

    @property
    def kind(self) -> str:
        """The MSEL event type: timed, background or contingency."""
        if self.every is not None:
            return "background"
        return "contingency" if self.when is not None else "timed"


class Measure(Model):
    """What an objective measures: exactly one of the keys."""

    time: str | None = None
    reach: Name | None = None
    voter_minutes: Name | None = None
    station_minutes: Name | None = None
    votes_lost: Name | None = Field(default=None, exclude_if=lambda incident: incident is None)
    """Left out of the stored file when not set, so a file measuring no votes lost is stored as before."""
    on_time: Name | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Measure":
        set_keys = [k for k in LOWER_IS_BETTER if getattr(self, k) is not None]
        if len(set_keys) != 1:
            raise ValueError(f"a measure needs exactly one of {', '.join(LOWER_IS_BETTER)} (got {set_keys or 'none'})")
        if self.time is not None:
            parse_interval(self.time)
        return self

    @property
    def kind(self) -> MeasureKind:
        return cast(MeasureKind, next(k for k in LOWER_IS_BETTER if getattr(self, k) is not None))

    @property
    def subject(self) -> str:
        """The time expression, incident id, or procedure id (``all`` for every procedure)."""
        return str(getattr(self, self.kind))

    @property
    def interval(self) -> Interval | None:
        return parse_interval(self.time) if self.time is not None else None


class Objective(Model):
    """An exercise objective: a capability, a measure and its target."""

    id: Name
    capability: str
    description: str = ""
    measure: Measure
    target: str | float

    @model_validator(mode="after")
    def _target_fits_measure(self) -> "Objective":
        kind = self.measure.kind
        if kind == "time":
            if not isinstance(self.target, str):
                raise ValueError(f"the target of a time measure must be a duration such as 90m (got {self.target!r})")
            parse_duration(self.target)
        elif kind == "on_time":
            if isinstance(self.target, str) or not 0 <= self.target <= 1:
                raise ValueError(f"the target of 'on_time' must be a fraction in [0, 1] (got {self.target!r})")
        elif isinstance(self.target, str) or self.target < 0:
            raise ValueError(f"the target of '{kind}' must be a non-negative number (got {self.target!r})")
        return self

    @property
    def target_value(self) -> float:
        """The target in the measure's unit (minutes for a time)."""
        return parse_duration(self.target) if isinstance(self.target, str) else float(self.target)

    @property
    def lower_is_better(self) -> bool:
        return LOWER_IS_BETTER[self.measure.kind]


class Contact(Model):
    """A point of contact for the exercise (the AAR/IP's overview lists them)."""

    name: str = Field(min_length=1)
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


def _iso_date(value: object) -> object:
    if isinstance(value, str) and value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'date' must be a calendar date YYYY-MM-DD, e.g. 2024-06-09 (got {value!r})") from None
        if len(value) != 10:
            raise ValueError(f"'date' must be a calendar date YYYY-MM-DD, e.g. 2024-06-09 (got {value!r})")
    return value


class Scenario(Model):
    """One exercise: a window of time, its MSEL and its objectives."""

    title: str
    description: str = ""
    basis: list[str] = Field(default=[])
    date: Annotated[str, AfterValidator(_iso_date)] = ""
    """The exercise date (election day D), ``YYYY-MM-DD``; shown in the report's overview."""
    location: str = ""
    sponsor: str = ""
    contacts: list[Contact] = Field(default=[])
    start: ClockTime
    end: ClockTime
    polls: Polls | None = None
    election: Election | None = None
    """What is elected, by whom, compulsory or not, and the polling hours per way of voting."""
    roles: dict[Name, Name] = Field(default={}, exclude_if=lambda roles: not roles)
    """The structure's roles this scenario gives to other actors than their defaults (role -> actor)."""
    background_factor: float = Field(default=1.0, gt=0, le=1000)
    """Every background inject arrives this many times as often (gaps divided by it); a load dial for sweeps."""
    injects: list[Inject] = Field(default=[])
    objectives: list[Objective] = Field(default=[])

    @property
    def polls_window(self) -> tuple[float, float]:
        """When the polls open and the last close (clock minutes since 00:00 on day D), the default if not given."""
        return polls_window(self.polls, self.election)

    @property
    def closes(self) -> dict[str, float]:
        """When each way of voting closes (clock minutes since 00:00 on day D)."""
        return closes_by_mode(self.polls, self.election)

    @model_validator(mode="after")
    def _background_time_advances(self) -> "Scenario":
        for inject_id, inj in zip(self.inject_ids(), self.injects, strict=True):
            if inj.every is None or inj.limit is not None:
                continue
            peak = self.background_factor * max([1.0, *(p.factor for p in inj.profile or [])])
            if peak > 0 and inj.every.mean / peak < MIN_GAP:
                raise ValueError(
                    f"background inject '{inject_id}' would arrive on average every "
                    f"{inj.every.mean / peak * 60:.2g}s at its peak (its mean gap over background_factor "
                    f"{self.background_factor:g} and its profile's largest factor), so time would never advance; "
                    "lower the factors or give a 'limit'")
        return self

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: float, info: ValidationInfo) -> float:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"'end' ({format_clock(end)}) must be after 'start' ({format_clock(start)})")
        return end

    def inject_ids(self) -> list[str]:
        """Each inject's MSEL id: its own, or ``I<n>`` by position."""
        return [inj.id or f"I{n}" for n, inj in enumerate(self.injects, start=1)]

    def continuations(self) -> dict[str, list[str]]:
        """Scripted incidents carried on by others (``continues``): incident id -> ids continuing it, in MSEL order."""
        found: dict[str, list[str]] = {}
        for inject_id, inj in zip(self.inject_ids(), self.injects, strict=True):
            if inj.incident is not None and inj.every is None and inj.incident.continues is not None:
                found.setdefault(inj.incident.continues, []).append(inj.incident.id or inject_id)
        return found

    def incident_ids(self) -> dict[str, int]:
        """The id of each scripted (non-background) incident, mapped to its inject's index."""
        ids: dict[str, int] = {}
        for n, (inject_id, inj) in enumerate(zip(self.inject_ids(), self.injects, strict=True)):
            if inj.incident is not None and inj.every is None:
                ids.setdefault(inj.incident.id or inject_id, n)
        return ids


class ScenarioFile(Model):
    """A scenario file: one response structure and the scenarios played against it."""

    version: Literal[1]
    structure: Structure
    scenarios: dict[Name, Scenario] = Field(min_length=1)
    default: Name | None = None

    @property
    def default_scenario(self) -> str:
        """The scenario commands use when none is named."""
        return self.default or next(iter(self.scenarios))
