"""Causes and ranking that must be true for the case in front of them; hand-made cases with known answers.

- a containing step on a decision branch the run did not take is named as such, with the option the run chose
  (read from the decision's own ``decision_made`` row, which is cited, also when the option ends the procedure),
  rather than advising to add one;
- with late steps of equal weight, the step late from its own work comes before the steps late only because of
  it, and their fix cites queues only when work queued.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report


def _branches() -> dict[str, Any]:
    """X1 at 10:00, a wave of 1,000 doubling every 30 min; 'choose' (10 min) offers 'slow' (the default: 'label'
    halves its growth) or 'remove' ('takedown' contains it)."""
    steps = [{"id": "choose", "actor": "desk", "duration": {"dist": "fixed", "value": "10m"},
              "decision": {"options": {"slow": {"next": "label"}, "remove": {"next": "takedown"}}, "default": "slow"}},
             {"id": "label", "actor": "desk", "duration": {"dist": "fixed", "value": "10m"},
              "effect": {"growth": 0.5}, "next": "end"},
             {"id": "takedown", "actor": "desk", "duration": {"dist": "fixed", "value": "10m"},
              "effect": {"contain": 1.0}}]
    data = file_of({"desk": {"staff": 1}}, {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [incident("X1", "10:00", "disinformation", detected_by={"actor": "desk", "after": "0m"},
                             spec={"reach": {"initial": 1000, "doubling": "30m", "cap": 1_000_000}})])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "X1"}, "target": 4000}]
    return data


def test_a_containing_step_on_the_branch_not_taken_is_named_with_the_choice_made() -> None:
    data = _branches()
    events = checked(data)
    report = build_report(events, load(data), "s")
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    assert o1.rating == "U"  # slowed, never contained: far past 4,000 by 23:00
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    made = next(e for e in events if e.kind == "decision_made" and e.step == "choose")
    assert made.data["option"] == "slow"
    assert ("the 'remove' branch would have reached the containing step 'takedown' (a 100% chance); the run chose "
            f"'slow' at 'choose' (p, 10:10, row #{made.seq}), which only slows it") in finding.root_cause
    assert made.seq in finding.evidence  # the row that records the choice, not the step's completion after it
    assert finding.recommendation == ("Weigh the 'remove' option at 'choose' (p) for disinformation incidents like X1 "
                                      "(the default is 'slow'): its step 'takedown' contains them (a 100% chance)")
    assert "earlier containing step" not in finding.recommendation


def test_a_choice_that_ends_the_procedure_is_read_from_the_decision_itself() -> None:
    """'watch' ends the procedure at once: no step is played after the decision, so only its ``decision_made`` row
    says which branch the run took (the same wave, never slowed nor contained: U)."""
    data = _branches()
    options = data["structure"]["procedures"]["p"]["steps"][0]["decision"]["options"]
    options["watch"] = {"next": "end"}
    data["structure"]["procedures"]["p"]["steps"][0]["decision"]["default"] = "watch"
    events = checked(data)
    made = next(e for e in events if e.kind == "decision_made" and e.step == "choose")
    assert made.data["option"] == "watch" and made.t == 10.0 + 4 * 60  # 10:10
    report = build_report(events, load(data), "s")
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert ("the 'remove' branch would have reached the containing step 'takedown' (a 100% chance); the run chose "
            f"'watch' at 'choose' (p, 10:10, row #{made.seq}), which does not contain it") in finding.root_cause
    assert finding.lever == "step:p/choose"


def _chain() -> dict[str, Any]:
    """One run of 'p' at 10:00: 'convene' takes 3 h against a 2 h target (late by 1 h from its own work); 'tell'
    (10 min, target 2 h from the start) can only begin at 13:00 (late by 1 h 10 min, only from 'convene')."""
    steps = [{"id": "convene", "actor": "cell", "duration": {"dist": "fixed", "value": "3h"}, "target": "2h"},
             {"id": "tell", "actor": "info", "duration": {"dist": "fixed", "value": "10m"}, "target": "2h"}]
    return file_of({"cell": {"staff": 1}, "info": {"staff": 1}}, {"p": {"trigger": {"type": "call"}, "steps": steps}},
                   [incident("T1", "10:00", "call", detected_by={"actor": "cell", "after": "0m"})])


def test_the_step_that_made_the_others_late_ranks_before_them_and_no_queue_is_cited() -> None:
    data = _chain()
    report = build_report(checked(data), load(data), "s")
    late = [f for f in report.analysis.improvements if f.cause == "late_step"]
    assert [f.title for f in late] == ["Step 'convene' late (1 of 1)", "Step 'tell' late (1 of 1)"]
    assert all(f.weight == 0 for f in late)  # equal weights: 'tell' is the later (1 h 10 min against 1 h)
    assert report.analysis.key.first_fix.startswith("Nothing urgent: no area for improvement explains an objective "
                                                    "or any harm (all weigh 0); the first of the minor ones: Review "
                                                    "the 2 h 00 min target of 'convene'")
    tell = late[1]
    assert tell.root_cause.startswith("delays before the step")
    assert "(see the earlier late steps), or start it earlier" in tell.recommendation
    assert not any(s.wait for s in report.scores.steps)  # nothing queued, so no queue is cited
