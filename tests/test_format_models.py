"""The models: what a full file means once loaded, and load -> dump -> load giving the same model."""

from __future__ import annotations

import pytest
from format_helpers import BASE, dedent, load, only_problem, replace_once

from ballotdrill.scenarios import ScenarioFile, library_path, load_file
from ballotdrill.scenarios.distributions import Exponential, Lognormal, Triangular

FULL = dedent("""
    version: 1
    structure:
      name: Belgium 2024
      default_channel: phone
      actors:
        nccn-monitoring:
          name: NCCN monitoring cell
          staff: 2
          shifts: [{from: "06:00", to: "22:00", staff: 4}]
          actions: [convene-platform]
          level: federal
        fps-interior-elections: {staff: 3}
        nccn-information-cell: {staff: 2}
      channels:
        phone: {latency: {dist: lognormal, median: 3m, p90: 10m}, reliability: 0.98}
        secure-mail: {latency: {dist: exponential, mean: 10m}, fallback: phone, retries: 2}
      procedures:
        disinfo-response:
          trigger: {type: [disinformation, deepfake], min_severity: 2}
          steps:
            - {id: assess, actor: nccn-monitoring, duration: {dist: triangular, min: 5m, mode: 15m, max: 40m},
               target: 30m, deadline: {within: 2h, basis: Electoral code art. 1}}
            - {id: alert-interior, actor: fps-interior-elections, via: secure-mail, target: 45m}
            - id: choose-response
              actor: fps-interior-elections
              decision:
                prompt: What now?
                options:
                  debunk:   {next: publish-debunk, label: Publish a debunk}
                  monitor:  {next: assess}
                  stop:     {next: end}
                default: debunk
                timeout: 20m
            - {id: publish-debunk, actor: nccn-information-cell, effect: {contain: 0.7}, target: 90m,
               escalate: provincial, next: end}
        platform:
          trigger: {action: convene-platform}
          steps: [{id: convene, actor: nccn-monitoring, effect: {resolve: true}}]
    scenarios:
      results-night-ddos:
        title: Results-night DDoS and a "stolen election" narrative
        description: The results site falls over.
        basis: [ENISA 2024]
        start: "06:00"
        end: "23:00"
        injects:
          - {at: "17:53", incident: {id: D1, type: cyber_outage, target: results-site, severity: 3,
                                     duration: {dist: lognormal, median: 1h, p90: 3h}, voters: 1000, stations: 3},
             detected_by: {actor: fps-interior-elections, after: {dist: exponential, mean: 7m}}}
          - {at: "18:10", incident: {id: N1, type: disinformation, severity: 3,
                                     reach: {initial: 500, doubling: 40m, cap: 400000}}}
          - {at: "18:30", message: {to: fps-interior-elections, from: Press desk, text: Press cannot get the results}}
          - {every: {dist: exponential, mean: 20m}, from: "08:00", to: "14:00", limit: 5,
             incident: {type: intimidation, severity: 1}}
          - {id: C1, when: {incident: N1, is: escalated, level: provincial},
             message: {to: nccn-monitoring, text: Governor asks for a briefing}, expected: A briefing}
        objectives:
          - {id: O1, capability: Public information and warning,
             measure: {time: from incident N1 start to step publish-debunk}, target: 90m}
          - {id: O2, capability: Cyber, measure: {voter_minutes: D1}, target: 50000}
          - {id: O3, capability: Coordination, measure: {on_time: disinfo-response}, target: 0.8}
      campaign:
        title: Last weeks of the campaign
        start: "D-14 08:00"
        end: "D+1 09:00"
    default: results-night-ddos
""")


@pytest.fixture(scope="module")
def full() -> ScenarioFile:
    return load(FULL)


def test_structure_is_read(full: ScenarioFile) -> None:
    s = full.structure
    assert s.default_channel == "phone"
    monitoring = s.actors["nccn-monitoring"]
    assert (monitoring.staff, monitoring.level, monitoring.actions) == (2, "federal", ["convene-platform"])
    assert monitoring.shifts[0].window == (360.0, 960.0)
    assert s.actors["fps-interior-elections"].shifts == []
    phone, mail = s.channels["phone"], s.channels["secure-mail"]
    assert isinstance(phone.latency, Lognormal) and phone.latency.p90 == 10.0
    assert (phone.reliability, phone.retries, phone.fallback) == (0.98, 1, None)
    assert isinstance(mail.latency, Exponential) and mail.latency.mean == 10.0
    assert (mail.fallback, mail.retries) == ("phone", 2)


def test_procedures_are_read(full: ScenarioFile) -> None:
    proc = full.structure.procedures["disinfo-response"]
    assert proc.trigger.types == ("disinformation", "deepfake")
    assert proc.trigger.min_severity == 2
    assess, alert, choose, publish = proc.steps
    assert isinstance(assess.duration, Triangular) and assess.target == 30.0
    assert assess.deadline is not None and assess.deadline.within == 120.0
    assert alert.duration.mean == 0.0 and alert.via == "secure-mail"
    assert choose.decision is not None
    assert (choose.decision.default, choose.decision.timeout) == ("debunk", 20.0)
    assert choose.decision.options["debunk"].label == "Publish a debunk"
    assert publish.effect is not None and publish.effect.contain == 0.7
    assert publish.escalate == "provincial"
    assert proc.successors(0) == ["alert-interior"]
    assert proc.successors(2) == ["publish-debunk", "assess", "end"]
    assert proc.successors(3) == ["end"]
    platform = full.structure.procedures["platform"]
    assert platform.trigger.action == "convene-platform" and platform.trigger.types == ()


def test_scenario_is_read(full: ScenarioFile) -> None:
    sc = full.scenarios["results-night-ddos"]
    assert (sc.start, sc.end, sc.basis) == (360.0, 1380.0, ["ENISA 2024"])
    assert [i.kind for i in sc.injects] == ["timed", "timed", "timed", "background", "contingency"]
    assert sc.inject_ids() == ["I1", "I2", "I3", "I4", "C1"]
    assert sc.incident_ids() == {"D1": 0, "N1": 1}
    outage = sc.injects[0]
    assert outage.incident is not None and outage.incident.severity == 3 and outage.incident.voters == 1000
    assert outage.detected_by is not None and outage.detected_by.after.mean == 7.0
    assert sc.injects[1].incident is not None and sc.injects[1].incident.reach is not None
    assert sc.injects[2].message is not None and sc.injects[2].message.sender == "Press desk"
    background = sc.injects[3]
    assert (background.start, background.end, background.limit) == (480.0, 840.0, 5)
    cond = sc.injects[4].when
    assert cond is not None and (cond.incident, cond.is_, cond.level) == ("N1", "escalated", "provincial")
    o1, o2, o3 = sc.objectives
    assert o1.measure.kind == "time" and o1.target_value == 90.0 and o1.lower_is_better
    assert o1.measure.interval is not None
    assert o1.measure.interval.end.describe() == "step publish-debunk completed (incident N1)"
    assert (o2.measure.kind, o2.measure.subject, o2.target_value) == ("voter_minutes", "D1", 50000.0)
    assert (o3.measure.kind, o3.lower_is_better) == ("on_time", False)
    campaign = full.scenarios["campaign"]
    assert (campaign.start, campaign.end) == (-14 * 1440 + 480.0, 1440 + 540.0)
    assert full.default_scenario == "results-night-ddos"


def test_models_are_immutable(full: ScenarioFile) -> None:
    with pytest.raises(ValueError, match="frozen"):
        full.structure.actors["nccn-monitoring"].staff = 9  # type: ignore[misc]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{at: \"18:30\", message:", "{at: \"18:30\", incident: {type: x}, message:",
         "an inject needs exactly one of 'incident', 'message' or 'action' (got ['incident', 'message'])"),
        ("{at: \"18:30\", message:", "{message:",
         "an inject needs 'at' (a time), 'every' (a distribution) or 'when' (a condition)"),
        ("{every: {dist: exponential, mean: 20m}, from:", "{at: \"09:00\", every: 20m, from:",
         "'every' (background arrivals) cannot be combined with 'at' or 'when'"),
        ("{id: C1, when: {incident: N1, is: escalated, level: provincial}",
         "{id: C1, when: {incident: N1, is: detected, level: provincial}",
         "'level' goes with 'is: escalated' or 'is_not: escalated'"),
        ("{id: C1, when: {incident: N1, is: escalated, level: provincial}",
         "{id: C1, when: {incident: N1, is: escalated, is_not: resolved}",
         "a condition needs exactly one of 'is', 'is_not', 'reach_above', which 'ended_before' may join or replace "
         "(got ['is', 'is_not'])"),
        ("measure: {voter_minutes: D1}", "measure: {voter_minutes: D1, reach: D1}",
         "a measure needs exactly one of time, reach, voter_minutes, "
         "station_minutes, votes_lost, on_time (got ['reach', 'voter_minutes'])"),
        ("target: 0.8}", "target: 1.5}", "the target of 'on_time' must be a fraction in [0, 1] (got 1.5)"),
        ("target: 50000}", "target: -1}", "the target of 'voter_minutes' must be a non-negative number (got -1.0)"),
        ("publish-debunk}, target: 90m}", "publish-debunk}, target: 90}",
         "the target of a time measure must be a duration such as 90m (got 90.0)"),
        ("reach: {initial: 500, doubling: 40m, cap: 400000}", "reach: {initial: 500, doubling: 40m, cap: 4}",
         "'cap' (4) must be at least 'initial' (500)"),
        ("effect: {contain: 0.7}", "effect: {}",
         "an effect needs 'contain' (a probability), 'resolve: true', 'doubling' or 'growth' (to slow a wave), "
         "or 'extend_voting' (a closing time)"),
        ("effect: {contain: 0.7}", "effect: {contain: 1.7}", "'contain' must be <= 1.0 (got 1.7)"),
        ("escalate: provincial, next: end}", "escalate: provincial, next: end, decision: {options: {a: {next: end}}, "
         "default: a}}", "step 'publish-debunk' has both 'decision' and 'next'; a "
                         "decision's options say what comes next"),
        ("{id: convene,", "{id: end,", "'end' is reserved for 'next: end' and cannot be a step id"),
        ("{id: alert-interior,", "{id: assess,", "step id 'assess' is used twice in this procedure"),
        ("trigger: {action: convene-platform}", "trigger: {min_severity: 2}",
         "a trigger needs 'type', 'level', 'action' or 'owner'"),
    ],
)
def test_inconsistent_models_say_what_to_change(old: str, new: str, message: str) -> None:
    assert only_problem(replace_once(FULL, old, new)).message == message


# --- load -> dump -> load ------------------------------------------------------------------------------------------

def _round_trip(doc: ScenarioFile) -> ScenarioFile:
    dumped = doc.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return ScenarioFile.model_validate(dumped)


@pytest.mark.parametrize("text", [BASE, FULL], ids=["base", "full"])
def test_dump_then_load_gives_an_equal_model(text: str) -> None:
    doc = load(text)
    again = _round_trip(doc)
    assert again == doc
    assert _round_trip(again) == doc


def test_library_round_trips() -> None:
    doc = load_file(library_path())
    assert _round_trip(doc) == doc


def test_dump_writes_the_format_back() -> None:
    dumped = load(FULL).model_dump(mode="json", by_alias=True, exclude_defaults=True)
    assert dumped["structure"]["channels"]["phone"]["latency"] == {"dist": "lognormal", "median": "3m", "p90": "10m"}
    assert dumped["structure"]["actors"]["nccn-monitoring"]["shifts"] == [{"from": "06:00", "to": "22:00", "staff": 4}]
    sc = dumped["scenarios"]["campaign"]
    assert (sc["start"], sc["end"]) == ("D-14 08:00", "D+1 09:00")
    background = dumped["scenarios"]["results-night-ddos"]["injects"][3]
    assert (background["from"], background["to"]) == ("08:00", "14:00")


def test_odd_durations_round_trip_exactly() -> None:
    text = replace_once(BASE, "latency: 3m", "latency: {dist: uniform, min: 0.001s, max: 1h 2m 3.5s}")
    doc = load(text)
    assert _round_trip(doc) == doc
