"""A lever's share of an incident's reach ends where its wave reached its cap: no delay after that moment could add
reach. Voter- and station-minutes have no cap and keep the whole stretch. Hand-made cases with known answers.

X1 at 10:00 is a wave of 1,000 doubling every 30 min, capped at 4,000: it reaches its cap at 11:00 (two doublings).
Its procedure: 'log' (a, 30 min), then 'stop' (b, 10 min) contains it for sure. a comes on duty at 10:30, b at
12:00: 'log' waits 10:00-10:30 and runs to 11:00, 'stop' waits 11:00-12:00 and contains X1 at 12:10.

- Reach only: the stretch that could add reach is 10:00-11:00 (60 min). a's 30 min of queue are half of it (0.5);
  b's hour in the queue came after the cap and is behind none of it (0), where the whole stretch to the
  containment (130 min) made it 60/130 = 46 % of the run's harm.
- The same incident also keeping 100 voters a minute from voting (13,000 voter-minutes, 10:00-12:10): b's hour is
  60/130 = 0.462 of those; a's share stays its largest, 0.5 of the reach (its voter-minutes share is 30/130).
"""

from __future__ import annotations

import math
from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scenarios.scenario import Reach
from ballotdrill.scoring.wavecap import cap_reached, replayed


def _wave(voters: int = 0) -> dict[str, Any]:
    steps = [{"id": "log", "actor": "a", "duration": "30m"},
             {"id": "stop", "actor": "b", "duration": "10m", "effect": {"contain": 1.0}}]
    spec: dict[str, Any] = {"reach": {"initial": 1000, "doubling": "30m", "cap": 4000}}
    if voters:
        spec["voters"] = voters
    return file_of({"a": {"staff": 0, "shifts": [{"from": "10:30", "to": "23:00", "staff": 1}]},
                    "b": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("X1", "10:00", "disinformation", spec=spec)], end="14:00")


def _shares(voters: int = 0) -> dict[str, float]:
    data = _wave(voters)
    events = checked(data)
    contained = next(e for e in events if e.kind == "contained")
    assert (contained.t, contained.data["reach"]) == (at("12:10"), 4000)
    report = assemble(events, load(data), "s")
    queues = [f for f in report.analysis.improvements if f.cause == "queue"]
    return {f.lever: f.harm_share for f in queues}


def test_a_delay_after_the_wave_reached_its_cap_is_behind_none_of_its_reach() -> None:
    assert _shares() == {"actor:a": 0.5, "actor:b": 0.0}


def test_voter_minutes_keep_the_whole_stretch_to_the_containment() -> None:
    assert _shares(voters=100) == {"actor:a": 0.5, "actor:b": round(60 / 130, 3)}


def test_the_moment_a_wave_reaches_its_cap_follows_its_slowings() -> None:
    wave = Reach.model_construct(initial=1000, doubling=30.0, cap=4000)
    assert cap_reached(replayed(wave, 0.0, 1.0, ())) == 60.0
    assert cap_reached(replayed(wave, 0.0, 0.5, ())) == 120.0  # a mitigation halved its growth rate
    assert cap_reached(replayed(wave, 0.0, 1.0, [(30.0, 60.0)])) == 90.0  # 2,000 at 30 min, then 60 min more
    assert cap_reached(replayed(wave, 0.0, 1.0, [(30.0, math.inf)])) is None  # stopped at 2,000
    assert cap_reached(replayed(wave, 0.0, 1.0, [(70.0, math.inf)])) == 60.0  # stopped after the cap
    assert cap_reached(replayed(Reach.model_construct(initial=5000, doubling=30.0, cap=4000), 0.0, 1.0, ())) == 0.0


def test_the_moment_a_wave_reaches_its_cap_is_the_engines_own_crossing() -> None:
    # 1 person doubling every 7 min reaches 250,000 after log2(250,000) doublings: the logarithm's solution lands a
    # rounding error short, where the engine's truncated reach is still 249,999; the moment is where it is 250,000
    spec = Reach.model_construct(initial=1, doubling=7.0, cap=250000)
    exact = math.log2(250000) * 7.0
    assert replayed(spec, 0.0, 1.0, ()).reach(exact) == 249999
    for slowed in ((), [(60.0, 14.0)]):  # whole, and after a slowing (a second segment)
        wave = replayed(spec, 0.0, 1.0, slowed)
        t = cap_reached(wave)
        assert t is not None and wave.reach(t) == 250000 and wave.reach(math.nextafter(t, 0.0)) == 249999
