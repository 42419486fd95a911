"""The short summary of a run that ``ballotdrill run`` prints: what happened and where work waited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ballotdrill.scoring.bottleneck import ranked_queues
from ballotdrill.scoring.model import ActorLoad, Scores


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
        "objectives": {
            obj.id: {"capability": obj.capability, "rating": obj.rating, "value": obj.value, "target": obj.target}
            for obj in scores.objectives
        },
    }


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
