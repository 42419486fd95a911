"""Background incidents left open after their containment failed: a containing step of theirs completed without
containing them (its draw failed) and nothing of their response followed, so each stayed open to the end (doing
harm while its polls or wave went on) — told before only as "still open at the end" in the background table.

Folded one incident at a time by the digest (:func:`fold_left_open`, per procedure: its lever ``procedure:P``, whose
fix is a further containing step or a likelier one), which also counts the stretch from the failed step's completion
to the end as that lever's share of the incident's harm window, as a delay's is; told as one finding per procedure
(:func:`left_open_findings`), weighed by that share of the run's harm.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.advice import Incidents
from ballotdrill.scoring.delays import Span
from ballotdrill.scoring.model import EVIDENCE_ROWS, Handoff, IncidentTimes, Scores, StepResult
from ballotdrill.scoring.plan import capability_of, element_of
from ballotdrill.scoring.text import chance_words, clock

__all__ = ["LeftOpen", "failed_containments", "fold_left_open", "further_step_fix", "left_open_findings"]


def further_step_fix(step: str, kind: str, procedure: str) -> str:
    """The fix for a containing step whose draw failed: a likelier one, or a further one after it."""
    return (f"Make '{step}' likelier to contain {kind.replace('_', ' ')} incidents, or give {procedure} a further "
            "containing step should it fail")


class LeftOpen:
    """The incidents of one procedure left open after their containment failed: how many, per inject, the first
    :data:`~ballotdrill.scoring.model.EVIDENCE_ROWS` (each with the failed step) and the failed steps' rows."""

    __slots__ = ("count", "first", "incidents", "injects", "kind", "steps")

    def __init__(self) -> None:
        self.count = 0
        self.incidents = Incidents()
        self.injects: dict[str, int] = {}
        self.steps: dict[str, float] = {}
        """Per containing step that failed: its chance."""
        self.first: list[tuple[IncidentTimes, StepResult]] = []
        self.kind = ""

    def add(self, times: IncidentTimes, failed: StepResult, chance: float) -> None:
        self.count += 1
        self.incidents.add(times.incident)
        self.injects[times.inject] = self.injects.get(times.inject, 0) + 1
        self.steps.setdefault(failed.step, chance)
        self.kind = self.kind or times.type
        if len(self.first) < EVIDENCE_ROWS:
            self.first.append((times, failed))


def failed_containments(times: IncidentTimes, steps: Sequence[StepResult],
                        structure: Structure | None) -> list[tuple[StepResult, float]]:
    """The containing steps of an incident that completed without containing it (while it stayed open after them:
    open at the end, or contained or ended only later), each with its chance, in the order they completed."""
    if structure is None:
        return []
    ended = None if times.to_contain is None else times.started_at + times.to_contain
    found: list[tuple[StepResult, float]] = []
    for step in steps:
        proc = structure.procedures.get(step.procedure)
        spec = next((s for s in proc.steps if s.id == step.step), None) if proc is not None else None
        if spec is not None and spec.effect is not None and spec.effect.contains and step.completed_at is not None \
                and (ended is None or step.completed_at < ended):
            found.append((step, spec.effect.chance))
    return sorted(found, key=lambda sc: sc[0].completed_at or 0.0)


def _failed_last(times: IncidentTimes, steps: Sequence[StepResult], chains: Sequence[Handoff],
                 structure: Structure | None) -> tuple[StepResult, float] | None:
    """The last containing step of a background incident still open at the end that completed without containing
    it, with its chance, when nothing of its response was still under way (no step open, no handoff travelling)."""
    if not times.background or times.to_contain is not None or times.to_resolve is not None \
            or any(s.completed_at is None for s in steps) or any(c.status == "in_transit" for c in chains):
        return None
    return max(failed_containments(times, steps, structure), key=lambda sc: sc[0].completed_at or 0.0, default=None)


def fold_left_open(kept: dict[str, LeftOpen], times: IncidentTimes | None, steps: Sequence[StepResult],
                   chains: Sequence[Handoff], structure: Structure | None, until: float | None) -> Span | None:
    """Fold one incident into ``kept`` (per procedure) if it was left open after its containment failed; the
    stretch from that failure to the end, on the procedure's lever (None otherwise)."""
    failed = _failed_last(times, steps, chains, structure) if times is not None and until is not None else None
    if failed is None or times is None or until is None:
        return None
    step, chance = failed
    group = kept.get(step.procedure)
    if group is None:
        group = kept[step.procedure] = LeftOpen()
    group.add(times, step, chance)
    return Span(f"procedure:{step.procedure}", step.completed_at or until, until)


def left_open_findings(improve: Callable[..., None], scores: Scores, left_open: Mapping[str, LeftOpen]) -> None:
    """One finding per procedure whose background incidents stayed open after their containment failed (``left_open``,
    the digest's), each given to ``improve`` (an area for improvement's size and fields)."""
    end = clock(scores.start, scores.until if scores.until is not None else scores.end)
    for procedure, group in left_open.items():
        failed = group.first[0][1]
        kind = group.kind.replace("_", " ")
        where = ", ".join(f"{count} from inject {inject}" for inject, count in group.injects.items())
        named = "; ".join(f"{t.incident} ('{s.step}' done at {clock(scores.start, s.completed_at)})"
                          for t, s in group.first[:5]) + (f" and {group.count - 5} more" if group.count > 5 else "")
        steps = " or ".join(f"'{s}' ({chance_words(c)})" for s, c in group.steps.items())
        improve(
            group.count, title=f"{group.count} {kind} incident(s) left open after their containment failed "
            f"({procedure})",
            detail=f"{group.count} background incident(s) ({where}) were still open at {end}: {steps} completed "
            f"without containing them and nothing of their response followed: {named}.",
            root_cause=f"containment failed with nothing after it: {steps} did not contain them and {procedure} "
            "ended there",
            cause="containment", actor=failed.actor, priority=3, lever=f"procedure:{procedure}",
            capability=capability_of(scores, set(group.incidents.listed()), procedure, "Operational coordination"),
            element=element_of("containment"), incidents=group.incidents.listed(),
            evidence=sorted(s.evidence[-1] for _, s in group.first if s.evidence),
            recommendation=further_step_fix(failed.step, group.kind, procedure))
