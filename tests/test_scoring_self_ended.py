"""An incident that ended by itself: what the response did to it decides whether its objective was exercised, and a
time to its containment keeps the time it took. Hand-made cases with known answers.

X1 at 10:00 is a wave of 1,000 doubling every 30 min that ends by itself after 3 h (13:00). Left alone it would
reach 1,000 × 2^6 = 64,000; a step 'warn' at a (10 min, from 10:00) may slow it to a doubling every 2 h:
1,000 × 2^(10/30) ≈ 1,260 at 10:10, then × 2^(170/120) ≈ 3,364 at 13:00.

D1 at 10:00 is a 2-hour DDoS costing 100 voters; a warning at 09:00 halves its duration: 100 × 60 = 6,000
voter-minutes, where left to itself it would have cost 100 × 120 = 12,000.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.compare import compare


def _wave(slow: bool, target: int = 10_000) -> dict[str, Any]:
    step: dict[str, Any] = {"id": "warn", "actor": "a", "duration": "10m"}
    if slow:
        step["effect"] = {"doubling": "2h"}
    data = file_of({"a": {"staff": 1}}, {"p": {"trigger": {"type": "disinformation"}, "steps": [step]}},
                   [incident("X1", "10:00", "disinformation",
                             spec={"duration": "3h", "reach": {"initial": 1000, "doubling": "30m", "cap": 1_000_000}})])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "X1"}, "target": target},
        {"id": "O2", "capability": "Public information and warning",
         "measure": {"time": "from incident X1 start to incident X1 contained"}, "target": "2h"}]
    return data


def _objectives(data: dict[str, Any]) -> dict[str, Any]:
    report = assemble(checked(data), load(data), "s")
    return {o.id: o for o in report.scores.objectives}


def test_a_wave_the_response_slowed_that_ended_by_itself_under_its_target_is_rated_on_its_reach() -> None:
    o1 = _objectives(_wave(slow=True))["O1"]
    assert o1.rating == "P" and o1.value is not None and 3300 <= o1.value <= 3400
    assert o1.value_text.endswith(", ended by itself")
    assert ("incident X1 ended by itself after 3 h 00 min, and the response had slowed or shortened it before "
            "then (once: rows #") in o1.reason
    assert "nothing was exercised" not in o1.reason


def test_a_slowed_wave_that_would_have_passed_its_target_unslowed_is_credited_with_that_figure() -> None:
    o1 = _objectives(_wave(slow=True, target=10_000))["O1"]  # 3,364 slowed; 64,000 left to itself
    assert o1.rating == "P"
    assert o1.reason.endswith("; left to itself its reach would have been 64,000, past the target")


def test_a_slowed_wave_that_would_have_stayed_under_its_target_anyway_exercised_nothing() -> None:
    o1 = _objectives(_wave(slow=True, target=100_000))["O1"]  # 64,000 left to itself: under 100,000 anyway
    assert (o1.rating, o1.value) == ("NE", None)
    assert "left to itself its reach would have been 64,000, also within the target" in o1.reason
    assert "the response was not what kept it there" in o1.reason
    assert o1.value_text.endswith(", ended by itself")


def _shortened_ddos(target: int) -> dict[str, Any]:
    actors = {"nccn": {"staff": 1, "actions": ["warn-targets"]}, "cert": {"staff": 1}}
    procs = {"p": {"trigger": {"type": "ddos"}, "steps": [{"id": "triage", "actor": "cert", "duration": "10m"}]}}
    data = file_of(actors, procs, [
        {"at": "09:00", "action": {"actor": "nccn", "name": "warn-targets"}},
        incident("D1", "10:00", "ddos", spec={"duration": "2h", "voters": 100,
                                              "mitigated_by": [{"action": "warn-targets", "duration": 0.5}]})])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity", "measure": {"voter_minutes": "D1"}, "target": target}]
    return data


@pytest.mark.parametrize(("target", "rating", "words"), [
    (10_000, "P", "left to itself its voter-minutes would have been 12,000, past the target"),
    (15_000, "NE", "left to itself its voter-minutes would have been 12,000, also within the target"),
])
def test_a_shortened_incident_is_credited_only_if_its_whole_duration_would_have_passed_the_target(
        target: int, rating: str, words: str) -> None:
    o1 = _objectives(_shortened_ddos(target))["O1"]  # 6,000 done, 12,000 left to itself
    assert o1.rating == rating and words in o1.reason
    assert o1.value == (6000.0 if rating == "P" else None)


def test_a_wave_nobody_slowed_that_ended_by_itself_under_its_target_exercised_nothing() -> None:
    o1 = _objectives(_wave(slow=False, target=100_000))["O1"]  # 64,000, all by itself
    assert (o1.rating, o1.value) == ("NE", None) and "the objective was not put to the test" in o1.reason


def test_a_slowed_wave_that_ended_by_itself_past_its_target_is_unable() -> None:
    o1 = _objectives(_wave(slow=True, target=2_000))["O1"]
    assert o1.rating == "U" and "past the target" in o1.reason


def test_a_time_to_containment_of_an_incident_that_ended_by_itself_keeps_the_time_it_took() -> None:
    o2 = _objectives(_wave(slow=True))["O2"]
    # it ended by itself at 13:00, 3 h after it began, past the 2 h target: U as before, and 180 min as its value
    assert (o2.rating, o2.value) == ("U", 180.0)


def test_compare_values_a_harm_objective_rated_unable_at_the_harm_it_judged() -> None:
    data = _wave(slow=False, target=2_000)  # X1 ends by itself at 64,000, past the target: U, judged on 64,000
    scores = assemble(checked(data), load(data), "s").scores
    o1 = next(o for o in scores.objectives if o.id == "O1")
    assert (o1.rating, o1.value) == ("U", 64000.0)
    row = next(r for r in compare(scores, scores).rows if r.item == "O1" and r.measure == "value")
    assert (row.a, row.b) == (64000.0, 64000.0)  # as the report says it and the sweep values it


def test_compare_shows_what_the_report_says_of_an_objective_without_a_value() -> None:
    # A: X1 left alone ends by itself at 64,000 under a 100,000 target (NE); B: stopped at 11:00 with X1 open at
    # 1,000 × 2^2 = 4,000 so far, under its target (NE): neither has a value, each says what is known
    data = _wave(slow=False, target=100_000)
    a = assemble(checked(data), load(data), "s").scores
    b = assemble(checked(data, until_clock=11 * 60.0), load(data), "s").scores
    o1_a, o1_b = (next(o for o in s.objectives if o.id == "O1") for s in (a, b))
    assert (o1_a.value, o1_b.value) == (None, None)
    row = next(r for r in compare(a, b).rows if r.item == "O1" and r.measure == "value")
    assert (o1_a.rating, o1_b.rating) == ("NE", "NE")
    assert (row.a, row.b) == (f"not exercised: {o1_a.value_text}", f"not exercised: {o1_b.value_text}") == (
        "not exercised: ended by itself (64,000)", "not exercised: 4,000 so far, still open")
    assert (row.diff, row.better, row.small) == (None, "", False)
