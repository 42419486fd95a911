"""The words for the delays in a response that explain none of an objective's shortfall: which test each fails
(too small, no area for improvement — though it could have turned it —, or taken away it would not have changed the
rating), each named by its lever, with its minutes (an on-time share: its late steps)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ballotdrill.scoring.advice import Advisor
from ballotdrill.scoring.model import ObjectiveResult
from ballotdrill.scoring.ranking import MATERIAL_SHARE, Unexplaining, miss_by
from ballotdrill.scoring.text import minutes
from ballotdrill.scoring.windows import explaining_bound

__all__ = ["unexplained"]


def unexplained(advice: Advisor, obj: ObjectiveResult, delays: Sequence[Unexplaining], incident: str | None) -> str:
    """Why none of ``delays`` (:func:`~.ranking.unexplaining`) explains ``obj``, led by what that means for it."""
    lead = (f"no area for improvement explains {obj.id}, though a delay could: "
            if any(d.why == "no_finding_turns" for d in delays) else
            f"no area for improvement explains {obj.id}, though its late steps together could: "
            if any(d.why == "no_finding_together" for d in delays)
            else "the causes of its late steps explain nothing: " if obj.kind == "on_time"
            else f"the delays in the response{_window_words(obj)} explain nothing: ")
    return lead + _why_not(advice, obj, delays, incident)


def _window_words(obj: ObjectiveResult) -> str:
    """Which delays could explain ``obj`` (:func:`~.windows.explaining_bound`): those before its target was passed;
    for M, before it passed the S band's bound; for U, all of those in what it measures."""
    bound = explaining_bound(obj)
    return "" if math.isinf(bound) else " before its target was passed" if bound == obj.target else \
        f" before it passed {bound / obj.target:g} × its target (the most an S rating allows)"


def _why_not(advice: Advisor, obj: ObjectiveResult, delays: Sequence[Unexplaining], incident: str | None) -> str:
    """Which of ``delays`` fails which test of explaining ``obj`` (too small, no area for improvement — though it could
    have turned it —, or taken away it would not have changed the rating, or for a harm whose rating then cannot be
    told, not had its incident contained before its harm passed the target), each named by lever, with its minutes."""
    told = []
    late = obj.kind == "on_time"  # an on-time share: each lever's late steps, not minutes
    missed = miss_by(obj)
    # a delay within a minute of the miss is told to the second beside it, and the miss to the second too (its own
    # rounded minute a mark), so the two never read alike
    near = [d.minutes for d in delays if d.minutes >= missed - 1]
    for why in ("no_finding_turns", "no_finding_together", "small", "no_finding", "no_finding_no_change", "no_change",
                "not_in_time"):
        if not (named := [f"{d.minutes:.0f} late step(s) from {_lever_name(advice, d.lever, incident)}" if late
                          else f"{minutes(d.minutes, (missed,) if near else ())} of "
                          f"{_lever_name(advice, d.lever, incident)}" for d in delays
                          if d.why == why]):
            continue
        items = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
        one = len(named) == 1
        if late and why in _ON_TIME_WORDS:
            even, each = ("", "it") if one else (", even all together", "each")
            told.append(items + _ON_TIME_WORDS[why].format(even=even, each=each))
            continue
        told.append(
            f"{items} {'was' if one else 'were each'} too small to matter (a delay matters from "
            f"{MATERIAL_SHARE:.0%} of {_measured_against(obj)})" if why == "small" else
            f"{items} made no area for improvement" if why == "no_finding" else
            f"{items} made no area for improvement, yet taken away {'it' if one else 'each'} alone could have turned "
            "its rating" if why == "no_finding_turns" else
            f"{items}, taken away{'' if one else ', even together'}, would not have changed its rating"
            + (f" (it was {minutes(missed, (*near, round(missed)))} past {_bound_words(obj)})" if near else "")
            if why == "no_change" else
            f"{items}, taken away{'' if one else ', even together'}, would not have had it contained before its harm "
            "passed the target")
    if late and any(d.why == "no_finding_no_change" for d in delays) and len(delays) > 1:
        told.append("not even every late step named here on time would have changed it")
    return "; ".join(told)


_ON_TIME_WORDS = {  # an on-time share's late steps by lever, and what having them on time would have done
    "no_change": ", on time{even}, would not have changed its rating",
    "no_finding_turns": " made no area for improvement, yet on time {each} alone would have turned its rating",
    "no_finding_together": " made no area for improvement; on time, with every other late step named here, they "
                           "would have turned its rating",
    "no_finding_no_change": " made no area for improvement and, on time{even}, would not have changed its rating"}


def _lever_name(advice: Advisor, lever: str, incident: str | None) -> str:
    """What a delay on ``lever`` was, in words: waiting at an actor, failed or slow handoffs on a channel, a decision
    loop bringing a step back, or slow work on a step."""
    kind, _, name = lever.partition(":")
    if kind == "actor":
        return f"waiting at {advice.who(name)}"
    if kind == "decision":
        return f"decisions waiting for an answer at {advice.who(name)}"
    if kind == "channel":
        return f"failed handoffs on {name}"
    if kind == "delivery":
        return f"slow handoffs on {name}"
    procedure, _, step = name.partition("/")
    if any(h.ping_pong and h.procedure == procedure and h.step == step and (incident is None or h.incident == incident)
           for h in advice.whole.handoffs):
        return f"the decision loop that brought back '{step}'"
    return f"slow work on '{step}'"


def _bound_words(obj: ObjectiveResult) -> str:
    """The bound a time objective was missed by (:func:`~.ranking.miss_by`): its target, or an S rating's bound."""
    return "its target" if explaining_bound(obj) == obj.target else "the most an S rating allows"


def _measured_against(obj: ObjectiveResult) -> str:
    """What a delay must be a material share of to explain ``obj`` (:func:`.ranking.material_delay`)."""
    return "the target" if obj.kind == "time" else "the time its harm took to pass the target"
