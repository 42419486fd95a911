"""An on-time share is explained by the levers whose late steps, taken away (on time), would have turned its rating:
any one alone, else the fewest together, most late steps first; none when even all together would not
(scoring/ranking.py, ``explaining_levers``; scoring/turning.py, ``on_time_turns``). Hand-made cases with known answers.

Three desks of one, each step 20 min with a 25-min target. Two incidents at A's procedure at 10:00: the first is done
at 10:20, the second waits 20 min behind it and is done at 10:40, 15 min late ("One long wait at A"). The same at B.
Six incidents at C's procedure, 30 min apart, all on time. O1: the share of all steps on time.

- Target 100 %: 8 of 10 on time, 80 %, S. A's one late step on time: 90 %, still S; B's likewise; both: 100 %, P.
  Neither alone explains O1, both together do (before, A, behind the first of the late steps, alone).
- Target 90 %: 80 % is S; A's or B's late step on time gives 90 %, P: either alone explains it.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import Report, assemble


def _day(target: float) -> Report:
    step = {"duration": {"dist": "fixed", "value": "20m"}, "target": "25m"}
    procedures = {name: {"trigger": {"type": kind}, "steps": [{"id": f"do-{kind}", "actor": desk, **step}]}
                  for name, kind, desk in (("p", "x", "a"), ("q", "y", "b"), ("r", "z", "c"))}
    injects = [incident("X1", "10:00", "x"), incident("X2", "10:00", "x"),
               incident("Y1", "10:00", "y"), incident("Y2", "10:00", "y"),
               *(incident(f"Z{i}", f"{11 + i // 2}:{30 * (i % 2):02d}", "z") for i in range(6))]
    data: dict[str, Any] = file_of({desk: {"staff": 1} for desk in "abc"}, procedures, injects, end="16:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Operational coordination", "measure": {"on_time": "all"}, "target": target}]
    return assemble(checked(data), load(data), "s")


def _explains(report: Report) -> dict[str, list[str]]:
    return {f.title: f.explains for f in report.analysis.improvements if f.title.startswith("One long wait")}


def test_two_levers_that_turn_an_on_time_share_only_together_share_it() -> None:
    report = _day(1.0)
    objective = report.scores.objectives[0]
    assert (objective.value, objective.rating) == (0.8, "S")
    explains = _explains(report)
    assert explains["One long wait at a"] == [
        "O1 (S; shared with “One long wait at b”: it turns only if the delays of both are taken away)"]
    assert explains["One long wait at b"] == [
        "O1 (S; shared with “One long wait at a”: it turns only if the delays of both are taken away)"]


def test_each_lever_that_turns_an_on_time_share_alone_explains_it() -> None:
    report = _day(0.9)
    assert report.scores.objectives[0].rating == "S"
    explains = _explains(report)
    assert explains["One long wait at a"][0].startswith("O1 (S; shared with “One long wait at b”: taking either")
    assert explains["One long wait at b"][0].startswith("O1 (S; shared with “One long wait at a”: taking either")
