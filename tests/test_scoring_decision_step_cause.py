"""A late decision step put to a player: its wait for the answer (or for its timeout) is a decision wait on its
actor's decisions, never slow work at its desk. Worked by hand on a tiny live exercise."""

from __future__ import annotations

import pytest
from engine_helpers import file_of, load
from live_helpers import desk_answers

from ballotdrill.scoring import Finding, analyse, score
from ballotdrill.scoring.model import Scores
from ballotdrill.scoring.stream import Scorer

ACTORS = {"desk": {"name": "Desk", "staff": 1}, "crew": {"name": "Crew", "staff": 1}}


def _played(target: str, answered_at: float | None, streamed: bool = False,
            timeout: str = "15m") -> tuple[Scores, list[Finding]]:
    """X1 (08:00): Desk (one staff, played) works 10 min on 'decide' (target ``target``), is asked at 08:10 and
    answers at ``answered_at`` (None: the ``timeout`` applies the default, 08:25 for 15 min); Crew then fixes it.
    ``streamed``: the findings from the streaming scorer's digest (the report's path), not from the scores."""
    procs = {"p": {"trigger": {"type": "fault"}, "steps": [
        {"id": "decide", "actor": "desk", "duration": "10m", "target": target, "decision": {
            "options": {"act": {"next": "fix"}, "wait": {"next": "fix"}}, "default": "wait", "timeout": timeout}},
        {"id": "fix", "actor": "crew", "duration": "10m"}]}}
    doc = load(file_of(ACTORS, procs, [{"id": "X1", "at": "08:00", "incident": {"type": "fault"}}],
                       start="08:00", end="12:00"))
    events = desk_answers(doc, answered_at)
    names = {"desk": "Desk", "crew": "Crew"}
    if not streamed:
        scores = score(events, doc, "s")
        return scores, analyse(scores, names, doc.structure).improvements
    scorer = Scorer(doc, "s")
    for event in events:
        scorer.feed(event)
    scores = scorer.finish()
    return scores, analyse(scores, names, doc.structure, scorer.digest).improvements


def _late_decide(found: list[Finding]) -> Finding:
    return next(f for f in found if f.title.startswith("Step 'decide' late"))


@pytest.mark.parametrize("streamed", [False, True])
def test_a_decision_left_to_its_timeout_is_a_decision_wait_not_slow_work(streamed: bool) -> None:
    """Asked 08:10, the default at 08:25: 'decide' took 25 min against 20 (5 late); 10 min of it was its work (its
    usual), 15 min the wait for an answer. Before, '25 min on the step itself (usually about 10 min)': slow work."""
    scores, found = _played("20m", None, streamed)
    [decide] = [s for s in scores.steps if s.step == "decide"]
    assert (decide.elapsed, decide.late_by) == (25.0, 5.0)
    late = _late_decide(found)
    assert late.root_cause.startswith("decision waiting for an answer at Desk: 'decide' was put to its players at "
                                      "08:10 and left to its timeout, the default 'wait' applied 15 min later, "
                                      "at 08:25"), late.root_cause
    assert "slow work" not in late.root_cause
    assert late.lever == "decision:desk"
    assert "Rehearse 'decide' (p) with Desk's players" in late.recommendation
    assert late.recommendation.endswith("its 20 min target counts the wait for the answer (up to its 15 min timeout)")


def test_a_decision_answered_late_is_a_decision_wait() -> None:
    """Answered at 08:22, 12 min after the request: 22 min against 20, the wait 12 min (at least half of 2)."""
    _, found = _played("20m", 22.0)
    late = _late_decide(found)
    assert "'decide' was put to its players at 08:10 and answered 12 min later, at 08:22" in late.root_cause
    assert late.lever == "decision:desk"


def test_a_quick_answer_leaves_the_steps_own_cause() -> None:
    """Answered at 08:11: 11 min against a 5-min target (6 late); the 1-min wait is under half of it, and the 10 min
    of work alone is longer than the target: the target's cause, as before."""
    _, found = _played("5m", 11.0)
    late = _late_decide(found)
    assert late.root_cause.startswith("target shorter than the work: 'decide' usually takes about 10 min at Desk"), \
        late.root_cause
    assert late.lever == "step:p/decide"


@pytest.mark.parametrize("streamed", [False, True])
def test_a_decision_still_waiting_at_the_stop_is_split_into_work_and_wait(streamed: bool) -> None:
    """Nobody answers and the timeout (6 h) falls after the 12:00 stop: 'decide', open at the stop, is measured to it
    (4 h against 20 min); 10 min of it was its work, 3 h 50 min the wait for an answer since 08:10. Before, '4 h on
    the step itself (usually about 10 min)': slow work, on the step's lever."""
    scores, found = _played("20m", None, streamed, timeout="6h")
    [decide] = [s for s in scores.steps if s.step == "decide"]
    assert (decide.status, decide.elapsed) == ("in_progress", 240.0)
    [wait] = [w for tally in scores.decisions for w in tally.waits]
    assert (wait.requested_at, wait.made_at, wait.answered) == (10.0, 240.0, False)
    late = _late_decide(found)
    assert late.root_cause.startswith("decision waiting for an answer at Desk: 'decide' was put to its players at "
                                      "08:10 and still waiting for its answer when the run stopped 3 h 50 min later, "
                                      "at 12:00"), late.root_cause
    assert "slow work" not in late.root_cause and late.lever == "decision:desk"
