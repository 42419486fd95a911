"""Weighing findings: each finding's weight from the objectives its lever explains and the share of the run's harm
behind it, and its priority from the weight (the rules are :mod:`.ranking`'s, stated in its ``RANKING_TERMS``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ballotdrill.scoring.advice import Advisor
from ballotdrill.scoring.delays import Delay, delay_spans
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.ranking import (
    HARM_POINTS,
    LOSS_POINTS,
    OBJECTIVE_POINTS,
    HarmBehind,
    Ranked,
    Weighing,
    explaining_levers,
)
from ballotdrill.scoring.text import HARM_MEASURES
from ballotdrill.scoring.turning import containment_chance

__all__ = ["priority_of", "weigh"]


def weigh(scores: Scores, advice: Advisor, findings: Sequence[Ranked], harm: HarmBehind,
          on_time_levers: Mapping[str, Mapping[str, tuple[int, int]]],
          passed: Mapping[str, float] | None = None,
          paths: HarmPaths | None = None,
          on_time_counts: Mapping[str, tuple[int, int]] | None = None) -> tuple[list[Weighing], dict[str, str]]:
    """The :class:`Weighing` of each finding, and which lever explains each objective rated S, M or U
    (``passed``: objective id -> t when its harm passed the target, :mod:`~ballotdrill.scoring.passing`;
    ``paths``: which steps could change an incident's harm; ``on_time_counts``: per on-time share's subject, the
    steps it counts and those on time)."""
    paths = paths if paths is not None else HarmPaths(advice.structure)
    spans = delay_spans(scores, advice, paths)
    explained: dict[str, str] = {}
    points: Delay = defaultdict(float)
    named: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    for finding in findings:
        titles.setdefault(finding.lever, finding.title)
    for obj in scores.objectives:
        if obj.rating in OBJECTIVE_POINTS:
            found = explaining_levers(obj, scores, spans, findings, on_time_levers.get(obj.subject, {}), passed,
                                      paths, (on_time_counts or {}).get(obj.subject))
            if found is None:
                continue
            explained[obj.id] = found.levers[0]
            for lever in found.levers:
                points[lever] += OBJECTIVE_POINTS[obj.rating] / len(found.levers)
                others = [titles.get(other, other) for other in found.levers if other != lever]
                named[lever].append(_explains_text(obj, others, found.together,
                                                   containment_chance(obj, scores, paths)))

    def share(finding: Ranked) -> float:
        best = 0.0
        behind = harm.unanswered.get(finding.lever, {}) if finding.cause == "none" else (
            harm.levers.get(finding.lever, {}) if finding.lever else {})
        for measure in HARM_MEASURES:
            if harm.total[measure] > 0:
                best = max(best, behind.get(measure, 0.0) / harm.total[measure])
        return round(best, 3)

    out = []
    spoken: set[str] = set()
    for finding in findings:
        loss = LOSS_POINTS if finding.cause in ("deadline", "drop") else 0.0
        if finding.cause == "objective" or finding.lever in spoken:  # the lever's first finding speaks for it
            out.append(Weighing([], 0.0, finding.own + loss))
            continue
        spoken.add(finding.lever)
        harm_share = share(finding)
        weight = HARM_POINTS * harm_share + loss + points.get(finding.lever, 0.0)
        out.append(Weighing(named.get(finding.lever, []), harm_share, round(weight, 3)))
    return out, explained


def _explains_text(obj: ObjectiveResult, others: Sequence[str], together: bool, chance: str = "") -> str:
    """How a finding names an objective its lever explains: ``O1 (U)``, or shared with the findings of ``others``
    (its weight split between them) and whether it turns only with all their delays taken away or with any one;
    ``chance``: the containment the turn rests on, when only a chance (:func:`~.turning.containment_chance`)."""
    held = f", {chance}" if chance else ""
    if not others:
        return f"{obj.id} ({obj.rating}{held})"
    with_ = " and ".join(f"“{title}”" for title in others)
    both = "both" if len(others) == 1 else f"all {len(others) + 1}"
    turns = (f"it turns only if the delays of {both} are taken away" if together else
             f"taking {'either' if len(others) == 1 else 'any one'} of the delays away alone would have turned it")
    return f"{obj.id} ({obj.rating}; shared with {with_}: {turns}{held})"


def priority_of(weight: float, base: int) -> int:
    """Priority 1 (most urgent) to 5 from the weight; a finding of weight 0 keeps its kind's own, at best 4."""
    if weight >= 4:
        return 1
    if weight >= 2:
        return 2
    if weight > 0:
        return 3
    return max(4, base)
