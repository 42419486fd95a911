"""A run's measures alone, for a sweep: the same collectors and rules as the scorer, no report records.

A sweep aggregates a run's totals, its objectives' values and ratings, the scripted incidents'
times and harm, each actor's load and each channel's attempts; :class:`MeasureScorer` gives
exactly those, as :class:`~ballotdrill.scoring.stream.Scorer` would for the same events, from
the collectors' running state. Step instances, handoffs and incidents are counted from their
fields (:mod:`.measured`), never built as validated records; a few dozen small records are
still made per run (the objectives, the scripted incidents and their harm, each actor's load,
each channel). What depends only on the scenario is worked out once (:class:`MeasurePlan`).
"""

from __future__ import annotations

import operator
from typing import Any, NamedTuple

from ballotdrill.journal import Event, Row
from ballotdrill.journal.kinds import RUN_STARTED
from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring.decisions import DecisionCollector
from ballotdrill.scoring.exercised import ProcedureOutcomes, Window
from ballotdrill.scoring.feed import Dispatch
from ballotdrill.scoring.foldone import ChainCounts, StepCounts
from ballotdrill.scoring.foldrules import fold_chains, fold_steps
from ballotdrill.scoring.growth import GrowthCollector
from ballotdrill.scoring.handoffs import HandoffCollector, deciding_procedures
from ballotdrill.scoring.harm import HarmCollector
from ballotdrill.scoring.incidents import IncidentCollector, RunClock
from ballotdrill.scoring.leastleft import open_pieces
from ballotdrill.scoring.load import LoadCollector, OnDuty
from ballotdrill.scoring.measured import HarmMeasure
from ballotdrill.scoring.model import ActorLoad, ChannelStats, Harm, IncidentTimes, ObjectiveResult, Totals, unchecked
from ballotdrill.scoring.ratings import PointCollector, harm_subjects, measure_objective, objective_points
from ballotdrill.scoring.steps import CompletedSteps, StepCollector, step_goals
from ballotdrill.scoring.tally import RunTally
from ballotdrill.scoring.unarrived import DropWatch, unarrived
from ballotdrill.scoring.undecided import undecided
from ballotdrill.scoring.voteslost import VotesLostCollector

_new: Any = tuple.__new__


class MeasurePlan:
    """What measuring a run of one scenario needs that does not change from run to run (made once per worker)."""

    def __init__(self, doc: ScenarioFile, scenario_name: str) -> None:
        self.doc = doc = as_played(doc, scenario_name)
        self.scenario_name = scenario_name
        self.scenario = scenario = doc.scenarios[scenario_name]
        self.points = objective_points(scenario)
        self.goals = step_goals(doc.structure)
        self.on_time = tuple(o.measure.subject for o in scenario.objectives if o.measure.kind == "on_time")
        self.harmed = harm_subjects(scenario)
        self.voted = harm_subjects(scenario, ("votes_lost",))
        """The incidents ``votes_lost`` objectives measure (:mod:`.voteslost`)."""
        self.named = frozenset({p.incident for p in self.points} | set(self.harmed) | set(self.voted))
        """Incidents the objectives name (and those carrying them on): measured whole, background or not."""
        self.deciding = deciding_procedures(doc.structure)
        """The procedures with a decision step: only their runs can loop back (ping-pong)."""
        self.duty = OnDuty()
        """The actors' on-duty hours, worked out once per staff pattern for the runs measured with this plan."""


class RunMeasures(NamedTuple):
    """What a sweep keeps of one run; each field as the run's :class:`~ballotdrill.scoring.model.Scores` has it,
    with ``incidents`` and ``harm`` for the scripted incidents and those the objectives name only."""

    totals: Totals
    objectives: list[ObjectiveResult]
    incidents: list[IncidentTimes]
    harm: list[Harm]
    load: list[ActorLoad]
    channels: list[ChannelStats]


class MeasureScorer:
    """Measures one run of ``plan``'s scenario from its events, fed one at a time in ``seq`` order."""

    reads_packed_optional = True
    """Its rows go through :class:`Dispatch`: a run fed to it alone may pack optional fields into the row's tuple
    (:class:`~ballotdrill.exercise.run.FeedingSink`)."""

    def __init__(self, plan: MeasurePlan) -> None:
        self.plan = plan
        self.clock = RunClock()
        self.incidents = IncidentCollector(plan.named)  # a background arrival no objective names: counted only
        self.load = LoadCollector(detail=False, duty=plan.duty)
        self.tally = RunTally(plan.on_time, evidence=False)  # the on-time shares' values alone: their rows not read
        self.completed = CompletedSteps(self.load, self.tally.on_time)
        """Each step instance folded in as it completes (counts, on-time shares, busy time): none measured at the
        end but those still open then."""
        self.steps = StepCollector(self.completed)
        self.handoffs = HandoffCollector(lines=False, deciding=plan.deciding, counted=True)  # no line counts: a sweep
        # reads none; each handoff counted as it ends
        self.harm = HarmCollector()
        self.points = PointCollector(plan.points)
        self.procedures = ProcedureOutcomes({p.incident for p in plan.points})
        self.decisions = DecisionCollector()
        self.growth = GrowthCollector(plan.harmed)
        self.votes = VotesLostCollector(plan.voted)
        self.drops = DropWatch(plan.doc.structure, self.steps.procedure_start)
        self.dispatch = Dispatch((self.clock, self.incidents, self.steps, self.handoffs, self.harm, self.load,
                                  self.points, self.procedures, self.decisions, self.growth, self.votes, self.drops))
        self.dispatch.add(RUN_STARTED, self._began)

    def feed(self, event: Event) -> None:
        """Take the next event of the run (events come in ``seq`` order)."""
        clock = self.clock
        if event.t > clock.last_t:
            clock.last_t = event.t
        self.dispatch.feed(event)

    def take(self, first_seq: int, rows: list[Row]) -> None:
        """Take the engine's next rows, numbered from ``first_seq``: what :meth:`feed` takes, as made."""
        clock = self.clock
        clock.last_t = self.dispatch.take(first_seq, rows, clock.last_t)

    def _began(self, event: Event) -> None:
        """Where the run is to stop (``run_started``'s ``until``): steps completing before it are folded at once."""
        started = self.clock.started
        if started is not None and started.until is not None:
            self.completed.horizon = float(started.until)

    def finish(self) -> RunMeasures:
        """The run's measures (feed nothing after it)."""
        plan, structure = self.plan, self.plan.doc.structure
        scenario = plan.scenario
        until = self.clock.until()
        tally = self.tally
        steps = self.steps.numbered_fields(plan.goals, until)  # those not folded in as they completed
        counted = fold_steps(steps, self.load, until)  # the load: measured to until
        counted = _new(StepCounts, map(operator.add, counted, self.completed.counts))
        chains = self.handoffs.numbered_fields(structure, until)
        handed, _ = fold_chains(chains)  # in transit (mean latency not read)
        ended = self.handoffs.counts
        assert ended is not None  # made with counted=True
        handed = _new(ChainCounts, map(operator.add, handed, ended))
        tally.count_work(counted, handed, steps)
        tally.count_unreached(unarrived(structure, until, self.steps.procedure_start, steps, chains, self.drops.drops))
        tally.on_time.add_undecided(undecided(structure, until, self.steps.procedure_start, steps, chains))
        load = self.load.results(structure, until, detail=False)
        kept: dict[str, IncidentTimes] = {}
        harms: list[Harm] = []
        found, counted_only, harmed = self.incidents.incidents, self.incidents.counted, self.harm.incidents
        for incident in self.incidents.order:  # in start order, as the scorer folds them in
            harm = self.harm.measure(incident) if incident in harmed else HarmMeasure(incident)
            tally.harm(harm)
            state = found.get(incident)
            if state is None:  # a background arrival no objective names: counted only, by whether it was resolved
                tally.incident_resolved(counted_only[incident])
                continue
            times = state.measure(incident)
            tally.incident(times)
            kept[incident] = unchecked(IncidentTimes, times._asdict())  # the fields as the scorer's records hold
            harms.append(unchecked(Harm, harm._asdict()))  # them: not validated again (a sweep keeps no record)
        window = Window(scenario, structure, self.clock.start, until, scenario.end - scenario.start, kept,
                        self.procedures.outcomes, self.growth.growing,
                        self.growth.shaped, self.growth.unslowed(until), self.growth.caps(),
                        self.growth.closes(), self.votes.seen, open_pieces(steps, chains))
        harms = self.votes.into(harms, until) if self.votes.seen else harms
        objectives = [measure_objective(o, self.points.reached, tally.on_time, harms, window, self.points.failed)
                      for o in scenario.objectives]
        totals = tally.totals(sum(a.unstaffed_queued for a in load), self.decisions.made, self.decisions.defaulted)
        channels = self.handoffs.channel_stats(structure)
        return RunMeasures(totals, objectives, list(kept.values()), harms, load, channels)

    def release(self) -> None:
        """Let go of everything held: the run's engine may keep this scorer's ``feed`` until its own cycles are
        collected, and the scorer's state should be freed at once, not traversed by the collector."""
        self.__dict__.clear()
