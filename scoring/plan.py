"""The improvement plan: each corrective action with its capability element and the organisation that owns its lever.

**Capability element** (HSEEP: planning, organisation, equipment, training, exercises), by the
root cause of the finding:

=====================================================  ============
root cause                                             element
=====================================================  ============
queue at an actor, gap in shift cover, late detection  Organisation
failed, dropped or slow channel                        Equipment
slow work (longer than the structure's own duration)   Training
decision defaulted on its timeout in a live exercise   Training
target shorter than the work, delays before a step,    Planning
a decision loop, no procedure for an incident type,
an objective with no single cause
discussion questions left unanswered                   Exercises
=====================================================  ============

**Responsible organisation**, the owner of the lever, as the structure says:

- an actor's staff, shifts or practice (``actor:A``): the actor's ``organisation``, else the
  actor itself (an actor is an agency or cell);
- a channel's failures (``channel:C``) or slow deliveries (``delivery:C``): the channel's ``owner``, else the
  organisation of the actor that sent most of its failed handoffs (or the slowest, or overdue, one): it chooses
  the channel and its fallback;
- a procedure's step (``step:P/S``): the procedure's ``owner``, else the organisation of the
  step's actor; but a Training fix (preparing a desk for the long cases of its own work) is the organisation of the
  actor that did the work, which alone can train its people; a whole procedure (``procedure:P``): its ``owner``,
  else its first step's actor's;
- incidents no procedure answered: the organisation of the actor that detected them.

Only when no lever exists (an objective whose delay has no cause in the journal) is the plan
row left to the exercise planning team, and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ballotdrill.scenarios.structure import OWNER, Structure
from ballotdrill.scoring.model import Frozen, Scores


class Planned(Protocol):
    """What the plan needs of an area for improvement (a :class:`~ballotdrill.scoring.findings.Finding`)."""

    @property
    def title(self) -> str: ...
    @property
    def recommendation(self) -> str: ...
    @property
    def capability(self) -> str: ...
    @property
    def element(self) -> str: ...
    @property
    def responsible(self) -> str: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def priority(self) -> int: ...
    @property
    def weight(self) -> float: ...

ELEMENTS: dict[str, str] = {
    "queue": "Organisation", "crew": "Organisation", "shift_gap": "Organisation", "detection": "Organisation",
    "channel": "Equipment", "drop": "Equipment",
    "slow_work": "Training", "decision_timeout": "Training",
    "late_step": "Planning", "deadline": "Planning", "ping_pong": "Planning", "upstream": "Planning",
    "branch": "Planning",
    "objective": "Planning", "none": "Planning", "target": "Planning", "containment": "Planning",
    "unmeasured": "Planning",
    "discussion": "Exercises",
}
"""Root-cause kind -> HSEEP capability element of its fix."""

NO_LEVER = "Exercise planning team (no lever found in the structure)"
"""Responsible for a plan row whose finding has no lever: said as such, never a silent stand-in."""


class PlanItem(Frozen):
    """A row of the improvement plan (HSEEP AAR/IP appendix A)."""

    id: str
    recommendation: str
    capability: str
    element: str = "Planning"
    responsible: str
    actor: str | None = None
    priority: int
    finding: str
    weight: float = 0.0


def capability_of(scores: Scores, incidents: set[str], procedure: str | None, default: str) -> str:
    """The capability of a finding: that of the first objective about one of ``incidents`` or ``procedure``, else
    ``default``."""
    for obj in scores.objectives:
        about = obj.subject.split()
        if incidents & set(about) or obj.subject in incidents or (procedure and obj.subject == procedure):
            return obj.capability
    return default


def element_of(kind: str) -> str:
    """The capability element of a fix for a root cause of ``kind`` (Planning when unknown)."""
    return ELEMENTS.get(kind, "Planning")


def organisation(actor: str | None, names: dict[str, str], structure: Structure | None) -> str:
    """The organisation of ``actor``: its ``organisation`` in the structure, else its name."""
    if not actor:
        return ""
    spec = structure.actors.get(actor.partition("/")[0]) if structure else None  # a post (actor/post): its actor's
    if spec is not None and spec.organisation:
        return spec.organisation
    return names.get(actor, actor)


def responsible(lever: str, actor: str | None, names: dict[str, str], structure: Structure | None,
                element: str = "") -> str:
    """The organisation that owns ``lever`` (``actor``: the actor the finding points at; ``element``: its fix's
    capability element; see the module docstring)."""
    kind, _, key = lever.partition(":")
    if kind == "step" and element == "Training" and actor:  # a desk's own work: its organisation trains it
        return organisation(actor, names, structure)
    if kind in ("channel", "delivery") and structure is not None:
        spec = structure.channels.get(key)
        if spec is not None and spec.owner:
            return spec.owner
    if kind == "step" and structure is not None:
        procedure, _, step = key.partition("/")
        proc = structure.procedures.get(procedure)
        if proc is not None and proc.owner:
            return proc.owner
        designed = next((s.actor for s in proc.steps if s.id == step), None) if proc is not None else None
        if designed is not None:
            # a step done by the incident's owner: the actor the finding points at is the one who did it
            return organisation(actor if designed == OWNER else designed, names, structure)
    if kind == "procedure" and structure is not None and key in structure.procedures:
        proc = structure.procedures[key]
        first = proc.steps[0].actor
        return proc.owner or organisation(actor if first == OWNER else first, names, structure)
    if kind in ("actor", "decision"):
        return organisation(key, names, structure)
    return organisation(actor, names, structure) or NO_LEVER


def loop_owner(procedure: str, decider: str | None, names: dict[str, str], structure: Structure | None) -> str:
    """Who owns the fix of a decision loop in ``procedure``: the procedure's ``owner``, else the organisation of the
    actor whose decision sent the work back (``decider``), not that of the step the loop brought back."""
    proc = structure.procedures.get(procedure) if structure is not None else None
    return (proc.owner if proc is not None and proc.owner else "") or organisation(decider, names, structure)


def plan_of(improvements: Sequence[Planned]) -> list[PlanItem]:
    """One plan row per distinct recommendation, in the order of the findings (most urgent first)."""
    rows: list[PlanItem] = []
    seen: set[str] = set()
    for finding in improvements:
        if not finding.recommendation or finding.recommendation in seen:
            continue
        seen.add(finding.recommendation)
        rows.append(PlanItem(id=f"IP-{len(rows) + 1}", recommendation=finding.recommendation,
                             capability=finding.capability or "Operational coordination", element=finding.element,
                             responsible=finding.responsible or NO_LEVER, actor=finding.actor,
                             priority=finding.priority, finding=finding.title, weight=finding.weight))
    return rows
