"""An objective's cause told on its own incidents only.

The finding whose lever explains an objective speaks for every instance on that lever: a step late for several
incidents names the worst of them, which may be another incident's (a background arrival's slow work, which held
nothing of the objective's incident up). The objective's own finding keeps its lever and tells the late steps of
its own incidents on it, and, when a containing step of its incident completed before its target was passed but
did not contain it (its draw failed), that failure too: it is what kept the incident open.
"""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.scenarios.measures import parse_interval
from ballotdrill.scenarios.structure import Step
from ballotdrill.scoring.advice import Advisor, Cause
from ballotdrill.scoring.areas import Finding
from ballotdrill.scoring.model import ObjectiveResult, StepResult
from ballotdrill.scoring.stepcause import step_cause
from ballotdrill.scoring.text import HARM_NOUNS, chance_words, clock

__all__ = ["failed_containment", "kept_open", "own_late"]

PER_INSTANCE = ("late_step", "deadline")
"""The kinds of finding whose root cause tells one instance of a step (another incident's, maybe)."""


def own_late(related: Finding, subject: Sequence[str], advice: Advisor) -> Cause | None:
    """The cause, on ``related``'s lever, of the late steps of an objective's incidents (``subject``), the worst
    told, when ``related`` (a late step's or a missed deadline's finding) names other incidents' instances; None when
    it names the objective's incidents only, or none of their late steps has its cause on that lever."""
    if related.cause not in PER_INSTANCE or not subject or set(related.incidents) <= set(subject):
        return None
    scores = advice.whole
    on_lever: list[tuple[float, StepResult, Cause]] = []
    for incident in subject:
        steps = [s for s in scores.steps if s.incident == incident]
        local = advice.local(steps, [h for h in scores.handoffs if h.incident == incident], scores.until)
        for step in steps:
            if step.on_time is False or step.deadline_met is False:
                why = step_cause(step, local)
                if why.lever == related.lever:
                    on_lever.append((_late_by(step), step, why))
    if not on_lever:
        return None
    _, worst, why = max(on_lever, key=lambda c: (c[0], -c[1].evidence[-1] if c[1].evidence else 0))
    if len(on_lever) == 1:
        return why
    return why._replace(text=f"{len(on_lever)} late steps of {', '.join(subject)} on this, the worst "
                        f"'{worst.step}' ({worst.incident}): {why.text}")


def kept_open(advice: Advisor, obj: ObjectiveResult, passed_at: float | None) -> tuple[str, list[int]]:
    """``; 'S' completed at 10:00 but did not contain I1 (a 70% chance), so I1 was still open when its
    station-minutes passed the target at 10:24``: the failed draw of a containing step of the incident a harm (or
    time to containment) objective measures, completed before its target was passed (``passed_at``) with the
    incident still open then, with its row; else nothing."""
    incident = _measured_incident(advice, obj)
    if incident is None or passed_at is None:
        return "", []
    times = next(i for i in advice.whole.incidents if i.incident == incident)
    if times.to_contain is not None and times.started_at + times.to_contain <= passed_at + 1e-9:
        return "", []
    procedures = sorted({s.procedure for s in advice.whole.steps if s.incident == incident})
    failed = failed_containment(advice, incident, procedures, passed_at)
    if failed is None:
        return "", []
    done, spec = failed
    chance = spec.effect.chance if spec.effect is not None else 1.0
    noun = HARM_NOUNS.get(obj.kind)
    start = advice.whole.start
    return (f"; '{done.step}' completed at {clock(start, done.completed_at)} but did not contain {incident} "
            f"({chance_words(chance)}), so {incident} was still open when "
            f"{f'its {noun} passed' if noun is not None else 'it passed'} the {obj.target_text} target at "
            f"{clock(start, passed_at)}", list(done.evidence[-1:]))


def _measured_incident(advice: Advisor, obj: ObjectiveResult) -> str | None:
    """The incident whose containment a harm objective, or a time to an incident's containment, waits for."""
    known = {i.incident for i in advice.whole.incidents}
    if obj.kind in HARM_NOUNS:
        return next((w for w in obj.subject.split() if w in known), None)
    if obj.kind != "time":
        return None
    try:
        end = parse_interval(obj.subject).end
    except ValueError:
        return None
    return end.incident if end.step is None and end.event == "contained" and end.incident in known else None


def failed_containment(advice: Advisor, incident: str, procedures: Sequence[str],
                       before: float | None = None, only: str | None = None) -> tuple[StepResult, Step] | None:
    """A containing step of ``incident`` (step ``only``, when given) that completed while it stayed open (and,
    when ``before`` is given, before then: one completed after the target was passed did not make it pass): its
    draw failed."""
    if advice.structure is None:
        return None
    inc = next(i for i in advice.whole.incidents if i.incident == incident)
    closed = None if inc.to_contain is None else inc.started_at + inc.to_contain
    for step in advice.whole.steps:
        if step.incident != incident or step.procedure not in procedures or step.completed_at is None \
                or (only is not None and step.step != only):
            continue
        if before is not None and step.completed_at > before:
            continue
        spec = next((s for s in advice.structure.procedures[step.procedure].steps if s.id == step.step), None)
        if spec is not None and spec.effect is not None and spec.effect.contains \
                and (closed is None or closed > step.completed_at + 1e-9):
            return step, spec
    return None


def _late_by(step: StepResult) -> float:
    """How late ``step`` was: past its target, else (a legal deadline alone) past its deadline."""
    if step.late_by is not None:
        return step.late_by
    return max(0.0, (step.elapsed or 0.0) - (step.deadline or 0.0))
