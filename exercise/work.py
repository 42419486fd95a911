"""The records of work in a run: procedure plans and runs, work items, handoffs, and their journal fields.

Work items and handoffs are SimPy events that reschedule themselves (:class:`~ballotdrill.exercise.clock.Wakeup`),
so a step costs one object rather than a Timeout per wait.
"""

from __future__ import annotations

from typing import Any

from ballotdrill.exercise.clock import Wakeup
from ballotdrill.exercise.incidents import IncidentState
from ballotdrill.exercise.owners import Owners
from ballotdrill.exercise.sampling import sampler
from ballotdrill.scenarios.scenario import Incident
from ballotdrill.scenarios.structure import END, Procedure, Step


def incident_data(spec: Incident, inject_id: str) -> dict[str, Any]:
    """The ``incident_started`` fields of an incident (shared by every arrival of a background inject)."""
    data: dict[str, Any] = {"type": spec.type, "severity": spec.severity, "level": spec.level, "inject": inject_id}
    for key in ("title", "target", "location", "voters", "stations"):
        if getattr(spec, key):
            data[key] = getattr(spec, key)
    if spec.owner is not None:
        data["owner"] = spec.owner
    if spec.voting is not None:
        data["voting"] = spec.voting
    if spec.stations or spec.throughput:
        data["throughput"] = spec.throughput
    if spec.reach is not None:
        data["reach"] = {"initial": spec.reach.initial, "doubling": spec.reach.doubling, "cap": spec.reach.cap}
    return data


def completion_extra(step: Step) -> dict[str, Any]:
    """The fields a step adds to its ``step_completed`` rows: target and legal deadline."""
    extra: dict[str, Any] = {}
    if step.target is not None:
        extra["target"] = step.target
    if step.deadline is not None:
        extra["deadline"] = step.deadline.within
        extra["basis"] = step.deadline.basis
    return extra


def completion_values(step: Step) -> tuple[float | None, float | None, str | None]:
    """:func:`completion_extra` as the ``step_completed`` row's optional values (:class:`StepTargets` order; None:
    absent)."""
    deadline = step.deadline
    return (step.target, None if deadline is None else deadline.within, None if deadline is None else deadline.basis)


def crew_of(step: Step) -> dict[str, Any] | None:
    """The fields a step adds to its ``step_queued`` and ``step_started`` rows: its post, or the staff it takes."""
    if step.post is not None:
        return {"post": step.post}
    return {"staff": step.staff} if step.staff != 1 else None


END_INDEX = -1


class StepPlan:
    """What the engine reads of a step as it plays, read once from the file's :class:`Step`.

    A scenario's records are pydantic models, whose ``__getattr__`` keeps CPython from specialising a read of
    their fields: each costs several times a plain attribute's, and the engine read a dozen a step.
    """

    __slots__ = ("chance", "channel", "decision", "effect", "escalate", "extend_voting", "id", "slows", "staff")

    def __init__(self, step: Step, default_channel: str | None) -> None:
        self.id = step.id
        self.staff = step.staff
        self.decision = step.decision
        self.escalate = step.escalate
        self.channel = step.via or default_channel
        """The channel a handoff to this step takes first (None: handed over directly)."""
        effect = self.effect = step.effect
        self.extend_voting = None if effect is None else effect.extend_voting
        self.slows = effect is not None and effect.slows
        self.chance = 0.0 if effect is None else effect.chance
        """The chance that completing it contains the incident (:attr:`Effect.chance`)."""


class Plan:
    """A procedure prepared for running: each step's successor index and completion fields."""

    __slots__ = ("contains", "crews", "durations", "extras", "index_of", "name", "next_index", "owners", "steps",
                 "targets")

    def __init__(self, name: str, proc: Procedure, default_channel: str | None) -> None:
        self.name = name
        self.steps = [StepPlan(s, default_channel) for s in proc.steps]
        """Each step as the engine reads it; ``default_channel``: the structure's, for steps that name none."""
        self.index_of = {s.id: i for i, s in enumerate(proc.steps)}
        self.next_index = [self.index(proc.successors(i)[0]) for i in range(len(proc.steps))]
        self.extras = [completion_extra(s) for s in proc.steps]
        self.targets = [completion_values(s) for s in proc.steps]
        """The same fields as a packed row's optional values (a run fed to a row reader alone)."""
        self.durations = [sampler(s.duration) for s in proc.steps]
        """Each step's duration draw."""
        self.owners = Owners(proc.steps)
        """Each step's actor and desk, for the owner of the incident a run serves."""
        self.crews = [crew_of(s) for s in proc.steps]
        """Each step's ``post``/``staff`` fields for its queued and started rows, or None (one of the staff)."""
        self.contains = any(s.effect is not None for s in proc.steps)
        """Whether a step can contain the incident (otherwise completing the procedure does)."""

    def index(self, step_id: str) -> int:
        return END_INDEX if step_id == END else self.index_of[step_id]


class ProcedureRun:
    """One run of a procedure for one incident."""

    __slots__ = ("actors", "desks", "incident", "name", "number", "plan", "started_at")

    def __init__(self, incident: IncidentState, plan: Plan, number: int, t: float) -> None:
        self.incident = incident
        self.plan = plan
        self.actors, self.desks = plan.owners.assign(incident.plan.owner)
        """Who does each step (the incident's owner for ``actor: owner``), and the desk that serves it."""
        self.name = plan.name
        self.number = number
        self.started_at = t


class WorkItem(Wakeup):
    """A step of a procedure run, queued at or served by its actor."""

    def __init__(self, run: ProcedureRun, index: int, t: float) -> None:
        self.run = run
        self.index = index
        self.step: StepPlan = run.plan.steps[index]
        self.actor = run.actors[index]
        self.need = self.step.staff
        self.queued_at = t


class Handoff(Wakeup):
    """Work travelling from one actor to the next over a chain of channels."""

    def __init__(self, run: ProcedureRun, index: int, sender: str, channels: list[str], t: float) -> None:
        self.run = run
        self.index = index
        self.sender = sender
        self.channels = channels
        self.pos = 0
        self.tries = 0
        self.attempt = 0
        self.delivered = True
        self.sent_at = t
        self.line_wait = 0.0
        """Minutes the present attempt waited for a free line of its channel."""
