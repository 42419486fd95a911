"""The journal's frequent kinds, recorded *packed*: their records, the engine's builders, the row form scoring reads.

The engine builds each packed kind's data by keyword with its builder (``step_started(procedure=..., wait=...)``),
which gives a plain tuple of the record's values in its field order. A row of such a kind that carries optional
fields (a post's crew, a channel's lines, a step's targets) is recorded as a dict instead (unless the run's rows go to
a row reader alone, which takes them already in the tuple: ``FeedingSink.packs_optional``), and so is every row read
back from a journal file; :func:`values` turns either into the tuple the scorer's handlers read (:data:`LAYOUT`),
so a run fed live and a journal read back go through the same handlers.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# -- the frequent kinds: recorded packed (fields in sorted key order, which the packed encoding relies on) ---------

class ProcedureStarted(NamedTuple):
    procedure: str
    run: int
    """The instance number within the incident, 1-based."""


class StepQueued(NamedTuple):
    on_duty: int
    """Staff on duty now; 0 means nobody is on shift."""
    procedure: str
    queue: int
    """Items waiting at the actor, this one included."""


class StepStarted(NamedTuple):
    procedure: str
    wait: float
    """Minutes queued."""


class StepCompleted(NamedTuple):
    elapsed: float
    """Minutes since the procedure run started."""
    procedure: str


class HandoffSent(NamedTuple):
    attempt: int
    channel: str | None
    """None: a direct handoff."""
    procedure: str
    to: str


class HandoffReceived(NamedTuple):
    attempts: int
    channel: str | None
    from_: str
    latency: float
    """Minutes since the first attempt."""
    procedure: str


class ProcedureEnded(NamedTuple):
    outcome: str
    """``completed`` or ``dropped``."""
    procedure: str
    run: int


# The engine builds the packed kinds' data with these keyword-only builders: the keywords are checked
# (by mypy and at call time) and the result is a plain tuple in the record's field order. A named tuple
# built by keyword costs about ten times a tuple in CPython 3.11 (and a writer frame could not carry it),
# so the hot rows stay plain tuples; tests/test_journal_encoding.py checks each builder against its record.

def procedure_started(*, procedure: str, run: int) -> tuple[str, int]:
    return (procedure, run)


def step_queued(*, on_duty: int, procedure: str, queue: int) -> tuple[int, str, int]:
    return (on_duty, procedure, queue)


def step_started(*, procedure: str, wait: float) -> tuple[str, float]:
    return (procedure, wait)


def step_completed(*, elapsed: float, procedure: str) -> tuple[float, str]:
    return (elapsed, procedure)


def handoff_sent(*, attempt: int, channel: str | None, procedure: str, to: str) -> tuple[int, str | None, str, str]:
    return (attempt, channel, procedure, to)


def handoff_received(*, attempts: int, channel: str | None, from_: str, latency: float,
                     procedure: str) -> tuple[int, str | None, str, float, str]:
    return (attempts, channel, from_, latency, procedure)


def procedure_ended(*, outcome: str, procedure: str, run: int) -> tuple[str, str, int]:
    return (outcome, procedure, run)



# -- optional fields some packed rows carry (such a row is recorded as a dict) --------------------

class StepCrew(NamedTuple):
    """Optional fields of ``step_queued`` and ``step_started``: who does the step, when not one of its actor's staff."""

    post: str | None = None
    """The actor's post that does the step (a bottleneck of one)."""
    staff: int | None = None
    """Staff of the actor the step occupies at once, when more than one."""


class HandoffLine(NamedTuple):
    """Optional fields of ``handoff_sent``, ``handoff_received`` and ``handoff_failed`` on a channel with a capacity."""

    occupancy: int | None = None
    """Lines in use once the attempt is on one, itself included (the capacity when every line was in use)."""
    waiting: int | None = None
    """The attempt found every line in use and waits for one: attempts waiting, itself included."""
    busy: bool | None = None
    """The attempt found every line in use and failed at once (``when_full: fail``)."""
    line_wait: float | None = None
    """Minutes the attempt waited for a free line (received and failed rows; absent when it waited none)."""


class StepTargets(NamedTuple):
    """The optional fields of ``step_completed``: a step's target and legal deadline (minutes)."""

    target: float | None = None
    deadline: float | None = None
    basis: str | None = None


# -- the row form the scorer reads -------------------------------------------------------------------------------

Values = tuple[Any, ...]
"""A packed row's fields: the record's values in its field order, then (when the row carried any) its kind's
optional fields in theirs (:data:`LAYOUT`). The engine's own tuples stop after the record's fields."""

Packed = tuple[float, str, "str | None", "str | None", "str | None", Values]
"""A row of a packed kind as the scorer's handlers read it: ``(t, kind, incident, actor, step, values)``."""


def _keys(record: type[tuple[Any, ...]]) -> tuple[str, ...]:
    return tuple(name.rstrip("_") for name in record._fields)  # type: ignore[attr-defined]


LAYOUT: dict[str, tuple[str, ...]] = {
    "procedure_started": _keys(ProcedureStarted),
    "step_queued": _keys(StepQueued) + _keys(StepCrew),
    "step_started": _keys(StepStarted) + _keys(StepCrew),
    "step_completed": _keys(StepCompleted) + _keys(StepTargets),
    "handoff_sent": _keys(HandoffSent) + _keys(HandoffLine),
    "handoff_received": _keys(HandoffReceived) + _keys(HandoffLine),
    "procedure_ended": _keys(ProcedureEnded),
}
"""Per packed kind, the stored keys of its :data:`Values`: the record's fields, then the optional ones."""


def values(kind: str, data: dict[str, Any] | Values | None) -> Values:
    """A packed kind's data as its :data:`Values`: the engine's tuple as it is; a dict (a row with optional fields,
    or read from a journal file) decoded once, a missing key reading as None (as ``Event.fields`` reads it)."""
    if type(data) is tuple:
        return data
    layout = LAYOUT[kind]
    if not data:
        return (None,) * len(layout)
    return tuple(map(data.get, layout))  # type: ignore[union-attr]
