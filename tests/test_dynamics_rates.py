"""Background rates that follow a profile over the day, and one factor on every background rate (``--set``)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import file_of, load, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.journal import Kind
from ballotdrill.scenarios import ScenarioError

ACTORS = {"desk": {"staff": 50}}
PROCS = {"p": {"trigger": {"type": "call"}, "steps": [{"id": "s", "actor": "desk", "duration": "1m"}]}}


def arrivals(inject: dict[str, Any], overrides: tuple[str, ...] = (), start: str = "08:00",
             end: str = "12:00") -> list[float]:
    doc = load(file_of(ACTORS, PROCS, [{"id": "C", **inject, "incident": {"type": "call"}}], start=start, end=end),
               list(overrides))
    events = run(doc)
    return [round(e.t, 9) for e in events if e.kind == Kind.INCIDENT_STARTED]


def test_fixed_gaps_follow_the_profile_exactly() -> None:
    """Every 10 minutes of operational time; twice as fast 09:00-10:00, not at all 11:00-11:30."""
    times = arrivals({"every": "10m", "profile": [{"from": "09:00", "to": "10:00", "factor": 2},
                                                  {"from": "11:00", "to": "11:30", "factor": 0}]})
    clock = [480 + t for t in times]
    expected = [480 + 10.0 * k for k in range(1, 7)]                 # 08:10 ... 09:00
    expected += [540 + 5.0 * k for k in range(1, 13)]                # 09:05 ... 10:00
    expected += [600 + 10.0 * k for k in range(1, 7)]                # 10:10 ... 11:00
    expected += [690 + 10.0 * k for k in range(1, 3)]                # 11:40, 11:50 (none 11:00-11:30)
    assert clock == expected


def test_the_scenario_factor_scales_every_background_rate_and_is_reachable_by_set() -> None:
    base = arrivals({"every": {"dist": "exponential", "mean": "5m"}})
    doubled = arrivals({"every": {"dist": "exponential", "mean": "5m"}}, ("scenarios.s.background_factor=2",))
    # The same draws, laid twice as densely: each arrival comes at half its time (common random numbers).
    assert doubled[:len(base)] == pytest.approx([t / 2 for t in base], abs=1e-6)
    assert len(doubled) > 1.6 * len(base)


def test_a_profile_needs_every_and_periods_must_not_overlap() -> None:
    timed = replace_once(BASE, '{at: "10:00", incident:', '{at: "10:00", profile: [{from: "09:00", to: "10:00", '
                                                           'factor: 2}], incident:')
    problem = only_problem(timed)
    assert problem.line == 21 and "'profile' go with 'every'" in problem.message
    overlapping = replace_once(BASE, '{at: "10:00", incident:', '{every: 10m, profile: [{from: "09:00", to: "11:00", '
                                                                'factor: 2}, {from: "10:00", to: "12:00", factor: 3}], '
                                                                'incident:')
    problem = only_problem(overlapping)
    assert problem.line == 21 and "profile periods 1 and 2 overlap" in problem.message


def test_a_factor_that_would_stop_time_is_refused_at_the_override() -> None:
    """10m gaps, a profile factor of 3 and background_factor 1000: an arrival every 0.2s at the peak."""
    doc = file_of(ACTORS, PROCS, [{"id": "C", "every": "10m", "incident": {"type": "call"},
                                   "profile": [{"from": "09:00", "to": "10:00", "factor": 3}]}])
    assert load(doc, ["scenarios.s.background_factor=100"])
    with pytest.raises(ScenarioError, match=r"background inject 'C' would arrive on average every 0\.2s at its peak"):
        load(doc, ["scenarios.s.background_factor=1000"])
