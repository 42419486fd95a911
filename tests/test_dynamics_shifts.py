"""Shifts on named days (D-7 … D+1): validation with located errors, and the staff the engine puts on duty."""

from __future__ import annotations

from engine_helpers import file_of, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.exercise.desk import staff_at
from ballotdrill.journal import Kind, StaffChanged, StepStarted
from ballotdrill.scenarios.structure import Actor


def test_a_shift_applies_only_on_its_named_days_and_the_day_it_starts_counts() -> None:
    actor = Actor.model_validate({"staff": 1, "shifts": [
        {"from": "07:00", "to": "19:00", "staff": 5, "days": ["D"]},
        {"from": "22:00", "to": "02:00", "staff": 3, "days": ["D-1"]}]})
    day = 1440
    assert staff_at(actor, -day + 8 * 60) == 1        # D-1 08:00: the D shift does not apply
    assert staff_at(actor, 8 * 60) == 5               # D 08:00
    assert staff_at(actor, day + 8 * 60) == 1         # D+1 08:00
    assert staff_at(actor, -60) == 3                  # D-1 23:00: the night shift starting on D-1
    assert staff_at(actor, 60) == 3                   # D 01:00: still that night shift
    assert staff_at(actor, day - 60) == 1             # D 23:00: no night shift starts on D


def test_shifts_on_different_days_may_share_hours_but_not_on_a_common_day() -> None:
    Actor.model_validate({"shifts": [{"from": "07:00", "to": "19:00", "staff": 5, "days": ["D"]},
                                     {"from": "07:00", "to": "19:00", "staff": 2, "days": ["D-1", "D+1"]}]})
    text = replace_once(BASE, "cell-b: {}", 'cell-b: {shifts: [{from: "22:00", to: "08:00", staff: 2, days: [D-1]}, '
                                            '{from: "07:00", to: "09:00", staff: 1}]}')
    problem = only_problem(text)
    assert problem.line == 5
    assert "overlap on D" in problem.message


def test_a_day_that_is_not_d_plus_or_minus_n_is_refused_where_it_is_written() -> None:
    shift = '{from: "07:00", to: "19:00", staff: 2, days: [Monday]}'
    text = replace_once(BASE, "cell-b: {}", f"cell-b: {{shifts: [{shift}]}}")
    problem = only_problem(text)
    assert problem.line == 5
    assert "invalid day 'Monday'" in problem.message and "D-7" in problem.message


def test_the_run_puts_the_named_days_staff_on_duty_and_waits_follow() -> None:
    """One desk, one call a minute apart at 09:00 on D-1 and on D: four calls wait on D-1, none on D."""
    calls = [{"at": f"{day}09:0{i}", "incident": {"id": f"{tag}{i}", "type": "call"},
              "detected_by": {"actor": "desk"}} for day, tag in (("D-1 ", "a"), ("", "b")) for i in range(5)]
    doc = file_of({"desk": {"staff": 1, "shifts": [{"from": "07:00", "to": "19:00", "staff": 5, "days": ["D"]}]}},
                  {"p": {"trigger": {"type": "call"}, "steps": [{"id": "s", "actor": "desk", "duration": "30m"}]}},
                  calls, start="D-1 06:00", end="12:00")
    events = run(doc)
    staff = [(e.t, e.fields(StaffChanged).staff) for e in events if e.kind == Kind.STAFF_CHANGED]
    assert staff == [(0.0, 1), (1440 + 60.0, 5)]  # D 07:00; the run ends at D 12:00
    waited = {e.incident for e in events if e.kind == Kind.STEP_STARTED and e.fields(StepStarted).wait > 0}
    assert waited == {"a1", "a2", "a3", "a4"}
