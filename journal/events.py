"""The journal contract: every event kind, the typed fields of each, the record of one event, and packing.

Nothing here writes or reads a file; the sinks (:mod:`ballotdrill.journal.store`) and the writer
process (:mod:`ballotdrill.journal.writer`) build on it, and scoring reads only these records.

Each kind's fields are a named tuple (:data:`RECORDS`); a reader asks an :class:`Event` for its
fields by record (``event.fields(StepStarted).wait``). The engine builds the frequent kinds
(:data:`PACKED`) by keyword with their builders (``step_started(procedure=..., wait=...)``), which
give a plain tuple in the record's field order: the row's data, *packed*.
A field named like a Python keyword ends in ``_`` (``from_``) and is stored as the word (``from``).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar, cast

from ballotdrill.journal.packed import (
    HandoffLine,
    HandoffReceived,
    HandoffSent,
    ProcedureEnded,
    ProcedureStarted,
    StepCompleted,
    StepCrew,
    StepQueued,
    StepStarted,
    StepTargets,
    Values,
    handoff_received,
    handoff_sent,
    procedure_ended,
    procedure_started,
    step_completed,
    step_queued,
    step_started,
    values,
)


class Kind(StrEnum):
    """Every event kind, documented with its fields in docs/journal.md; the values are what files hold."""

    RUN_STARTED = "run_started"
    STAFF_CHANGED = "staff_changed"
    INCIDENT_STARTED = "incident_started"
    DETECTED = "detected"
    PROCEDURE_STARTED = "procedure_started"
    STEP_QUEUED = "step_queued"
    STEP_STARTED = "step_started"
    STEP_COMPLETED = "step_completed"
    HANDOFF_SENT = "handoff_sent"
    HANDOFF_RECEIVED = "handoff_received"
    HANDOFF_FAILED = "handoff_failed"
    DECISION_REQUESTED = "decision_requested"
    DECISION_MADE = "decision_made"
    INJECT_DELIVERED = "inject_delivered"
    ESCALATED = "escalated"
    CONTAINED = "contained"
    EFFECT_FAILED = "effect_failed"
    WAVE_SLOWED = "wave_slowed"
    VOTING_EXTENDED = "voting_extended"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    PROCEDURE_ENDED = "procedure_ended"
    ACTION_TAKEN = "action_taken"
    PAUSED = "paused"
    RESUMED = "resumed"
    SPEED_CHANGED = "speed_changed"
    STOPPED = "stopped"
    RESTARTED = "restarted"
    ENDED_EARLY = "ended_early"
    ANSWERED_LATE = "answered_late"
    RUN_ENDED = "run_ended"
    NOTE = "note"
    DISCUSSION_ANSWERED = "discussion_answered"


KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
"""Every kind's value, in the order of :class:`Kind`."""

KIND_VALUES: dict[str, str] = {kind: kind.value for kind in Kind}
"""A kind (member or its value) to its value as a plain ``str``, which ``marshal`` can carry; unknown kinds fail."""

COLUMNS = ("seq", "t", "kind", "incident", "actor", "step", "data")

# The frequent kinds' records and builders are :mod:`.packed`'s (imported above): part of this contract.

# -- the other kinds (the engine records their data as dicts); a field with a default may be absent ------------

class RunStarted(NamedTuple):
    scenario: str
    seed: int
    start: float
    """Clock minutes (since 00:00 on day D) of t = 0."""
    end: float
    until: float
    polls: list[float] | None = None
    """``[open, close]``: t when the polls open and the last close (absent in journals written before it)."""
    closes: dict[str, float] | None = None
    """t when each way of voting closes (``paper``, ``electronic``), when the election's ``closes`` says."""


class StaffChanged(NamedTuple):
    staff: int


class IncidentStarted(NamedTuple):
    type: str
    severity: int
    level: str
    inject: str
    title: str | None = None
    target: str | None = None
    location: str | None = None
    voters: int | None = None
    stations: int | None = None
    throughput: float | None = None
    owner: str | None = None
    """The actor that owns what is attacked: it does the steps written ``actor: owner``."""
    voting: str | None = None
    """The way of voting it disrupts (``paper``, ``electronic``): its harm stops when that mode's polls close."""
    reach: dict[str, float] | None = None
    """A disinformation wave's ``initial``, ``doubling``, ``cap``."""


class HandoffFailed(NamedTuple):
    procedure: str
    to: str
    channel: str
    attempt: int
    next: str | None
    """The channel tried next; None when the handoff is dropped."""


class DecisionRequested(NamedTuple):
    procedure: str
    request: str
    options: list[str]
    default: str
    timeout: float


class DecisionMade(NamedTuple):
    procedure: str
    request: str
    option: str
    by: str
    """``default``, ``recorded``, ``player``, ``facilitator`` (answered at the live console) or ``timeout``."""


class InjectDelivered(NamedTuple):
    inject: str
    type: str
    """``incident`` or ``message``."""
    text: str
    from_: str
    contingency: bool
    adhoc: bool | None = None
    """True for a facilitator's ad-hoc inject in a live exercise (absent otherwise)."""
    by: str | None = None
    """``facilitator``: a scheduled inject sent before its time or condition by the facilitator's ``send-now`` in a
    live exercise (absent otherwise, and in journals written before it was recorded)."""
    held: bool | None = None
    """For a contingency inject sent now: whether its condition held at that moment (absent otherwise)."""


class Escalated(NamedTuple):
    from_: str
    to: str
    by: str
    actors: list[str]


class Contained(NamedTuple):
    how: str
    """``effect``, ``ended`` or ``completed``."""
    reach: float | None = None
    voter_minutes: float | None = None
    station_minutes: float | None = None


class EffectFailed(NamedTuple):
    procedure: str
    contain: float
    """The probability the step's effect had of containing the incident."""


class WaveSlowed(NamedTuple):
    procedure: str
    reach: int
    """People reached when it was slowed."""
    doubling: float | None
    """The wave's doubling time from now on (minutes); None: it no longer grows."""
    previous: float | None
    """The doubling time until now; None: it had stopped growing."""


class VotingExtended(NamedTuple):
    procedure: str
    until: float
    """t when the incident's polling stations now close."""
    previous: float
    """t when they closed until now."""

    def keeps(self, t: float) -> bool:
        """Whether the extension, decided at ``t``, kept its stations open: only one decided at or before the close
        it extends (``previous``) does; a later one found them closed and kept no voter (it is journalled as
        played, and every reader of the polls' hours, the engine's harm first, leaves it out)."""
        return t <= self.previous + 1e-9


class Mitigated(NamedTuple):
    action: str
    taken_at: float
    """t when the action was taken (its earliest taking that counts)."""
    duration: float | None = None
    """The share of its duration the incident lasts (absent: unchanged)."""
    detection: float | None = None
    """The share of its detection delay."""
    growth: float | None = None
    """The share of its wave's growth rate."""


class ActionTaken(NamedTuple):
    action: str
    by: str


class Paused(NamedTuple):
    wall: float | None = None
    by: str | None = None
    """``start``: the exercise started paused (``--start-paused``), waiting for the facilitator to start it; None:
    the facilitator paused it."""


class Resumed(NamedTuple):
    wall: float | None = None


class SpeedChanged(NamedTuple):
    speed: float
    """Times faster than real time from now on."""
    previous: float
    """The speed until now."""
    wall: float | None = None


CTRL_C = "Ctrl-C"
"""A stop's cause when the facilitator pressed Ctrl-C (the others are the termination signals' names), and what a
``stopped`` row without one (written before the cause was recorded) reads as."""


class Stopped(NamedTuple):
    """A live exercise stopped unfinished, by the facilitator's Ctrl-C or a termination signal (``kill``,
    ``timeout``, a closed terminal); ``resume`` carries it on."""

    wall: float | None = None
    by: str | None = None
    """``Ctrl-C``, ``SIGTERM`` or ``SIGHUP``; None (journals written before it was recorded): a Ctrl-C."""


class EndedEarly(NamedTuple):
    """The facilitator ended a live exercise before the scenario's end (``end`` at the console, the page or the API);
    the ``run_ended`` row follows at the same time."""

    wall: float | None = None
    by: str = "facilitator"


class AnsweredLate(NamedTuple):
    """A played actor's answer given after its request had timed out and its ``default`` was taken: refused, and kept
    so the report can say how late it came."""

    request: str
    option: str
    by: str
    """``player`` or ``facilitator``."""
    late: int
    """Seconds of exercise time after the timeout."""
    default: str


class Restarted(NamedTuple):
    """``ballotdrill resume`` carried a live exercise on from its last commit (after a ``stopped``, or a
    ``SIGKILL`` or crash that left no row)."""

    speed: float
    """The speed it carries on at."""
    wall: float | None = None


class Note(NamedTuple):
    text: str
    by: str
    """``facilitator`` or ``evaluator``."""


class DiscussionAnswered(NamedTuple):
    inject: str
    number: int
    """The question's number within its inject, 1-based."""
    question: str
    answer: str
    by: str | None
    """``player`` (from the player's page or ``join``) or ``facilitator`` (typed at the live console for the played
    actor); absent in journals from before it was recorded, where it was taken as the player's."""


class RunEnded(NamedTuple):
    open_incidents: list[str]
    open_steps: int
    harm: dict[str, dict[str, float]]
    """Per incident still open: ``reach``, ``voter_minutes``, ``station_minutes`` at the end."""


PACKED: dict[str, type[tuple[Any, ...]]] = {
    Kind.STEP_STARTED: StepStarted,
    Kind.STEP_QUEUED: StepQueued,
    Kind.STEP_COMPLETED: StepCompleted,
    Kind.HANDOFF_SENT: HandoffSent,
    Kind.HANDOFF_RECEIVED: HandoffReceived,
    Kind.PROCEDURE_STARTED: ProcedureStarted,
    Kind.PROCEDURE_ENDED: ProcedureEnded,
}
"""The most frequent kinds, whose data the engine records packed: a plain tuple of the record's values."""

BUILDERS: dict[str, Any] = {
    Kind.STEP_STARTED: step_started, Kind.STEP_QUEUED: step_queued, Kind.STEP_COMPLETED: step_completed,
    Kind.HANDOFF_SENT: handoff_sent, Kind.HANDOFF_RECEIVED: handoff_received,
    Kind.PROCEDURE_STARTED: procedure_started, Kind.PROCEDURE_ENDED: procedure_ended,
}
"""Each packed kind's builder (what the engine calls)."""

RECORDS: dict[type[tuple[Any, ...]], Kind] = {
    RunStarted: Kind.RUN_STARTED, StaffChanged: Kind.STAFF_CHANGED, IncidentStarted: Kind.INCIDENT_STARTED,
    ProcedureStarted: Kind.PROCEDURE_STARTED, StepQueued: Kind.STEP_QUEUED, StepStarted: Kind.STEP_STARTED,
    StepCompleted: Kind.STEP_COMPLETED, StepTargets: Kind.STEP_COMPLETED, HandoffSent: Kind.HANDOFF_SENT,
    HandoffReceived: Kind.HANDOFF_RECEIVED, HandoffFailed: Kind.HANDOFF_FAILED,
    DecisionRequested: Kind.DECISION_REQUESTED, DecisionMade: Kind.DECISION_MADE,
    InjectDelivered: Kind.INJECT_DELIVERED, Escalated: Kind.ESCALATED, Contained: Kind.CONTAINED,
    EffectFailed: Kind.EFFECT_FAILED, WaveSlowed: Kind.WAVE_SLOWED, Mitigated: Kind.MITIGATED,
    VotingExtended: Kind.VOTING_EXTENDED,
    ProcedureEnded: Kind.PROCEDURE_ENDED,
    ActionTaken: Kind.ACTION_TAKEN,
    AnsweredLate: Kind.ANSWERED_LATE,
    Paused: Kind.PAUSED, Resumed: Kind.RESUMED, SpeedChanged: Kind.SPEED_CHANGED, Stopped: Kind.STOPPED,
    Restarted: Kind.RESTARTED, EndedEarly: Kind.ENDED_EARLY, RunEnded: Kind.RUN_ENDED, Note: Kind.NOTE,
    DiscussionAnswered: Kind.DISCUSSION_ANSWERED,
}
"""Every record and the kind whose fields it reads (``detected`` and ``resolved`` have none)."""

SHARED: dict[type[tuple[Any, ...]], tuple[Kind, ...]] = {
    StepCrew: (Kind.STEP_QUEUED, Kind.STEP_STARTED),
    HandoffLine: (Kind.HANDOFF_SENT, Kind.HANDOFF_RECEIVED, Kind.HANDOFF_FAILED),
}
"""Records of optional fields that several kinds carry."""

_KINDS_OF = {**{record: (kind,) for record, kind in RECORDS.items()}, **SHARED}


def records_of(kind: str) -> list[type[tuple[Any, ...]]]:
    """The records that read ``kind``'s fields."""
    return [record for record, kinds in _KINDS_OF.items() if kind in kinds]


def keys(record: type[tuple[Any, ...]]) -> tuple[str, ...]:
    """The stored keys of a record's fields (``from_`` is stored as ``from``)."""
    return tuple(name.rstrip("_") for name in cast(Any, record)._fields)


_KEYS = {record: keys(record) for record in _KINDS_OF}
_READS = {record: (tuple(kind.value for kind in kinds), _KEYS[record]) for record, kinds in _KINDS_OF.items()}
"""Per record: the kinds (plain values: an event's kind is one of these very strings) whose fields it reads and its
stored keys (one lookup: every scored event reads some)."""
_new_tuple: Any = tuple.__new__

SHAPES: dict[str, tuple[str, ...]] = {kind: _KEYS[record] for kind, record in PACKED.items()}
"""The data keys (sorted) of the packed kinds, in the order of their records' fields."""

R = TypeVar("R", bound=tuple[Any, ...])


class Event(NamedTuple):
    """One journal row. ``t`` is minutes since the scenario's start; ``data`` holds the kind's fields as stored."""

    seq: int
    t: float
    kind: str
    incident: str | None
    actor: str | None
    step: str | None
    data: dict[str, Any]

    def fields(self, record: type[R]) -> R:
        """The event's fields as ``record`` (a record of this kind, :func:`records_of`); a missing key reads as None."""
        kinds, stored = _READS[record]
        if self.kind not in kinds:
            expected = "' or '".join(kinds)
            raise ValueError(f"event {self.seq} is '{self.kind}', not '{expected}': it has no {record.__name__} fields")
        values: R = _new_tuple(record, map(self.data.get, stored))  # as record._make, one value per stored key
        return values

    def values(self) -> Values:
        """A packed kind's fields as its scoring handlers read them (:func:`~ballotdrill.journal.packed.values`)."""
        return values(self.kind, self.data)

    def to_json(self) -> str:
        """The event as one canonical JSON line (sorted keys, no spaces)."""
        return json.dumps(self._asdict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Event:
        seq, t, kind, incident, actor, step, data = row
        return cls(seq, t, kind, incident, actor, step, json.loads(data) if data else {})


Data = dict[str, Any] | tuple[Any, ...] | None
"""A row's data: a dict, or *packed* as a tuple of the values of the kind's record (:data:`PACKED`)."""

Row = tuple[float, str, "str | None", "str | None", "str | None", Data]
"""A journal row as the engine records it: ``(t, kind, incident, actor, step, data)``; numbered at flush."""

canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
"""Compact canonical JSON: sorted keys, no spaces, UTF-8 kept as written."""

_NAME_KEYS = frozenset({"procedure", "to", "from", "channel", "outcome"})
"""Keys whose packed values are identifiers (validated names or fixed words)."""

_PACKED_JSON = {kind: "{" + ",".join(f'"{k}":"%s"' if k in _NAME_KEYS else f'"{k}":%r' for k in keys) + "}"
                for kind, keys in SHAPES.items()}
"""Per kind, a format giving canonical JSON for packed values: identifiers need no escaping, numbers use repr."""


def unpack(kind: str, data: Data) -> dict[str, Any]:
    """A row's data as a dict."""
    if data is None:
        return {}
    if type(data) is tuple:
        return dict(zip(SHAPES[kind], data, strict=True))
    return data  # type: ignore[return-value]


def encode_data(kind: str, data: Data) -> str | None:
    """Compact canonical JSON for a row's data (sorted keys, no spaces), or None when empty.

    Packed data (made only by the engine: identifiers and finite numbers) takes one string
    format, the same bytes as ``json`` at a fraction of the cost; a None among the values
    (a direct handoff's channel) or any dict goes through ``json``.
    """
    if not data:
        return None
    if type(data) is tuple:
        if None in data:
            return canonical_json(unpack(kind, data))
        return _PACKED_JSON[kind] % data
    return canonical_json(data)
