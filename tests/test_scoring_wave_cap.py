"""A wave that reached its cap before anything contained it: the response did not limit its reach, and a slowing
that came at the cap changed nothing. Hand-made cases with known answers.

X1 at 10:00 is a wave of 1,000 doubling every 30 min, with no end of its own. Its procedure 'warn' (90 min) may
slow it to a doubling every 2 h, then 'stop' (30 min) contains it for sure, at 12:00.

- cap 4,000: it reaches its cap at 11:00 (two doublings); the slowing at 11:30 comes at the cap and changes
  nothing; contained at 12:00 with 4,000 reached. Against a target of 1,000 the response did not limit its reach:
  U, not M ("missed the target by more than 25% (more than 2 x the target)").
- no cap to speak of: 1,000 x 2^3 = 8,000 at 11:30, slowed to 8,000 x 2^(30/120) = 9,513.7 at 12:00 (9,513
  people). Contained far past its target, but the response did limit it: M, as before.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _wave(cap: int) -> dict[str, Any]:
    steps = [{"id": "warn", "actor": "a", "duration": "90m", "effect": {"doubling": "2h"}},
             {"id": "stop", "actor": "a", "duration": "30m", "effect": {"contain": 1.0}}]
    data = file_of({"a": {"staff": 1}}, {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("X1", "10:00", "disinformation",
                             spec={"reach": {"initial": 1000, "doubling": "30m", "cap": cap}})])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "X1"}, "target": 1000}]
    return data


def _report(cap: int) -> Any:
    data = _wave(cap)
    return assemble(checked(data), load(data), "s")


def test_a_wave_contained_only_at_its_cap_is_unable_to_be_performed() -> None:
    o1 = next(o for o in _report(4000).scores.objectives if o.id == "O1")
    assert (o1.rating, o1.value) == ("U", 4000.0)  # judged on the reach it did, its cap
    assert o1.reason.startswith("incident X1's wave reached its cap (4,000, the most it can reach) before anything "
                                "contained it: the response did not limit its reach"), o1.reason
    assert o1.value_text == "4,000, its cap"


def test_a_slowing_at_the_cap_is_told_as_changing_nothing() -> None:
    moments = " ".join(_report(4000).moments["X1"])
    assert "'warn' by a did not slow it (its wave had already reached its cap of 4,000 people)." in moments
    assert "slowed its spread" not in moments


def test_a_wave_the_response_limited_below_its_cap_keeps_its_rating_on_the_value() -> None:
    report = _report(1_000_000)
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    assert o1.rating == "M" and o1.value is not None and o1.value == 9513
    assert "slowed its spread (8,000 people reached; doubling every 2 h 00 min from then, was 30 min)" in \
        " ".join(report.moments["X1"])
