"""Two levers weighing alike on one objective share it, and each finding says how. Hand-made cases with known
answers (scoring/ranking.py, ``explaining_levers``).

X1 at 10:00. Its procedure: 'check' (a, 5 min), 'confirm' (b, 5 min), 'publish' (c, 30 min). a comes on duty at
10:15, b at 10:35: 'check' waits 10:00-10:15 and runs to 10:20, 'confirm' waits 10:20-10:35 and runs to 10:40,
'publish' completes at 11:10. O1: from X1's start to step 'publish': 70 min, with 15 min of queue at a and 15 at b.

- Target 60 min: 70 is S (within 75). Without either queue 55 min, P: either lever alone turns it. Both explain it
  and share its point (0.5 each), each naming the other ("taking either of the delays away alone").
- Target 40 min: 70 is M (over 50). Without one queue 55, still M; without both 40, P: only both together turn it.
  Both explain it, sharing its 2 points (1 each): "it turns only if the delays of both are taken away".
"""

from __future__ import annotations

from typing import Any

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _chain(target: str) -> dict[str, Any]:
    steps = [{"id": "check", "actor": "a", "duration": "5m"}, {"id": "confirm", "actor": "b", "duration": "5m"},
             {"id": "publish", "actor": "c", "duration": "30m"}]
    data = file_of({"a": {"staff": 0, "shifts": [{"from": "10:15", "to": "23:00", "staff": 1}]},
                    "b": {"staff": 0, "shifts": [{"from": "10:35", "to": "23:00", "staff": 1}]},
                    "c": {"staff": 1}},
                   {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("X1", "10:00", "disinformation")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning",
         "measure": {"time": "from incident X1 start to step publish"}, "target": target}]
    return data


def _queues(target: str) -> tuple[str, dict[str, tuple[list[str], float]]]:
    data = _chain(target)
    events = checked(data)
    assert [e.t for e in events if e.kind == "step_completed" and e.step == "publish"] == [at("11:10")]
    report = assemble(events, load(data), "s")
    o1 = report.scores.objectives[0]
    assert o1.value == 70.0
    return str(o1.rating), {f.title: (f.explains, f.weight) for f in report.analysis.improvements
                            if f.title in ("One long wait at a", "One long wait at b")}


def test_two_levers_either_of_which_would_have_turned_the_objective_share_it() -> None:
    rating, queues = _queues("60m")
    either = "O1 (S; shared with “{}”: taking either of the delays away alone would have turned it)"
    assert rating == "S"
    assert queues == {"One long wait at a": ([either.format("One long wait at b")], 0.5),
                      "One long wait at b": ([either.format("One long wait at a")], 0.5)}


def test_two_levers_that_turn_the_objective_only_together_share_it_and_say_so() -> None:
    rating, queues = _queues("40m")
    both = "O1 (M; shared with “{}”: it turns only if the delays of both are taken away)"
    assert rating == "M"
    assert queues == {"One long wait at a": ([both.format("One long wait at b")], 1.0),
                      "One long wait at b": ([both.format("One long wait at a")], 1.0)}
