"""Channels that saturate: a capacity of lines, a reliability that falls as they fill, waiting or failing when full."""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, kinds, load, one, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.journal import HandoffFailed, HandoffLine, HandoffReceived, Kind
from ballotdrill.scoring import Finding, analyse, score

ACTORS = {"desk": {"staff": 5}, "cert": {"staff": 5}}
PROCS = {"p": {"trigger": {"type": "outage"}, "steps": [
    {"id": "triage", "actor": "desk"}, {"id": "fix", "actor": "cert", "via": "phone", "duration": "5m"}]}}
START = 6 * 60.0


def calls(n: int, at: str = "10:00") -> list[dict[str, Any]]:
    """``n`` outages at the same minute: ``n`` handoffs on the phone at once."""
    return [{"at": at, "incident": {"id": f"N{i}", "type": "outage"}} for i in range(1, n + 1)]


def phone(**line: Any) -> dict[str, Any]:
    return {"phone": {"latency": "10m", **line}, "liaison": {"latency": "30m"}}


def test_one_line_and_two_calls_at_once_the_second_waits_for_the_line() -> None:
    events = run(file_of(ACTORS, PROCS, calls(2), channels=phone(capacity=1)))
    sent = {e.incident: e.fields(HandoffLine) for e in kinds(events, Kind.HANDOFF_SENT)}
    assert sent["N1"] == HandoffLine(occupancy=1) and sent["N2"] == HandoffLine(occupancy=1, waiting=1)
    received = {e.incident: e for e in kinds(events, Kind.HANDOFF_RECEIVED)}
    assert received["N1"].t == 10 * 60 + 10 - START and received["N1"].fields(HandoffLine).line_wait is None
    assert received["N2"].t == 10 * 60 + 20 - START                  # 10m waiting for the line, 10m on it
    assert received["N2"].fields(HandoffReceived).latency == 20.0
    assert received["N2"].fields(HandoffLine).line_wait == 10.0
    phone_stats = next(c for c in score(events, load(file_of(ACTORS, PROCS, calls(2), channels=phone(capacity=1))),
                                        "s").channels if c.channel == "phone")
    assert (phone_stats.capacity, phone_stats.peak_occupancy, phone_stats.waited, phone_stats.longest_line_wait,
            phone_stats.busy) == (1, 1, 1, 10.0, 0)


def test_a_busy_line_fails_at_once_and_the_call_falls_back() -> None:
    channels = phone(capacity=1, when_full="fail", retries=0, fallback="liaison")
    doc = file_of(ACTORS, PROCS, calls(2), channels=channels)
    events = run(doc)
    failed = one(events, Kind.HANDOFF_FAILED, incident="N2")
    assert failed.t == 10 * 60 - START and failed.fields(HandoffLine).busy is True
    assert failed.fields(HandoffFailed).next == "liaison"
    assert one(events, Kind.HANDOFF_RECEIVED, incident="N2").t == 10 * 60 + 30 - START
    stats = {c.channel: c for c in score(events, load(doc), "s").channels}
    assert stats["phone"].busy == 1 and stats["phone"].failures == 1 and stats["phone"].attempts == 2


def channel_findings(doc: Any, seed: int = 1) -> list[Finding]:
    """The areas for improvement about channels that the after-action report gives for one run of ``doc``."""
    structure = load(doc).structure
    analysis = analyse(score(run(doc, seed=seed), load(doc), "s"), {}, structure)
    return [f for f in analysis.improvements if f.capability == "Operational communications"]


def test_calls_that_waited_for_the_only_line_are_an_area_for_improvement_with_more_lines_as_its_fix() -> None:
    found = channel_findings(file_of(ACTORS, PROCS, calls(3), channels=phone(capacity=1)))
    assert [f.title for f in found] == ["Handoffs waited for a line on phone"]
    assert "2 of 3 attempt(s)" in found[0].detail and "up to 20 min" in found[0].detail
    assert found[0].recommendation == "Add lines to phone (it has 1): 2 waited for a free line (up to 20 min)"
    # Enough lines: nobody waits and there is nothing to fix on the phone.
    assert channel_findings(file_of(ACTORS, PROCS, calls(3), channels=phone(capacity=3))) == []


def test_failures_under_load_call_for_more_lines_and_failures_when_idle_for_reliability() -> None:
    loaded = channel_findings(file_of(ACTORS, PROCS, calls(2), channels=phone(
        capacity=1, when_full="fail", retries=0, fallback="liaison")))
    assert loaded[0].title == "Handoffs failed on phone"
    # (liaison, 30 min, is no quicker a first choice than the phone, 10 min, failing 1 call in 2: about 25 min)
    assert loaded[0].recommendation == ("Add lines to phone (it has 1): 1 attempt(s) found every line busy; 1 of its "
                                        "1 failure(s) came under load (every line busy, or more than half in "
                                        "use on a channel whose reliability falls as they fill)")
    # One call at a time on an unreliable phone with plenty of lines: the lines are not the problem.
    idle = file_of(ACTORS, PROCS, [*calls(1), {"at": "12:00", "incident": {"id": "N9", "type": "outage"}}],
                   channels=phone(capacity=4, reliability=0.0, retries=0, fallback="liaison"))
    found = channel_findings(idle)
    assert found[0].title == "Handoffs failed on phone"
    assert found[0].recommendation.startswith("Make phone more reliable, or make its fallback liaison the first")


def test_reliability_falls_linearly_to_its_value_on_the_last_line() -> None:
    """Two lines, 1.0 idle and 0.0 on the last line: of two calls at once the first arrives, the second fails."""
    doc = file_of(ACTORS, PROCS, calls(2), channels=phone(capacity=2, reliability_at_capacity=0.0, retries=0))
    for seed in (1, 2, 3):
        events = run(doc, seed=seed)
        assert [e.incident for e in kinds(events, Kind.HANDOFF_RECEIVED)] == ["N1"]
        failed = one(events, Kind.HANDOFF_FAILED)
        assert failed.incident == "N2" and failed.t == 10 * 60 + 10 - START
        assert failed.fields(HandoffFailed).next is None
        stats = next(c for c in score(events, load(doc), "s").channels if c.channel == "phone")
        assert stats.peak_occupancy == 2 and stats.failures_under_load == 1
    # Apart in time, each call has the channel to itself and both get through.
    apart = file_of(ACTORS, PROCS, [*calls(1), {"at": "11:00", "incident": {"id": "N9", "type": "outage"}}],
                    channels=phone(capacity=2, reliability_at_capacity=0.0, retries=0))
    assert len(kinds(run(apart), Kind.HANDOFF_RECEIVED)) == 2


def test_a_saturated_channel_replays_byte_for_byte() -> None:
    doc = file_of(ACTORS, PROCS, calls(6), channels={"phone": {
        "latency": {"dist": "exponential", "mean": "10m"}, "reliability": 0.9, "capacity": 3,
        "reliability_at_capacity": 0.5}})
    first, second = run(doc, seed=7), run(doc, seed=7)
    assert [e.to_json() for e in first] == [e.to_json() for e in second]
    assert max(e.fields(HandoffLine).occupancy or 0 for e in kinds(first, Kind.HANDOFF_SENT)) == 3


def with_phone(line: str) -> str:
    """The format tests' base file with ``line`` added to the phone channel (line 7)."""
    return replace_once(BASE, "phone: {latency: 3m}", f"phone: {{latency: 3m, {line}}}")


def test_lines_are_checked_where_they_are_written() -> None:
    problem = only_problem(with_phone("when_full: wait"))
    assert problem.line == 7 and "'when_full' goes with 'capacity'" in problem.message
    problem = only_problem(with_phone("capacity: 1, reliability_at_capacity: 0.5"))
    assert problem.line == 7 and "capacity' of at least 2" in problem.message
    problem = only_problem(with_phone("capacity: 4, reliability: 0.8, reliability_at_capacity: 0.9"))
    assert problem.line == 7 and "(0.9) is above 'reliability' (0.8)" in problem.message
    assert "wait" in only_problem(with_phone("capacity: 2, when_full: hang-up")).message
    assert "capacity" in only_problem(with_phone("capacity: 0")).message
    assert load(with_phone("capacity: 4, reliability: 0.95, reliability_at_capacity: 0.6, when_full: fail"))
