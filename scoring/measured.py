"""A run's records as their fields alone: named tuples with the fields of the score records, built where the
records' values are worked out (the collectors' ``measure`` methods), so a pass that only counts and sums them (a
sweep) builds no validated record. Each record is built from its twin (``Record(**twin._asdict())``).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, NamedTuple

from ballotdrill.scoring.model import (
    Handoff,
    HandoffStatus,
    Harm,
    IncidentTimes,
    StepResult,
    StepStatus,
)


class IncidentMeasure(NamedTuple):
    """An incident's fields as its :class:`IncidentTimes` holds them, without building the record."""

    incident: str
    type: str
    title: str
    severity: int
    inject: str
    background: bool
    started_at: float
    detected_by: str | None
    to_detect: float | None
    to_first_action: float | None
    to_contain: float | None
    to_resolve: float | None
    contained_by: str | None
    contained_how: str | None
    escalations: list[str]
    evidence: list[int]


IncidentLike = IncidentTimes | IncidentMeasure
"""An incident's times as a record or as its fields alone."""


class StepMeasure(NamedTuple):
    """A step instance's fields as its :class:`StepResult` holds them, without building the record (what the
    run-wide counts and the load read)."""

    incident: str
    procedure: str
    step: str
    actor: str
    queued_at: float | None
    started_at: float | None
    completed_at: float | None
    wait: float | None
    elapsed: float | None
    target: float | None
    late_by: float | None
    on_time: bool | None
    deadline: float | None
    deadline_met: bool | None
    basis: str
    unstaffed: bool
    status: StepStatus
    evidence: list[int]


StepLike = StepResult | StepMeasure
"""A step instance as a record or as its fields alone: the run-wide counts, the on-time shares and the load
read either."""


class HandoffMeasure(NamedTuple):
    """A handoff's fields as its :class:`Handoff` holds them, without building the record (what the run-wide counts
    read)."""

    incident: str
    procedure: str
    step: str
    sender: str
    receiver: str
    first_channel: str | None
    channel: str | None
    sent_at: float
    received_at: float | None
    latency: float | None
    attempts: int
    failures: int
    status: HandoffStatus
    in_transit_for: float | None
    usual_latency: float | None
    overdue: bool
    rerouted: bool
    ping_pong: bool
    returned: str
    unstaffed: bool
    evidence: list[int]


HandoffLike = Handoff | HandoffMeasure
"""A handoff as a record or as its fields alone: the run-wide counts read either."""


class HarmMeasure(NamedTuple):
    """An incident's harm as its :class:`Harm` holds it, without building the record."""

    incident: str
    reach: float = 0.0
    voter_minutes: float = 0.0
    station_minutes: float = 0.0
    open: bool = False
    evidence: list[int] = []  # noqa: RUF012 - a named tuple's default, never mutated
    votes_lost: float | None = None
    """Set only for the incidents a ``votes_lost`` objective measures (never let go)."""
    polls: tuple[float, float] | None = None
    """When its polls opened and closed (as :attr:`Harm.polls <ballotdrill.scoring.model.Harm.polls>`)."""

    @property
    def nonzero(self) -> bool:
        """Whether the incident did any harm (as :attr:`Harm.nonzero <ballotdrill.scoring.model.Harm.nonzero>`)."""
        return bool(self.reach or self.voter_minutes or self.station_minutes or self.votes_lost)


HarmLike = Harm | HarmMeasure
"""An incident's harm as a record or as its fields alone."""


_new: Any = tuple.__new__
_STEP_FIELDS = attrgetter(*StepMeasure._fields)
_CHAIN_FIELDS = attrgetter(*HandoffMeasure._fields)


def as_step(step: StepLike) -> StepMeasure:
    """A step instance as its fields (itself when it is)."""
    if type(step) is StepMeasure:
        return step
    measured: StepMeasure = _new(StepMeasure, _STEP_FIELDS(step))
    return measured


def as_chain(chain: HandoffLike) -> HandoffMeasure:
    """A handoff as its fields (itself when it is)."""
    if type(chain) is HandoffMeasure:
        return chain
    measured: HandoffMeasure = _new(HandoffMeasure, _CHAIN_FIELDS(chain))
    return measured
