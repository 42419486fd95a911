"""Decisions put to players: the ones left to their timeout are an area for improvement, answered ones a strength."""

from __future__ import annotations

from engine_helpers import file_of, load

from ballotdrill.journal import DecisionMade, Event
from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.store import MemoryStore
from ballotdrill.scoring import Finding, analyse, score

ACTORS = {"desk": {"staff": 3}, "other": {"staff": 1}}
PROCS = {"choose": {"trigger": {"type": "rumour"}, "steps": [
    {"id": "decide", "actor": "desk", "decision": {
        "options": {"act": {"next": "end"}, "wait": {"next": "end"}}, "default": "wait", "timeout": "5m"}}]}}


def played(answered: int, left: int) -> tuple[list[Event], object]:
    """A live exercise of ``answered + left`` rumours, each asking the played desk to decide: the player answers
    the first ``answered`` and lets the rest time out."""
    n = answered + left
    doc = load(file_of(ACTORS, PROCS, [{"at": f"08:{10 * i:02d}", "incident": {"id": f"R{i}", "type": "rumour"}}
                                       for i in range(1, n + 1)], start="08:00", end="10:00"))
    core = LiveCore(doc, "s", seed=1, played=("desk",), store=MemoryStore())
    events: list[Event] = []
    core.followers.append(lambda event, _line: events.append(event))
    for i in range(1, n + 1):
        core.advance(10.0 * i + 1)  # a minute after R{i} started: its request is open for four more
        [request] = core.open_requests("desk")
        if i <= answered:
            assert core.apply(inputs.answer(str(request.number), "act", player="desk")).ok
    core.advance(core.horizon)
    core.commit()
    return events, doc


def decision_findings(events: list[Event], doc: object) -> tuple[list[Finding], list[Finding]]:
    analysis = analyse(score(events, doc, "s"), {}, doc.structure)  # type: ignore[arg-type,attr-defined]
    def about(found: list[Finding]) -> list[Finding]:
        return [f for f in found if "decision" in f.title.lower()]
    return about(analysis.improvements), about(analysis.strengths)


def test_requests_left_to_their_timeout_are_counted_per_actor_and_found() -> None:
    events, doc = played(answered=1, left=2)
    scores = score(events, doc, "s")  # type: ignore[arg-type]
    [tally] = scores.decisions
    assert (tally.actor, tally.put, tally.timed_out, tally.steps) == ("desk", 3, 2, ["decide"])
    by_seq = {e.seq: e for e in events}
    assert [by_seq[seq].fields(DecisionMade).by for seq in tally.evidence] == ["timeout", "timeout"]
    improvements, strengths = decision_findings(events, doc)
    assert [f.title for f in improvements] == ["Decisions left to their timeout at desk"]
    assert "2 of the 3 decision request(s)" in improvements[0].detail
    assert improvements[0].element == "Training" and improvements[0].lever == "decision:desk"
    assert strengths == []


def test_every_request_answered_in_time_is_a_strength_and_nothing_to_fix() -> None:
    events, doc = played(answered=3, left=0)
    improvements, strengths = decision_findings(events, doc)
    assert improvements == []
    assert [f.title for f in strengths] == ["desk answered every decision"]


def test_a_batch_run_puts_no_decision_to_players() -> None:
    from engine_helpers import run
    doc = file_of(ACTORS, PROCS, [{"at": "08:10", "incident": {"id": "R1", "type": "rumour"}}], start="08:00",
                  end="10:00")
    assert score(run(doc), load(doc), "s").decisions == []
