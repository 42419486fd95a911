"""Hand-made cases with known answers for an objective's own cause (scoring/objective_cause.py).

- A step whose effect has ``contain: 0`` never contains its incident (the engine draws nothing for it): the
  objective's cause names the procedure's first step that may contain it, not that one; with no other, it says
  the designed response has no step that may contain the incident (not a failed draw).
"""

from __future__ import annotations

from engine_helpers import at, checked, file_of, incident, load

from ballotdrill.report.report import assemble


def test_a_step_with_no_chance_to_contain_is_not_the_first_containing_step() -> None:
    """X1 at 10:00; 'try' (a, 10 min, contain 0) then 'stop' (a, 2 h, contains for sure): contained at 12:10, 2 h
    10 min against a 1 h target (M), with no delay: the designed response is slower than the target, and its first
    containing step is 'stop'."""
    steps = [{"id": "try", "actor": "a", "duration": "10m", "effect": {"contain": 0.0}},
             {"id": "stop", "actor": "a", "duration": "2h", "effect": {"contain": 1.0}}]
    data = file_of({"a": {"staff": 1}}, {"p": {"trigger": {"type": "ddos"}, "steps": steps}},
                   [incident("X1", "10:00", "ddos")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Cybersecurity",
         "measure": {"time": "from incident X1 start to incident X1 contained"}, "target": "1h"}]
    events = checked(data)
    assert [e.t for e in events if e.kind == "contained"] == [at("12:10")]
    assert not [e for e in events if e.kind == "effect_failed"]  # no draw for a chance of 0
    report = assemble(events, load(data), "s")
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert (report.scores.objectives[0].rating, finding.lever) == ("M", "step:p/stop")
    assert "the designed path to its containing step 'stop' (p) takes 2 h 10 min, longer than the 1h target" in \
        finding.root_cause


def test_a_procedure_whose_only_effect_cannot_contain_is_not_told_as_a_failed_draw() -> None:
    """X1 at 10:00; its one step 'repair' (crew, 30 min) has ``contain: 0``: never contained by 14:00 (U)."""
    steps = [{"id": "repair", "actor": "crew", "duration": "30m", "effect": {"contain": 0.0}}]
    data = file_of({"crew": {"staff": 2}}, {"repair": {"trigger": {"type": "outage"}, "steps": steps}},
                   [incident("X1", "10:00", "outage")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X1 start to incident X1 contained"}, "target": "1h"}]
    events = checked(data)
    assert not [e for e in events if e.kind in ("effect_failed", "contained")]
    report = assemble(events, load(data), "s")
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert report.scores.objectives[0].rating == "U"
    assert finding.root_cause.endswith("it was never contained; the designed response (repair) has no step that may "
                                       "contain outage incidents (a chance above 0, or resolving)"), finding.root_cause
    assert "did not contain" not in finding.root_cause
