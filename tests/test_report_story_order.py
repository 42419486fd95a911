"""An incident's story is told in time order, and a handoff told at the moment it was sent comes after the step whose
completion sent it (same minute): a run cut while it travels tells the late step, then the handoff in transit."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def test_a_handoff_in_transit_at_the_cut_is_told_after_the_step_that_sent_it() -> None:
    # X1 at 10:00; 'triage' by a (30 min, target 10 min: late) completes at 10:30 and hands 'block' to b on a courier
    # of 2 h; the run stops at 11:00 with the handoff travelling
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "triage", "actor": "a", "duration": "30m", "target": "10m"},
                       {"id": "block", "actor": "b", "duration": "10m", "via": "courier"}]}},
                   [incident("X1", "10:00", "fault")], channels={"courier": {"latency": {"dist": "fixed",
                                                                                          "value": "2h"}}},
                   end="18:00")
    report = assemble(checked(data, until_clock=11 * 60), load(data), "s")
    story = report.moments["X1"]
    done = next(n for n, line in enumerate(story) if "completed 'triage' at 10:30" in line)
    sent = next(n for n, line in enumerate(story) if "sent at 10:30, was still in transit" in line)
    assert done < sent, story  # before: the handoff (said first) came before the step that sent it


def test_a_slow_handoff_is_told_before_it_reached_nobody_on_duty() -> None:
    # 'a' (10 min) hands 'b' to b on a 40 min mail at 10:10: it arrives at 10:50, b on duty only from 12:00. The story
    # tells how it travelled, then that it reached nobody (before: the other way round)
    data = file_of({"a": {"staff": 1}, "b": {"staff": 0, "shifts": [{"from": "12:00", "to": "18:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "a", "actor": "a", "duration": "10m"},
                       {"id": "b", "actor": "b", "duration": "10m", "via": "mail"}]}},
                   [incident("X1", "10:00", "fault")],
                   channels={"mail": {"latency": {"dist": "fixed", "value": "40m"}}}, end="18:00")
    story = assemble(checked(data), load(data), "s").moments["X1"]
    took = next(n for n, line in enumerate(story) if line == "The handoff of 'b' to b took 40 min on mail.")
    reached = next(n for n, line in enumerate(story) if line == "'b' reached b with nobody on duty.")
    assert took < reached, story
