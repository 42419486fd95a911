"""A decision's other option is advised for a harm objective only if its branch, taken when the decision was made,
could have contained the incident before its harm passed the target (``untaken.untaken_branch``). Hand-made.

X1 at 10:00 keeps 100 voters a minute from voting (polls close 20:00), never contained; O1: its voter-minutes within
6,000, passed at 11:00. 'choose' (desk, 10 min, done 10:10) takes 'wait' (the default: the procedure ends);
'fix' leads to 'repair' (desk, contains it for sure).

- 'repair' takes 30 min: taken at 10:10 it contains X1 at 10:40, before 11:00: weigh 'fix'.
- 'repair' takes 2 h: at 12:10 on its design, past 11:00, yet with 13,000 voter-minutes (M where never contained is
  U): 'fix' is named with that rating; with the run ending at 12:00, no option at 'choose' could have done it in
  time, and the 'fix' option is not advised.

O2, a time from X1's detection to 'repair' (target 1 h), is never done: any completion before the run ends changes
its rating (U to M at worst), so 'fix' is advised for it when 'repair' (2 h) could come by 12:10 within the run
(ends 20:00), not when the run ends at 12:00.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, load, voter_outage

from ballotdrill.report import build_report


def _finding(repair: str, objective: str = "O1", end: str = "20:00") -> Any:
    steps = [{"id": "choose", "actor": "desk", "duration": "10m",
              "decision": {"options": {"wait": {"next": "end"}, "fix": {"next": "repair"}}, "default": "wait"}},
             {"id": "repair", "actor": "desk", "duration": repair, "effect": {"contain": 1.0}}]
    data = voter_outage(steps, {"desk": {"staff": 1}}, target=6000, end=end,
                        detected_by={"actor": "desk", "after": "0m"})
    data["scenarios"]["s"]["objectives"] += [
        {"id": "O2", "capability": "Operational coordination",
         "measure": {"time": "from incident X1 detection to step repair"}, "target": "1h"}]
    report = build_report(checked(data), load(data), "s")
    assert [o.rating for o in report.scores.objectives] == ["U", "U"]
    return next(f for f in report.analysis.improvements if f.title.startswith(f"Objective {objective}"))


def test_a_branch_that_contains_before_the_target_is_advised() -> None:
    finding = _finding("30m")
    assert "the 'fix' branch would have reached the containing step 'repair'" in finding.root_cause
    assert finding.recommendation.startswith("Weigh the 'fix' option at 'choose' (p)")
    assert finding.lever == "step:p/choose"


def test_a_branch_that_would_contain_only_past_the_target_and_after_the_run_is_not_advised() -> None:
    finding = _finding("2h", end="12:00")
    assert "would have reached" not in finding.root_cause and "Weigh" not in finding.recommendation
    assert finding.root_cause.endswith(
        "no option at 'choose' (p, decided at 10:10) could have done it in time: the 'fix' branch completes 'repair' "
        "2 h 00 min after the decision on its design (mean durations and latencies), at 12:10, past the target"), \
        finding.root_cause


def test_a_branch_past_the_target_that_would_have_turned_the_rating_is_advised() -> None:
    finding = _finding("2h")  # 'repair' at 12:10 within the run: 13,000 voter-minutes, M where never contained is U
    assert finding.root_cause.endswith(
        "the 'fix' branch completes 'repair' on its design (mean durations and latencies) at 12:10, past the target "
        "but with its voter-minutes then at 13,000: M rather than U, all else as played"), finding.root_cause
    assert finding.recommendation.startswith("Weigh the 'fix' option at 'choose' (p)")


def test_a_time_to_a_step_on_a_branch_not_taken_counts_any_completion_within_the_run() -> None:
    finding = _finding("2h", "O2")
    assert "the 'fix' branch would have reached the containing step 'repair'" in finding.root_cause, finding.root_cause
    assert finding.recommendation.startswith("Weigh the 'fix' option at 'choose' (p)")
    cut = _finding("2h", "O2", end="12:00")
    assert "Weigh" not in cut.recommendation
    assert cut.root_cause.endswith("the 'fix' branch completes 'repair' 2 h 00 min after the decision on its design "
                                   "(mean durations and latencies), at 12:10, after the run ended at 12:00"), \
        cut.root_cause
