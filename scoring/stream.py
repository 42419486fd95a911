"""The streaming scorer: every measure and rating of a run from one pass over its journal.

A :class:`Scorer` is fed the run's events once, in ``seq`` order (live from the engine, or
streamed from a journal file), and keeps only what is still open plus running aggregates: each
measure's collector (:mod:`.incidents`, :mod:`.steps`, :mod:`.harm`, :mod:`.handoffs`, :mod:`.load`,
:mod:`.exercised`, :mod:`.ratings`) holds its own rule, in one place. :meth:`Scorer.finish` gives the :class:`Scores`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ballotdrill.journal import Event, Row
from ballotdrill.journal.kinds import DETECTED, INCIDENT_STARTED, RESOLVED, RUN_STARTED
from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring import handoffs as handoff_measures
from ballotdrill.scoring.background import DETAIL_CAP, Arrival, BackgroundFold, MeasuredArrival
from ballotdrill.scoring.decisions import DecisionCollector
from ballotdrill.scoring.digest import Digest, fold_arrival
from ballotdrill.scoring.exercised import ProcedureOutcomes, Window
from ballotdrill.scoring.feed import Dispatch
from ballotdrill.scoring.foldrules import fold_chains, fold_steps
from ballotdrill.scoring.growth import GrowthCollector
from ballotdrill.scoring.harm import HarmCollector
from ballotdrill.scoring.incidents import IncidentCollector, RunClock
from ballotdrill.scoring.leastleft import open_pieces
from ballotdrill.scoring.letgo import LetGo
from ballotdrill.scoring.load import LoadCollector, actor_names
from ballotdrill.scoring.model import Background, F, Handoff, Harm, Scores, StepResult, checked, r3, unchecked
from ballotdrill.scoring.openharm import OpenHarm
from ballotdrill.scoring.pollwindow import PollWindows
from ballotdrill.scoring.ratings import PointCollector, harm_subjects, measure_objective, objective_points
from ballotdrill.scoring.steps import StepCollector, step_goals
from ballotdrill.scoring.tally import RunTally
from ballotdrill.scoring.unarrived import DropWatch, unarrived
from ballotdrill.scoring.undecided import undecided
from ballotdrill.scoring.unreached import DeadlineWatch, open_work
from ballotdrill.scoring.voteslost import VotesLostCollector
from ballotdrill.scoring.wavecap import WaveCaps

_new: Any = tuple.__new__


class Scorer:
    """Scores one run of ``scenario_name`` from its events, fed one at a time in ``seq`` order.

    Background arrivals are listed up to ``cap`` per inject and the worst cases (None: all of them);
    totals, load, channels, objectives and the background aggregates count every one. With a cap, an
    arrival is folded into the aggregates and let go as soon as it is final: resolved and detected (the
    engine's one event that can follow a resolution is a late detection), with no step or handoff of it
    still open. The incidents the objectives name are kept whole. ``detail=False`` (what a sweep
    reads): the same measures and ratings, every incident listed (no cap), without the background
    aggregates, the findings' digest and the actors' hour-by-hour load, busiest hour and evidence.
    """

    def __init__(self, doc: ScenarioFile, scenario_name: str, cap: int | None = DETAIL_CAP, *,
                 detail: bool = True, unfinished: bool = False) -> None:
        self.doc = doc = as_played(doc, scenario_name)
        self.scenario_name = scenario_name
        self.detail = detail
        self.cap = cap = cap if detail else None
        scenario = doc.scenarios[scenario_name]
        points = objective_points(scenario)
        self.clock = RunClock()
        self.incidents = IncidentCollector()
        self.steps = StepCollector()
        self.handoffs = handoff_measures.HandoffCollector(deciding=handoff_measures.deciding_procedures(doc.structure))
        self.harm = HarmCollector()
        self.load = LoadCollector()
        self.points = PointCollector(points)
        self.procedures = ProcedureOutcomes({p.incident for p in points})
        self.decisions = DecisionCollector()
        self.deadlines = DeadlineWatch(doc.structure)
        self.drops = DropWatch(doc.structure, self.steps.procedure_start)
        self.growth = GrowthCollector(harm_subjects(scenario))
        self.votes = VotesLostCollector(harm_subjects(scenario, ("votes_lost",)))
        self.tally = RunTally(o.measure.subject for o in scenario.objectives if o.measure.kind == "on_time")
        self.background = BackgroundFold(cap)
        words = {w for o in scenario.objectives for w in o.measure.subject.split()}
        self.digest = Digest(actor_names(doc.structure), doc.structure, words,
                             {o.measure.subject for o in scenario.objectives if o.measure.kind == "on_time"},
                             scenario)
        """What the findings need of every incident, folded in as each is let go or at the end."""
        self.digest.advice.answers = self.decisions.answers  # a decision's wait, made before its step is folded
        self.pinned = {p.incident for p in points} | {
            o.measure.subject for o in scenario.objectives if o.measure.kind in ("reach", "voter_minutes",
                                                                                   "station_minutes", "votes_lost")}
        """Incidents the objectives name: kept whole to the end."""
        self.arrivals: dict[str, int] = {}
        """Background arrivals not yet folded in: each one's place among its inject's arrivals."""
        self.started: dict[str, int] = defaultdict(int)
        self.waves = WaveCaps() if detail else None
        """When each incident's wave reached its cap, for the harm behind each lever (the digest asks)."""
        if self.waves is not None:
            self.digest.capped = self.waves.capped_at
        self.polls = PollWindows() if detail else None
        """When each incident's polls were open: kept in its harm record (the harm behind each lever, an objective's
        own stretch)."""
        self.open_harm = OpenHarm() if unfinished else None
        """For a journal that may end without ``run_ended`` (a run that did not finish): the harm of the incidents
        still open at its last row, worked out from the rows."""
        self.dispatch = Dispatch((self.clock, self.incidents, self.steps, self.handoffs, self.harm, self.load,
                                  self.points, self.procedures, self.decisions, self.deadlines, self.drops, self.growth,
                                  self.votes,
                                  *((self.waves,) if self.waves is not None else ()),
                                  *((self.polls,) if self.polls is not None else ()),
                                  *((self.open_harm,) if self.open_harm is not None else ())))
        self.dispatch.add(INCIDENT_STARTED, self._arrived)
        self.dispatch.add(RUN_STARTED, self._began)
        if cap is not None:  # after the collectors have taken the event: what may make an arrival final
            self.dispatch.add(DETECTED, self._settle)
            self.dispatch.add(RESOLVED, self._settle)
        self.let_go = LetGo(self.tally, self.load, self.background, self.digest)
        self.count = 0
        self._scores: Scores | None = None

    def feed(self, event: Event) -> None:
        """Take the next event of the run (events come in ``seq`` order)."""
        self.count += 1
        clock = self.clock
        if event.t > clock.last_t:  # the latest t, kept here: this runs for every event
            clock.last_t = event.t
        self.dispatch.feed(event)

    def take(self, first_seq: int, rows: list[Row]) -> None:
        """Take the engine's next rows, numbered from ``first_seq``: what :meth:`feed` takes, as the engine makes it
        (the same handlers, without an event per row)."""
        self.count += len(rows)
        clock = self.clock
        clock.last_t = self.dispatch.take(first_seq, rows, clock.last_t)

    def _began(self, event: Event) -> None:
        """The run's clock: a cause decided as an incident is folded tells the run's times (and its shifts)."""
        self.digest.advice.start = self.clock.start

    def _arrived(self, event: Event) -> None:
        incident = event.incident
        if incident is None or incident in self.arrivals:
            return
        if self.polls is not None:  # the incidents' collector has taken the event, decoded once
            found = self.incidents.incidents.get(incident)
            if found is not None and found.start is not None:
                self.polls.started(incident, found.start[1])
        inject = self.incidents.background_inject(incident)
        if inject is not None:
            self.arrivals[incident] = self.started[inject]
            self.started[inject] += 1

    def _settle(self, event: Event) -> None:
        """Fold in and let go of ``event``'s incident if it is a background arrival that is final: resolved and
        detected, nothing of it open."""
        incident = event.incident or ""
        ordinal = self.arrivals.get(incident)
        if ordinal is None or incident in self.pinned:
            return
        firsts = self.incidents.incidents[incident].firsts
        if RESOLVED not in firsts or DETECTED not in firsts:
            return
        if not (self.steps.done(incident) and self.handoffs.done(incident)):
            return
        del self.arrivals[incident]
        n, times = self.incidents.pop(incident)
        steps = self.steps.pop(incident)
        chains = self.handoffs.pop(incident)
        harm = self.harm.pop(incident)
        polls = self.polls.window(incident) if self.polls is not None else None
        measured: MeasuredArrival = _new(MeasuredArrival, (  # without its Python-level __new__
            n, times, harm if polls is None else harm._replace(polls=polls), steps, chains))
        self.deadlines.letting_go(incident, times.inject, times.type)
        self.let_go.fold(measured, ordinal, self.cap is None or ordinal < self.cap)

    def finish(self) -> Scores:
        """Every measure and rating of the run fed so far (computed once: feed nothing after it)."""
        if self._scores is None:
            self._scores = self._finish()
        return self._scores

    def _with_polls(self, harms: list[Harm]) -> list[Harm]:
        """``harms``, each with when its polls opened and closed where it keeps voters or stations from voting."""
        windows = self.polls
        if windows is None:
            return harms
        out = []
        for harm in harms:
            polls = windows.window(harm.incident)
            out.append(harm if polls is None else harm.model_copy(update={"polls": polls}))
        return out

    def _finish(self) -> Scores:
        doc, scenario_name = self.doc, self.scenario_name
        scenario = doc.scenarios[scenario_name]
        info = self.clock.info()
        start = self.clock.start
        until = self.clock.until()
        self.decisions.stopped(until)  # before the open steps are folded: a decision still waiting is a wait
        if self.open_harm is not None and self.clock.ended_t is None:  # no run_ended: worked out from the rows
            self.harm.end_harm = self.open_harm.at(until)
        incidents = self.incidents.numbered()
        step_fields = self.steps.numbered_fields(step_goals(doc.structure), until)
        chain_fields = self.handoffs.numbered_fields(doc.structure, until)
        harms = self.votes.into(self._with_polls(self.harm.results()), until)
        harm_of = {h.incident: h for h in harms}
        counted = fold_steps(step_fields, self.load, until)  # the load: measured to until
        self.tally.count_work(counted, fold_chains(chain_fields, self.tally.latencies)[0], step_fields)
        self.tally.count_unreached(unarrived(doc.structure, until, self.steps.procedure_start, step_fields,
                                             chain_fields, self.drops.drops))
        self.tally.on_time.add_undecided(undecided(doc.structure, until, self.steps.procedure_start, step_fields,
                                                   chain_fields))
        load = self.load.results(doc.structure, until, self.detail)
        steps = [(n, unchecked(StepResult, step._asdict())) for n, step in step_fields]
        chains = [(n, unchecked(Handoff, chain._asdict())) for n, chain in chain_fields]
        steps_of: dict[str, list[tuple[int, StepResult]]] = defaultdict(list)
        chains_of: dict[str, list[tuple[int, Handoff]]] = defaultdict(list)
        for n, step in steps:
            steps_of[step.incident].append((n, step))
        for n, chain in chains:
            chains_of[chain.incident].append((n, chain))
        kept: list[Arrival] = []
        for n, times in incidents:
            arrival = Arrival(n, times, harm_of.get(times.incident) or Harm(incident=times.incident),
                              steps_of.pop(times.incident, []), chains_of.pop(times.incident, []))
            self.tally.incident(times)
            self.tally.harm(arrival.harm)
            ordinal = self.arrivals.pop(times.incident, 0) if times.background and self.detail else None
            if ordinal is not None:
                self.background.add(arrival, ordinal)
            if ordinal is None or times.incident in self.pinned:
                kept.append(arrival)
            if self.detail:
                fold_arrival(self.digest, arrival, until, ordinal is None or self.cap is None or ordinal < self.cap)
        for incident in sorted({*steps_of, *chains_of}) if self.detail else ():  # work of no started incident
            self.digest.add(-1, None, None, steps_of[incident], chains_of[incident], until)
        listed = {a.n: a for a in self.background.listed()}
        pinned = [a for a in kept if a.times.background and a.n not in listed]
        kept = sorted([*(a for a in kept if a.n not in listed), *listed.values()], key=lambda a: a.n)
        kept_steps = sorted([*(s for a in kept for s in a.steps), *(s for rest in steps_of.values() for s in rest)],
                            key=lambda ns: ns[0])
        kept_chains = sorted([*(c for a in kept for c in a.chains),
                              *(c for rest in chains_of.values() for c in rest)], key=lambda nc: nc[0])
        window = Window(scenario, doc.structure, start, until, scenario.end - scenario.start,
                        {i.incident: i for _, i in incidents}, self.procedures.outcomes, self.growth.growing,
                        self.growth.shaped, self.growth.unslowed(until), self.growth.caps(),
                        self.growth.closes(), self.votes.seen, open_pieces(step_fields, chain_fields))
        objectives = [measure_objective(o, self.points.reached, self.tally.on_time, harms, window, self.points.failed)
                      for o in scenario.objectives]
        per_incident: dict[str, int] = defaultdict(int)
        for _, chain in kept_chains:
            per_incident[chain.incident] += 1
        totals = self.tally.totals(sum(a.unstaffed_queued for a in load), self.decisions.made,
                                   self.decisions.defaulted)
        unreached = self.deadlines.unreached(until, open_work(step_fields, chain_fields)) if self.deadlines.runs else []
        if any(u.missed for u in unreached):  # a deadline that passed with its step never done is missed too
            totals = totals.model_copy(update={"deadlines_missed": totals.deadlines_missed
                                               + sum(u.missed for u in unreached)})
        self.digest.unreached = unreached
        origins = {**self.deadlines.let_go, **{t.incident: (t.inject, t.type) for _, t in incidents if t.background}}
        for item in unreached if self.detail else ():  # a background arrival's: in its inject's and type's counts
            if item.missed and item.incident in origins:
                self.background.deadline_missed(*origins[item.incident])
        seed, end = info.seed, info.end
        check = checked if self.detail else _as_is  # what a report keeps is validated (built unchecked)
        return Scores(
            scenario=scenario_name, seed=int(seed) if isinstance(seed, int) else None, start=r3(start),
            end=r3(end) if isinstance(end, (int, float)) else None, until=r3(until),
            incidents=[check(a.times) for a in kept], steps=[check(s) for _, s in kept_steps],
            handoffs=[check(c) for _, c in kept_chains],
            handoff_summary=self.tally.summary(per_incident),
            channels=self.handoffs.channel_stats(doc.structure), load=load,
            harm=[check(a.harm) for a in kept], objectives=objectives, totals=totals,
            decisions=self.decisions.tallies(),
            background=self.background.summary(len(listed) + len(pinned)) if self.detail else Background(),
        )


def _as_is(record: F) -> F:
    return record
