"""A decision left to its timeout in a live exercise is a delay of its own, on its actor's decisions (rehearsal, or
more time to decide), not on its staff and shifts: its finding is never "weighed with" a queue at the same actor, and
its wait, from the request to the default applied, counts among the delays that explain an objective. Worked by
hand on a tiny exercise, with the decision left to its timeout and answered in time."""

from __future__ import annotations

from engine_helpers import file_of, load
from live_helpers import desk_answers

from ballotdrill.scoring import Finding, analyse, score
from ballotdrill.scoring.model import DecisionWait, Scores

ACTORS = {"desk": {"name": "Desk", "staff": 1}, "crew": {"name": "Crew", "staff": 1}}
PROCS = {"p": {"trigger": {"type": "fault"}, "steps": [
    {"id": "decide", "actor": "desk", "duration": "10m", "decision": {
        "options": {"act": {"next": "fix"}, "wait": {"next": "fix"}}, "default": "wait", "timeout": "15m"}},
    {"id": "fix", "actor": "crew", "duration": "10m"}]},
    "q": {"trigger": {"type": "call"}, "steps": [{"id": "answer", "actor": "desk", "duration": "20m"}]}}


def _played(answered_at: float | None) -> tuple[Scores, list[Finding]]:
    """X1 (08:00) asks Desk (one staff, played) to decide after 10 min of work, then Crew fixes it (10 min); C1
    (08:05) queues a 20-min call at Desk, held by the decision. O1: X1's start to 'fix' done within 25 min.

    Left to its timeout: asked 08:10, the default at 08:25 (15 min), 'fix' 08:25-08:35: 35 min, more than 1.25 × 25
    (M); without the timeout's 15 min, 20 min (P): it alone explains O1. C1 waits 08:05-08:25 (20 min), at Desk's
    staff. Answered at 08:11: 'fix' 08:11-08:21, 21 min (P); C1 waits 6 min. Answered late but in time, at 08:22:
    'fix' 08:22-08:32, 32 min (M); without the 12 min the answer took, 20 min (P)."""
    data = file_of(ACTORS, PROCS, [{"id": "X1", "at": "08:00", "incident": {"type": "fault"}},
                                   {"id": "C1", "at": "08:05", "incident": {"type": "call"}}],
                   start="08:00", end="12:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                                             "measure": {"time": "from incident X1 started to step fix"},
                                             "target": "25m"}]
    doc = load(data)
    events = desk_answers(doc, answered_at)
    scores = score(events, doc, "s")
    return scores, analyse(scores, {"desk": "Desk"}, doc.structure).improvements


def test_a_timeout_is_a_delay_on_the_actors_decisions_that_explains_the_objective() -> None:
    scores, found = _played(answered_at=None)
    [tally] = scores.decisions
    assert tally.waits == [DecisionWait(incident="X1", procedure="p", step="decide", requested_at=10.0, made_at=25.0,
                                        timed_out=True)]
    [o1] = scores.objectives
    assert (o1.rating, o1.value_text) == ("M", "35 min")
    by_title = {f.title: f for f in found}
    timeout = by_title["Decisions left to their timeout at Desk"]
    wait = by_title["One long wait at Desk"]
    assert (timeout.lever, wait.lever) == ("decision:desk", "actor:desk")
    assert not timeout.weighed_with and not wait.weighed_with
    assert (timeout.explains, timeout.priority) == (["O1 (M)"], 2)
    assert wait.explains == []


def test_a_decision_answered_at_once_is_no_finding() -> None:
    scores, found = _played(answered_at=11.0)
    [tally] = scores.decisions
    assert (tally.timed_out, tally.waits) == (
        0, [DecisionWait(incident="X1", procedure="p", step="decide", requested_at=10.0, made_at=11.0)])
    [o1] = scores.objectives
    assert (o1.rating, o1.value_text) == ("P", "21 min")
    assert not any(f.lever.startswith("decision:") for f in found)


def test_a_decision_answered_late_is_a_delay_that_explains_the_objective() -> None:
    scores, found = _played(answered_at=22.0)
    [tally] = scores.decisions
    assert (tally.timed_out, tally.waits) == (
        0, [DecisionWait(incident="X1", procedure="p", step="decide", requested_at=10.0, made_at=22.0)])
    [o1] = scores.objectives
    assert (o1.rating, o1.value_text) == ("M", "32 min")
    finding = next(f for f in found if f.title.startswith("Objective O1 rated M"))
    assert ("12 min of decisions waiting for an answer at Desk made no area for improvement, yet taken away it "
            "alone could have turned its rating") in finding.root_cause
    assert not any(f.title.startswith("Decisions left to their timeout") for f in found)
