"""A re-send on a channel's fallback is advised for a slow handoff only if it would arrive sooner
(``chains.resend_fix``): the channel's usual latency, then the fallback's, within the time the handoff took.
Hand-made.

X1 and X2 at 10:00, both noted by a (10 min, 2 staff) at 10:10 and handed to b on 'line' (20 min, one line): X2's
handoff waits 20 min for the line and takes 40 min; 'read' (b, 10 min, target 45 min) is done at 11:00 for X2, late.

- A 10-min courier as the fallback: re-sent once 'line' has had its usual 20 min, it would arrive after 30 min,
  sooner than 40: advised.
- A 90-min courier: 20 + 90 min, later than 40: not advised; the fix says why.
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _fix(courier: str) -> str:
    steps = [{"id": "note", "actor": "a", "duration": "10m"},
             {"id": "read", "actor": "b", "via": "line", "duration": "10m", "target": "45m"}]
    data = file_of({"a": {"staff": 2}, "b": {"staff": 2}}, {"p": {"trigger": {"type": "tip"}, "steps": steps}},
                   [incident(i, "10:00", "tip") for i in ("X1", "X2")],
                   channels={"line": {"latency": "20m", "capacity": 1, "fallback": "courier"},
                             "courier": {"latency": courier}})
    report = assemble(checked(data), load(data), "s")
    late = next(f for f in report.analysis.improvements if f.title.startswith("Step 'read' late"))
    assert "slow handoff" in late.root_cause, late.root_cause
    return late.recommendation


def test_a_fallback_that_would_arrive_sooner_is_advised() -> None:
    assert _fix("10m") == "Set a time after which 'read' is re-sent on courier when line has not delivered"


def test_a_fallback_slower_than_the_wait_it_would_replace_is_not_advised() -> None:
    assert _fix("90m") == ("Send 'read' on a faster channel than line, or confirm its receipt: a re-send on its "
                           "fallback courier would arrive no sooner (it usually takes up to 1 h 30 min, after the "
                           "20 min line usually takes; this one took 40 min)")
