"""An objective counting voter-minutes whose harm passed its target only in the minutes the response's own
extension of voting hours kept the stations open is told so, never "give the procedure a containing step".
Worked by hand on a tiny scenario."""

from __future__ import annotations

from engine_helpers import checked, file_of, load

from ballotdrill.report.report import assemble


def _own_cause(target: int) -> tuple[str, str, str]:
    """A queue of 100 voters at 15:30 (electronic voting closes 16:00) that nothing contains; the cockpit decides
    after 30 min to keep the stations open until 18:00: 100 x 150 = 15,000 voter-minutes, 3,000 of them by 16:00.
    O1: V1's voter-minutes within ``target``."""
    procedures = {"p": {"trigger": {"type": "voting_delay"},
                        "steps": [{"id": "decide", "actor": "cockpit", "duration": "30m",
                                   "effect": {"extend_voting": "18:00"}}]}}
    injects = [{"at": "15:30", "incident": {"id": "V1", "type": "voting_delay", "voters": 100,
                                            "voting": "electronic"}}]
    data = file_of({"cockpit": {"staff": 1}}, procedures, injects, end="20:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Voting", "measure": {"voter_minutes": "V1"},
                                             "target": target}]
    report = assemble(checked(data), load(data), "s")
    own = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    return report.scores.objectives[0].value_text, own.root_cause, own.recommendation


def test_harm_past_the_target_only_in_the_extended_hours_is_told_as_the_extension() -> None:
    # 3,000 at the usual close, within 5,000: the 12,000 after 16:00 are the extension's
    value, cause, fix = _own_cause(5000)
    assert value.startswith("15,000")
    assert cause.startswith("its polling stations were kept open past their 16:00 close, to 18:00, by 'decide' "
                            "(row #")
    assert cause.endswith("): the voter-minutes counted after 16:00 (12,000) are voters still voting at stations the "
                          "response kept open for them; at the usual close its voter-minutes were 3,000, within the "
                          "5,000 target")
    assert fix.startswith("Count O1's voter-minutes to the stations' usual close, or weigh the extension at 'decide'")


def test_harm_past_the_target_by_the_usual_close_keeps_its_own_cause() -> None:
    # 3,000 at the usual close, past 2,000: the extension is not why it missed
    _, cause, _ = _own_cause(2000)
    assert "kept open" not in cause
