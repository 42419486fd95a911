"""``score``: every measure and rating of one run, from its journal and scenario file."""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.journal import DecisionMade, Event, Kind
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring import handoffs as handoff_measures
from ballotdrill.scoring.exercised import window_of
from ballotdrill.scoring.load import actor_load
from ballotdrill.scoring.model import Scores, Totals, r3
from ballotdrill.scoring.ratings import measure_objective, on_time_share
from ballotdrill.scoring.timeliness import harm, incident_times, run_info, run_until, step_results


def score(events: Sequence[Event], doc: ScenarioFile, scenario_name: str) -> Scores:
    """Score a run: timeliness, handoffs, load, harm and the scenario's objectives."""
    events = sorted(events, key=lambda e: e.seq)
    scenario = doc.scenarios[scenario_name]
    info = run_info(events)
    start = float(info.start or 0.0)
    until = run_until(events, info)
    incidents = incident_times(events)
    steps = step_results(events, doc.structure, until)
    chains = handoff_measures.handoffs(events, doc.structure, until)
    harms = harm(events)
    load = actor_load(events, steps, doc.structure, start, until)
    window = window_of(events, scenario, doc.structure, start, until, incidents)
    objectives = [measure_objective(o, events, steps, harms, window) for o in scenario.objectives]
    summary = handoff_measures.summary(chains)
    on_time, _ = on_time_share(steps, "all")
    decisions = [e.fields(DecisionMade) for e in events if e.kind == Kind.DECISION_MADE]
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
        unstaffed_queued=sum(a.unstaffed_queued for a in load), decisions=len(decisions),
        decisions_defaulted=sum(d.by in ("default", "timeout") for d in decisions),
        on_time=on_time, reach=r3(sum(h.reach for h in harms)),
        voter_minutes=r3(sum(h.voter_minutes for h in harms)),
        station_minutes=r3(sum(h.station_minutes for h in harms)),
    )
    seed = info.seed
    end = info.end
    return Scores(
        scenario=scenario_name, seed=int(seed) if isinstance(seed, int) else None, start=r3(start),
        end=r3(end) if isinstance(end, (int, float)) else None, until=r3(until), incidents=incidents,
        steps=steps, handoffs=chains, handoff_summary=summary,
        channels=handoff_measures.channel_stats(events, chains), load=load, harm=harms,
        objectives=objectives, totals=totals,
    )
