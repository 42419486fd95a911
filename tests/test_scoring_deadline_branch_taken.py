"""A legal deadline of a step never reached is judged along the path the run took: a decision's option chosen before
the stop, not its default (``neverdone.never_done``). Worked by hand.

X1 at 08:00 (noticed at once): Desk decides at 'decide' (5 min): 'fast' hands 'prepare' to Office (phone, 5 min;
'prepare' 10 min), then Office does 'notify' (10 min, legal deadline 60 min, Art. 5); 'review' first has Desk do
'legal' (2 h). On its design 'notify' is reached after 5 + 5 + 10 = 20 min by 'fast', 5 + 120 + 5 + 10 = 2 h 20 min
by 'review'.

- Default 'review', the run chose 'fast' and Office was busy with a call (08:00-11:00): at the 10:30 stop 'prepare'
  still waits; 'notify' (due 09:00) was never reached, from the wait (delays before the step), never "path longer
  than its deadline" (the default's 2 h 20 min, a path the run did not take). Left to its default: the path.
- Default 'fast', the run chose 'review': at the 10:00 stop 'legal' is in progress; the branch the run took reaches
  'notify' only after 2 h 20 min, past its deadline: that branch is the cause, on the decision's lever, never
  "delays before the step" (nothing waited). With Office busy and 'fast' taken: the delays before the step.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, load

from ballotdrill.report.report import assemble

CHANNELS = {"phone": {"latency": {"dist": "fixed", "value": "5m"}}}


def _notify(default: str, choice: str | None, busy: bool, until: str) -> Any:
    steps = [{"id": "decide", "actor": "desk", "duration": "5m", "decision": {
                 "options": {"fast": {"next": "prepare"}, "review": {"next": "legal"}}, "default": default}},
             {"id": "legal", "actor": "desk", "duration": "2h", "next": "prepare"},
             {"id": "prepare", "actor": "office", "duration": "10m"},
             {"id": "notify", "actor": "office", "duration": "10m", "deadline": {"within": "60m", "basis": "Art. 5"}}]
    procs = {"p": {"trigger": {"type": "fault"}, "steps": steps},
             "q": {"trigger": {"type": "call"}, "steps": [{"id": "answer", "actor": "office", "duration": "3h"}]}}
    injects = [{"id": "X1", "at": "08:00", "incident": {"type": "fault"}}]
    if busy:
        injects.insert(0, {"id": "C1", "at": "08:00", "incident": {"type": "call"}})
    data = file_of({"desk": {"name": "Desk", "staff": 1}, "office": {"name": "Office", "staff": 1}}, procs, injects,
                   channels=CHANNELS, default_channel="phone", start="08:00", end="12:00")
    clock = int(until[:2]) * 60 + int(until[3:])
    events = checked(data, decisions={"X1:p:decide:1": choice} if choice else None, until_clock=float(clock))
    report = assemble(events, load(data), "s")
    assert report.scores.totals.deadlines_missed == 1
    return next(f for f in report.analysis.improvements if f.title == "Legal deadline missed: notify (X1)")


def test_a_short_branch_taken_is_not_judged_on_the_longer_default() -> None:
    finding = _notify("review", "fast", busy=True, until="10:30")
    assert finding.root_cause == ("delays before the step: when the run stopped at 10:30, p had got no further than "
                                  "'prepare' (waiting), 2 h 30 min after it began; 'notify' was never reached"), \
        finding.root_cause
    default = _notify("review", None, busy=False, until="10:00")
    assert default.root_cause.startswith("path longer than its 1 h 00 min legal deadline: the designed path reaches "
                                         "'notify' after 2 h 20 min; "), default.root_cause


def test_a_long_branch_taken_is_the_cause() -> None:
    finding = _notify("fast", "review", busy=False, until="10:00")
    assert finding.root_cause.startswith("decision branch: 'decide' chose 'review' instead of its default 'fast' "
                                         "(row #"), finding.root_cause
    assert finding.root_cause.endswith(
        "): that branch reaches 'notify' after 2 h 20 min of designed work, against 20 min on the default path, past "
        "its 1 h 00 min legal deadline; when the run stopped at 10:00, p had got no further than 'legal' (in "
        "progress), 2 h 00 min after it began"), finding.root_cause
    assert finding.recommendation == ("Weigh the 'review' option at 'decide' (p) against the 1 h 00 min legal "
                                      "deadline of 'notify'")
    assert finding.lever == "step:p/decide"
    waited = _notify("fast", "fast", busy=True, until="10:30")
    assert waited.root_cause.startswith("delays before the step: "), waited.root_cause
