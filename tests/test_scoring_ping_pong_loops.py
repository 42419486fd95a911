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

from ballotdrill.report.report import assemble
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


def test_a_loop_played_many_times_is_one_finding_that_says_how_many() -> None:
    data = cert_loop()
    events = checked(data)
    report = assemble(events, load(data), "s")
    passes = sum(1 for h in report.scores.handoffs if h.ping_pong)
    assert passes >= 3
    bounced = [f for f in report.analysis.improvements if f.cause == "ping_pong"]
    assert [(f.title, f.lever, f.incidents) for f in bounced] == [
        (f"Work bounced back to Operator (X1, {passes} times)", "step:p/logs", ["X1"])]
    assert bounced[0].detail == (
        "'logs' went back from CERT to Operator, which had already handed the work on: decision 'again' at 'choose' "
        f"looped the work back to do 'logs' again; played {passes} times (1 incident(s)).")
    rows = sorted(r for h in report.scores.handoffs if h.ping_pong for r in h.evidence)
    assert bounced[0].evidence == rows


def test_a_loop_played_once_is_told_once_without_a_count() -> None:
    # 'logs' 10:00-10:10, 'analyse' to 10:20, 'choose' to 10:25, 'watch' to 10:30, 'logs' back to the Operator at
    # 10:30 (the one pass before the end at 10:45; the next would be at 11:00)
    data = cert_loop()
    data["scenarios"]["s"]["end"] = "10:45"
    report = assemble(checked(data), load(data), "s")
    bounced = [f for f in report.analysis.improvements if f.cause == "ping_pong"]
    assert [(f.title, f.detail) for f in bounced] == [(
        "Work bounced back to Operator (X1)", "'logs' went back from CERT to Operator, which had already handed the "
        "work on: decision 'again' at 'choose' looped the work back to do 'logs' again.")]
