"""A slow-handoffs finding credited with an objective names the slow handoff behind that objective, not the slowest
on the channel when that one is another incident's that could change nothing of it. Worked by hand."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report.report import assemble


def _slow_finding(target: str) -> tuple[str, str, str, list[str]]:
    """One hotline line, 5 min a call (a call waits for the line). C0 (08:00) calls at 08:08 and holds the line to
    08:13; C1 (08:00) calls at 08:10 ('check', 10 min), waits 3 min and reaches the canton at 08:18 (8 min, slow),
    which decides by 08:23: 23 min from C1's start against O1's ``target`` (20 min without the wait). A1, A2, A3
    (20:00, 20:01, 20:02; 10 voters each, polls open to 21:00) call at 20:08, 20:09 and 20:10: A3's call waits 8 min
    and takes 13, the slowest, and its 'ack' contains it (so the channel's lever weighs by that harm alone)."""
    steps = {"p": {"trigger": {"type": "fault"}, "steps": [
                 {"id": "check", "actor": "vendor", "duration": "10m"},
                 {"id": "decide", "actor": "canton", "duration": "5m"}]},
             "q": {"trigger": {"type": "note"}, "steps": [
                 {"id": "note", "actor": "vendor", "duration": "8m"},
                 {"id": "ack", "actor": "canton", "duration": "1m", "effect": {"contain": 1.0}}]}}
    data = file_of({"vendor": {"staff": 5}, "canton": {"staff": 5}}, steps,
                   [incident("C1", "08:00", "fault"), incident("C0", "08:00", "note"),
                    *(incident(f"A{n}", f"20:0{n - 1}", "note", spec={"voters": 10}) for n in (1, 2, 3))],
                   channels={"hotline": {"latency": "5m", "capacity": 1}}, default_channel="hotline")
    data["scenarios"]["s"]["election"] = {"opens": "07:00", "closes": {"paper": "21:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational coordination",
                                             "measure": {"time": "from incident C1 start to step decide"},
                                             "target": target}]
    report = assemble(run(data), load(data), "s")
    slow = next(f for f in report.analysis.improvements if f.title == "Slow handoffs on hotline")
    return report.scores.objectives[0].rating, slow.root_cause, slow.recommendation, slow.explains


def test_the_finding_names_the_handoff_behind_the_objective_it_explains() -> None:
    rating, cause, fix, explains = _slow_finding("22m")  # 23 min against 22: S; 20 without the wait: P
    assert (rating, explains) == ("S", ["O1 (S)"])
    assert cause == "slow channel hotline: 'decide' from vendor to canton took 8 min against a usual 5 min"
    assert fix.startswith("Send 'decide' on a faster channel than hotline")


def test_a_finding_that_explains_no_objective_names_the_slowest() -> None:
    rating, cause, fix, explains = _slow_finding("30m")  # met: the lever weighs by the A's harm alone
    assert (rating, explains) == ("P", [])
    assert cause == "slow channel hotline: 'ack' from vendor to canton took 13 min against a usual 5 min"
    assert fix.startswith("Send 'ack' on a faster channel than hotline")
