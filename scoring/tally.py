"""Run-wide counts, folded one incident at a time: totals, handoff counts, latencies and on-time shares (what a step
instance or a handoff adds: :mod:`.foldrules`).

Each incident's scores pass here once, when the streaming scorer lets go of it (a background
arrival that is final) or at the end of the run, so the counts cover every incident while only
the open ones are held. Latencies are summed exactly
(:class:`~ballotdrill.scoring.exactsum.ExactSum`): their means are those of every value, none kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.foldone import ChainCounts, StepCounts
from ballotdrill.scoring.measured import HarmLike, IncidentLike, StepLike
from ballotdrill.scoring.model import (
    HandoffSummary,
    Totals,
    r3,
    r3n,
)
from ballotdrill.scoring.ontime import OnTimeTally
from ballotdrill.scoring.unarrived import HOW_WORDS, Unarrived


class RunTally:
    """Counts over every incident, step instance and handoff folded in; ``procedures``: those whose on-time share
    an objective measures (``evidence=False``: the shares without their rows, :class:`OnTimeTally`)."""

    def __init__(self, procedures: Iterable[str] = (), evidence: bool = True) -> None:
        self.incidents = self.open_incidents = 0
        self.steps_completed = self.steps_open = self.steps_with_target = self.late_steps = 0
        self.deadlines_missed = 0
        self.handoffs = self.received = self.failed_attempts = self.reroutes = self.ping_pongs = 0
        self.drops = self.in_transit = self.overdue = self.unstaffed = 0
        self.late_unreached = 0
        self.latencies = ExactSum()
        self.reach = self.voter_minutes = self.station_minutes = 0.0
        self.on_time = OnTimeTally(procedures, evidence)

    def incident(self, times: IncidentLike) -> None:
        self.incident_resolved(times.to_resolve is not None)

    def incident_resolved(self, resolved: bool) -> None:
        """Count an incident by whether it was resolved alone (all the totals read of it)."""
        self.incidents += 1
        self.open_incidents += not resolved

    def harm(self, harm: HarmLike) -> None:
        self.reach += harm.reach
        self.voter_minutes += harm.voter_minutes
        self.station_minutes += harm.station_minutes

    def count_work(self, counted: StepCounts, handed: ChainCounts, steps: Iterable[tuple[int, StepLike]]) -> None:
        """Add the counts of the step instances ``steps`` and of some handoffs (:mod:`.foldrules`, where the handoffs'
        latencies are folded in), and the steps' on-time shares."""
        completed, still_open, judged, late, missed = counted
        self.steps_completed += completed
        self.steps_open += still_open
        self.steps_with_target += judged
        self.late_steps += late
        self.deadlines_missed += missed
        handoffs, received, failed, rerouted, ping_pongs, drops, in_transit, overdue, unstaffed = handed
        self.handoffs += handoffs
        self.received += received
        self.failed_attempts += failed
        self.reroutes += rerouted
        self.ping_pongs += ping_pongs
        self.drops += drops
        self.in_transit += in_transit
        self.overdue += overdue
        self.unstaffed += unstaffed
        if judged:
            self.on_time.add(step for _, step in steps)

    def count_unreached(self, steps: Iterable[Unarrived]) -> None:
        """Count the steps whose work had not reached them when the run stopped, their target passed: late, in the
        late steps and the on-time shares (:mod:`.unarrived`)."""
        for step in steps:
            self.steps_with_target += 1
            self.late_steps += 1
            self.late_unreached += 1
            self.on_time.add_unreached(step.procedure, step.late_by, step.row, HOW_WORDS[step.how])

    def summary(self, per_incident: dict[str, int]) -> HandoffSummary:
        """Run-wide handoff counts; ``per_incident``: handoffs of the incidents listed one by one."""
        return HandoffSummary(
            total=self.handoffs, received=self.received, failed_attempts=self.failed_attempts,
            reroutes=self.reroutes, ping_pongs=self.ping_pongs, drops=self.drops, in_transit=self.in_transit,
            overdue=self.overdue, unstaffed=self.unstaffed,
            mean_latency=r3n(self.latencies.mean()),
            per_incident=dict(sorted(per_incident.items())),
        )

    def totals(self, unstaffed_queued: int, decisions: int, defaulted: int) -> Totals:
        return Totals(
            incidents=self.incidents, open_incidents=self.open_incidents, steps_completed=self.steps_completed,
            steps_open=self.steps_open, steps_with_target=self.steps_with_target, late_steps=self.late_steps,
            late_unreached=self.late_unreached, deadlines_missed=self.deadlines_missed, handoffs=self.handoffs,
            handoff_failures=self.failed_attempts,
            drops=self.drops, in_transit=self.in_transit, reroutes=self.reroutes, ping_pongs=self.ping_pongs,
            unstaffed_queued=unstaffed_queued, decisions=decisions, decisions_defaulted=defaulted,
            on_time=self.on_time.share("all").value, reach=r3(self.reach), voter_minutes=r3(self.voter_minutes),
            station_minutes=r3(self.station_minutes),
        )
