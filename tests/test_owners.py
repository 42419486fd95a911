"""Steps done by the incident's owner: one procedure, each incident's work at the desk that runs what is attacked."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, incident, kinds, load, to_yaml

from ballotdrill.live.adhoc import check_adhoc
from ballotdrill.live.inputs import InputError
from ballotdrill.report.report import assemble
from ballotdrill.scenarios import ScenarioError
from ballotdrill.scenarios.deadconfig import warnings

ACTORS: dict[str, Any] = {"cert": {"staff": 1}, "city-it": {"staff": 1}, "interior-ict": {"staff": 2}}
DDOS: dict[str, Any] = {"trigger": {"type": "ddos"}, "steps": [
    {"id": "triage", "actor": "cert", "duration": "10m"},
    {"id": "mitigate", "actor": "owner", "duration": "30m", "effect": {"resolve": True}},
]}


def _ddos_file(*owners: str | None, procedure: dict[str, Any] | None = None,
               actors: dict[str, Any] | None = None) -> dict[str, Any]:
    injects = []
    for n, owner in enumerate(owners, start=1):
        spec: dict[str, Any] = {} if owner is None else {"owner": owner}
        injects.append(incident(f"D{n}", "10:00", "ddos", spec=spec))
    return file_of(actors or ACTORS, {"ddos": procedure or DDOS}, injects)


def test_each_incident_is_mitigated_by_its_own_owner_at_the_same_time() -> None:
    events = checked(_ddos_file("city-it", "interior-ict"))
    by = {(e.incident, e.step): e.actor for e in kinds(events, "step_started")}
    assert by == {("D1", "triage"): "cert", ("D2", "triage"): "cert",
                  ("D1", "mitigate"): "city-it", ("D2", "mitigate"): "interior-ict"}
    sent = {e.incident: e.data["to"] for e in kinds(events, "handoff_sent")}
    assert sent == {"D1": "city-it", "D2": "interior-ict"}
    owners = {e.incident: e.data["owner"] for e in kinds(events, "incident_started")}
    assert owners == {"D1": "city-it", "D2": "interior-ict"}
    # two desks, so neither mitigation waits for the other: the second triage waits 10m at the one CERT analyst,
    # then each owner works its own incident
    resolved = {e.incident: e.t for e in kinds(events, "resolved")}
    assert resolved == {"D1": 240 + 10 + 30, "D2": 240 + 20 + 30}
    assert not [e for e in kinds(events, "step_queued") if e.step == "mitigate"]


def test_one_owner_for_both_incidents_makes_them_queue_at_that_desk() -> None:
    events = checked(_ddos_file("city-it", "city-it"))
    queued = [e for e in kinds(events, "step_queued") if e.step == "mitigate"]
    assert [(e.incident, e.actor) for e in queued] == [("D2", "city-it")]
    assert {e.incident: e.t for e in kinds(events, "resolved")} == {"D1": 240 + 40, "D2": 240 + 70}


def test_the_owner_is_scored_and_reported_like_any_actor() -> None:
    data = _ddos_file("city-it", "interior-ict")
    report = assemble(checked(data), load(data), "s")
    steps = {load.actor: load.steps for load in report.scores.load}
    assert steps["city-it"] == 1 and steps["interior-ict"] == 1 and steps["cert"] == 2
    assert "owner" not in steps


def test_the_same_seed_gives_the_same_journal() -> None:
    data = _ddos_file("city-it", "interior-ict", "city-it")
    assert [tuple(e) for e in checked(data, seed=7)] == [tuple(e) for e in checked(data, seed=7)]


@pytest.mark.parametrize(("data", "problem"), [
    (_ddos_file(None), r"test\.yaml:\d+:\d+: incident of type 'ddos' may start procedure 'ddos', whose step "
                       r"'mitigate' is done by the incident's owner; give the incident an 'owner'"),
    (_ddos_file("city-itt"), r"test\.yaml:\d+:\d+: the incident's owner 'city-itt' is not a defined actor "
                             r"\(did you mean 'city-it'\?\)"),
    (_ddos_file("city-it", actors={**ACTORS, "owner": {}}),
     r"test\.yaml:\d+:\d+: 'owner' is reserved for steps done by the incident's owner"),
    (_ddos_file("city-it", procedure={**DDOS, "steps": [{"id": "m", "actor": "owner", "post": "lead"}]}),
     r"test\.yaml:\d+:\d+: step 'm' is done by the incident's owner, so it cannot name a post"),
    (_ddos_file("city-it", procedure={**DDOS, "steps": [{"id": "m", "actor": "owner", "staff": 3}]}),
     r"test\.yaml:\d+:\d+: owner 'city-it' never has more than 1 on duty, but step 'm' of procedure 'ddos' needs 3"),
    (_ddos_file("city-it", procedure={"trigger": {"action": "mitigate-now"}, "steps": DDOS["steps"]},
                actors={**ACTORS, "cert": {"actions": ["mitigate-now"]}}),
     r"test\.yaml:\d+:\d+: procedure 'ddos' has a step done by the incident's owner \('mitigate'\) and is started "
     r"by action 'mitigate-now' for any incident"),
])
def test_owner_problems_are_refused_where_they_are(data: dict[str, Any], problem: str) -> None:
    with pytest.raises(ScenarioError, match=problem):
        load(data)


def test_an_incident_below_the_triggers_severity_needs_no_owner() -> None:
    data = _ddos_file(None, procedure={**DDOS, "trigger": {"type": "ddos", "min_severity": 3}})
    events = checked(data)
    assert not kinds(events, "procedure_started")


def test_the_missing_owner_is_found_on_the_incident_line() -> None:
    data = _ddos_file("city-it", None)
    with pytest.raises(ScenarioError) as caught:
        load(data)
    [problem] = caught.value.problems
    lines = to_yaml(data).splitlines()
    assert lines[problem.line - 1].strip() == "incident: {type: ddos}" and "id: D2" in lines[problem.line - 3]


def _with_voter_info(trigger_owner: str) -> dict[str, Any]:
    data = _ddos_file("city-it", "interior-ict", actors={**ACTORS, "municipality": {}})
    data["structure"]["procedures"]["voter-info"] = {
        "trigger": {"type": "ddos", "owner": trigger_owner},
        "steps": [{"id": "tell-voters", "actor": "municipality", "duration": "15m"}]}
    return data


def test_a_trigger_may_serve_only_incidents_of_one_owner() -> None:
    events = checked(_with_voter_info("city-it"))
    started = sorted((e.incident, e.data["procedure"]) for e in kinds(events, "procedure_started"))
    assert started == [("D1", "ddos"), ("D1", "voter-info"), ("D2", "ddos")]


def test_a_trigger_owner_must_be_an_actor_and_is_warned_when_no_incident_has_it() -> None:
    with pytest.raises(ScenarioError, match=r"test\.yaml:\d+:\d+: procedure 'voter-info' is triggered for incidents "
                                            r"owned by 'city-itt', which is not a defined actor \(did you mean"):
        load(_with_voter_info("city-itt"))
    dead = [w.message for w in warnings(load(_with_voter_info("municipality")))]
    assert dead == ["procedure 'voter-info' never starts: no incident names 'municipality' as its owner"]


def test_the_improvement_plan_names_the_owner_that_did_a_late_step() -> None:
    procedure = {**DDOS, "steps": [DDOS["steps"][0], {**DDOS["steps"][1], "target": "20m"}]}
    data = _ddos_file("city-it", "city-it", procedure=procedure,
                      actors={**ACTORS, "city-it": {"name": "City IT", "staff": 1}})
    report = assemble(checked(data), load(data), "s")
    late = [p for p in report.analysis.plan if "mitigate" in p.finding]
    assert late and {p.responsible for p in late} == {"City IT"}


def test_a_live_ad_hoc_incident_that_would_need_an_owner_is_refused_until_it_names_one() -> None:
    doc = load(_ddos_file("city-it"))
    with pytest.raises(InputError, match=r"inject:1:\d+: incident of type 'ddos' may start procedure 'ddos'"):
        check_adhoc("{incident: {id: X1, type: ddos}}", doc, "s", 11 * 60, "A1", set())
    chosen, inject = check_adhoc("{incident: {id: X1, type: ddos, owner: interior-ict}}", doc, "s", 11 * 60,
                                 "A1", set())
    assert chosen == "A1" and inject.incident is not None and inject.incident.owner == "interior-ict"
