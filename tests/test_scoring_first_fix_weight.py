""""Fix first" says "Nothing urgent" when the heaviest area for improvement weighs 0 (it explains no objective and
no harm), naming it as the first of the minor ones; one that explains an objective is the first fix as it stands.
Worked by hand on a tiny scenario: a handoff whose first channel fails once and gets through on its fallback."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report.report import assemble


def _first_fix(target: str) -> tuple[str, str]:
    """X1 at 10:00: 'log' (10 min) at Desk, then 'fix' (10 min) at Crew, sent on radio (5 min, never gets through,
    no retry), then on its fallback phone (5 min, always): 'fix' arrives at 10:20 and ends at 10:30. O1: X1's start
    to 'fix' done, 30 min. Within a 40-min target it is P; within 25 min, S, and radio's failed 5 min taken away
    (25 min) would have turned it."""
    data = file_of({"a": {"name": "Desk", "staff": 1}, "b": {"name": "Crew", "staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "log", "actor": "a", "duration": "10m"},
                       {"id": "fix", "actor": "b", "duration": "10m", "via": "radio"}]}},
                   [incident("X1", "10:00", "fault")], end="18:00",
                   channels={"radio": {"latency": "5m", "reliability": 0, "retries": 0, "fallback": "phone"},
                             "phone": {"latency": "5m"}})
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational communications",
                                             "measure": {"time": "from incident X1 started to step fix"},
                                             "target": target}]
    doc = load(data)
    report = assemble(run(doc), doc, "s")
    return report.scores.objectives[0].rating, report.analysis.key.first_fix


def test_a_first_fix_that_weighs_nothing_is_not_urgent() -> None:
    rating, first = _first_fix("40m")
    assert rating == "P"
    assert first.startswith("Nothing urgent: no area for improvement explains an objective or any harm (all weigh "
                            "0); the first of the minor ones: ")


def test_a_first_fix_that_explains_an_objective_stands() -> None:
    rating, first = _first_fix("25m")
    assert rating == "S"
    assert not first.startswith("Nothing") and "radio" in first
