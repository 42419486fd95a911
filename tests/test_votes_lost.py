"""Votes lost (``votes_lost``): the voters an incident still held up when its polling stations closed.

Hand-worked days: a queue of 100 voters from 15:30 (electronic voting closes at 16:00); the cockpit decides, after
``decide`` of work, to keep its stations open until ``until``. The rule: all 100 are lost when the queue was still
there at its stations' close (the extended one, if any), none when it was over by then.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, load, run, to_yaml
from format_helpers import only_problem
from hypothesis import given, settings
from hypothesis import strategies as st

from ballotdrill.report.report import assemble
from ballotdrill.report.sections_incidents import harm_text
from ballotdrill.scenarios.deadconfig import warnings
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring.compare import compare
from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.score import score
from ballotdrill.scoring.voteslost import votes_lost

ELECTION = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}


def day(decide: str = "30m", until: str = "18:00", queue: str | None = "2h", contain: str | None = None,
        start: str = "15:30", end: str = "20:00", target: float = 0) -> dict[str, Any]:
    """The queue ``V1`` (100 voters from ``start``) clears by itself after ``queue`` (None: never), or is cleared
    by a containing step of ``contain`` minutes after the decision; one ``votes_lost`` objective on it."""
    steps: list[dict[str, Any]] = [{"id": "decide", "actor": "cockpit", "duration": decide,
                                    "effect": {"extend_voting": until}}]
    if contain is not None:
        steps.append({"id": "clear", "actor": "cockpit", "duration": contain, "effect": {"contain": 1}})
    incident: dict[str, Any] = {"id": "V1", "type": "voting_delay", "voters": 100, "voting": "electronic"}
    if queue is not None:
        incident["duration"] = queue
    doc = file_of({"cockpit": {"staff": 1}}, {"p": {"trigger": {"type": "voting_delay"}, "steps": steps}},
                  [{"at": start, "incident": incident}], start="15:00", end=end)
    scenario = doc["scenarios"]["s"]
    scenario["election"] = ELECTION
    scenario["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                               "measure": {"votes_lost": "V1"}, "target": target}]
    return doc


def scored(doc: dict[str, Any], **kwargs: Any) -> Scores:
    model: ScenarioFile = load(doc)
    return score(run(model, **kwargs), model, "s")


def objective(scores: Scores) -> ObjectiveResult:
    return scores.objectives[0]


def lost(scores: Scores) -> float | None:
    return next(h for h in scores.harm if h.incident == "V1").votes_lost


def test_contained_before_the_close_loses_nothing() -> None:
    """The decision (15:35, naming a time already past: no extension) and a 5-min clearing: contained at 15:40."""
    scores = scored(day(decide="5m", until="15:00", queue=None, contain="5m"))  # an extension that changes nothing
    assert lost(scores) == 0
    result = objective(scores)
    assert (result.rating, result.value) == ("P", 0)
    assert "it was contained at 15:40, before its polling stations' 16:00 close" in result.reason


def test_open_at_the_close_without_an_extension_loses_all_its_voters() -> None:
    """The decision comes at 18:30, after the 18:00 it names: nothing kept the stations open; the queue (to 17:30)
    was still there at 16:00, so its 100 voters were turned away."""
    scores = scored(day(decide="3h"))
    assert lost(scores) == 100
    result = objective(scores)
    assert (result.rating, result.value, result.value_text) == ("U", 100, "100 lost")
    assert "still going at its polling stations' 16:00 close (it ended by itself at 17:30)" in result.reason


def test_extended_until_the_queue_has_voted_loses_nothing() -> None:
    """Kept open to 18:00 from 16:00; the queue clears at 17:30, before then."""
    scores = scored(day())
    assert lost(scores) == 0
    result = objective(scores)
    assert result.rating == "P"
    assert ("its polling stations were kept open past their usual 16:00 close, to 18:00, by 'decide'" in result.reason
            and "it ended by itself (its voters had voted) at 17:30, before then" in result.reason)


def test_extended_too_short_loses_all_its_voters() -> None:
    """Kept open to 17:00 only; the queue clears at 17:30: still there at the (extended) close, all 100 lost."""
    scores = scored(day(until="17:00"))
    assert lost(scores) == 100
    result = objective(scores)
    assert result.rating == "U"
    assert "still going at its polling stations' 17:00 close" in result.reason
    assert "to 17:00, by 'decide'" in result.reason and "not long enough" in result.reason


def test_an_extension_decided_after_the_close_keeps_no_voter_and_says_so() -> None:
    """Decided at 17:00 for 18:00: the stations had closed at 16:00 with the queue (15:30-17:30) still there, so
    its 100 voters were turned away (U), whatever the later decision named; decided at 16:00 (above) none was."""
    scores = scored(day(decide="1h30m"))
    assert lost(scores) == 100
    result = objective(scores)
    assert (result.rating, result.value) == ("U", 100)
    assert "still going at its polling stations' 16:00 close (it ended by itself at 17:30)" in result.reason
    assert result.reason.endswith(", to keep them open until 18:00) was decided at 17:00, 1 h 00 min after the 16:00 "
                                  "close it was to extend: the stations had closed; it kept no voter"), result.reason
    assert "kept open past" not in result.reason


def test_a_queue_that_clears_by_itself_before_the_close_exercised_nothing() -> None:
    scores = scored(day(decide="3h", queue="20m"))
    assert lost(scores) == 0
    assert objective(scores).rating == "NE"
    assert "ended by itself at 15:50, before its polling stations' usual 16:00 close" in objective(scores).reason


def test_a_run_stopped_before_the_close_with_the_queue_there_does_not_know_yet() -> None:
    model = load(day(queue=None))
    scores = score(run(model, until_clock=15 * 60 + 50), model, "s")
    assert lost(scores) is None
    assert "votes_lost" not in scores.harm[0].model_dump(mode="json")
    assert (objective(scores).rating, objective(scores).value) == ("NE", None)
    assert "before its polling stations' 16:00 close: no vote had been lost yet" in objective(scores).reason


def test_never_contained_and_the_run_past_the_close_loses_them() -> None:
    scores = scored(day(decide="3h", queue=None))
    assert lost(scores) == 100 and objective(scores).rating == "U"
    assert "(never contained)" in objective(scores).reason


def test_voters_within_the_target_exercise_nothing() -> None:
    scores = scored(day(decide="3h", target=100))
    assert objective(scores).rating == "NE" and "could never pass it" in objective(scores).reason


def test_an_incident_without_an_objective_on_its_votes_keeps_its_harm_row_as_before() -> None:
    doc = day()
    doc["scenarios"]["s"]["objectives"] = []
    model = load(doc)
    row = score(run(model), model, "s").harm[0].model_dump(mode="json")
    assert "votes_lost" not in row and row["voter_minutes"] == pytest.approx(12000.0)


@settings(max_examples=60, deadline=None)
@given(voters=st.integers(1, 10_000), started=st.floats(0, 600), close=st.floats(0, 600),
       contained=st.floats(0, 900), sooner=st.floats(0, 300), later=st.floats(0, 300))
def test_containing_sooner_or_extending_never_loses_more(voters: int, started: float, close: float,
                                                         contained: float, sooner: float, later: float) -> None:
    """The rule is monotone: contained sooner (not before it started), or a close kept later, never loses more."""
    end = max(started, contained)
    base = votes_lost(voters, started, end, close, close, 1000.0)
    assert base in (0, voters)
    assert (votes_lost(voters, started, max(started, end - sooner), close, close, 1000.0) or 0) <= (base or 0)
    assert (votes_lost(voters, started, end, close, close + later, 1000.0) or 0) <= (base or 0)
    assert (votes_lost(voters, started, None, close, close, 1000.0) or 0) >= (base or 0)  # never contained: the most


def test_a_measure_on_an_incident_holding_up_no_voters_is_refused() -> None:
    doc = day()
    del doc["scenarios"]["s"]["injects"][0]["incident"]["voters"]
    problem = only_problem(to_yaml(doc))
    assert problem.message == ("objective 'O1' measures the votes lost of incident 'V1', which holds up no voters; "
                               "give it 'voters' (how many it holds up while it lasts) or measure something else")
    assert problem.line > 0


def test_a_measure_on_an_incident_starting_after_its_close_is_refused() -> None:
    problem = only_problem(to_yaml(day(start="16:30")))
    assert ("incident 'V1', which starts at 16:30, once electronic voting closes (16:00): it disrupts no voting, "
            "so no vote can be lost") in problem.message


def test_the_schema_offers_the_measure() -> None:
    from ballotdrill.scenarios.jsonschema import json_schema
    assert "votes_lost" in str(json_schema())


def own_cause(doc: dict[str, Any]) -> tuple[str, str]:
    """The root cause and recommendation of the report's finding on O1."""
    report = assemble(checked(doc), load(doc), "s")
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    return own.root_cause, own.recommendation


def test_votes_lost_past_an_extension_too_short_are_told_as_the_extension() -> None:
    cause, fix = own_cause(day(until="17:00"))
    assert cause.startswith("its polling stations were kept open past their 16:00 close, to 17:00, by 'decide' (row #")
    assert cause.endswith("not long enough: incident V1 was still going then (it ended by itself at 17:30), so its "
                          "100 voters still held up were turned away")
    assert fix.startswith("Keep the stations open at 'decide' until incident V1's voters have voted")


def test_votes_lost_past_two_extensions_are_told_as_the_one_that_set_the_last_close() -> None:
    """'decide' (16:00) keeps them open to 17:00, 'decide-again' (16:10) to 17:15; the queue clears at 17:30."""
    doc = day(until="17:00")
    doc["structure"]["procedures"]["p"]["steps"].append(
        {"id": "decide-again", "actor": "cockpit", "duration": "10m", "effect": {"extend_voting": "17:15"}})
    cause, fix = own_cause(doc)
    assert cause.startswith("its polling stations were kept open past their 16:00 close, to 17:15, by 'decide-again' "
                            "(row #"), cause
    assert ", decided at 16:10, 10 min after that close), not long enough" in cause
    assert fix.startswith("Keep the stations open at 'decide-again' until incident V1's voters have voted")


def test_votes_lost_behind_an_extension_that_came_too_late_are_told_as_that_step() -> None:
    cause, fix = own_cause(day(decide="3h"))
    assert cause.startswith("'decide' would have kept its polling stations open until 18:00, but it completed at "
                            "18:30, 2 h 30 min after the 16:00 close it was to extend: the stations had closed; it "
                            "kept no voter: nothing kept them open")
    assert fix.startswith("Complete 'decide' (p) by the 16:00 close it extends")


def test_votes_lost_behind_an_extension_decided_after_the_close_are_told_as_that_step() -> None:
    """Decided at 17:00, before the 18:00 it names but after the 16:00 close: its row is journalled, it kept none."""
    cause, fix = own_cause(day(decide="1h30m"))
    assert cause.startswith("'decide' would have kept its polling stations open until 18:00, but it completed at "
                            "17:00, 1 h 00 min after the 16:00 close it was to extend"), cause
    assert fix.startswith("Complete 'decide' (p) by the 16:00 close it extends")


def test_votes_lost_with_no_extension_in_the_response_keep_the_generic_cause() -> None:
    doc = day(decide="3h")
    doc["structure"]["procedures"]["p"]["steps"][0]["effect"] = {"contain": 1}
    cause, _ = own_cause(doc)
    assert "kept" not in cause and "would have kept" not in cause


def test_the_incident_table_and_compare_name_the_votes_lost() -> None:
    kept, short = scored(day()), scored(day(until="17:00"))
    assert harm_text(kept.harm[0]) == "12,000 voter-min, 0 votes lost"
    assert harm_text(short.harm[0]) == "9,000 voter-min, 100 votes lost"
    rows = {(r.section, r.item, r.measure): r for r in compare(kept, short).rows}
    lost_row, objective_row = rows[("incident", "V1", "votes_lost")], rows[("objective", "O1", "value")]
    assert (lost_row.a, lost_row.b, lost_row.unit, lost_row.better) == (0, 100, "votes", "a")
    assert (objective_row.a, objective_row.b, objective_row.unit) == (0, 100, "votes")


def test_the_report_defines_votes_lost_only_for_a_run_that_measures_them() -> None:
    doc = day()
    terms = [t for t, _ in assemble(checked(doc), load(doc), "s").finding_thresholds]
    doc["scenarios"]["s"]["objectives"] = []
    assert "Votes lost" in terms
    assert "Votes lost" not in [t for t, _ in assemble(checked(doc), load(doc), "s").finding_thresholds]


@pytest.mark.parametrize(("until", "warned"), [("15:00", True), ("16:00", True), ("16:01", False)])
def test_an_extension_to_a_time_no_close_comes_before_is_warned(until: str, warned: bool) -> None:
    """Electronic voting alone, closing at 16:00: an extension to 15:00 or 16:00 can never keep a station open (it
    never brings a close forward); one to 16:01 can."""
    doc = day(until=until)
    doc["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"electronic": "16:00"}}
    dead = [(w.path, w.message) for w in warnings(load(doc))]
    expected = (("structure", "procedures", "p", "steps", 0, "effect", "extend_voting"),
                f"step 'decide' extends voting to {until}, not after the earliest close (16:00): an extension never "
                "brings a close forward, so it can never keep a station open; give a time after the close it is to "
                "extend")
    assert (expected in dead) is warned


def test_a_votes_lost_target_that_is_not_a_whole_number_of_votes_is_refused() -> None:
    problem = only_problem(to_yaml(day(target=0.5)))
    assert problem.message == ("objective 'O1' has a votes_lost target of 0.5: votes are lost whole; give a whole "
                               "number of votes (0: none lost)")
    assert problem.line > 0
