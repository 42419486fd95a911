"""An objective's ``value`` in ``scores.json`` is the value its rating judged, with its unit: a harm objective rated U
(its incident ended by itself past the target, or was never contained) carries the harm done, never null beside a
time objective on the same incident that carries one. Worked by hand on a tiny scenario."""

from __future__ import annotations

import json

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.render_md import render_json
from ballotdrill.report.report import assemble
from ballotdrill.scoring.model import ObjectiveResult


def _scored(lasts: str, kind: str = "fault") -> tuple[dict[str, ObjectiveResult], str]:
    """X1 (100 voters) at 10:00, ending by itself after ``lasts``; 'check' (10 min) then 'repair' (2 h, contains it
    for certain). O1: voter-minutes of X1 within 1,000; O2: from X1's start to its containment within 30 min; O3: to
    'repair' within 30 min. An incident of another ``kind`` starts no response."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "a", "duration": "10m"},
                       {"id": "repair", "actor": "a", "duration": "2h", "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", kind, spec={"duration": lasts, "voters": 100})], end="18:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "X1"}, "target": 1000},
        {"id": "O2", "capability": "Infrastructure systems", "measure": {"time": "from incident X1 started to "
                                                                                 "incident X1 contained"},
         "target": "30m"},
        {"id": "O3", "capability": "Infrastructure systems", "measure": {"time": "from incident X1 started to step "
                                                                                 "repair"}, "target": "30m"}]
    report = assemble(checked(data), load(data), "s")
    return {o.id: o for o in report.scores.objectives}, render_json(report)


def test_a_harm_objective_u_on_an_incident_that_ended_by_itself_carries_the_harm_it_judged() -> None:
    # X1 ended by itself at 10:40: 100 voters × 40 min = 4,000 voter-minutes, past the 1,000 target: U, judged on
    # 4,000 (before: value null, the figure only in its text)
    rated, text = _scored("40m")
    o1 = rated["O1"]
    assert (o1.rating, o1.value, o1.unit) == ("U", 4000.0, "voter-min")
    assert o1.value_text == "ended by itself (4,000)"
    objectives = {o["id"]: o for o in json.loads(text)["scores"]["objectives"]}
    assert (objectives["O1"]["value"], objectives["O1"]["unit"]) == (4000.0, "voter-min")
    # the times on the same incident, in minutes: to its containment, the 40 min until it ended (past 30 min: U); to
    # 'repair', done at 12:10, the 130 min to it, rated U on that end as its text says
    assert [(rated[o].rating, rated[o].value, rated[o].unit) for o in ("O2", "O3")] == [("U", 40.0, "min"),
                                                                                         ("U", 130.0, "min")]
    assert rated["O3"].value_text == "ended by itself (after 40 min)"
    assert [objectives[o]["value"] for o in ("O2", "O3")] == [40.0, 130.0]


def test_a_harm_objective_never_contained_carries_the_harm_done_by_the_end() -> None:
    # nothing responds to X1 and it lasts past the end (18:00): 100 voters × 8 h = 48,000 voter-minutes, U
    never = _scored("10h", "other")[0]["O1"]
    assert (never.rating, never.value, never.unit) == ("U", 48_000.0, "voter-min")
    # 'repair' contains it at 12:10: rated on its value, 130 min × 100 voters, more than 1.25 × 1,000
    contained = _scored("10h")[0]["O1"]
    assert (contained.rating, contained.value) == ("M", 13_000.0)
    # an incident within the target that ended by itself exercised nothing: no value judged
    quick = _scored("5m")[0]["O1"]
    assert (quick.rating, quick.value, quick.unit) == ("NE", None, "voter-min")
