"""Strengths, areas for improvement (with root causes), the improvement plan and key findings.

Derived from :class:`~scoring.model.Scores` alone. Thresholds:

- a *queue* at an actor: 90th-percentile queue wait ≥ ``QUEUE_P90`` (15 min);
- a *failed channel*: at least one failed handoff attempt on it (a drop is worse);
- a *gap in shift cover*: work queued at an actor with nobody on duty;
- a *late step*: a completed step later than its target; a *missed deadline*: later than its
  legal deadline, or never done by then (:mod:`.unreached`); *ping-pong*: work handed back to an actor it had left.

Areas for improvement are ranked by their weight: the objectives their lever explains and the
harm its delay caused (:mod:`ballotdrill.scoring.ranking`); each kind's own priority (missed
deadline or dropped handoff 1, a queue, shift gap or objective rated U 2, failed channel or
objective rated M 3, late step or objective rated S 4, ping-pong 5) only breaks ties. An objective
rated S has a finding of its own only when its designed response itself misses the target (its
own cause says so, :attr:`~ballotdrill.scoring.advice.Cause.design`), weighed as an S is (1).
Each finding's plan row names the organisation owning its lever and the capability element of its root cause
(:mod:`ballotdrill.scoring.plan`).

Recommendations fit the response structure when it is given: a failing channel that already
has a fallback is told to make that fallback the first choice (not to "add a fallback"); a
queue that formed while nobody was on duty gets shift cover, not more staff; slow work that
the structure itself makes longer than its target gets a target review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from ballotdrill.scenarios.scenario import Detection
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.advice import Advisor, Cause, CauseKind, shift_text
from ballotdrill.scoring.areas import Finding, gather
from ballotdrill.scoring.bottleneck import bottleneck_line
from ballotdrill.scoring.channelkey import channel_line
from ballotdrill.scoring.choices import Choices
from ballotdrill.scoring.delays import Span, delay_spans
from ballotdrill.scoring.digest import QUEUE_P90, Digest, digest_of
from ballotdrill.scoring.extended import extension_cause
from ballotdrill.scoring.extensions import Extension
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.model import Frozen, ObjectiveResult, Scores
from ballotdrill.scoring.objective_cause import objective_cause
from ballotdrill.scoring.owncause import kept_open, own_late
from ballotdrill.scoring.passing import Passed
from ballotdrill.scoring.plan import PlanItem, element_of, plan_of, responsible
from ballotdrill.scoring.ranking import (
    OBJECTIVE_POINTS,
    Ranked,
    Unexplaining,
    Weighing,
    unexplaining,
)
from ballotdrill.scoring.slowtold import named_for, slow_words
from ballotdrill.scoring.text import percent
from ballotdrill.scoring.unmeasured import behind_failures, key_line
from ballotdrill.scoring.untaken import faster_branch
from ballotdrill.scoring.wavecap import WaveStart
from ballotdrill.scoring.weighing import priority_of, weigh
from ballotdrill.scoring.windows import target_passed

__all__ = ["QUEUE_P90", "Analysis", "CauseKind", "Finding", "KeyFindings", "PlanItem", "RatedS", "analyse",
           "shift_text"]


class KeyFindings(Frozen):
    """What an evaluator must read first."""

    bottleneck: str | None = None
    bottleneck_text: str
    worst_channel: str | None = None
    """The channel that lost the most handoffs (most drops, then most failures), which the handoff line leads with."""
    worst_channel_text: str
    first_fix: str
    unmeasured_text: str = ""
    """The largest harm no objective measures (:mod:`.unmeasured`); empty (left out of the JSON) when there is none."""
    ratings: dict[str, int] = Field(default_factory=dict)
    evidence: list[int] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _without_empty_unmeasured(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("unmeasured_text"):
            data.pop("unmeasured_text", None)
        return data


class RatedS(Frozen):
    """Why an objective rated S that no area for improvement explains fell short of its target (an objective rated
    S has no finding of its own, as M and U do, unless its designed response itself misses the target), by the rule
    of their findings (:func:`~ballotdrill.scoring.objective_cause.objective_cause`)."""

    objective: str
    cause: str
    lever: str = ""


class Analysis(Frozen):
    """Findings, plan and key findings of a run."""

    strengths: list[Finding] = Field(default_factory=list)
    improvements: list[Finding] = Field(default_factory=list)
    plan: list[PlanItem] = Field(default_factory=list)
    key: KeyFindings
    rated_s: list[RatedS] = Field(default_factory=list)
    """The cause of each objective rated S that no area for improvement explains (nor a finding of its own)."""


def analyse(scores: Scores, names: dict[str, str], structure: Structure | None = None,
            digest: Digest | None = None, detections: Mapping[str, Detection] | None = None,
            passed: Mapping[str, float] | None = None, choices: Choices | None = None,
            extensions: Mapping[str, Extension] | None = None,
            waves: Mapping[str, WaveStart] | None = None) -> Analysis:
    """Strengths, areas for improvement, improvement plan and key findings of ``scores``.

    ``structure`` (the run's response structure) lets recommendations fit it: channel
    fallbacks, shifts and the usual duration of each step. ``digest``: every incident of the run
    folded in (the streaming scorer's, when ``scores`` lists only some background arrivals); None
    folds the incidents of ``scores``. ``detections``: per inject, who notices its incidents (the scenario's
    ``detected_by``), so an objective about an incident nobody noticed is traced to its detection. ``passed``:
    objective id -> t when its harm passed the target (:mod:`.passing`), so only the delay before counts
    (without it a harm objective's whole harm window counts; a time objective's is cut at its target always).
    ``choices``: the decisions the run made with their rows (:mod:`.choices`), so a branch not taken is read from
    the decision itself. ``extensions``: the response's extensions of polling hours (:mod:`.extended`). ``waves``:
    how each incident's wave began (:func:`.wavecap.wave_starts`), so a slowing is advised "sooner" only where that
    could have kept it under the target.

    An objective measured on an incident continuing its subject's (``ObjectiveResult.measured``) is explained on
    that incident: its delays, its causes and its fix are that incident's.
    """
    if any(o.measured for o in scores.objectives):
        scores = scores.model_copy(update={"objectives": [o.as_measured for o in scores.objectives]})
    if digest is None:
        if scores.background.capped:
            raise ValueError("these scores list only some background arrivals: pass the scorer's digest "
                             "(Scorer.digest), or score with cap=None")
        digest = digest_of(scores, names, structure)
    advice = Advisor(scores, names, structure, failures=digest.failures, unstaffed_at=digest.unstaffed_at,
                     detections=detections, choices=choices)
    advice.extensions = extensions or {}
    advice.waves = waves or {}
    advice.passed, advice.paths = passed, digest.paths

    found = gather(scores, digest, advice, names)
    # a consequence (a step late from an earlier delay) never speaks for the lever of the delay that made it late
    causes = [f for _, _, f in sorted(found.improvements,
                                      key=lambda x: (x[0], x[2].title in found.downstream, x[1], x[2].title))]
    size = {id(f): -neg for _, neg, f in found.improvements}
    paths = digest.paths
    weighings, explained = weigh(scores, advice, [Ranked(f.lever, f.cause, f.incidents, title=f.title) for f in causes],
                                 behind_failures(digest.harm_behind(), scores, digest.scripted_harm, structure),
                                 digest.on_time_levers, passed, paths, digest.on_time_counts)
    weighed_levers = {f.lever for f in causes if f.lever}  # the levers weigh() tested: only these can be 'no change'
    causes, weighings = _weighing_ones(causes, weighings, found.if_weighed)
    weighed = [_slow_retold(f, scores, digest, advice, size) for f in _with_weights(causes, weighings, size)]
    spans = delay_spans(scores, advice, paths)
    rated_s, by_design = [], {}
    for obj in scores.objectives:
        if obj.rating == "S" and obj.id not in explained:  # the rule of an M or U objective's own finding
            delays = unexplaining(obj, scores, spans, weighed_levers, passed, paths,
                                  digest.on_time_levers.get(obj.subject), digest.on_time_counts.get(obj.subject))
            own = _own_cause(advice, obj, delays, target_passed(obj, scores, passed, structure), passed)
            if own.design:  # the design itself misses the target: an area for improvement, as an M's would be
                by_design[obj.id] = own
            else:
                rated_s.append(RatedS(objective=obj.id, cause=own.text, lever=own.lever))
    for finding in _objective_findings(scores, advice, weighed, explained, spans, passed, paths, structure, rated_s,
                                       digest.on_time_levers, digest.on_time_counts, by_design):
        weighed.append(finding)
        size[id(finding)] = 0.0

    def rank(f: Finding) -> tuple[int, float, bool, bool, int, float, str]:
        """Priority from the weight, then weight, causes before the objectives they explain, a late step with a
        cause of its own before one late only from the delays before it (its consequence), the kind's own
        priority, size."""
        return (priority_of(f.weight, f.priority), -f.weight, f.cause == "objective", f.title in found.downstream,
                f.priority, -size[id(f)], f.title)

    ordered = [f.model_copy(update={"priority": priority_of(f.weight, f.priority),
                                    "responsible": f.responsible or responsible(f.lever, f.actor, names, structure,
                                                                               f.element)})
               for f in sorted(weighed, key=rank)]
    plan = plan_of(ordered)
    return Analysis(strengths=found.strengths, improvements=ordered, plan=plan, key=_key(scores, plan, ordered),
                    rated_s=rated_s)


def _weighing_ones(causes: list[Finding], weighings: list[Weighing],
                   if_weighed: set[str]) -> tuple[list[Finding], list[Weighing]]:
    """``causes`` and their weighings without the findings kept only if their lever weighs (``if_weighed``, by
    title) whose lever weighs nothing (its first finding speaks for it with weight 0)."""
    lever_weight: dict[str, float] = {}
    for f, w in zip(causes, weighings, strict=True):
        lever_weight.setdefault(f.lever, w.weight)
    kept = [(f, w) for f, w in zip(causes, weighings, strict=True)
            if f.title not in if_weighed or lever_weight[f.lever] > 0]
    return [f for f, _ in kept], [w for _, w in kept]


def _with_weights(causes: list[Finding], weighings: list[Weighing], size: dict[int, float]) -> list[Finding]:
    """Each area for improvement with its weighing; the first finding on a lever, in the kinds' own order, speaks
    for it (the others name it in ``weighed_with``). ``size``: each copy gets its original's."""
    first_on: dict[str, int] = {}
    for index, f in enumerate(causes):
        first_on.setdefault(f.lever, index)
    weighed: list[Finding] = []
    for index, (f, w) in enumerate(zip(causes, weighings, strict=True)):
        spoken = f.lever and first_on[f.lever] != index
        copy = f.model_copy(update={"explains": w.explains, "harm_share": w.harm_share, "weight": w.weight,
                                    "weighed_with": causes[first_on[f.lever]].title if spoken else ""})
        size[id(copy)] = size[id(f)]
        weighed.append(copy)
    return weighed


def _slow_retold(f: Finding, scores: Scores, digest: Digest, advice: Advisor, size: dict[int, float]) -> Finding:
    """A slow-handoffs finding that explains objectives, naming the slowest handoff on their incidents rather than
    the channel's slowest (:func:`~.slowtold.named_for`)."""
    channel = f.lever.partition(":")[2]
    slow = digest.slow.get(channel) if f.explains and f.title == f"Slow handoffs on {channel}" else None
    objectives = [o for o in scores.objectives if any(e.startswith(f"{o.id} (") for e in f.explains)]
    chain = named_for(slow, objectives) if slow is not None else None
    if slow is None or chain is None:
        return f
    which = f"the slowest behind {' and '.join(o.id for o in objectives)}"
    copy = f.model_copy(update=slow_words(chain, slow, channel, scores, advice, which)._asdict())
    size[id(copy)] = size[id(f)]
    return copy


def _own_cause(advice: Advisor, obj: ObjectiveResult, delays: Sequence[Unexplaining],
               passed_at: float | None, passed: Mapping[str, float] | None = None) -> Cause:
    """An objective's own cause: the response's extension of polling hours when its harm passed the target only in
    those minutes, or when the votes lost were the extension's to save
    (:func:`~ballotdrill.scoring.extended.extension_cause`), else
    :func:`~ballotdrill.scoring.objective_cause.objective_cause`."""
    course = (passed.courses if isinstance(passed, Passed) else {}).get(obj.id)  # its harm's course, when known
    return extension_cause(advice, obj, advice.extensions, passed_at) or objective_cause(advice, obj, delays,
                                                                                          passed_at, course)


def _objective_findings(scores: Scores, advice: Advisor, weighed: list[Finding], explained: Mapping[str, str],
                        spans: dict[str, list[Span]], passed: Mapping[str, float] | None, paths: HarmPaths,
                        structure: Structure | None, rated_s: Sequence[RatedS] = (),
                        on_time_levers: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
                        on_time_counts: Mapping[str, tuple[int, int]] | None = None,
                        by_design: Mapping[str, Cause] | None = None) -> list[Finding]:
    """An area for improvement for each objective rated M or U: the finding on the lever that explains it (its
    root cause and fix), else its own cause (:func:`~ballotdrill.scoring.objective_cause.objective_cause`); and for
    each objective rated S that its designed response itself misses (``by_design``: their own causes), weighed as
    an S is (after the M and U ones, which speak first for a lever they share).

    Objectives whose own causes are on one lever (a decision that went another way for two of them) weigh on it
    together, as any lever's: the first of their findings speaks for it with all their points and names them all
    (``rated_s``: the own causes of objectives rated S, which have no finding, count too); the others keep their own
    rating's points and say whose lever weighs theirs."""
    by_lever = {f.lever: f for f in weighed if f.lever and not f.weighed_with}
    known = {i.incident for i in scores.incidents}
    found: list[Finding] = []
    own_levers: dict[int, str] = {}  # a finding's index -> the lever of the objective's own cause
    designed_s = by_design or {}
    for obj in [o for o in scores.objectives if o.rating in ("M", "U")] + \
            [o for o in scores.objectives if o.id in designed_s]:
        lever = explained.get(obj.id)
        related = by_lever.get(lever) if lever else None
        subject = list(dict.fromkeys(w for w in obj.subject.split() if w in known))  # an incident once
        delays = [] if related else unexplaining(obj, scores, spans, set(by_lever), passed, paths,
                                                 (on_time_levers or {}).get(obj.subject),
                                                 (on_time_counts or {}).get(obj.subject))
        passed_at = target_passed(obj, scores, passed, structure)
        own = None if related else designed_s.get(obj.id) or _own_cause(advice, obj, delays, passed_at, passed)
        told = _told_on_own(related, obj, subject, advice, passed_at) if related else None
        found.append(Finding(
            kind="improvement", title=f"Objective {obj.id} rated {obj.rating} ({obj.capability})",
            detail=(f"{obj.value_text} against a target of {obj.target_text}: {obj.reason}."
                    if obj.value is not None and (obj.rating != "U" or obj.kind == "on_time")
                    else f"Not achieved (target {obj.target_text}): {obj.reason}."),
            root_cause=(told.text + (f"; besides, {faster}" if (faster := faster_branch(
                advice, obj, lever or "")) else "") if told else own.text if own else ""),
            cause="objective", actor=related.actor if related else (own.actor if own else None) or None,
            capability=obj.capability, priority={"U": 2, "M": 3}.get(str(obj.rating), 4),
            evidence=sorted({*obj.evidence, *(own.evidence if own else told.evidence if told else [])}),
            lever=lever or (own.lever if own else ""), responsible=related.responsible if related else "",
            element=related.element if related else element_of(own.kind if own else "objective"),
            incidents=subject,
            recommendation=told.fix if told else own.fix if own else "",
            weight=OBJECTIVE_POINTS[str(obj.rating)], explains=[f"{obj.id} ({obj.rating})"] if own else []))
        if own is not None and own.lever:
            own_levers[len(found) - 1] = own.lever
    return _on_own_levers(found, own_levers, rated_s)


def _told_on_own(related: Finding, obj: ObjectiveResult, subject: Sequence[str], advice: Advisor,
                 passed_at: float | None) -> Cause:
    """The root cause and fix of an objective that ``related`` (the finding on the lever explaining it) explains,
    told on its own incidents (:mod:`.owncause`): their late steps on its lever when ``related`` names other
    incidents' instances, and a containing step whose draw failed before its target was passed."""
    own = own_late(related, subject, advice)
    told = own if own is not None else Cause(related.cause, related.root_cause, [], related.recommendation,
                                              related.actor or "", related.lever)
    failed, rows = kept_open(advice, obj, passed_at) if related.cause != "containment" else ("", [])
    return told._replace(text=told.text + failed, evidence=[*told.evidence, *rows])


def _on_own_levers(found: list[Finding], own_levers: Mapping[int, str], rated_s: Sequence[RatedS]) -> list[Finding]:
    """``found`` with the objectives whose own causes share a lever weighed on it together (see
    :func:`_objective_findings`); an objective alone on its lever is left as it was (its own rating's points)."""
    on: dict[str, list[int]] = {}
    for index, lever in own_levers.items():
        on.setdefault(lever, []).append(index)
    out = [f.model_copy(update={"explains": []}) for f in found]
    for lever, indexes in on.items():
        first = found[indexes[0]]
        also_s = [s.objective for s in rated_s if s.lever == lever]
        if len(indexes) + len(also_s) < 2:
            continue
        named = [e for i in indexes for e in found[i].explains] + [f"{o} (S)" for o in also_s]
        weight = sum(found[i].weight for i in indexes) + OBJECTIVE_POINTS["S"] * len(also_s)
        out[indexes[0]] = first.model_copy(update={"explains": named, "weight": weight})
        for i in indexes[1:]:
            out[i] = out[i].model_copy(update={"weighed_with": first.title})
    return out


def _key(scores: Scores, plan: list[PlanItem], ordered: list[Finding]) -> KeyFindings:
    """Bottleneck actor (:func:`~ballotdrill.scoring.bottleneck.bottleneck_line`), the channel that lost the most
    handoffs (:func:`~ballotdrill.scoring.channelkey.channel_line`), first thing to fix.

    When the bottleneck's queue is not the first fix, the bottleneck line says why: the weight of the queue's own
    finding (not of another finding on the actor's lever, such as an objective's late detection there)."""
    bottleneck, cited, b_text = bottleneck_line(scores.load)
    worst, w_text, w_rows = channel_line(scores.channels)
    ratings = {r: sum(o.rating == r for o in scores.objectives) for r in ("P", "S", "M", "U", "NE")}
    if bottleneck is not None:
        lead = ordered[0] if ordered else None
        # the queue's own finding: another on the actor's lever (an objective's late detection there) has its own
        queue = next((f for f in ordered if f.cause == "queue" and f.actor == bottleneck.actor), None)
        if lead is not None and queue is not None and lead.lever != queue.lever and queue.weight < lead.weight:
            explains = f"it explains {', '.join(queue.explains)}" if queue.explains else \
                "it explains no objective rated S, M or U"
            b_text += (f" It is not the first fix: its queue weighs {queue.weight:g} against {lead.weight:g} "
                       f"({explains} and {percent(queue.harm_share)} of the harm).")
    unmeasured, unmeasured_rows = key_line(ordered)
    evidence = sorted({*(cited.evidence if cited else []), *w_rows, *unmeasured_rows})
    return KeyFindings(
        bottleneck=bottleneck.actor if bottleneck else None, bottleneck_text=b_text,
        worst_channel=worst.channel if worst else None, worst_channel_text=w_text,
        first_fix=(_nothing_to_fix(scores) if not plan else
                   f"{plan[0].recommendation} ({plan[0].responsible}; {plan[0].finding})." if plan[0].weight else
                   "Nothing urgent: no area for improvement explains an objective or any harm (all weigh 0); the first "
                   f"of the minor ones: {plan[0].recommendation} ({plan[0].responsible}; {plan[0].finding})."),
        unmeasured_text=unmeasured, ratings=ratings, evidence=evidence,
    )


def _nothing_to_fix(scores: Scores) -> str:
    """"Fix first" when no area for improvement was found, naming the objectives still met only with challenges, or
    saying that no incident happened (then nothing was exercised, and finding nothing proves nothing)."""
    some = [o.id for o in scores.objectives if o.rating == "S"]
    if not scores.totals.incidents:
        return ("Nothing to fix, and nothing was exercised: no incident happened in the played window, so no "
                "response was put to the test.")
    if not some:
        return "Nothing to fix: no area for improvement was found."
    return (f"Nothing to fix first: no area for improvement was found, though {', '.join(some)} "
            f"{'was' if len(some) == 1 else 'were'} rated S (performed with some challenges).")
