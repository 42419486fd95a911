"""Steps with a target whose work had not reached them when the run stopped, though their target had passed: late
whatever came next.

A step instance exists from its work's arrival (``step_queued``), so a step whose work was still travelling in a
handoff, was still at an earlier step, or was lost with a dropped handoff (no fallback left) has none when the run
stops. Its target runs from its procedure's start all the same: once that target passed before the stop, the step
cannot be on time whatever happens next, so it counts as late, measured to the stop, in the run's late steps and
on-time shares. Counted from where the work stood: the step a handoff still travelling (or dropped) carries, and
those after it, or those after a step still queued or in progress (itself measured as a step instance), along the
procedure up to its next decision step (which will be done; the steps after it depend on the option it takes).
A step whose target had not passed at the stop is undecided and not counted, as an open step instance is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ballotdrill.journal import Event, HandoffFailed, Kind
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.designed import certain_path
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.measured import HandoffMeasure, StepMeasure
from ballotdrill.scoring.model import r3

__all__ = ["HOW_WORDS", "DropWatch", "Unarrived", "certain_path", "unarrived"]


class Unarrived(NamedTuple):
    """A step whose work had not reached it at the stop, its target already passed."""

    incident: str
    procedure: str
    step: str
    late_by: float
    """Minutes past its target at the stop (at least what it will be late by)."""
    how: str
    """Where its work stood: ``in_transit`` (a handoff still travelling), ``dropped`` (a handoff dropped, no
    fallback left), ``queued`` or ``in_progress`` (at an earlier step)."""
    row: int
    """Evidence: the handoff's last row (its drop's), or the earlier step's."""


HOW_WORDS = {"in_transit": "its handoff still travelling", "dropped": "its handoff dropped",
             "queued": "the work still at an earlier step", "in_progress": "the work still at an earlier step"}
"""How a reader is told where such a step's work stood."""


class _Drop(NamedTuple):
    incident: str
    procedure: str
    step: str
    started: float
    row: int


class DropWatch:
    """Handoffs dropped with no fallback left, each with its procedure run's start (read from ``starts``, the step
    collector's procedure starts, which hold it while the run is open)."""

    def __init__(self, structure: Structure, starts: Mapping[str, Mapping[str, float]]) -> None:
        self.watched = frozenset(name for name, proc in structure.procedures.items()
                                 if any(s.target is not None for s in proc.steps))
        self.starts = starts
        self.drops: list[_Drop] = []

    def handlers(self) -> Handlers:
        return {Kind.HANDOFF_FAILED: self._failed} if self.watched else {}

    def _failed(self, event: Event) -> None:
        failed = event.fields(HandoffFailed)
        procedure = str(failed.procedure or "")
        if failed.next is not None or procedure not in self.watched:
            return
        incident = event.incident or ""
        started = self.starts.get(incident, {}).get(procedure)
        if started is not None:
            self.drops.append(_Drop(incident, procedure, event.step or "", started, event.seq))


def unarrived(structure: Structure, until: float, starts: Mapping[str, Mapping[str, float]],
              steps: Iterable[tuple[int, StepMeasure]], chains: Iterable[tuple[int, HandoffMeasure]],
              drops: Iterable[_Drop] = ()) -> list[Unarrived]:
    """The steps whose work had not reached them when the run stopped at ``until``, their target passed: after each
    step instance still open (``steps``), from each handoff still travelling (``chains``) and each dropped one
    (``drops``: :attr:`DropWatch.drops`); each (incident, procedure, step) once."""
    points: list[tuple[str, str, str, bool, str, float | None, int]] = []
    for _, step in steps:
        if step.status != "completed":
            points.append((step.incident, step.procedure, step.step, False, step.status, None, step.evidence[-1]))
    for _, chain in chains:
        if chain.status == "in_transit":
            points.append((chain.incident, chain.procedure, chain.step, True, "in_transit", None, chain.evidence[-1]))
    points.extend((d.incident, d.procedure, d.step, True, "dropped", d.started, d.row) for d in drops)
    out: dict[tuple[str, str, str], Unarrived] = {}
    for incident, procedure, at, inclusive, how, started, row in points:
        proc = structure.procedures.get(procedure)
        began = started if started is not None else starts.get(incident, {}).get(procedure)
        if proc is None or began is None:
            continue
        elapsed = r3(max(0.0, until - began))
        for spec in certain_path(proc, at, inclusive):
            if spec.target is None:
                continue
            late = r3(max(0.0, elapsed - r3(float(spec.target))))
            if late > 0:
                out.setdefault((incident, procedure, spec.id), Unarrived(incident, procedure, spec.id, late, how, row))
    return list(out.values())
