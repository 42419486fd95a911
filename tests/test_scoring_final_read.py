"""What a final read of the ranking left, each worked by hand on a tiny scenario with a known answer.

- A decision that went another way for two objectives weighs on its lever with both objectives' points (as any
  lever does), its first finding naming both; an objective alone on its own cause's lever keeps its own points.
- A time objective measured from and to the same incident lists that incident once.
- A decision loop's fix is owned by the procedure's owner, else by the organisation of the actor whose decision
  sent the work back, not by that of the step the loop brought back.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring import analyse, score
from ballotdrill.scoring.areas import Finding
from ballotdrill.scoring.load import actor_names


def _untaken(objectives: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, Finding]]:
    """N1 (a wave: 100 people doubling every 30 min) at 10:00; 'assess' (10 min), then 'decide': its default
    'debunk' only slows the wave and ends the procedure; 'takedown' would have contained it. The run takes the
    default, so N1 is never contained: each objective about its containment is U, traced to the decision."""
    steps = [{"id": "assess", "actor": "a", "duration": "10m"},
             {"id": "decide", "actor": "a", "decision": {"options": {"debunk": {"next": "debunk"},
                                                                     "takedown": {"next": "takedown"}},
                                                         "default": "debunk"}},
             {"id": "debunk", "actor": "b", "duration": "20m", "effect": {"doubling": "60m"}, "next": "end"},
             {"id": "takedown", "actor": "b", "duration": "20m", "effect": {"contain": 1.0}}]
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("N1", "10:00", "disinformation",
                             spec={"severity": 3, "reach": {"initial": 100, "doubling": "30m", "cap": 1000000}})],
                   end="14:00")
    data["scenarios"]["s"]["objectives"] = objectives
    report = assemble(checked(data), load(data), "s")
    return ({o.id: str(o.rating) for o in report.scores.objectives},
            {f.title: f for f in report.analysis.improvements if f.cause == "objective"})


REACH = {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "N1"}, "target": 1000}
CONTAINED = {"id": "O2", "capability": "Public information and warning",
             "measure": {"time": "from incident N1 start to incident N1 contained"}, "target": "1h"}


def test_a_decision_behind_two_objectives_weighs_both_on_its_lever() -> None:
    ratings, found = _untaken([REACH, CONTAINED])
    assert ratings == {"O1": "U", "O2": "U"}
    o1, o2 = found["Objective O1 rated U (Public information and warning)"], \
        found["Objective O2 rated U (Public information and warning)"]
    assert o1.lever == o2.lever == "step:p/decide"
    assert (o1.weight, o1.explains, o1.weighed_with) == (8.0, ["O1 (U)", "O2 (U)"], "")
    assert (o2.weight, o2.explains, o2.weighed_with) == (4.0, [], o1.title)  # its own rating, weighed with O1's


def test_an_objective_alone_on_its_decision_keeps_its_own_points() -> None:
    ratings, found = _untaken([REACH])
    assert ratings == {"O1": "U"}
    o1 = found["Objective O1 rated U (Public information and warning)"]
    assert (o1.weight, o1.explains, o1.weighed_with, o1.lever) == (4.0, [], "", "step:p/decide")


def test_a_time_objective_from_and_to_one_incident_lists_it_once() -> None:
    _, found = _untaken([CONTAINED])
    assert found["Objective O2 rated U (Public information and warning)"].incidents == ["N1"]


def _looping(owner: str | None = None) -> dict[str, Any]:
    """X1 at 10:00: CERT's cert triages (20 min), CVK's cvk decides (10 min) and 'recheck' sends the work back to
    triage once; then 'go' to cert's 'act'."""
    procedure: dict[str, Any] = {"trigger": {"type": "x"}, "steps": [
        {"id": "triage", "actor": "cert", "duration": "20m", "target": "30m"},
        {"id": "decide", "actor": "cvk", "duration": "10m",
         "decision": {"options": {"go": {"next": "act"}, "recheck": {"next": "triage"}}, "default": "go"}},
        {"id": "act", "actor": "cert", "duration": "20m"}]}
    if owner is not None:
        procedure["owner"] = owner
    return file_of({"cert": {"staff": 1, "organisation": "CERT"}, "cvk": {"staff": 1, "organisation": "CVK"}},
                   {"p": procedure}, [incident("X1", "10:00", "x", detected_by={"actor": "cert", "after": "0m"})])


def _loop_owners(owner: str | None = None) -> tuple[str, str]:
    """Who owns the fix of the ping-pong finding and of 'triage' late from the loop."""
    data = _looping(owner)
    doc = load(data)
    events = checked(data, decisions={"X1:p:decide:1": "recheck", "X1:p:decide:2": "go"})
    found = analyse(score(events, doc, "s"), actor_names(doc.structure), doc.structure).improvements
    bounced = next(f for f in found if f.cause == "ping_pong")
    triage = next(f for f in found if f.title.startswith("Step 'triage' late"))
    assert bounced.lever == triage.lever == "step:p/triage"  # the lever: the step brought back
    return bounced.responsible, triage.responsible


def test_a_decision_loops_fix_is_owned_by_the_organisation_that_decided() -> None:
    assert _loop_owners() == ("CVK", "CVK")  # not CERT, whose step was brought back


def test_a_decision_loops_fix_in_an_owned_procedure_is_the_owners() -> None:
    assert _loop_owners("Election board") == ("Election board", "Election board")
