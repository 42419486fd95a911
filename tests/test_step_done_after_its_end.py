"""A time to a containing step done only after its incident had ended by itself is not exercised (the step contained
nothing), but the step was done: a sweep's line says so, and how often within the target, never only "no chance of
meeting it to read"; ``compare`` words it as it words a run whose step was not done, each saying which. Real runs of
a tiny scenario, answers worked out by hand."""

from __future__ import annotations

from pathlib import Path

from engine_helpers import checked, file_of, incident, load, to_yaml

from ballotdrill.report.report import assemble
from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.scoring import compare
from ballotdrill.sweep import build_points
from ballotdrill.sweep.aggregate import summarise_point
from ballotdrill.sweep.measures import outcome
from ballotdrill.sweep.render import done_text


def _data(repair: str) -> dict[str, object]:
    """X1 at 10:00 ends by itself after 40 min; 'check' (10 min) then 'repair' (``repair``, contains it for certain).
    O1: X1's start to 'repair' done within 3 h; O2: the same within 1 h; O3: to its containment within 1 h."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": repair, "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": "40m"})], end="18:00")
    cap = "Infrastructure systems"
    data["scenarios"]["s"]["objectives"] = [  # type: ignore[index]
        {"id": "O1", "capability": cap, "measure": {"time": "from incident X1 started to step repair"}, "target": "3h"},
        {"id": "O2", "capability": cap, "measure": {"time": "from incident X1 started to step repair"}, "target": "1h"},
        {"id": "O3", "capability": cap, "measure": {"time": "from incident X1 started to incident X1 contained"},
         "target": "1h"}]
    return data


def test_a_step_done_after_its_incident_ended_is_said_beside_not_exercised(tmp_path: Path) -> None:
    # 'repair' completes at 12:10 (2 h 10 min after X1 began, 1 h 30 min after it ended): every objective NE; O1's
    # step came within its 3 h, O2's not within its 1 h; O3 is to a containment, not a step: nothing done to say
    path = tmp_path / "s.yaml"
    path.write_text(to_yaml(_data("2h")), encoding="utf-8")
    _, points = build_points(read_file(str(path)), None, [], [], [])
    doc = load(_data("2h"))
    scores = assemble(checked(_data("2h")), doc, "s").scores
    assert {o.id: (o.rating, o.value) for o in scores.objectives} == {"O1": ("NE", 130.0), "O2": ("NE", 130.0),
                                                                       "O3": ("NE", 40.0)}
    outcomes = [outcome(0, i, i, 1, scores) for i in range(3)]
    summary = {o.id: o for o in summarise_point(points[0], "s", outcomes).objectives}
    assert [(summary[k].done_unexercised, summary[k].done_within) for k in ("O1", "O2", "O3")] == [(3, 3), (3, 0),
                                                                                                   (0, 0)]
    assert done_text([summary["O1"]], "; ") == ("; 'repair' was done all the same in 3 of the 3 runs that did not "
                                                "exercise it, after its incident had ended by itself, within the "
                                                "target in 3")
    assert done_text([summary["O3"]]) == ""


def test_compare_words_the_same_not_exercised_alike_whether_the_step_was_done_or_not() -> None:
    # A: 'repair' done at 12:10, 1 h 30 min after X1 ended; B: 'repair' takes 10 h, not done by the end at 18:00.
    # Both NE (X1 ended by itself within the 3 h target); before, A read "not exercised: ended by itself (after
    # 40 min)" and B "not exercised: incident X1 ended by itself after 40 min, within the target, before step repair
    # completed"
    a, b = (assemble(checked(_data(repair)), load(_data(repair)), "s").scores for repair in ("2h", "10h"))
    row = next(r for r in compare(a, b).rows if r.item == "O1" and r.measure == "value")
    assert (row.a, row.b) == ("not exercised: ended by itself (after 40 min); 'repair' done 1 h 30 min after it",
                              "not exercised: ended by itself (after 40 min); 'repair' not done")
