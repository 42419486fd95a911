"""``ended_before: STEP``: a contingency released when its incident went away by itself while STEP had not completed
for it — the order as it happened, read whenever the condition is tested, where ``is: ended, before: STEP`` reads
the steps completed by the time of the test.

D1 is a DDoS at 10:00; the operator (one person) mitigates it in 1 h as soon as it is detected (at once), so the
mitigation completes at 11:00 unless the operator is missing. C1 brings the attack back as D1R (``continues: D1``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_helpers import in_process, one_line
from engine_helpers import at, file_of, kinds, load, one, run, to_yaml

from ballotdrill import application, scenarios
from ballotdrill.journal import Kind
from ballotdrill.scenarios.msel import msel_rows
from ballotdrill.scoring import score


def operator(staff: int = 1, effect: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The operator and its one-step procedure: 'mitigate' (1 h), resolving the attack unless ``effect`` says else."""
    return ({"op": {"staff": staff}},
            {"p": {"trigger": {"type": "ddos"}, "steps": [
                {"id": "mitigate", "actor": "op", "duration": "1h", "effect": effect or {"resolve": True}}]}})


def contingency(duration: str, when: dict[str, Any], at_clock: str | None = None) -> list[dict[str, Any]]:
    """D1 at 10:00 lasting ``duration`` by itself; C1 starts D1R when ``when`` (about D1) holds, at ``at_clock``."""
    c1: dict[str, Any] = {"id": "C1", "when": {"incident": "D1", **when},
                          "incident": {"id": "D1R", "type": "ddos", "continues": "D1"}}
    if at_clock is not None:
        c1 = {"id": "C1", "at": at_clock, **{k: v for k, v in c1.items() if k != "id"}}
    return [{"at": "10:00", "incident": {"id": "D1", "type": "ddos", "duration": duration}}, c1]


def released(doc: dict[str, Any]) -> float | None:
    """When D1R started in seed 1, or None."""
    started = [e.t for e in kinds(run(doc), Kind.INCIDENT_STARTED) if e.incident == "D1R"]
    return started[0] if started else None


ENDED_BEFORE = {"ended_before": "mitigate"}


def test_an_attack_that_ended_before_its_mitigation_completed_comes_back_though_the_mitigation_came_since() -> None:
    """D1 ends by itself at 10:20; the mitigation completes at 11:00, after it. Checked at 12:00, the order holds:
    D1R starts at 12:00. 'is: ended, before: mitigate' reads the mitigation done by 12:00 and does not release."""
    actors, procedures = operator()
    events = run(file_of(actors, procedures, contingency("20m", ENDED_BEFORE, "12:00")))
    assert one(events, Kind.CONTAINED, incident="D1").t == at("10:20")
    assert [e.t for e in kinds(events, Kind.STEP_COMPLETED) if e.incident == "D1"] == [at("11:00")]
    assert one(events, Kind.INCIDENT_STARTED, incident="D1R").t == at("12:00")
    old = {"is": "ended", "before": "mitigate"}
    assert released(file_of(actors, procedures, contingency("20m", old, "12:00"))) is None


def test_watched_it_is_released_at_the_end_itself() -> None:
    """Without 'at', D1R starts the moment D1 goes away by itself (10:20)."""
    assert released(file_of(*operator(), contingency("20m", ENDED_BEFORE))) == at("10:20")


def test_an_attack_whose_mitigation_completed_first_is_not_brought_back() -> None:
    """The mitigation completes at 11:00 but fails (contain 0): D1 ends by itself at 11:30, after it. Neither
    checked at 12:00 nor watched is D1R released; an objective on D1R says which condition did not hold."""
    actors, procedures = operator(effect={"contain": 0.0})
    doc = file_of(actors, procedures, contingency("1h30m", ENDED_BEFORE, "12:00"))
    doc["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Cybersecurity", "target": "2h",
                                            "measure": {"time": "from incident D1R start to step mitigate"}}]
    events = run(doc)
    assert one(events, Kind.CONTAINED, incident="D1").t == at("11:30")
    assert not [e for e in kinds(events, Kind.INCIDENT_STARTED) if e.incident == "D1R"]
    result = score(events, load(doc), "s").objectives[0]
    assert result.rating == "NE"
    assert ("its contingency inject C1 (when D1 ended by itself before step mitigate completed at 12:00) was not "
            "released") in result.reason
    assert released(file_of(actors, procedures, contingency("1h30m", ENDED_BEFORE))) is None


def test_an_attack_the_mitigation_contained_never_ended_by_itself() -> None:
    """D1 would last 2 h, but the mitigation resolves it at 11:00: it did not end by itself, no D1R."""
    assert released(file_of(*operator(), contingency("2h", ENDED_BEFORE, "14:00"))) is None


@pytest.mark.parametrize("at_clock", ["12:00", None])
def test_a_mitigation_that_never_completed_counts_as_not_completed_when_it_ended(at_clock: str | None) -> None:
    """Nobody staffs the operator: 'mitigate' never completes; D1 ends by itself at 10:20. D1R starts at the
    check (12:00), or at 10:20 when watched."""
    assert released(file_of(*operator(staff=0), contingency("20m", ENDED_BEFORE, at_clock))) == \
        at(at_clock or "10:20")


def test_checked_before_its_incident_started_it_does_not_hold() -> None:
    assert released(file_of(*operator(staff=0), contingency("20m", ENDED_BEFORE, "09:30"))) is None


def test_joined_with_is_not_both_must_hold_and_it_is_watched_from_the_end() -> None:
    """{is_not: resolved, ended_before}: nobody staffs the operator, so D1's procedure stays open and D1, ended by
    itself at 10:20, is contained but not resolved: released at 10:20 (an 'is_not' alone is read at the start only).
    With 'is_not: detected' (D1 was detected at once) it never holds."""
    actors, procedures = operator(staff=0)
    assert released(file_of(actors, procedures, contingency("20m", {"is_not": "resolved", **ENDED_BEFORE}))) == \
        at("10:20")
    assert released(file_of(actors, procedures, contingency("20m", {"is_not": "detected", **ENDED_BEFORE}))) is None


def test_joined_with_is_ended_before_both_orders_are_read() -> None:
    """{is: ended, before: mitigate, ended_before: mitigate} at 12:00: D1 ended (10:20) before the mitigation
    (11:00), but 'before' reads it done by 12:00: not released; at 10:40 both hold."""
    both = {"is": "ended", "before": "mitigate", **ENDED_BEFORE}
    actors, procedures = operator()
    assert released(file_of(actors, procedures, contingency("20m", both, "12:00"))) is None
    assert released(file_of(actors, procedures, contingency("20m", both, "10:40"))) == at("10:40")


# --- validate: one located line, exit status 2 ----------------------------------------------------------------------

def _validate(doc: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str], *expected: str) -> None:
    text = to_yaml(doc)
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    [line] = [n for n, row in enumerate(text.splitlines(), 1) if "when:" in row]
    one_line(in_process(("validate", "s.yaml"), tmp_path, monkeypatch, capsys), f"s.yaml:{line}:", *expected)


@pytest.mark.parametrize(("when", "duration", "expected"), [
    ({"ended_before": "mitigat"}, "20m", ("'ended_before' names step 'mitigat', which is not defined", "mitigate")),
    ({"is_not": "contained", **ENDED_BEFORE}, "20m",
     ("with 'is_not: contained' the condition can never hold; drop one of them",)),
    ({"is_not": "ended", **ENDED_BEFORE}, "20m", ("with 'is_not: ended' the condition can never hold",)),
    ({"is_not": "started", **ENDED_BEFORE}, "20m", ("with 'is_not: started' the condition can never hold",)),
    ({"is": "ended", "reach_above": 5, **ENDED_BEFORE}, "20m",
     ("a condition needs exactly one of 'is', 'is_not', 'reach_above', which 'ended_before' may join or replace "
      "(got ['is', 'reach_above'])",)),
    (ENDED_BEFORE, None, ("incident 'D1' has no 'duration', so it never ends by itself and 'ended_before' can "
                          "never hold",)),
], ids=["unknown-step", "is-not-contained", "is-not-ended", "is-not-started", "two-tests", "no-duration"])
def test_a_condition_that_cannot_hold_is_one_located_line(
        when: dict[str, Any], duration: str | None, expected: tuple[str, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    injects = contingency(duration or "20m", when, "12:00")
    if duration is None:
        del injects[0]["incident"]["duration"]
    _validate(file_of(*operator(), injects), tmp_path, monkeypatch, capsys, *expected)


# --- the MSEL: written as a facilitator reads it, read back ----------------------------------------------------------

def test_the_msel_says_the_order_and_the_import_reads_it_back(tmp_path: Path) -> None:
    """The scenario-time cell says 'ended by itself before STEP completed'; a sheet without the definition column
    gives the same condition back, alone and joined to another test."""
    doc = load(file_of(*operator(), contingency("20m", ENDED_BEFORE, "12:00")))
    [row] = [r for r in msel_rows(doc.scenarios["s"]) if r.id == "C1"]
    assert row.time == "12:00 if D1 ended by itself before mitigate completed"
    incident = ('{""at"": ""18:00"", ""incident"": {""id"": ""D1"", ""type"": ""ddos"", ""duration"": ""20m"", '
                '""owner"": ""fps-interior-ict"", ""severity"": 3}}')
    sheet = tmp_path / "c.csv"
    sheet.write_text("event number,scenario time,event type,to,message,definition\n"
                     f'D1,18:00,inject,fps-interior-elections,DDoS,"{incident}"\n'
                     "C1,20:30 if D1 ended by itself before cy-mitigate completed,contingency inject,"
                     "fps-interior-elections,Again,\n"
                     "C2,when D1 is not resolved and ended by itself before cy-mitigate completed,contingency inject,"
                     "fps-interior-elections,Again,\n", encoding="utf-8")
    application.import_msel(sheet, scenarios.library_path(), tmp_path / "c.yaml")
    [scenario] = scenarios.load_file(tmp_path / "c.yaml").scenarios.values()
    conditions = {i: inj.when for i, inj in zip(scenario.inject_ids(), scenario.injects, strict=True)}
    one_test, joined = conditions["C1"], conditions["C2"]
    assert one_test is not None and (one_test.incident, one_test.is_, one_test.ended_before) == \
        ("D1", None, "cy-mitigate")
    assert joined is not None and (joined.is_not, joined.ended_before) == ("resolved", "cy-mitigate")
