"""The short summary of a run that ``ballotdrill run`` prints: what happened and where work waited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ballotdrill.scoring.bottleneck import MIN_WAITS, busiest, is_queue, ranked_queues
from ballotdrill.scoring.digest import QUEUE_P90
from ballotdrill.scoring.model import ActorLoad, ObjectiveResult, Scores
from ballotdrill.scoring.text import hour_label, minutes, percent

QUEUE_RULE = (f"a queue (at least {MIN_WAITS} pieces of work waited, {MIN_WAITS} of them at once at some moment, and "
              f"the 90th-percentile wait reached {minutes(QUEUE_P90)}), the one where work waited longest in all; "
              "one long wait is not a queue, nor are waits one at a time")
"""What makes an actor the bottleneck, in the words of :mod:`~ballotdrill.scoring.bottleneck`'s own constants."""
NO_QUEUE = f"no queue (fewer than {MIN_WAITS} waits, never {MIN_WAITS} at once, or p90 under {minutes(QUEUE_P90)})"
"""Why a run has no bottleneck, from the same constants: no actor met the rule."""


def run_summary(scores: Scores) -> dict[str, Any]:
    """Per actor load, per incident timeliness (minutes), objective ratings and run totals, as plain data."""
    return {
        "scenario": scores.scenario,
        "seed": scores.seed,
        "minutes": scores.until,
        "totals": scores.totals.model_dump(mode="json"),
        "actors": {
            load.actor: {
                "utilisation": load.utilisation,
                "queue_wait": {"mean": load.wait_mean, "p90": load.wait_p90, "max": load.wait_max},
                "max_queue": load.longest_queue,
                "queued_at_end": load.queued_at_end,
                "steps": load.steps,
            }
            for load in scores.load
        },
        "incidents": {
            inc.incident: {"type": inc.type, "severity": inc.severity, "detect": inc.to_detect,
                           "first_action": inc.to_first_action, "contain": inc.to_contain, "resolve": inc.to_resolve}
            for inc in scores.incidents
        },
        "objectives": {obj.id: _objective(obj) for obj in scores.objectives},
    }


def _objective(obj: ObjectiveResult) -> dict[str, Any]:
    """An objective as the summary gives it. Not exercised (NE): no value, and the reason, so that no script reads
    the measure taken on the way (the minutes until its incident ended by itself, under the target) as met;
    scores.json keeps that measure beside its rating, value_text and reason."""
    if obj.rating == "NE":
        return {"capability": obj.capability, "rating": obj.rating, "value": None, "target": obj.target,
                "reason": obj.reason}
    return {"capability": obj.capability, "rating": obj.rating, "value": obj.value, "target": obj.target}


class Loaded(Protocol):
    """Anything with every actor's load (a run's scores, or its measures alone)."""

    @property
    def load(self) -> Sequence[ActorLoad]: ...


def bottlenecks(scores: Loaded, top: int = 3) -> list[tuple[str, float, float]]:
    """The bottleneck actors (:mod:`~ballotdrill.scoring.bottleneck`: a queue, most minutes waited in all first):
    ``(actor, p90 wait, utilisation)``."""
    return [(load.actor, load.wait_p90 or 0.0, load.utilisation or 0.0) for load in ranked_queues(scores.load)][:top]


def longest_waits(scores: Loaded, top: int = 3) -> list[tuple[str, float, float]]:
    """The actors where work waited longest: ``(actor, p90 wait, utilisation)``, worst first."""
    waited = [(load.actor, load.wait_p90 or 0.0, load.utilisation or 0.0) for load in scores.load
              if (load.wait_p90 or 0.0) > 0]
    return sorted(waited, key=lambda row: (-row[1], row[0]))[:top]


def wait_text(value: float | None) -> str:
    """A wait in minutes, never rounded up to the queue threshold it is below (``14.9 min``, not ``15 min``)."""
    if value is not None and value < QUEUE_P90 <= round(value):
        return f"{value:.1f} min"
    return minutes(value)


def _pieces(load: ActorLoad) -> str:
    work = load.steps + load.queued_at_end
    return f"{load.waited:,} of {work:,} piece{'s' if work != 1 else ''}"


def _busy(load: ActorLoad) -> str:
    """``100% busy 08:00–09:00, 14% over the run``: the run's figure alone reads as idle beside a queue that built up
    in a rush (:func:`~ballotdrill.scoring.bottleneck.utilisation_text`, the report's longer wording)."""
    run = f"{percent(load.utilisation)} over the run"
    peak = busiest(load)
    if peak is None:
        return f"busy {run}"
    busy, hour = peak
    return f"{percent(busy, (1.0,))} busy {hour_label(hour.hour)}, {run}"


def waiting_lines(loads: Sequence[ActorLoad]) -> list[str]:
    """Where work waited, by the report's rule (:data:`QUEUE_RULE`): the bottleneck, or :data:`NO_QUEUE`; then the
    longest single wait when it was elsewhere (one long wait is not a queue, but a change to it should show)."""
    queues = ranked_queues(loads)
    longest = max((a for a in loads if a.wait_max), key=lambda a: (a.wait_max or 0.0, a.actor), default=None)
    if longest is None:
        return ["no work waited for staff"]
    if queues:
        top = queues[0]
        lines = [f"bottleneck: {top.name} (p90 wait {wait_text(top.wait_p90)}, {_pieces(top)} of work waited, "
                 f"{_busy(top)})"
                 + (f"; also a queue at {', '.join(a.name for a in queues[1:])}" if len(queues) > 1 else "")]
    else:
        lines = [f"bottleneck: none, {NO_QUEUE}"]
    if not queues or longest is not queues[0]:
        lines.append(f"longest single wait: {wait_text(longest.wait_max)} at {longest.name} (p90 "
                     f"{wait_text(longest.wait_p90)}, {_pieces(longest)} of work waited"
                     + ("" if is_queue(longest) else ": not a queue") + ")")
    return lines
