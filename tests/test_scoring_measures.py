"""Measures on hand-built journals with known answers."""

from __future__ import annotations

import pytest
from scoring_helpers import JournalBuilder, sample_events, scenario_file

from ballotdrill.report.sections_back import _status
from ballotdrill.scoring import score
from ballotdrill.scoring.feed import feed_all
from ballotdrill.scoring.handoffs import HandoffCollector, channel_stats, handoffs, summary
from ballotdrill.scoring.harm import harm
from ballotdrill.scoring.incidents import incident_times
from ballotdrill.scoring.load import actor_load, p90
from ballotdrill.scoring.model import StepResult
from ballotdrill.scoring.steps import StepCollector, step_results

P = "disinfo-response"


def test_incident_timeliness_from_the_sample() -> None:
    times = {i.incident: i for i in incident_times(sample_events())}
    n1, d1 = times["N1"], times["D1"]
    assert (n1.to_detect, n1.to_first_action, n1.to_contain, n1.to_resolve) == (21.0, 21.0, 120.0, 120.0)
    assert n1.detected_by == "monitoring" and n1.contained_by == "info"
    assert (d1.to_detect, d1.to_first_action, d1.to_contain, d1.to_resolve) == (7.0, None, None, None)
    assert list(times) == ["D1", "N1"]


def test_steps_against_targets_and_deadlines() -> None:
    steps = {s.step: s for s in step_results(sample_events())}
    assert steps["assess"].on_time is True and steps["assess"].late_by == 0.0
    alert = steps["alert-interior"]
    assert (alert.wait, alert.elapsed, alert.target, alert.late_by, alert.on_time) == (16.0, 59.0, 45.0, 14.0, False)
    assert alert.deadline == 60.0 and alert.deadline_met is True and alert.basis == "Art. 1 of the test law"
    assert steps["choose-response"].target is None and steps["choose-response"].on_time is None
    assert steps["publish-debunk"].late_by == 9.0


def test_deadline_missed_and_open_step() -> None:
    b = JournalBuilder().start()
    b.add(0, "incident_started", "X", type="t", severity=2)
    b.add(1, "step_queued", "X", "interior", "alert-interior", procedure=P, queue=1, on_duty=1)
    b.add(2, "step_started", "X", "interior", "alert-interior", procedure=P, wait=1.0)
    b.add(70, "step_completed", "X", "interior", "alert-interior", procedure=P, elapsed=70.0, target=45.0,
          deadline=60.0, basis="law")
    b.add(71, "step_queued", "X", "info", "publish-debunk", procedure=P, queue=3, on_duty=1)
    steps = step_results(b.events)
    assert steps[0].deadline_met is False and steps[0].late_by == 25.0
    assert steps[1].completed_at is None and steps[1].on_time is None and steps[1].evidence == [8]


def test_harm_from_contained_or_run_end() -> None:
    rows = {h.incident: h for h in harm(sample_events())}
    assert (rows["N1"].reach, rows["N1"].open, rows["N1"].evidence) == (12000.0, False, [29])
    assert (rows["D1"].voter_minutes, rows["D1"].station_minutes, rows["D1"].open) == (307000.0, 1535.0, True)


def test_utilisation_counts_busy_over_on_duty_staff_minutes() -> None:
    b = JournalBuilder().start(start=0.0, until=120.0, staff={"interior": 2})
    b.add(60, "staff_changed", actor="interior", staff=1)
    for n, (t0, t1) in enumerate([(0, 30), (10, 70), (100, 130)]):
        b.add(t0, "step_queued", f"I{n}", "interior", "s", procedure=P, queue=1, on_duty=2)
        b.add(t0, "step_started", f"I{n}", "interior", "s", procedure=P, wait=0.0)
        if t1 <= 120:
            b.add(t1, "step_completed", f"I{n}", "interior", "s", procedure=P, elapsed=float(t1 - t0))
    events = sorted(b.events, key=lambda e: (e.t, e.seq))
    doc = scenario_file()
    loads = {a.actor: a for a in actor_load(events, step_results(events), doc.structure, 0.0, 120.0)}
    interior = loads["interior"]
    # busy: 30 + 60 + 20 (open until 120) = 110; on duty: 2*60 + 1*60 = 180
    assert interior.busy_minutes == 110.0 and interior.on_duty_minutes == 180.0
    assert interior.utilisation == pytest.approx(110 / 180, abs=1e-3)
    assert [(h.hour, h.busy, h.on_duty, h.starts) for h in interior.hours] == [(0, 80.0, 120.0, 2), (1, 30.0, 60.0, 1)]
    assert interior.busiest_hour == 0 and interior.busiest_hour_starts == 2
    # an actor with no staff_changed row falls back to its structure staff (monitoring: 2)
    assert loads["monitoring"].on_duty_minutes == 240.0 and loads["monitoring"].utilisation == 0.0


def test_work_past_a_shift_end_counts_off_duty_not_above_full_utilisation() -> None:
    # one person on duty 0-120, nobody after; one step 60-240: 60 busy minutes on duty, 120 off duty
    b = JournalBuilder().start(start=0.0, until=300.0, staff={"interior": 1})
    b.add(120, "staff_changed", actor="interior", staff=0)
    b.add(60, "step_queued", "I0", "interior", "s", procedure=P, queue=1, on_duty=1)
    b.add(60, "step_started", "I0", "interior", "s", procedure=P, wait=0.0)
    b.add(240, "step_completed", "I0", "interior", "s", procedure=P, elapsed=180.0)
    events = sorted(b.events, key=lambda e: (e.t, e.seq))
    loads = {a.actor: a for a in actor_load(events, step_results(events), scenario_file().structure, 0.0, 300.0)}
    interior = loads["interior"]
    assert (interior.busy_minutes, interior.on_duty_minutes, interior.off_duty_minutes) == (180.0, 120.0, 120.0)
    assert interior.utilisation == 0.5  # 60 of 120 on-duty minutes, never 180 / 120
    # the same step inside the shift: nothing off duty
    inside = JournalBuilder().start(start=0.0, until=300.0, staff={"interior": 1})
    inside.add(0, "step_queued", "I0", "interior", "s", procedure=P, queue=1, on_duty=1)
    inside.add(0, "step_started", "I0", "interior", "s", procedure=P, wait=0.0)
    inside.add(90, "step_completed", "I0", "interior", "s", procedure=P, elapsed=90.0)
    rows = sorted(inside.events, key=lambda e: (e.t, e.seq))
    loaded = {a.actor: a for a in actor_load(rows, step_results(rows), scenario_file().structure, 0.0, 300.0)}
    assert (loaded["interior"].off_duty_minutes, loaded["interior"].utilisation) == (0.0, 0.3)


def _interior_load(changes: list[tuple[float, int]], steps: list[tuple[float, float]], until: float):
    """The interior desk's load: its staff changes after 2 on duty at 0, and one-person steps ``(start, end)``."""
    b = JournalBuilder().start(start=0.0, until=until, staff={"interior": 2})
    for t, staff in changes:
        b.add(t, "staff_changed", actor="interior", staff=staff)
    for n, (t0, t1) in enumerate(steps):
        b.add(t0, "step_queued", f"I{n}", "interior", "s", procedure=P, queue=1, on_duty=2)
        b.add(t0, "step_started", f"I{n}", "interior", "s", procedure=P, wait=0.0)
        b.add(t1, "step_completed", f"I{n}", "interior", "s", procedure=P, elapsed=t1 - t0)
    events = sorted(b.events, key=lambda e: (e.t, e.seq))
    loads = actor_load(events, step_results(events), scenario_file().structure, 0.0, until)
    return next(a for a in loads if a.actor == "interior")


def test_off_duty_minutes_are_counted_against_the_shift_not_the_clock_hour() -> None:
    # 2 on duty until 0:30, nobody after; one step 0:00-0:45. Its last 15 min ran with nobody on duty, although
    # the clock hour 0 has 60 on-duty minutes against 45 busy ones (counted by the hour: nothing off duty)
    one = _interior_load([(30, 0)], [(0, 45)], 60.0)
    assert (one.busy_minutes, one.on_duty_minutes, one.off_duty_minutes) == (45.0, 60.0, 15.0)
    assert one.utilisation == 0.5  # 30 busy on-duty minutes of 60
    # 2 on duty, 1 from 0:30: two steps 0:00-0:50 and 0:00-0:55 run with one person too many until the first ends
    two = _interior_load([(30, 1)], [(0, 50), (0, 55)], 120.0)
    assert (two.busy_minutes, two.off_duty_minutes) == (105.0, 20.0)
    # one step across two ends of cover (nobody 0:30-1:00 and from 1:30): 30 + 10 min off duty, none in between
    across = _interior_load([(0, 1), (30, 0), (60, 1), (90, 0)], [(0, 100)], 120.0)
    assert (across.busy_minutes, across.on_duty_minutes, across.off_duty_minutes) == (100.0, 60.0, 40.0)
    assert across.utilisation == 1.0
    # the step done before the shift ends: nothing off duty
    inside = _interior_load([(30, 0)], [(0, 30)], 60.0)
    assert (inside.off_duty_minutes, inside.utilisation) == (0.0, 0.5)


@pytest.mark.parametrize(("values", "expected"), [
    ([], None), ([5.0], 5.0), ([1.0, 2.0], 2.0), ([float(v) for v in range(1, 11)], 9.0),
    ([float(v) for v in range(1, 21)], 18.0), ([float(v) for v in range(10, 0, -1)], 9.0),
    ([0.0] * 9 + [100.0], 0.0), ([0.0] * 8 + [50.0, 100.0], 50.0),
])
def test_p90_is_nearest_rank(values: list[float], expected: float | None) -> None:
    assert p90(values) == expected


def test_queue_wait_stats_longest_queue_and_unstaffed() -> None:
    b = JournalBuilder().start(staff={"interior": 1, "info": 0})
    for n in range(10):
        b.add(n, "step_queued", f"I{n}", "interior", "s", procedure=P, queue=n + 1, on_duty=1)
        b.add(n + n, "step_started", f"I{n}", "interior", "s", procedure=P, wait=float(n))
    b.add(20, "step_queued", "Z", "info", "s", procedure=P, queue=1, on_duty=0)
    events = sorted(b.events, key=lambda e: (e.t, e.seq))
    loads = {a.actor: a for a in actor_load(events, step_results(events), scenario_file().structure, 360.0, 60.0)}
    interior = loads["interior"]
    assert (interior.wait_mean, interior.wait_p90, interior.wait_max, interior.longest_queue) == (4.5, 8.0, 9.0, 10)
    assert loads["info"].unstaffed_queued == 1 and loads["info"].on_duty_minutes == 0.0
    assert loads["info"].utilisation is None


def _handoff_journal() -> JournalBuilder:
    """monitoring → interior (direct), interior → monitoring (ping-pong: a decision loops back to 'assess'),
    monitoring → info dropped, interior → info still in transit, and a handoff into info with nobody on duty."""
    b = JournalBuilder().start(staff={"monitoring": 2, "interior": 1, "info": 0})
    b.add(0, "procedure_started", "A", procedure=P, run=1)
    b.add(0.5, "step_started", "A", "monitoring", "assess", procedure=P, wait=0.0)
    b.add(1, "handoff_sent", "A", "monitoring", "alert-interior", procedure=P, to="interior", channel=None, attempt=1)
    b.add(2, "handoff_received", "A", "interior", "alert-interior", procedure=P, channel=None, latency=1.0,
          attempts=1, **{"from": "monitoring"})
    b.add(2.5, "decision_made", "A", "interior", "choose-response", procedure=P, request="A:1", option="monitor",
          by="default")
    b.add(3, "handoff_sent", "A", "interior", "assess", procedure=P, to="monitoring", channel="phone", attempt=1)
    b.add(6, "handoff_received", "A", "monitoring", "assess", procedure=P, channel="phone", latency=3.0,
          attempts=1, **{"from": "interior"})
    b.add(6, "step_started", "A", "monitoring", "assess", procedure=P, wait=0.0)
    b.add(7, "handoff_sent", "A", "monitoring", "publish-debunk", procedure=P, to="info", channel="phone", attempt=1)
    b.add(8, "handoff_failed", "A", "monitoring", "publish-debunk", procedure=P, to="info", channel="phone",
          attempt=1, next=None)
    b.add(8, "procedure_ended", "A", procedure=P, run=1, outcome="dropped")
    b.add(10, "procedure_started", "B", procedure=P, run=1)
    b.add(11, "handoff_sent", "B", "interior", "publish-debunk", procedure=P, to="info", channel="secure-mail",
          attempt=1)
    b.add(12, "procedure_started", "C", procedure=P, run=1)
    b.add(13, "handoff_sent", "C", "monitoring", "publish-debunk", procedure=P, to="info", channel="phone",
          attempt=1)
    b.add(15, "handoff_received", "C", "info", "publish-debunk", procedure=P, channel="phone", latency=2.0,
          attempts=1, **{"from": "monitoring"})
    b.add(15, "step_queued", "C", "info", "publish-debunk", procedure=P, queue=1, on_duty=0)
    return b


def test_handoff_chains_ping_pong_drops_in_transit_unstaffed() -> None:
    chains = handoffs(_handoff_journal().events)
    assert [(h.incident, h.sender, h.receiver, h.status) for h in chains] == [
        ("A", "monitoring", "interior", "received"), ("A", "interior", "monitoring", "received"),
        ("A", "monitoring", "info", "dropped"), ("B", "interior", "info", "in_transit"),
        ("C", "monitoring", "info", "received")]
    assert [h.ping_pong for h in chains] == [False, True, False, False, False]
    assert [h.unstaffed for h in chains] == [False, False, False, False, True]
    assert chains[1].returned == "decision 'monitor' at 'choose-response' looped the work back to do 'assess' again"
    assert chains[2].failures == 1 and chains[2].evidence == [12, 13]
    assert chains[4].evidence == [18, 19, 20]
    s = summary(chains)
    assert (s.total, s.received, s.drops, s.in_transit, s.ping_pongs, s.unstaffed, s.reroutes) == (5, 3, 1, 1, 1, 1, 0)
    assert s.per_incident == {"A": 3, "B": 1, "C": 1}


def test_reroutes_on_channel_change_or_retry() -> None:
    b = JournalBuilder().start()
    b.add(0, "handoff_sent", "A", "monitoring", "x", procedure=P, to="interior", channel="phone", attempt=1)
    b.add(1, "handoff_failed", "A", "monitoring", "x", procedure=P, to="interior", channel="phone", attempt=1,
          next="phone")
    b.add(1, "handoff_sent", "A", "monitoring", "x", procedure=P, to="interior", channel="phone", attempt=2)
    b.add(4, "handoff_received", "A", "interior", "x", procedure=P, channel="phone", latency=4.0, attempts=2,
          **{"from": "monitoring"})
    b.add(5, "handoff_sent", "B", "monitoring", "x", procedure=P, to="interior", channel="secure-mail", attempt=1)
    b.add(6, "handoff_failed", "B", "monitoring", "x", procedure=P, to="interior", channel="secure-mail",
          attempt=1, next="phone")
    b.add(6, "handoff_sent", "B", "monitoring", "x", procedure=P, to="interior", channel="phone", attempt=2)
    b.add(9, "handoff_received", "B", "interior", "x", procedure=P, channel="phone", latency=4.0, attempts=2,
          **{"from": "monitoring"})
    b.add(10, "handoff_sent", "C", "monitoring", "x", procedure=P, to="interior", channel="phone", attempt=1)
    b.add(11, "handoff_received", "C", "interior", "x", procedure=P, channel="phone", latency=1.0, attempts=1,
          **{"from": "monitoring"})
    chains = handoffs(b.events)
    assert [(h.rerouted, h.first_channel, h.channel, h.attempts) for h in chains] == [
        (True, "phone", "phone", 2), (True, "secure-mail", "phone", 2), (False, "phone", "phone", 1)]
    # the report tells a second attempt on the same channel as a retry, another channel as a reroute
    assert [_status(h).tag for h in chains] == ["retried", "rerouted", ""]
    stats = {c.channel: c for c in channel_stats(b.events)}
    # the time on phone, from the attempt sent on it to the receipt: A 1 -> 4, B 6 -> 9, C 10 -> 11 (not A's 4 min
    # since its first send, nor B's 4 min, 3 of them on phone after 1 failing on secure-mail)
    assert (stats["phone"].attempts, stats["phone"].failures, stats["phone"].mean_latency) == (4, 1, 2.333)
    assert (stats["secure-mail"].attempts, stats["secure-mail"].failures) == (1, 1)


def test_score_totals_on_the_sample() -> None:
    s = score(sample_events(), scenario_file(), "demo")
    t = s.totals
    assert (t.incidents, t.open_incidents, t.steps_completed, t.late_steps, t.deadlines_missed) == (2, 1, 4, 2, 0)
    assert (t.handoffs, t.handoff_failures, t.reroutes, t.decisions, t.decisions_defaulted) == (2, 1, 1, 1, 1)
    assert t.on_time == pytest.approx(1 / 3, abs=1e-3)
    assert (s.seed, s.start, s.until) == (7, 360.0, 1020.0)
    assert s.to_json() == s.to_json() and s.to_json().endswith("\n")


def test_the_measured_fields_are_whole_for_open_and_completed_work() -> None:
    """The collectors build their measured tuples without the named tuple's checks: each must carry every field."""
    events = sample_events()
    until = max(e.t for e in events)
    steps, chains = StepCollector(), HandoffCollector()
    feed_all(steps, events)
    feed_all(chains, events)
    measured = steps.measured({}, until) + chains.measured(scenario_file().structure, until)
    assert {m.status for m in measured} >= {"completed", "received"}
    for m in measured:
        assert len(m) == len(type(m)._fields)
    assert [StepResult(**m._asdict()) for m in steps.measured({}, until)] == step_results(events, None, until)


def test_runs_of_procedures_without_a_decision_step_are_not_followed_for_ping_pong() -> None:
    """A sweep follows only the runs of procedures with a decision step (only they can loop back): the same handoffs,
    the ping-pong included, as when every run is followed; a run of another procedure keeps no path."""
    events = _handoff_journal().events
    structure = scenario_file().structure
    deciding = frozenset(name for name, procedure in structure.procedures.items()
                         if any(step.decision is not None for step in procedure.steps))
    assert P in deciding
    every, some = HandoffCollector(), HandoffCollector(deciding=deciding)
    feed_all(every, events)
    feed_all(some, events)
    assert some.measured(structure, 20.0) == every.measured(structure, 20.0)
    assert sum(chain.ping_pong for chain in some.measured(structure, 20.0)) == 1
    other = HandoffCollector(deciding=frozenset({"another-procedure"}))
    feed_all(other, [e for e in events if e.kind != "decision_made"])  # a procedure that never decides
    assert other.paths == {} and every.paths


def test_a_completed_step_is_judged_alike_with_its_roundings_skipped_when_within_its_goals() -> None:
    """What a sweep folds of a completed step (late, on time, deadline met) equals the rounded rule's, at the
    edges where rounding matters: just over a target that rounds to it, exactly on it, and without goals."""
    from ballotdrill.journal import StepTargets
    from ballotdrill.scoring.steps import _judged, _met

    edges = [10.0, 10.0004, 10.0005, 10.0006, 9.9996, 9.9995, 10.001, 0.0, 1e-9, 12.3456]
    elapsed_values = [*edges, None, float("nan"), 5.0, 20.0]
    goal_values = [StepTargets(), StepTargets(10.0, None, None), StepTargets(None, 10.0, "law"),
                   StepTargets(10.0, 10.0005, "law"), StepTargets(9.9995, 12.0, None), StepTargets(0.0, 0.0, None)]
    for elapsed in elapsed_values:
        for goals in goal_values:
            _, _, late, on_time, _, deadline_met = _judged(elapsed, goals)
            assert _met(elapsed, goals) == (late, on_time, deadline_met), (elapsed, goals)
