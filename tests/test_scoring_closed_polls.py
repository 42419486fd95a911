"""A voter- or station-minutes objective on an incident that began once its polling stations had closed could never
pass its target, whatever the response did: not exercised (NE), as a wave whose cap is within the target is, never
"met the target" and a Strength. Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _rated(clock: str) -> tuple[str, str, str, list[str]]:
    """P1 (40 stations closed) at ``clock``; polls 08:00-20:00; 'restore' (30 min) contains it. O1: its
    station-minutes within 100."""
    data = file_of({"grid": {"staff": 1}},
                   {"p": {"trigger": {"type": "power"}, "steps": [
                       {"id": "restore", "actor": "grid", "duration": "30m", "effect": {"contain": 1}}]}},
                   [incident("P1", clock, "power", spec={"stations": 40})], end="23:30")
    data["scenarios"]["s"]["polls"] = {"open": "08:00", "close": "20:00"}
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"station_minutes": "P1"}, "target": 100}]
    report = assemble(checked(data), load(data), "s")
    o1 = report.scores.objectives[0]
    return o1.rating, o1.reason, o1.value_text, [s.title for s in report.analysis.strengths]


def test_an_incident_after_the_close_exercises_no_harm_objective() -> None:
    # P1 at 21:30, the polls closed at 20:00: 0 station-minutes whatever the response did (before: P, "met the
    # target", and the Strength "Objective O1 met")
    rating, reason, text, strengths = _rated("21:30")
    assert (rating, text) == ("NE", "0, its polling stations closed")
    assert reason == ("incident P1 began at 21:30, once its polling stations had closed at 20:00: it could do no "
                      "station-minutes whatever the response did, so the objective was not put to the test")
    assert not [s for s in strengths if "O1" in s]


def test_an_incident_while_the_polls_are_open_is_rated_on_its_harm() -> None:
    # P1 at 19:00, contained at 19:30: 40 stations for 30 min, 1,200 station-minutes, past 100: M
    rating, _, text, _ = _rated("19:00")
    assert (rating, text) == ("M", "1,200")
