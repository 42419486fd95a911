"""A branch not taken that would have contained in time is named also when the branch the run took played a
containing step of its own, whose draw failed or which came late (``untaken.untaken_branch``). Hand-made.

X1 at 10:00 keeps 100 voters a minute from voting (detected at once; polls close 20:00). O1: its voter-minutes
within 6,000, passed at 11:00; O2: the time from its start to its containment within 1 h (passed at 11:00 too).
'choose' (desk, 10 min, done 10:10) takes its default 'patch' (the step 'patch', which may contain it); 'recall'
leads to 'recall' (desk, contains it for sure), never played.

- 'patch' takes 20 min with a 1 % chance and fails at 10:30 (seed 1): with 'recall' 30 min, taken at 10:10 it
  contains X1 at 10:40, before 11:00: weigh 'recall'; with 'recall' 2 h (12:10, past the target, 13,000: M where
  never contained is U) 'recall' is named with the rating it would have had; with 'recall' 10 h (20:10, after the
  run) no option could have done it in time, and the cause stays the failed draw.
- 'patch' takes 2 h and contains X1 at 12:10 (13,000 voter-minutes, M; 2 h 10 min, M): with 'recall' 30 min
  (10:40) weigh 'recall', for both objectives; with 'recall' 1 h 30 min (11:40) not, for either.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, load, voter_outage

from ballotdrill.report import build_report


def _causes(patch: str, chance: float, recall: str) -> dict[str, Any]:
    steps = [{"id": "choose", "actor": "desk", "duration": "10m",
              "decision": {"options": {"patch": {"next": "patch"}, "recall": {"next": "recall"}}, "default": "patch"}},
             {"id": "patch", "actor": "desk", "duration": patch, "effect": {"contain": chance}, "next": "end"},
             {"id": "recall", "actor": "desk", "duration": recall, "effect": {"contain": 1.0}}]
    data = voter_outage(steps, {"desk": {"staff": 1}}, target=6000, end="20:00",
                        detected_by={"actor": "desk", "after": "0m"})
    data["scenarios"]["s"]["objectives"].append(
        {"id": "O2", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X1 start to incident X1 contained"}, "target": "1h"})
    report = build_report(checked(data), load(data), "s")
    return {f.title.split()[1]: f for f in report.analysis.improvements if f.title.startswith("Objective ")}


def test_a_branch_that_contains_in_time_is_named_beside_a_failed_draw() -> None:
    finding = _causes("20m", 0.01, "30m")["O1"]
    assert ("the 'recall' branch would have reached the containing step 'recall' (a 100% chance); the run chose "
            "'patch' at 'choose' (p, 10:10, row #") in finding.root_cause, finding.root_cause
    assert "whose containing step 'patch' completed at 10:30 but did not contain it (a 1% chance), and its " \
        "voter-minutes passed the 6,000 target at 11:00" in finding.root_cause, finding.root_cause
    assert finding.recommendation.startswith("Weigh the 'recall' option at 'choose' (p)")
    assert finding.lever == "step:p/choose"


def test_a_failed_draw_stays_the_cause_when_no_branch_could_contain_in_time() -> None:
    finding = _causes("20m", 0.01, "10h")["O1"]  # 'recall' at 20:10: after the run and the polls' close
    assert finding.root_cause.startswith("the containing step 'patch' completed at 10:30 but did not contain X1 "
                                         "(a 1% chance); no option at 'choose' (p, decided at 10:10) could have done "
                                         "it in time: the 'recall' branch completes 'recall' 10 h 00 min after the "
                                         "decision"), finding.root_cause
    assert "Weigh" not in finding.recommendation and finding.lever == "step:p/patch"


def test_a_branch_past_the_target_that_would_have_turned_the_rating_is_named_beside_a_failed_draw() -> None:
    # 'recall' at 12:10, past the target, with 13,000 voter-minutes: M, where never contained is U
    finding = _causes("20m", 0.01, "2h")["O1"]
    assert "whose containing step 'patch' completed at 10:30 but did not contain it (a 1% chance)" \
        in finding.root_cause, finding.root_cause
    assert finding.root_cause.endswith(
        "the 'recall' branch completes 'recall' on its design (mean durations and latencies) at 12:10, past the "
        "target but with its voter-minutes then at 13,000: M rather than U, all else as played"), finding.root_cause
    assert finding.recommendation.startswith("Weigh the 'recall' option at 'choose' (p)")
    assert finding.lever == "step:p/choose"


def test_a_branch_that_contains_before_a_late_containment_is_named() -> None:
    causes = _causes("2h", 1.0, "30m")
    for name in ("O1", "O2"):
        assert "the 'recall' branch would have reached the containing step 'recall'" in causes[name].root_cause
        assert "whose containing step 'patch' contained it only at 12:10" in causes[name].root_cause, \
            causes[name].root_cause
        assert causes[name].lever == "step:p/choose"
    late = _causes("2h", 1.0, "1h30m")
    for name in ("O1", "O2"):
        assert "would have reached" not in late[name].root_cause and "Weigh" not in late[name].recommendation
        assert "the 'recall' branch completes 'recall' 1 h 30 min after the decision on its design (mean durations " \
            "and latencies), at 11:40, past the target" in late[name].root_cause, late[name].root_cause


def test_a_containing_step_played_before_the_decision_is_not_the_chosen_branchs() -> None:
    # 'first' (5 min, 1 %) fails at 10:05, before 'choose' (10:15); the branch chosen, 'patch', fails at 10:35
    steps = [{"id": "first", "actor": "desk", "duration": "5m", "effect": {"contain": 0.01}},
             {"id": "choose", "actor": "desk", "duration": "10m",
              "decision": {"options": {"patch": {"next": "patch"}, "recall": {"next": "recall"}}, "default": "patch"}},
             {"id": "patch", "actor": "desk", "duration": "20m", "effect": {"contain": 0.01}, "next": "end"},
             {"id": "recall", "actor": "desk", "duration": "30m", "effect": {"contain": 1.0}}]
    data = voter_outage(steps, {"desk": {"staff": 1}}, target=6000, end="20:00",
                        detected_by={"actor": "desk", "after": "0m"})
    report = build_report(checked(data), load(data), "s")
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1 "))
    assert "the run chose 'patch' at 'choose' (p, 10:15, row #" in finding.root_cause, finding.root_cause
    assert "whose containing step 'patch' completed at 10:35 but did not contain it (a 1% chance)" \
        in finding.root_cause, finding.root_cause
    assert "'first'" not in finding.root_cause, finding.root_cause
    patch = next(s for s in report.scores.steps if s.step == "patch")
    assert patch.evidence[-1] in finding.evidence, (finding.evidence, patch.evidence)
