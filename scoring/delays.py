"""Delay attribution: the stretches of delay of an incident's response, each on the lever that caused it.

The delay an incident's response suffered is split over levers, each as a stretch of the run: the queue waits of its
steps go to their actor; the time its handoffs took, when an attempt failed, beyond what an attempt on the first
channel takes by design (its mean latency, :func:`~ballotdrill.scoring.usual.failure_stretch`) to the channel they
were first sent on; a handoff received without a failure later than its channel's usual latency, or still overdue in
transit, to that channel's slow deliveries (``delivery:C``, apart from its failures: that finding is about slowness,
never a title about failures); the work of a late step beyond the structure's own usual duration for it (however
little: slow work or not) to the step; a decision put to a player, from its request to its answer (or the default
applied at its timeout), to its actor's decisions (no work of the step). A step late only because the designed path
is longer than its target adds no delay: that is the design, and shows as a finding about the target.

The ranking (:mod:`~ballotdrill.scoring.ranking`) weighs these stretches against what each objective measures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ballotdrill.scoring.advice import (
    Advisor,
    Cause,
    actor_lever,
    channel_lever,
    decision_lever,
    delivery_lever,
    step_lever,
)
from ballotdrill.scoring.designed import loop_span
from ballotdrill.scoring.desks import desk_of
from ballotdrill.scoring.harmpath import HarmPaths
from ballotdrill.scoring.measured import HandoffMeasure
from ballotdrill.scoring.model import DecisionWait, Handoff, Scores, StepResult
from ballotdrill.scoring.stepcause import step_cause
from ballotdrill.scoring.usual import failure_stretch

__all__ = [
    "Delay", "Span", "answer_span", "delay_between", "delay_spans", "delivered_late", "slow_delivery", "spans_of",
]


Delay = dict[str, float]
"""Minutes of delay per lever."""


class Span(NamedTuple):
    """A stretch of delay on one lever, in journal minutes (``harm``: the delayed step could change its
    incident's harm, :mod:`~ballotdrill.scoring.harmpath`; ``at``: the delayed step, as procedure and step)."""

    lever: str
    lo: float
    hi: float
    harm: bool = True
    at: tuple[str, str] | None = None
    behind: bool = False
    """A queue wait behind other work (its actor on duty): arriving sooner, the work would have waited longer."""


def delay_spans(scores: Scores, advice: Advisor, paths: HarmPaths | None = None) -> dict[str, list[Span]]:
    """Per incident: the stretches of delay of its response, each on its lever (queue waits, failed or
    overdue handoffs beyond the channel's usual latency, slow steps), each saying whether it could change the
    incident's harm (``paths``: which steps could, else read from the structure alone)."""
    paths = paths if paths is not None else HarmPaths(advice.structure)
    ran: dict[str, set[str]] = defaultdict(set)
    for step in scores.steps:
        ran[step.incident].add(step.procedure)
    times = {inc.incident: inc for inc in scores.incidents}
    every = {incident: paths.for_incident(times.get(incident), procedures) for incident, procedures in ran.items()}
    out: dict[str, list[Span]] = defaultdict(list)
    for step in scores.steps:
        cause = step_cause(step, advice) if step.on_time is False and step.late_by else None
        harm = paths.moves(step.procedure, step.step, every.get(step.incident, True))
        out[step.incident].extend(spans_of(step, None, cause, advice, scores.until, harm))
    for chain in scores.handoffs:
        harm = paths.moves(chain.procedure, chain.step, every.get(chain.incident, True))
        loop = loop_span(chain, scores.steps, scores.until) if chain.ping_pong else None
        out[chain.incident].extend(spans_of(None, chain, None, advice, scores.until, harm, loop))
    for tally in scores.decisions:
        for wait in tally.waits:
            answer_span(out[wait.incident], wait, decision_lever(tally.actor),
                       paths.moves(wait.procedure, wait.step, every.get(wait.incident, True)))
    return out


def answer_span(spans: list[Span], wait: DecisionWait, lever: str, harm: bool) -> None:
    """A decision's wait for its answer (or its timeout) as a span of its own in ``spans`` (its incident's), on
    ``lever``; the decision step's slow work, which ends where the decision was made, loses those minutes (they were
    no work)."""
    at = (wait.procedure, wait.step)
    slow = step_lever(*at)
    for index, span in enumerate(spans):
        if span.lever == slow and span.at == at and abs(span.hi - wait.made_at) < 1e-9:
            spans[index] = span._replace(hi=min(span.hi, wait.requested_at))
    spans[:] = [span for span in spans if span.lo < span.hi]
    if wait.requested_at < wait.made_at:
        spans.append(Span(lever, wait.requested_at, wait.made_at, harm, at))


def spans_of(step: StepResult | None, chain: Handoff | None, cause: Cause | None, advice: Advisor,
             until: float | None, harm: bool = True, loop: tuple[float, float] | None = None) -> list[Span]:
    """The stretches of delay of one step instance (``cause``: its root cause when it was late) or handoff
    (``harm``: whether the step it delays could change its incident's harm; ``loop``: the stretch its decision
    loop cost, for a ping-pong handoff, :func:`~ballotdrill.scoring.designed.loop_span`, on the lever of the
    step it brought back).

    A handoff still travelling at the end counts its delay up to the end: none when by then it had not taken
    longer than its first channel usually takes (it might still have arrived in its usual time). Every span
    returned is a stretch of some length (``lo < hi``)."""
    at = (step.procedure, step.step) if step is not None else (chain.procedure, chain.step) if chain else None
    found = _spans(step, chain, cause, advice, until)
    if chain is not None and loop is not None:
        found.append(Span(step_lever(chain.procedure, chain.step), *loop))
    return [span._replace(harm=harm, at=at) for span in found if span.lo < span.hi]


def _spans(step: StepResult | None, chain: Handoff | None, cause: Cause | None, advice: Advisor,
           until: float | None) -> list[Span]:
    out: list[Span] = []
    if step is not None:
        if step.wait and step.queued_at is not None:
            out.append(Span(actor_lever(desk_of(advice.structure, step)), step.queued_at, step.queued_at + step.wait,
                            behind=not step.unstaffed))
        if step.on_time is False and step.late_by:  # its work beyond its usual, however much: slow or not
            end = step.completed_at if step.completed_at is not None else float(until or 0.0)
            usual = advice.usual_duration(step)
            work = end - (step.started_at if step.started_at is not None else end)
            excess = work - usual if usual is not None else \
                step.late_by if cause is not None and cause.kind == "slow_work" else 0.0
            out.append(Span(step_lever(step.procedure, step.step), end - excess, end))
    if chain is not None:
        took = chain.latency if chain.latency is not None else chain.in_transit_for or 0.0
        if chain.failures:
            out.append(Span(channel_lever(chain.first_channel), *failure_stretch(chain, advice.structure)))
        elif chain.status == "in_transit" and chain.overdue:
            out.append(Span(delivery_lever(chain.channel), chain.sent_at + (chain.usual_latency or 0.0),
                            chain.sent_at + took))
        elif slow_delivery(chain, advice):
            out.append(Span(delivery_lever(chain.channel), chain.sent_at + advice.usual_latency(chain.channel),
                            chain.sent_at + took))
    return out


def slow_delivery(chain: Handoff | HandoffMeasure, advice: Advisor) -> bool:
    """Whether ``chain`` was received without a failed attempt later than its channel usually takes (its 90th
    percentile latency, :meth:`~ballotdrill.scoring.advice.Advisor.usual_latency`)."""
    return delivered_late(chain.status, chain.failures, chain.channel, chain.latency, advice.usual_latency)


def delivered_late(status: str, failures: int, channel: str | None, latency: float | None,
                   usual: Callable[[str], float]) -> bool:
    """:func:`slow_delivery` of a handoff's fields; ``usual``: a channel's usual latency."""
    return status == "received" and not failures and channel is not None and latency is not None \
        and latency > usual(channel) + 1e-9


def delay_between(spans: Sequence[Span], lo: float, hi: float, harm: bool = False) -> Delay:
    """Minutes of each lever's delay between ``lo`` and ``hi`` (``harm``: only delays that could change the
    incident's harm)."""
    out: Delay = defaultdict(float)
    for span in spans:
        if harm and not span.harm:
            continue
        overlap = min(span.hi, hi) - max(span.lo, lo)
        if overlap > 0:
            out[span.lever] += overlap
    return out
