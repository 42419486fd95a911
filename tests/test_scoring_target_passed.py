"""The delay that explains an objective is the delay before its target was passed; hand-made cases with known answers.

- a harm objective's target is passed at a moment read from the journal (a wave's doubling, slowed by a
  response; voter-minutes at their constant rate);
- a lever whose delay began once the target was passed does not explain the objective, and a containing step
  that completed after it is not its cause;
- a handoff still travelling at the end counts its delay up to the end, and never as a stretch that ends
  before it begins;
- an incident that ends by itself past a time objective's target is U (the players had the whole target), with
  a reason that says it ended by itself and how far the response had got, never that the response failed;
- voter-minutes stop growing when the response contains the incident.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.advice import Advisor
from ballotdrill.scoring.delays import Span, spans_of
from ballotdrill.scoring.model import Handoff
from ballotdrill.scoring.passing import passing_times


def _wave(*, assess: str = "70m", slow: dict[str, Any] | None = None, voters: int = 0) -> dict[str, Any]:
    """X1 at 10:00: a wave of 1,000 doubling every 30 min (4,000 at 11:00); 'assess' at a, then 'remove' at b,
    which nobody staffs before 12:00 (a queue from when 'assess' ends)."""
    steps = [{"id": "assess", "actor": "a", "duration": assess, **({"effect": slow} if slow else {})},
             {"id": "remove", "actor": "b", "duration": "10m", "effect": {"contain": 1.0}}]
    spec: dict[str, Any] = {"reach": {"initial": 1000, "doubling": "30m", "cap": 1_000_000}}
    if voters:
        spec["voters"] = voters
    data = file_of({"a": {"staff": 1}, "b": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("X1", "10:00", "disinformation", spec=spec)])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "X1"}, "target": 4000},
        {"id": "O2", "capability": "Public information and warning", "measure": {"voter_minutes": "X1"},
         "target": 3000}]
    return data


def test_a_wave_passes_its_target_when_its_doublings_reach_it() -> None:
    data = _wave(voters=100)
    passed = passing_times(load(data).scenarios["s"], checked(data))
    # 1,000 doubling every 30 min: 4,000 two doublings after 10:00; 100 voters a minute: 3,000 after 30 min
    assert passed == {"O1": at("11:00"), "O2": at("10:30")}


def test_a_slowed_wave_passes_its_target_at_its_new_rate() -> None:
    data = _wave(assess="30m", slow={"doubling": "1h"})
    passed = passing_times(load(data).scenarios["s"], checked(data))
    # 2,000 at 10:30 when 'assess' slows it to a doubling every hour: 4,000 at 11:30
    assert passed["O1"] == at("11:30")


def test_a_target_never_passed_has_no_moment() -> None:
    data = _wave()
    data["scenarios"]["s"]["objectives"][0]["target"] = 2_000_000  # above the wave's cap
    passed = passing_times(load(data).scenarios["s"], checked(data))
    assert "O1" not in passed


def test_a_delay_that_began_after_the_target_was_passed_does_not_explain_the_objective() -> None:
    data = _wave()
    report = assemble(checked(data), load(data), "s")
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    # 'assess' 10:00-11:10, 'remove' queued till 12:00 at b, contained 12:10: 1,000 × 2^(130/30)
    assert (o1.rating, o1.value) == ("M", 20158.0)
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at b")
    assert queue.explains == []  # its 50 min of waiting all came after 11:00, when the reach passed 4,000
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert "no area for improvement explains O1" in finding.root_cause
    assert "passed it at 11:00, 1 h 00 min after it began" in finding.root_cause


def test_a_delay_before_the_target_was_passed_still_explains_it() -> None:
    data = _wave(assess="10m")  # 'remove' queued at 10:10, its wait till 12:00 mostly before 11:00
    report = assemble(checked(data), load(data), "s")
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at b")
    assert "O1 (M)" in queue.explains


def _two_channel_structure() -> Advisor:
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}}, {"p": {"trigger": {"type": "x"}, "steps": [
        {"id": "s1", "actor": "a", "duration": "5m"}, {"id": "s2", "actor": "b", "duration": "5m", "via": "mail"}]}},
        [], channels={"mail": {"latency": {"dist": "fixed", "value": "4h"}, "fallback": "post"},
                      "post": {"latency": {"dist": "fixed", "value": "12h"}}})
    return Advisor(None, {}, load(data).structure)


def _in_transit(sent_at: float, until: float) -> Handoff:
    return Handoff(incident="X1", procedure="p", step="s2", sender="a", receiver="b", first_channel="mail",
                   channel="post", sent_at=sent_at, attempts=3, failures=2, status="in_transit",
                   in_transit_for=until - sent_at, usual_latency=720.0)


def test_a_handoff_still_failing_over_at_the_end_counts_its_delay_past_the_usual_latency_up_to_the_end() -> None:
    advice = _two_channel_structure()
    # sent at 100, the end at 400: mail usually takes 4 h (240), so 60 min of delay up to the end
    assert spans_of(None, _in_transit(100.0, 400.0), None, advice, 400.0) == [Span("channel:mail", 340.0, 400.0,
                                                                                     at=("p", "s2"))]


def test_a_handoff_at_the_end_within_its_usual_latency_has_no_delay_not_a_reversed_one() -> None:
    advice = _two_channel_structure()
    # sent at 100, the end at 213 (1 h 53 min later), within mail's usual 4 h: no delay yet, and no span
    # running backwards from 340 to 213
    assert spans_of(None, _in_transit(100.0, 213.0), None, advice, 213.0) == []


# -- an incident that ends by itself past the target ------------------------------------------------


def _outage(duration: str, detect_after: str) -> dict[str, Any]:
    """D1 at 10:00, ending by itself after ``duration``; noticed by cert after ``detect_after``; 'assess' (30 min)
    then 'mitigate' (40 min, contains it): by design contained 1 h 10 min after it is noticed."""
    data = file_of({"cert": {"staff": 1}}, {"p": {"trigger": {"type": "ddos"}, "steps": [
        {"id": "assess", "actor": "cert", "duration": "30m"},
        {"id": "mitigate", "actor": "cert", "duration": "40m", "effect": {"contain": 1.0}}]}},
        [incident("D1", "10:00", "ddos", spec={"duration": duration, "voters": 100},
                  detected_by={"actor": "cert", "after": detect_after})])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity",
         "measure": {"time": "from incident D1 start to incident D1 contained"}, "target": "1h"}]
    return data


def test_an_incident_ending_by_itself_just_past_the_target_says_how_far_the_response_had_got() -> None:
    data = _outage("61m", "2m")
    report = assemble(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    # noticed 10:02, 'assess' 10:02-10:32, 'mitigate' from 10:32 (it would have contained it at 11:12); the
    # incident ended by itself at 11:01: the players had the whole hour and had not contained it, but were on
    # their way
    assert o1.rating == "U"
    assert o1.reason == ("incident D1 ended by itself (after 1 h 01 min), past the target, before the response "
                         "contained it; the response had noticed it after 2 min and begun work after 2 min")
    assert "did not contain" not in o1.reason
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert ("it ended by itself after 1 h 01 min; when the target was passed (11:00) its containing step "
            "'mitigate' had been in progress at cert since 10:32, usually 40 min of work; the designed path to its "
            "containing step 'mitigate' (p) takes 1 h 12 min, longer than the 1h target") in finding.root_cause


def test_an_incident_ending_by_itself_before_anyone_noticed_it_says_so() -> None:
    data = _outage("61m", "3h")
    report = assemble(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    assert o1.rating == "U" and o1.reason.endswith("before the response contained it; nobody had noticed it by then")
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert finding.root_cause.startswith("late detection: cert noticed D1 only 3 h 00 min after it began")


def test_voter_minutes_stop_growing_when_the_response_contains_the_incident() -> None:
    data = _outage("10h", "0m")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity", "measure": {"voter_minutes": "D1"}, "target": 10_000}]
    report = assemble(checked(data), load(data), "s")
    harm = next(h for h in report.scores.harm if h.incident == "D1")
    # 100 voters, contained by 'mitigate' at 11:10: 70 minutes, not the 10 h it would have lasted
    assert (harm.open, harm.voter_minutes) == (False, 7000.0)
    assert report.scores.objectives[0].rating == "P"
