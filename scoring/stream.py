"""The streaming scorer: every measure and rating of a run from one pass over its journal.

A :class:`Scorer` is fed the run's events once, in ``seq`` order (live from the engine, or
streamed from a journal file), and keeps only what is still open plus running aggregates: each
measure's collector (:mod:`.timeliness`, :mod:`.handoffs`, :mod:`.load`, :mod:`.exercised`,
:mod:`.ratings`) holds its own rule, in one place. :meth:`Scorer.finish` gives the :class:`Scores`.
"""

from __future__ import annotations

from collections import defaultdict

from ballotdrill.journal import Event
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring import handoffs as handoff_measures
from ballotdrill.scoring.background import DETAIL_CAP, bounded
from ballotdrill.scoring.decisions import DecisionCollector
from ballotdrill.scoring.exercised import ProcedureOutcomes, Window
from ballotdrill.scoring.feed import Handler
from ballotdrill.scoring.load import LoadCollector
from ballotdrill.scoring.model import Scores, Totals, r3
from ballotdrill.scoring.ratings import PointCollector, measure_objective, objective_points, on_time_share
from ballotdrill.scoring.timeliness import HarmCollector, IncidentCollector, RunClock, StepCollector


class Scorer:
    """Scores one run of ``scenario_name`` from its events, fed one at a time in ``seq`` order."""

    def __init__(self, doc: ScenarioFile, scenario_name: str) -> None:
        self.doc = doc
        self.scenario_name = scenario_name
        scenario = doc.scenarios[scenario_name]
        points = objective_points(scenario)
        self.clock = RunClock()
        self.incidents = IncidentCollector()
        self.steps = StepCollector()
        self.handoffs = handoff_measures.HandoffCollector()
        self.harm = HarmCollector()
        self.load = LoadCollector()
        self.points = PointCollector(points)
        self.procedures = ProcedureOutcomes({p.incident for p in points})
        self.decisions = DecisionCollector()
        table: dict[str, list[Handler]] = defaultdict(list)
        for collector in (self.clock, self.incidents, self.steps, self.handoffs, self.harm, self.load,
                          self.points, self.procedures, self.decisions):
            for kind, handler in collector.handlers().items():
                table[kind].append(handler)
        self._table = {kind: tuple(handlers) for kind, handlers in table.items()}
        self.count = 0

    def feed(self, event: Event) -> None:
        """Take the next event of the run (events come in ``seq`` order)."""
        self.count += 1
        clock = self.clock
        if event.t > clock.last_t:  # the latest t, kept here: this runs for every event
            clock.last_t = event.t
        for handler in self._table.get(event.kind, ()):
            handler(event)

    def finish(self, cap: int | None = DETAIL_CAP, *, detail: bool = True) -> Scores:
        """Every measure and rating of the run fed so far.

        Background arrivals are listed up to ``cap`` per inject and the worst cases (None: all of
        them); totals, load, channels, objectives and the background aggregates count every one.
        ``detail=False`` (what a sweep reads): the same measures and ratings, every incident listed,
        without the background aggregates and the actors' hour-by-hour load, busiest hour and evidence.
        """
        doc, scenario_name = self.doc, self.scenario_name
        scenario = doc.scenarios[scenario_name]
        info = self.clock.info()
        start = self.clock.start
        until = self.clock.until()
        incidents = self.incidents.results()
        steps = self.steps.results(doc.structure, until)
        chains = self.handoffs.results(doc.structure, until)
        harms = self.harm.results()
        load = self.load.results(steps, doc.structure, until, detail)
        window = Window(scenario, doc.structure, start, until, scenario.end - scenario.start,
                        {i.incident: i for i in incidents}, self.procedures.outcomes)
        objectives = [measure_objective(o, self.points.reached, steps, harms, window) for o in scenario.objectives]
        summary = handoff_measures.summary(chains)
        on_time, _ = on_time_share(steps, "all")
        totals = Totals(
            incidents=len(incidents), open_incidents=sum(i.to_resolve is None for i in incidents),
            steps_completed=sum(s.completed_at is not None for s in steps),
            steps_open=sum(s.status != "completed" for s in steps),
            steps_with_target=sum(s.on_time is not None for s in steps),
            late_steps=sum(s.on_time is False for s in steps),
            deadlines_missed=sum(s.deadline_met is False for s in steps),
            handoffs=summary.total, handoff_failures=summary.failed_attempts, drops=summary.drops,
            in_transit=summary.in_transit,
            reroutes=summary.reroutes, ping_pongs=summary.ping_pongs,
            unstaffed_queued=sum(a.unstaffed_queued for a in load), decisions=self.decisions.made,
            decisions_defaulted=self.decisions.defaulted,
            on_time=on_time, reach=r3(sum(h.reach for h in harms)),
            voter_minutes=r3(sum(h.voter_minutes for h in harms)),
            station_minutes=r3(sum(h.station_minutes for h in harms)),
        )
        seed, end = info.seed, info.end
        scores = Scores(
            scenario=scenario_name, seed=int(seed) if isinstance(seed, int) else None, start=r3(start),
            end=r3(end) if isinstance(end, (int, float)) else None, until=r3(until), incidents=incidents,
            steps=steps, handoffs=chains, handoff_summary=summary,
            channels=self.handoffs.channel_stats(chains, doc.structure), load=load, harm=harms,
            objectives=objectives, totals=totals, decisions=self.decisions.tallies(),
        )
        return bounded(scores, cap) if detail else scores
