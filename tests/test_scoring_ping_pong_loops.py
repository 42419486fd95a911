"""Each pass of one decision loop is flagged alike: the handoff sent after the decision that brings the work back to
an actor that had handed it on, worded by the step it carried (scoring/handoffs.py, ``_Path.repeated``).

'logs' (Operator) -> 'analyse' (CERT) -> 'choose' (CERT: 'again', the default, goes on to 'watch' (CERT) and back
to 'logs'). On every pass after the first, CERT's own 'watch' is done again right after the decision, with no
handoff since: the last handoff into CERT, the Operator's 'analyse', came before the decision and brought nothing
back. The bounce is CERT's 'logs' to the Operator, on every pass. Before, the first pass flagged 'logs' and every
later one flagged 'analyse' ("looped the work back to do 'watch' again", a step it did not carry).
"""

from __future__ import annotations

from engine_helpers import cert_loop, checked, load

from ballotdrill.scoring import score


def test_every_pass_of_a_loop_flags_the_handoff_that_brought_the_work_back() -> None:
    data = cert_loop()
    events = checked(data)
    scores = score(events, load(data), "s")
    repeats = sum(1 for e in events if e.kind == "step_started" and e.step == "logs") - 1
    assert repeats >= 3  # several passes, each one loop
    flagged = [(h.sender, h.receiver, h.step, h.returned) for h in scores.handoffs if h.ping_pong]
    assert flagged == [("cert", "op", "logs", "decision 'again' at 'choose' looped the work back to do 'logs' again")
                       ] * repeats
    assert not any(h.ping_pong for h in scores.handoffs if h.step == "analyse")
