"""HSEEP ratings at and around their thresholds, and objectives measured from journals."""

from __future__ import annotations

import pytest
from scoring_helpers import SCENARIO_YAML, JournalBuilder, sample_events, scenario_file

from ballotdrill.scoring import rate, score


@pytest.mark.parametrize(("value", "expected"), [
    (0.0, "P"), (89.999, "P"), (90.0, "P"), (90.001, "S"), (112.5, "S"), (112.501, "M"), (180.0, "M"),
    (180.001, "M"), (10_000.0, "M"), (None, "U"),
])
def test_lower_is_better_thresholds(value: float | None, expected: str) -> None:
    assert rate(value, 90.0, lower_is_better=True)[0] == expected


def test_lower_is_better_reason_notes_twice_the_target() -> None:
    assert "2 × the target" in rate(181.0, 90.0, True)[1]
    assert "2 ×" not in rate(179.0, 90.0, True)[1]


def test_an_m_reason_states_the_bands_rule_whatever_the_value() -> None:
    # M is one band, from 1.25 × the target (Appendix B): its reason says so also past 2 × the target, never reading
    # as a threshold of its own (before: "achieved, but more than 2 × the target")
    for value in (113.0, 179.0, 181.0, 10_000.0):
        rating, reason = rate(value, 90.0, True)
        assert rating == "M" and reason.startswith("missed the target by more than 25%"), value


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, "P"), (0.9, "P"), (0.8999, "S"), (0.72, "S"), (0.7199, "M"), (0.45, "M"), (0.4499, "U"), (0.0, "U"),
    (None, "U"),
])
def test_higher_is_better_thresholds(value: float | None, expected: str) -> None:
    assert rate(value, 0.9, lower_is_better=False)[0] == expected


def test_zero_target() -> None:
    assert rate(0.0, 0.0, True)[0] == "P"
    assert rate(1.0, 0.0, True)[0] == "M"
    assert rate(0.0, 0.0, False)[0] == "P"


def test_objectives_on_the_sample_run() -> None:
    objectives = {o.id: o for o in score(sample_events(), scenario_file(), "demo").objectives}
    o1, o2, o3, o4 = (objectives[k] for k in ("O1", "O2", "O3", "O4"))
    assert (o1.value, o1.rating, o1.evidence) == (120.0, "M", [6, 28])  # 120 > 1.25 × 90
    assert (o2.value, o2.rating, o2.evidence) == (12000.0, "P", [29])
    assert (o3.value, o3.rating) == (0.333, "U")  # 1 of 3 on time < 0.45
    assert o3.evidence == [11, 18, 28]
    # never contained: U, judged on the harm done by the end, which its value carries (scores.json) as its text says
    assert (o4.value, o4.unit, o4.rating) == (307_000.0, "voter-min", "U") and "never contained" in o4.reason
    assert o4.value_text == "307,000 at the end, not contained"


def _doc_with(objective: str) -> str:
    head, _, _ = SCENARIO_YAML.partition("    objectives:\n")
    return head + "    objectives:\n      - " + objective + "\n"


def test_time_objective_end_point_never_reached_is_u() -> None:
    doc = scenario_file(_doc_with("{id: T, capability: C, measure: {time: from incident D1 start to incident D1 "
                                  "contained}, target: 30m}"))
    [obj] = score(sample_events(), doc, "demo").objectives
    assert obj.rating == "U" and obj.evidence == [4]
    assert obj.reason.startswith("incident D1 had not been contained: "), obj.reason


@pytest.mark.parametrize(("done_at", "expected"), [(40.0, "P"), (50.0, "S"), (51.0, "M")])
def test_time_objective_rated_at_the_edges(done_at: float, expected: str) -> None:
    doc = scenario_file(_doc_with("{id: T, capability: C, measure: {time: from incident N1 detected to step "
                                  "assess completed}, target: 40m}"))
    b = JournalBuilder().start()
    b.add(10, "incident_started", "N1", type="disinformation", severity=3)
    b.add(10, "detected", "N1", "monitoring")
    b.add(10 + done_at, "step_completed", "N1", "monitoring", "assess", procedure="disinfo-response",
          elapsed=done_at)
    [obj] = score(b.events, doc, "demo").objectives
    assert (obj.value, obj.rating) == (done_at, expected)


def test_harm_objective_of_an_incident_that_never_occurred_is_not_exercised() -> None:
    doc = scenario_file(_doc_with("{id: H, capability: C, measure: {reach: N1}, target: 100}"))
    b = JournalBuilder().start()
    [killed] = score(b.events, doc, "demo").objectives  # no run_ended: the journal ends at its first row
    assert killed.rating == "NE" and killed.reason == "incident N1 starts at 18:10, after the run stopped at 06:00"
    b.add(1020, "run_ended", open_incidents=[], open_steps=0, harm={})
    [obj] = score(b.events, doc, "demo").objectives
    assert obj.rating == "NE" and obj.reason == "incident N1 did not occur in this run"


def test_on_time_of_one_procedure() -> None:
    doc = scenario_file(_doc_with("{id: Q, capability: C, measure: {on_time: disinfo-response}, target: 0.3}"))
    [obj] = score(sample_events(), doc, "demo").objectives
    assert (obj.value, obj.rating, obj.target_text) == (0.333, "P", "30%")
