"""Contingency play: an incident that went away by itself is carried on by a contingency incident (``continues``).

HSEEP's contingency injects make sure expected play happens when the organic path did not: here the
attack resumes after it ended by itself (condition ``is: ended``), and an objective about the first
attack, which it left unexercised, is measured on the one that continues it.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import at, file_of, kinds, load, one, run, to_yaml
from format_helpers import only_problem

from ballotdrill.journal import Kind
from ballotdrill.scoring import score

ACTORS = {"op": {"staff": 1}}
MITIGATE = {"p": {"trigger": {"type": "ddos"},
                  "steps": [{"id": "mitigate", "actor": "op", "duration": "1h", "effect": {"resolve": True}}]}}


def attack(duration: str, **extra: Any) -> list[dict[str, Any]]:
    """D1 at 10:00 lasting ``duration`` by itself; D1R, released when D1 ended by itself before it was mitigated,
    lasts until mitigated."""
    return [{"at": "10:00", "incident": {"id": "D1", "type": "ddos", "duration": duration, **extra}},
            {"id": "C1", "when": {"incident": "D1", "is": "ended", "before": "mitigate"},
             "incident": {"id": "D1R", "type": "ddos", "continues": "D1", **extra}}]


def with_objectives(doc: dict[str, Any], *objectives: dict[str, Any]) -> dict[str, Any]:
    doc["scenarios"]["s"]["objectives"] = list(objectives)
    return doc


CONTAINED = {"id": "O1", "capability": "Cybersecurity",
             "measure": {"time": "from incident D1 start to incident D1 contained"}, "target": "3h"}


def test_an_attack_that_ends_by_itself_releases_its_continuation_and_the_objective_is_measured_on_it() -> None:
    """D1 ends by itself at 10:20 (the operator is busy on it until 11:00): D1R starts at 10:20, waits for the
    operator, is mitigated 11:00-12:00. O1 is measured on D1R: 10:20 to 12:00, 1 h 40 min, within 3 h: P."""
    doc = with_objectives(file_of(ACTORS, MITIGATE, attack("20m")), CONTAINED)
    events = run(doc)
    assert one(events, Kind.CONTAINED, incident="D1").data["how"] == "ended"
    resumed = one(events, Kind.INCIDENT_STARTED, incident="D1R")
    assert resumed.t == at("10:20")
    assert one(events, Kind.CONTAINED, incident="D1R").t == at("12:00")
    result = score(events, load(doc), "s").objectives[0]
    assert (result.rating, result.value) == ("P", 100.0)
    assert result.reason.startswith("incident D1 ended by itself after 20 min; measured on D1R, which continues it")


def test_without_the_continuation_the_same_objective_is_not_exercised() -> None:
    doc = with_objectives(file_of(ACTORS, MITIGATE, attack("20m")[:1]), CONTAINED)
    result = score(run(doc), load(doc), "s").objectives[0]
    assert result.rating == "NE" and "ended by itself" in result.reason


def test_an_attack_the_response_contained_releases_no_continuation() -> None:
    """D1 lasts 2 h by itself but is mitigated at 11:00: 'is: ended' never holds, D1R never starts, O1 is D1's 1 h."""
    doc = with_objectives(file_of(ACTORS, MITIGATE, attack("2h")), CONTAINED)
    events = run(doc)
    assert one(events, Kind.CONTAINED, incident="D1").data["how"] == "effect"
    assert not [e for e in kinds(events, Kind.INCIDENT_STARTED) if e.incident == "D1R"]
    result = score(events, load(doc), "s").objectives[0]
    assert (result.rating, result.value) == ("P", 60.0)
    assert "continues" not in result.reason


def test_a_harm_measure_follows_the_continuation_too() -> None:
    """100 voters: D1 did 100 x 20 = 2,000 voter-minutes and went away (NE); D1R did 100 x 100 = 10,000 (P)."""
    objective = {"id": "O2", "capability": "Voting", "measure": {"voter_minutes": "D1"}, "target": 12000}
    doc = with_objectives(file_of(ACTORS, MITIGATE, attack("20m", voters=100)), objective)
    result = score(run(doc), load(doc), "s").objectives[0]
    assert (result.rating, result.value) == ("P", pytest.approx(10000.0))


@pytest.mark.parametrize(("continues", "message"), [
    ("D9", "names incident 'D9', which is not defined"),
    ("D1R", "cannot continue itself"),
])
def test_continues_must_name_another_scripted_incident(continues: str, message: str) -> None:
    injects = attack("20m")
    injects[1]["incident"]["continues"] = continues
    problem = only_problem(to_yaml(file_of(ACTORS, MITIGATE, injects)))
    assert message in problem.message and problem.line == 24          # at D1R's continues


def test_a_chain_of_continuations_may_not_loop() -> None:
    injects = attack("20m")
    injects[0]["incident"]["continues"] = "D1R"
    problem = only_problem(to_yaml(file_of(ACTORS, MITIGATE, injects)))
    assert "goes round in a loop" in problem.message


def test_an_attack_that_ends_by_itself_after_a_failed_mitigation_releases_no_continuation() -> None:
    """The mitigation (10:00-11:00) fails (contain 0); D1 ends by itself at 11:30, after the expected play: no D1R."""
    failing = {"p": {"trigger": {"type": "ddos"},
                     "steps": [{"id": "mitigate", "actor": "op", "duration": "1h", "effect": {"contain": 0.0}}]}}
    events = run(file_of(ACTORS, failing, attack("1h30m")))
    assert one(events, Kind.CONTAINED, incident="D1").t == at("11:30")
    assert not [e for e in kinds(events, Kind.INCIDENT_STARTED) if e.incident == "D1R"]


def test_is_ended_alone_releases_even_after_the_step() -> None:
    """Without 'before', 'is: ended' holds whenever it went away by itself, whatever was done before."""
    failing = {"p": {"trigger": {"type": "ddos"},
                     "steps": [{"id": "mitigate", "actor": "op", "duration": "1h", "effect": {"contain": 0.0}}]}}
    injects = attack("1h30m")
    del injects[1]["when"]["before"]
    assert one(run(file_of(ACTORS, failing, injects)), Kind.INCIDENT_STARTED, incident="D1R").t == at("11:30")


def test_before_names_a_step_and_goes_with_is() -> None:
    injects = attack("20m")
    injects[1]["when"]["before"] = "mitigat"
    problem = only_problem(to_yaml(file_of(ACTORS, MITIGATE, injects)))
    assert "names step 'mitigat', which is not defined" in problem.message and "mitigate" in problem.message
    injects = attack("20m")
    injects[1]["when"] = {"incident": "D1", "is_not": "contained", "before": "mitigate"}
    assert "'before' (a step not yet completed) goes with 'is'" in only_problem(
        to_yaml(file_of(ACTORS, MITIGATE, injects))).message


def test_a_harm_measure_whose_continuation_also_went_away_by_itself_is_not_exercised() -> None:
    """D1 and D1R both end by themselves within the target (20 min each, the operator never free): NE, once."""
    busy = {"op": {"staff": 0}}
    injects = attack("20m", voters=100)
    injects[1]["incident"]["duration"] = "20m"
    objective = {"id": "O2", "capability": "Voting", "measure": {"voter_minutes": "D1"}, "target": 12000}
    doc = with_objectives(file_of(busy, MITIGATE, injects), objective)
    result = score(run(doc), load(doc), "s").objectives[0]
    assert result.rating == "NE"
    assert result.reason.count("measured on D1R") == 1 and "incident D1R ended by itself" in result.reason
