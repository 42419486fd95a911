"""A time objective to a step that carries a containment is met when the containment took hold, not when the step
completed: hand-made cases with known answers.

- a step whose containment took hold is the end point, at its completion (as a step without an effect);
- a step whose containment failed is not: the incident never contained, the objective is U and says the step was
  done (when, within or past the target) but its chance of containing failed (never a Strength), its value too;
- the incident ending by itself within the target after the failed attempt: not exercised (NE), never P;
- a step without an effect keeps its meaning (its completion is the end point).
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring.model import ObjectiveResult


def _file(effect: dict[str, Any] | None, *, duration: str | None = None) -> dict[str, Any]:
    """X1 at 10:00, noticed at once by 'desk'; 'assess' 20 min, then 'fix' 20 min (done at 10:40) with ``effect``;
    O1: from X1's start to step 'fix', target 1 h."""
    fix: dict[str, Any] = {"id": "fix", "actor": "desk", "duration": {"dist": "fixed", "value": "20m"}}
    if effect is not None:
        fix["effect"] = effect
    spec = {"duration": duration} if duration else {}
    data = file_of({"desk": {"staff": 1}}, {"p": {"trigger": {"type": "x"}, "steps": [
        {"id": "assess", "actor": "desk", "duration": {"dist": "fixed", "value": "20m"}}, fix]}},
        [incident("X1", "10:00", "x", detected_by={"actor": "desk", "after": "0m"}, spec=spec)])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Operational coordination",
         "measure": {"time": "from incident X1 start to step fix"}, "target": "1h"}]
    return data


def _o1(data: dict[str, Any]) -> tuple[ObjectiveResult, str, list[Any]]:
    events = checked(data)
    report = build_report(events, load(data), "s")
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    return o1, render_markdown(report), events


def test_a_step_whose_containment_took_hold_is_the_end_point() -> None:
    o1, text, _ = _o1(_file({"contain": 1.0}))
    assert (o1.rating, o1.value) == ("P", 40.0)  # 'fix' done at 10:40, contained then
    assert "Strength: Objective O1 met" in text


def test_a_step_without_an_effect_keeps_its_completion_as_the_end_point() -> None:
    o1, _, _ = _o1(_file(None))
    assert (o1.rating, o1.value) == ("P", 40.0)


def test_a_step_whose_containment_failed_is_not_the_end_point() -> None:
    o1, text, events = _o1(_file({"contain": 0.000001}))
    failed = [e for e in events if e.kind == "effect_failed"]
    assert [(e.step, e.t) for e in failed] == [("fix", 280.0)]  # the draw failed at 10:40 (t from 06:00)
    # never contained until the end at 23:00: 13 h after X1 began, past the 1 h target
    assert o1.rating == "U" and o1.value is None
    # the step was done, within the target: the reason and the value say so, and that its chance failed
    assert o1.reason.startswith(f"step fix completed 40 min after incident X1 started, within the 1 h 00 min target, "
                                f"but its 0.0001% chance of containing incident X1 failed (row #{failed[0].seq}); its "
                                "containment never took hold")
    assert o1.value_text == "'fix' done in 40 min, but its 0.0001% chance of containing X1 failed; not contained in " \
        "13 h 00 min"
    assert failed[0].seq in o1.evidence
    assert "Strength: Objective O1" not in text
    assert "the containing step 'fix' completed at 10:40 but did not contain X1" in text  # its root cause


def test_an_incident_ending_by_itself_within_the_target_after_a_failed_containment_is_not_exercised() -> None:
    o1, text, _ = _o1(_file({"contain": 0.000001}, duration="50m"))  # the draw fails at 10:40, X1 ends at 10:50
    assert o1.rating == "NE"
    assert "but its 0.0001% chance of containing incident X1 failed" in o1.reason
    assert "incident X1 ended by itself after 50 min, within the target, before its containment took hold" \
        in o1.reason
    assert "Strength: Objective O1" not in text


def test_a_containing_step_done_past_the_target_whose_chance_failed_says_both() -> None:
    # 'fix' of 50 min done at 11:10, 1 h 10 min after X1 began, past the 1 h target; its 90 % draw failed (the
    # first seed where it does)
    data = _file({"contain": 0.9})
    data["structure"]["procedures"]["p"]["steps"][1]["duration"] = {"dist": "fixed", "value": "50m"}
    seed = next(s for s in range(1, 60) if any(e.kind == "effect_failed" for e in checked(data, s)))
    o1 = next(o for o in build_report(checked(data, seed), load(data), "s").scores.objectives if o.id == "O1")
    assert o1.rating == "U"  # its end point, the containment, never came
    assert o1.reason.startswith("step fix completed 1 h 10 min after incident X1 started, past the 1 h 00 min "
                                "target, but its 90% chance of containing incident X1 failed")
    assert o1.value_text.startswith("'fix' done in 1 h 10 min, but its 90% chance of containing X1 failed; not "
                                    "contained in")
