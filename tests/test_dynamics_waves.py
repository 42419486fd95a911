"""Responses that slow a wave rather than stop it: a new doubling time, or a share of the growth rate."""

from __future__ import annotations

import math
from typing import Any

import pytest
from engine_helpers import ended, file_of, kinds, load, one, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.exercise.waves import Wave
from ballotdrill.journal import Contained, Kind, RunEnded, WaveSlowed
from ballotdrill.scenarios.scenario import Reach

ACTORS = {"cell": {"staff": 1}}
WAVE = {"initial": 1000, "doubling": "30m", "cap": 10_000_000}
START = 6 * 60.0


def debunk(effect: dict[str, Any], *more: dict[str, Any]) -> dict[str, Any]:
    """A procedure whose one 1-hour step has ``effect``, then ``more`` steps."""
    return {"p": {"trigger": {"type": "disinformation"},
                  "steps": [{"id": "debunk", "actor": "cell", "duration": "1h", "effect": effect}, *more]}}


def wave_at(at: str = "10:00", **extra: Any) -> list[dict[str, Any]]:
    return [{"at": at, "incident": {"id": "N1", "type": "disinformation", "reach": WAVE, **extra}}]


def test_a_debunk_that_halves_growth_leaves_the_wave_at_the_reach_computed_by_hand() -> None:
    """Started 10:00, doubling every 30m; at 11:00 the debunk halves the growth (doubling 1h); run ends 13:00.

    By hand: 1000 * 2**2 = 4000 at 11:00, then two more hours at one doubling an hour: 4000 * 2**2 = 16,000.
    Unslowed it would be 1000 * 2**6 = 64,000.
    """
    events = run(file_of(ACTORS, debunk({"growth": 0.5}), wave_at(), end="13:00"))
    slowed = one(events, Kind.WAVE_SLOWED, incident="N1")
    assert slowed.t == 11 * 60 - START and slowed.actor == "cell" and slowed.step == "debunk"
    assert slowed.fields(WaveSlowed) == WaveSlowed(procedure="p", reach=4000, doubling=60.0, previous=30.0)
    final = ended(events).fields(RunEnded)
    assert final.open_incidents == ["N1"]           # slowing is not containing: the narrative goes on
    assert final.harm["N1"]["reach"] == 16_000
    assert not kinds(events, Kind.CONTAINED)


def test_a_new_doubling_time_then_a_takedown_contains_the_slowed_wave() -> None:
    """Slowed at 11:00 to doubling 2h, contained by a 2-hour takedown at 13:00: 4000 * 2**1 = 8000."""
    doc = file_of(ACTORS, debunk({"doubling": "2h"},
                                 {"id": "takedown", "actor": "cell", "duration": "2h", "effect": {"resolve": True}}),
                  wave_at(), end="18:00")
    events = run(doc)
    assert one(events, Kind.WAVE_SLOWED).fields(WaveSlowed).doubling == 120.0
    contained = one(events, Kind.CONTAINED)
    assert contained.t == 13 * 60 - START and contained.fields(Contained).reach == 8000


def test_growth_zero_stops_the_wave_where_it_is_and_a_condition_on_its_reach_never_fires() -> None:
    """Stopped at 4000 people: a contingency waiting for 5000 is never released, one for 3000 is (at 10:47)."""
    injects = [*wave_at(),
               {"id": "C5", "when": {"incident": "N1", "reach_above": 5000},
                "message": {"to": "cell", "text": "5k"}},
               {"id": "C3", "when": {"incident": "N1", "reach_above": 3000},
                "message": {"to": "cell", "text": "3k"}}]
    events = run(file_of(ACTORS, debunk({"growth": 0}), injects, end="16:00"))
    assert one(events, Kind.WAVE_SLOWED).fields(WaveSlowed).doubling is None
    delivered = {e.data["inject"]: e.t for e in kinds(events, Kind.INJECT_DELIVERED) if e.data["type"] == "message"}
    assert set(delivered) == {"C3"}
    assert 10 * 60 + 47 - START < delivered["C3"] < 10 * 60 + 48 - START   # 30m * log2(3001/1000) = 47.5m
    assert ended(events).fields(RunEnded).harm["N1"]["reach"] == 4000


def test_a_condition_on_reach_waits_for_the_slowed_wave() -> None:
    """Doubling 1h from 11:00 (4000): reach passes 8000 just after 12:00 (not 11:30 as unslowed)."""
    injects = [*wave_at(), {"id": "C8", "when": {"incident": "N1", "reach_above": 8000},
                            "message": {"to": "cell", "text": "8k"}}]
    events = run(file_of(ACTORS, debunk({"doubling": "1h"}), injects, end="16:00"))
    delivered = one(events, Kind.INJECT_DELIVERED, actor="cell")
    by_hand = 11 * 60 - START + 60 * math.log2(8001 / 4000)       # the first minute it holds 8001 people
    assert delivered.t == pytest.approx(by_hand, abs=1e-9)


def test_slowing_does_nothing_to_an_incident_without_a_wave_and_does_not_contain_it() -> None:
    doc = file_of(ACTORS, {"p": {"trigger": {"type": "outage"}, "steps": [
        {"id": "s", "actor": "cell", "duration": "10m", "effect": {"growth": 0.5}}]}},
        [{"at": "10:00", "incident": {"id": "X", "type": "outage", "voters": 10}}], end="11:00")
    events = run(doc)
    assert not kinds(events, Kind.WAVE_SLOWED, Kind.CONTAINED)
    assert ended(events).fields(RunEnded).harm["X"]["voter_minutes"] == 600


def test_the_wave_formula_by_hand_and_its_overflow_guard() -> None:
    wave = Wave(Reach(initial=100, doubling="10m", cap=10**9), 0.0)
    assert wave.reach(20.0) == 400
    wave.slow(20.0, growth=0.5)                     # doubling 20 from t=20
    assert wave.reach(60.0) == 1600 and wave.reach(10.0) == 200   # the past keeps its own rate
    wave.slow(60.0, doubling=0.001)                 # absurdly fast: capped, no overflow
    assert wave.reach(10**9) == 10**9
    assert wave.crossing(999, 60.0) == 0.0 and wave.crossing(10**9, 60.0) is None
    fresh = Wave(Reach(initial=100, doubling="10m", cap=10**9), 0.0)
    delay = fresh.crossing(799, 20.0)               # 400 at t=20; 800 (> 799) ten minutes on
    assert delay is not None and abs(delay - 10.0) < 1e-9 and fresh.reach(20.0 + delay) == 800


def with_effect(effect: str) -> str:
    """The format tests' base file with ``effect`` on step s1 (line 13)."""
    return replace_once(BASE, "- {id: s1, actor: cell-a}", f"- {{id: s1, actor: cell-a, effect: {effect}}}")


def test_slowing_effects_are_checked_where_they_are_written() -> None:
    both = with_effect("{contain: 0.5, growth: 0.5}")
    problem = only_problem(both)
    assert problem.line == 13 and "either contains" in problem.message and "growth" in problem.message
    two = with_effect("{doubling: 1h, growth: 0.5}")
    assert "not both" in only_problem(two).message
    more = with_effect("{growth: 1.5}")
    problem = only_problem(more)
    assert problem.line == 13 and "growth" in problem.message and "1" in problem.message
    zero = with_effect("{doubling: 0m}")
    assert "doubling" in only_problem(zero).message
    assert load(with_effect("{doubling: 2h}"))
