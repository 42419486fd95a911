"""An upstream wait does not explain a time objective when a later wait on the same path would have absorbed it
(the later desk busy with other work until then): taking it away leaves the end where it was. Worked by hand."""

from __future__ import annotations

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _explained(count_staff: int, target: str) -> tuple[str, dict[str, list[str]]]:
    """B1 at 14:00 and B2 at 14:05: 'log' at the harbour (one person, 30 min) then 'count' at the count centre
    (``count_staff``, 60 min). B2 waits 25 min at the harbour (14:05-14:30) and logs 14:30-15:00; with one counter
    it then waits 30 min for B1's count (15:00-15:30), done at 16:30 (2 h 25 min); with two, done at 16:00.
    O1: from B2's start to 'count' done within ``target``."""
    data = file_of({"harbour": {"staff": 1}, "count": {"staff": count_staff}},
                   {"p": {"trigger": {"type": "boxes"}, "steps": [
                       {"id": "log", "actor": "harbour", "duration": "30m"},
                       {"id": "count", "actor": "count", "duration": "60m"}]}},
                   [incident("B1", "14:00", "boxes"), incident("B2", "14:05", "boxes")], end="20:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Counting",
                                             "measure": {"time": "from incident B2 started to step count"},
                                             "target": target}]
    report = assemble(checked(data), load(data), "s")
    return report.scores.objectives[0].rating, {f.title: f.explains for f in report.analysis.improvements}


def test_a_wait_a_later_queue_would_have_absorbed_explains_nothing() -> None:
    # 2 h 25 min against 2 h: S. Without the harbour's 25 min B2 reaches the count at 14:35 and still starts at
    # 15:30, when B1's count ends: 2 h 25 min again. Without the count centre's 30 min: 1 h 55 min, P
    rating, explains = _explained(1, "2h")
    assert rating == "S"
    assert explains == {"One long wait at count": ["O1 (S)"], "One long wait at harbour": []}


def test_a_wait_with_no_later_queue_still_explains_the_objective() -> None:
    # two counters: no later wait; 1 h 55 min against 1 h 45 min: S; without the harbour's 25 min, 1 h 30: P
    rating, explains = _explained(2, "1h45m")
    assert rating == "S"
    assert explains == {"One long wait at harbour": ["O1 (S)"]}


def _voter_minutes(unrelated: bool) -> tuple[str, dict[str, list[str]]]:
    """V1 (100 electronic voters, 09:00): 'triage' (30 min) then 'repair' (120 min, contains) at desk a, busy with
    X (08:50, 40 min) until 09:30, so 'triage' waits 30 min: contained at 12:00, 180 min x 100 = 18,000
    voter-minutes against 16,000 (S); without the wait, 11:30 and 15,000 (P). A parallel procedure 'comms'
    (q then p, nothing contained) meets an unrelated incident Y at p (09:40, 60 min) when ``unrelated``: its wait
    there is on no path of the repair and changes nothing of V1's harm."""
    procedures = {
        "fix": {"trigger": {"type": "voting_delay"}, "steps": [
            {"id": "triage", "actor": "a", "duration": "30m"},
            {"id": "repair", "actor": "a", "duration": "120m", "effect": {"contain": 1.0}}]},
        "comms": {"trigger": {"type": "voting_delay"}, "steps": [
            {"id": "draft", "actor": "q", "duration": "45m"},
            {"id": "press", "actor": "p", "duration": "60m"}]},
        "xwork": {"trigger": {"type": "other"}, "steps": [{"id": "xw", "actor": "a", "duration": "40m"}]},
        "ywork": {"trigger": {"type": "pressy"}, "steps": [{"id": "yw", "actor": "p", "duration": "60m"}]},
    }
    injects = [incident("X", "08:50", "other"),
               {"at": "09:00", "incident": {"id": "V1", "type": "voting_delay", "voters": 100, "voting": "electronic"}}]
    if unrelated:
        injects.append(incident("Y", "09:40", "pressy"))
    data = file_of({"a": {"staff": 1}, "q": {"staff": 1}, "p": {"staff": 1}}, procedures, injects, end="20:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Voting", "measure": {"voter_minutes": "V1"},
                                             "target": 16000}]
    report = assemble(checked(data), load(data), "s")
    return report.scores.objectives[0].rating, {f.title: f.explains for f in report.analysis.improvements}


@pytest.mark.parametrize("unrelated", [False, True])
def test_a_later_wait_off_the_containing_path_takes_nothing_off_a_harm_lever(unrelated: bool) -> None:
    rating, explains = _voter_minutes(unrelated)
    assert rating == "S"
    assert explains["One long wait at a"] == ["O1 (S)"]
