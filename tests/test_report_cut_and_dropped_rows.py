"""Two lines of the report told true for the case in front of them: the event list of a run stopped after an
incident ended by itself but before its response finished says it was not yet resolved, never "still open" after
"ended by itself" (one still going is still open); the handoff table names the channel a dropped handoff was last
tried on, as it does for one received on its fallback. Worked by hand on tiny scenarios."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report import build_report, render_markdown
from ballotdrill.report.report import assemble


def test_an_incident_that_ended_by_itself_before_a_cut_is_not_still_open() -> None:
    # X1 at 11:00 lasts 30 min, noticed at once; 'look' takes an hour (11:00-12:00); X2 at 11:40 lasts 2 h; the run
    # stops at 11:45: X1 ended by itself at 11:30 with 'look' still in progress, X2 is still going
    data = file_of({"a": {"name": "Printer", "staff": 2}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [{"id": "look", "actor": "a", "duration": "1h"}]}},
                   [incident("X1", "11:00", "fault", spec={"duration": "30m"}),
                    incident("X2", "11:40", "fault", spec={"duration": "2h"})], end="18:00")
    doc = load(data)
    report = assemble(run(doc, until_clock=11 * 60 + 45), doc, "s")
    told = report.narratives
    assert "It ended by itself at 11:30, 30 min after it began, before any response contained it." in told["X1"]
    assert told["X1"][-1] == "At the end of the run (11:45) it was not yet resolved (its response was still under way)."
    assert told["X2"][-1] == "At the end of the run (11:45) it was still open."


def test_a_dropped_handoff_names_the_channel_it_was_dropped_on() -> None:
    # 'fix' goes from a to b on radio (never gets through, no retry), then on its fallback phone (never either): the
    # handoff is dropped on phone; a received one on radio's fallback would read "radio → phone" alike
    data = file_of({"a": {"name": "Desk", "staff": 1}, "b": {"name": "Crew", "staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "log", "actor": "a", "duration": "10m"},
                       {"id": "fix", "actor": "b", "duration": "10m", "via": "radio"}]}},
                   [incident("X1", "10:00", "fault")], end="18:00",
                   channels={"radio": {"latency": "5m", "reliability": 0, "retries": 0, "fallback": "phone"},
                             "phone": {"latency": "5m", "reliability": 0, "retries": 0}})
    doc = load(data)
    report = build_report(run(doc), doc, "s")
    [chain] = report.scores.handoffs
    assert (chain.status, chain.first_channel, chain.channel) == ("dropped", "radio", "phone")
    assert "| X1 | fix | Desk → Crew | radio → phone | 10:10 | — | 2 | **dropped** |" in render_markdown(report)


def test_a_handoff_a_decision_sent_is_told_after_the_decision() -> None:
    # 'choose' (08:00-08:10) decides 'go', which sends 'fix' to Crew on radio (30 min) at 08:10; stopped at 08:20,
    # the handoff is still travelling: both lines are at 08:10, the decision's first
    data = file_of({"a": {"name": "Desk", "staff": 1}, "b": {"name": "Crew", "staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "choose", "actor": "a", "duration": "10m",
                        "decision": {"options": {"go": {"next": "fix"}, "stop": {"next": "end"}}, "default": "go"}},
                       {"id": "fix", "actor": "b", "duration": "10m", "via": "radio"}]}},
                   [incident("X1", "08:00", "fault")], end="18:00", channels={"radio": {"latency": "30m"}})
    doc = load(data)
    moments = assemble(run(doc, until_clock=8 * 60 + 20), doc, "s").moments["X1"]
    chose = next(i for i, line in enumerate(moments) if line.startswith("Desk chose 'go' at 'choose' at 08:10"))
    sent = next(i for i, line in enumerate(moments) if line.startswith("The handoff of 'fix'"))
    assert chose < sent


def test_a_wait_that_began_with_nobody_on_duty_is_told_as_how_it_began() -> None:
    # 'fix' arrives at Crew at 08:10 (on duty from 09:00) and waits 50 min: it arrived with nobody on duty, which
    # is all the story says of it (not that nobody was on duty throughout)
    data = file_of({"a": {"name": "Desk", "staff": 1},
                    "b": {"name": "Crew", "staff": 0, "shifts": [{"from": "09:00", "to": "18:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "log", "actor": "a", "duration": "10m"},
                       {"id": "fix", "actor": "b", "duration": "10m"}]}},
                   [incident("X1", "08:00", "fault")], start="07:00", end="18:00")
    doc = load(data)
    moments = assemble(run(doc), doc, "s").moments["X1"]
    assert "'fix' waited 50 min at Crew before it started (it arrived with nobody on duty)." in moments
