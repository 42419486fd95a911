"""An option a decision did not take, which could not have kept a harm within its target but would still have turned
its rating, is named as the cause, with the rating it would have had (``untaken.better_late``), never "no option
could have done it in time" alone. Worked by hand.

X1 at 08:00 closes 5 polling stations (polls 08:00-20:00: 5 station-minutes a minute). Desk does 'decide' (10 min):
'merge' (``merge`` long, resolves it) or 'wait' (the default: Pool's 'cover', 2 h, contains it). The run waits:
'cover' contains X1 at 10:10, 650 station-minutes against a target of 220 (passed at 08:44): M.

- 'merge' 40 min: taken at 08:10 it completes at 08:50, past the target, with 250 station-minutes: S. The cause
  names it, and the fix is to weigh it.
- 'merge' 1 h 30 min: at 09:40, 500 station-minutes: M all the same, "no option … could have done it in time".
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _own(merge: str) -> tuple[str, str, str]:
    data = file_of({"desk": {"name": "Desk", "staff": 1}, "pool": {"name": "Pool", "staff": 1}},
                   {"p": {"trigger": {"type": "noshow"}, "steps": [
                       {"id": "decide", "actor": "desk", "duration": "10m", "decision": {
                           "prompt": "Merge?", "default": "wait",
                           "options": {"merge": {"next": "merge"}, "wait": {"next": "cover"}}}},
                       {"id": "merge", "actor": "desk", "duration": merge, "effect": {"resolve": True}, "next": "end"},
                       {"id": "cover", "actor": "pool", "duration": "2h", "effect": {"contain": 1}}]}},
                   [incident("X1", "08:00", "noshow", spec={"stations": 5})], start="07:00", end="20:30")
    data["scenarios"]["s"]["polls"] = {"open": "08:00", "close": "20:00"}
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Operational coordination", "measure": {"station_minutes": "X1"}, "target": 220}]
    report = assemble(checked(data), load(data), "s")
    [objective] = report.scores.objectives
    [own] = [f for f in report.analysis.improvements if f.title.startswith("Objective O1")]
    return f"{objective.value_text} {objective.rating}", own.root_cause, own.recommendation


def test_an_option_that_would_have_turned_the_rating_though_late_is_named() -> None:
    value, cause, fix = _own("40m")
    assert value == "650 M"
    assert cause.endswith("taken at 'decide' (08:10), the 'merge' branch completes 'merge' on its design (mean "
                          "durations and latencies) at 08:50, past the target but with its station-minutes then at "
                          "250: S rather than M, all else as played"), cause
    assert fix.startswith("Weigh the 'merge' option at 'decide' (p)"), fix


def test_an_option_that_would_have_rated_the_same_is_too_late() -> None:
    value, cause, fix = _own("1h30m")
    assert value == "650 M"
    assert "no option at 'decide' (p, decided at 08:10) could have done it in time" in cause, cause
    assert "rather than" not in cause
    assert not fix.startswith("Weigh"), fix
