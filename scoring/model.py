"""The scores of one run: frozen pydantic models, JSON-serialisable and stable.

Times are minutes (floats, rounded to 3 decimals); ``at`` fields are minutes since the scenario's start (journal
``t``). Every record carries ``evidence``: the journal ``seq`` numbers of the rows it was derived from.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from ballotdrill.journal.rounding import r3 as r3
from ballotdrill.journal.rounding import r3n as r3n
from ballotdrill.scoring.building import F as F
from ballotdrill.scoring.building import checked as checked
from ballotdrill.scoring.building import unchecked as unchecked

EVIDENCE_ROWS = 2000
"""Journal rows named as evidence by one record that would otherwise grow with the run (a channel's failed
attempts, an on-time share's steps); its counts still count every one."""

Rating = Literal["P", "S", "M", "U", "NE"]
"""HSEEP's P, S, M, U (simulated bands), and NE: not exercised in the played window."""


class Frozen(BaseModel):
    """Base of every score record: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class IncidentTimes(Frozen):
    """How fast one incident was handled (minutes from its start; None: never)."""

    incident: str
    type: str = ""
    title: str = ""
    severity: int = 0
    inject: str = ""
    background: bool = False
    started_at: float
    detected_by: str | None = None
    to_detect: float | None = None
    to_first_action: float | None = None
    to_contain: float | None = None
    to_resolve: float | None = None
    contained_by: str | None = None
    contained_how: str | None = None
    """``effect`` (a step contained it), ``completed`` (its procedures all completed) or ``ended`` (by itself)."""
    escalations: list[str] = []
    evidence: list[int] = []


StepStatus = Literal["completed", "in_progress", "queued"]
"""Where a step instance stood when the run stopped."""

HandoffStatus = Literal["received", "dropped", "in_transit"]
"""Where a handoff stood when the run stopped (``in_transit``: still travelling, not dropped)."""


class StepResult(Frozen):
    """One step instance: completed, or still in progress or queued when the run stopped.

    For a step still open at the end, ``elapsed`` and ``wait`` run to the end of the run, and
    ``on_time`` is False once its target has passed (None while it still could make it).
    """

    incident: str
    procedure: str
    step: str
    actor: str
    queued_at: float | None = None
    started_at: float | None = None
    completed_at: float | None = None
    wait: float | None = None
    elapsed: float | None = None
    target: float | None = None
    late_by: float | None = None
    on_time: bool | None = None
    deadline: float | None = None
    deadline_met: bool | None = None
    basis: str = ""
    unstaffed: bool = False
    status: StepStatus = "completed"
    evidence: list[int] = []


class Handoff(Frozen):
    """One handoff: from the first attempt to receipt, drop, or the end of the run.

    A handoff still travelling at the end is ``in_transit`` (never "dropped"); ``overdue``
    when it had travelled longer than its channel's usual latency (its 90th percentile).
    """

    incident: str
    procedure: str
    step: str
    sender: str
    receiver: str
    first_channel: str | None = None
    channel: str | None = None
    sent_at: float
    received_at: float | None = None
    latency: float | None = None
    attempts: int = 1
    failures: int = 0
    status: HandoffStatus = "received"
    in_transit_for: float | None = None
    usual_latency: float | None = None
    overdue: bool = False
    rerouted: bool = False
    ping_pong: bool = False
    returned: str = ""
    """Why a ping-pong handoff is off the designed path (e.g. the decision that looped back)."""
    unstaffed: bool = False
    evidence: list[int] = []


class ChannelStats(Frozen):
    """Attempts and failures on one channel (``direct`` for a handoff without one)."""

    channel: str
    attempts: int = 0
    failures: int = 0
    drops: int = 0
    mean_latency: float | None = None
    evidence: list[int] = []
    capacity: int | None = None
    """Attempts the channel carries at once (None: any number); the fields below count only with one."""
    peak_occupancy: int | None = None
    """The most lines in use at once."""
    waited: int = 0
    """Attempts that found every line in use and waited for one."""
    longest_line_wait: float | None = None
    busy: int = 0
    """Attempts that found every line in use and failed at once."""
    failures_under_load: int = 0
    """Failed attempts load made likelier: every line busy, or more than half in use on a channel whose reliability
    falls as they fill (``reliability_at_capacity``)."""


class HandoffSummary(Frozen):
    """Counts over every handoff of the run."""

    total: int = 0
    received: int = 0
    failed_attempts: int = 0
    reroutes: int = 0
    ping_pongs: int = 0
    drops: int = 0
    in_transit: int = 0
    overdue: int = 0
    unstaffed: int = 0
    mean_latency: float | None = None
    per_incident: dict[str, int] = {}


class HourLoad(Frozen):
    """Busy and on-duty staff-minutes of one actor in one clock hour."""

    hour: int
    busy: float
    on_duty: float
    starts: int = 0


class ActorLoad(Frozen):
    """How loaded one actor was.

    Queue waits include work still queued when the run stopped (waited until the end), so a
    queue that never cleared shows; ``queued_at_end`` counts that work.
    """

    actor: str
    name: str
    steps: int = 0
    busy_minutes: float = 0.0
    on_duty_minutes: float = 0.0
    utilisation: float | None = None
    """Busy staff-minutes while on duty / on-duty staff-minutes (at most 1)."""
    off_duty_minutes: float = 0.0
    """Busy staff-minutes beyond the staff on duty at each moment: work that ran past a shift's end."""
    wait_mean: float | None = None
    wait_p90: float | None = None
    wait_max: float | None = None
    longest_queue: int = 0
    queued_at_end: int = 0
    waited: int = 0
    """Pieces of work that waited in its queue (started after a wait, or still queued at the end)."""
    busiest_hour: int | None = None
    busiest_hour_starts: int = 0
    unstaffed_queued: int = 0
    hours: list[HourLoad] = []
    evidence: list[int] = []


class Harm(Frozen):
    """Harm done by one incident until containment (or the end of the run if still open)."""

    incident: str
    reach: float = 0.0
    voter_minutes: float = 0.0
    station_minutes: float = 0.0
    open: bool = False
    evidence: list[int] = []
    votes_lost: float | None = None
    """Its voters still held up when its polling stations closed (:mod:`~ballotdrill.scoring.voteslost`), for an
    incident a ``votes_lost`` objective measures; None (left out of the JSON) for the others, or not known yet."""
    polls: tuple[float, float] | None = None
    """When its polls opened and closed (:mod:`~.pollwindow`); None (left out): it keeps nobody from voting."""

    @model_serializer(mode="wrap")
    def _without_unmeasured_votes(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("votes_lost", "polls"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    @property
    def nonzero(self) -> bool:
        """Whether the incident did any harm (reach, voter-minutes, station-minutes or votes lost)."""
        return bool(self.reach or self.voter_minutes or self.station_minutes or self.votes_lost)


class ObjectiveResult(Frozen):
    """An objective's measured value against its target, with its HSEEP rating."""

    id: str
    capability: str
    description: str = ""
    kind: str
    subject: str
    target: float
    target_text: str
    value: float | None = None
    """The measured value, in ``unit``: the time or share measured; the harm done, also for one rated U (never
    contained, or ended by itself past the target: the harm it was judged on); for a time to the containment of an
    incident that ended by itself, the time until it did; for a time to a containing step done only after its
    incident had ended by itself, the time to that step (the rating judged the incident's end, ``value_text``). None
    when nothing was measured: the subject never happened, the end point never came, or a harm objective was not
    exercised (``value_text`` says what it was)."""
    unit: str = ""
    """``value``'s unit: ``min``, ``share`` (0..1), ``people``, ``voter-min``, ``station-min`` or ``votes``."""
    value_text: str = ""
    lower_is_better: bool = True
    rating: Rating
    reason: str
    evidence: list[int] = []
    measured: str = ""
    """The measure as played when it was carried onto an incident continuing its subject's, which ended by itself
    (``subject`` with that incident's id in place of the one that ended: ``E1R``, ``from incident E1R start to
    ...``); empty when measured on its subject. Left out of the JSON when empty."""
    unexercised: str = Field(default="", exclude=True)
    """Why one rated NE was not exercised (a key of :data:`~ballotdrill.scoring.exercised.UNEXERCISED`), for a
    sweep's count of its runs; never in the JSON (its reason says it in words)."""

    @model_serializer(mode="wrap")
    def _without_empty_measured(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("measured"):
            data.pop("measured", None)
        return data

    @property
    def as_measured(self) -> ObjectiveResult:
        """This objective with ``subject`` the measure as played (itself when measured on its subject)."""
        return self.model_copy(update={"subject": self.measured, "measured": ""}) if self.measured else self


class Spread(Frozen):
    """How one time was spread over background arrivals: count of those that got that far, median, p90, max."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    max: float | None = None


class ArrivalStats(Frozen):
    """Every background arrival of one inject (or of one incident type), counted and summarised.

    ``open_at_end``: not contained when the run stopped; ``worked_on``: a step of it started.
    Times in minutes from each arrival's start; harm summed over all arrivals.
    """

    key: str
    title: str = ""
    type: str = ""
    arrivals: int = 0
    open_at_end: int = 0
    worked_on: int = 0
    detect: Spread = Spread()
    first_action: Spread = Spread()
    contain: Spread = Spread()
    resolve: Spread = Spread()
    reach: float = 0.0
    voter_minutes: float = 0.0
    station_minutes: float = 0.0
    steps: int = 0
    steps_with_target: int
    """The steps whose target was judged (met, or missed by the end): the ones ``late_steps`` is a share of, as in
    the run's "late steps N of M with a target" (required: scores made before it was counted are scored again)."""
    late_steps: int = 0
    deadlines_missed: int = 0
    handoffs: int = 0
    failed_attempts: int = 0
    drops: int = 0
    worst_contain: str | None = None
    """The earliest arrival still open at the end, else the one that took longest to contain."""
    worst_harm: str | None = None
    """The arrival that did the most harm (reach + voter-minutes + station-minutes), if any did."""


class ActorArrivals(Frozen):
    """Background arrivals' work at one actor: steps, late steps and queue waits."""

    actor: str
    steps: int = 0
    steps_with_target: int
    """The steps whose target was judged (met, or missed by the end): the ones ``late_steps`` is a share of."""
    late_steps: int = 0
    wait: Spread = Spread()


class Background(Frozen):
    """Background arrivals as aggregates, and how many of them are listed one by one.

    Scripted incidents are always listed in full; background arrivals up to ``cap`` per inject
    (in start order) plus each inject's worst cases (longest to contain, most harm). Every
    arrival is counted in ``injects``, ``types`` and ``actors`` whatever was listed.
    """

    cap: int = 0
    arrivals: int = 0
    listed: int = 0
    injects: list[ArrivalStats] = []
    types: list[ArrivalStats] = []
    actors: list[ActorArrivals] = []

    @property
    def capped(self) -> bool:
        """Whether some background arrivals are not listed one by one."""
        return self.listed < self.arrivals

    def note(self) -> str:
        """``N of M background incidents listed; all counted in the aggregates`` (empty when all are listed)."""
        if not self.capped:
            return ""
        return (f"{self.listed:,} of {self.arrivals:,} background incidents listed (up to {self.cap:,} per inject "
                "and the worst cases); all counted in the aggregates")


class DecisionWait(Frozen):
    """A decision put to a player: the minutes its step waited for the answer, or for its timeout when nobody gave
    one (a delay of its own)."""

    incident: str
    procedure: str
    step: str
    requested_at: float
    made_at: float
    timed_out: bool = False
    """Nobody answered: its timeout applied the default (the journal's ``decision_made`` row ``by: timeout``)."""
    answered: bool = True
    """False: still waiting for its answer when the run stopped (``made_at`` is then the stop). Left out of the JSON
    when True."""

    @model_serializer(mode="wrap")
    def _without_answered(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("answered", True):
            data.pop("answered", None)
        return data


class DecisionTally(Frozen):
    """The decisions put to one played actor in a live exercise: how many, and how many were left to their timeout."""

    actor: str
    put: int = 0
    timed_out: int = 0
    steps: list[str] = []
    """The decision steps that timed out, in the order they first did."""
    evidence: list[int] = []
    """Rows of the timeouts (the first 20)."""
    waits: list[DecisionWait] = []
    """Each decision's wait, from its request to its answer (or to the default applied at its timeout)."""


class Totals(Frozen):
    """Run-wide counts, for comparing runs at a glance."""

    incidents: int = 0
    open_incidents: int = 0
    steps_completed: int = 0
    steps_open: int = 0
    steps_with_target: int = 0
    late_steps: int = 0
    late_unreached: int = 0
    """Of ``late_steps``, those the work had not reached when the run stopped, past their target (:mod:`.unarrived`)."""
    deadlines_missed: int = 0
    handoffs: int = 0
    handoff_failures: int = 0
    drops: int = 0
    in_transit: int = 0
    reroutes: int = 0
    ping_pongs: int = 0
    unstaffed_queued: int = 0
    decisions: int = 0
    decisions_defaulted: int = 0
    on_time: float | None = None
    reach: float = 0.0
    voter_minutes: float = 0.0
    station_minutes: float = 0.0


class Scores(Frozen):
    """Every measure and rating of one run."""

    scenario: str
    seed: int | None = None
    start: float = 0.0
    end: float | None = None
    until: float | None = None
    incidents: list[IncidentTimes] = []
    steps: list[StepResult] = []
    handoffs: list[Handoff] = []
    handoff_summary: HandoffSummary = HandoffSummary()
    channels: list[ChannelStats] = []
    load: list[ActorLoad] = []
    harm: list[Harm] = []
    objectives: list[ObjectiveResult] = []
    totals: Totals = Totals()
    background: Background = Background()
    """Background arrivals as aggregates (per inject, incident type, actor) and how many are listed above."""
    decisions: list[DecisionTally] = []
    """Decisions put to players (live play only), per played actor."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, two-space indent, trailing newline."""
        return dumps(self.to_dict())


def dumps(data: Any) -> str:
    """Stable JSON text for reports: sorted keys, UTF-8, a trailing newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
