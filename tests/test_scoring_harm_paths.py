"""A delay explains harm only when the step it delayed could change that harm: hand-made cases with known answers.

X1, a wave of 1,000 doubling every 30 min from 10:00 (its reach passes 4,000 at 11:00), starts two procedures:
'takedown', whose one step 'remove' (at c, at once) may contain it with a chance, and 'attribution', whose step
'check' waits at v (nobody on duty before 12:00). Without an effect on the attribution path the queue at v could
not have changed X1's reach, so it explains neither the objective nor any of the harm.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.harmpath import HarmPaths


def _two_paths(contain: float, attribution_effect: dict[str, Any] | None = None, end: str = "23:00") -> dict[str, Any]:
    attribution = [{"id": "check", "actor": "v", "duration": "10m"},
                   {"id": "publish", "actor": "v", "duration": "10m",
                    **({"effect": attribution_effect} if attribution_effect else {})}]
    data = file_of({"c": {"staff": 1}, "v": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00", "staff": 1}]}},
                   {"takedown": {"trigger": {"type": "disinformation"}, "steps": [
                       {"id": "remove", "actor": "c", "duration": "10m", "effect": {"contain": contain}}]},
                    "attribution": {"trigger": {"type": "disinformation"}, "steps": attribution}},
                   [incident("X1", "10:00", "disinformation",
                             spec={"reach": {"initial": 1000, "doubling": "30m", "cap": 1_000_000}})], end=end)
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "X1"}, "target": 4000}]
    return data


def test_a_queue_before_a_procedure_with_no_effect_explains_no_harm() -> None:
    data = _two_paths(contain=0.01)  # 'remove' completes at 10:10 and fails its draw: X1 is never contained
    report = assemble(checked(data), load(data), "s")
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    assert o1.rating == "U"
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at v")
    # 'check' waited from 10:00 to 12:00 at v, an hour of it before the reach passed 4,000: but nothing on the
    # attribution path contains, slows or mitigates X1
    assert queue.explains == [] and queue.harm_share == 0.0
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert finding.root_cause == "the containing step 'remove' completed at 10:10 but did not contain X1 (a 1% chance)"
    assert finding.lever == "step:takedown/remove"
    fix_first = report.analysis.improvements[0]
    assert fix_first.title == finding.title and "One long wait at v" not in fix_first.title


def test_a_queue_before_a_step_whose_path_leads_to_an_effect_still_explains_the_harm() -> None:
    """'publish' slows X1 to doubling every 2 h. As played it completes at 12:20 (reach 25,398); without v's 2 h in
    the queue at 10:20 (reach 1,587), from where the slowed wave reaches 4,000 only at about 13:00: in a run ending at
    12:50 it would have stayed within the target (3,775, met), so the queue explains O1's U."""
    data = _two_paths(contain=0.0, attribution_effect={"doubling": "2h"}, end="12:50")
    report = assemble(checked(data), load(data), "s")
    assert report.scores.objectives[0].rating == "U"
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at v")
    assert "O1 (U)" in queue.explains and queue.harm_share > 0


def test_a_queue_before_a_slowing_step_explains_no_rating_the_slowing_could_not_turn() -> None:
    """The same to 23:00: slowed from 10:20, X1 would still pass 4,000 at about 13:00 and stay U (never contained),
    so the queue explains no rating, though it is still behind a share of the harm."""
    data = _two_paths(contain=0.0, attribution_effect={"doubling": "2h"})
    report = assemble(checked(data), load(data), "s")
    queue = next(f for f in report.analysis.improvements if f.title == "One long wait at v")
    assert queue.explains == [] and queue.harm_share > 0


def test_a_step_leads_to_a_later_step_of_its_path_or_through_an_escalation_to_a_procedure_started_on_a_level() -> None:
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "x"}, "steps": [
                       {"id": "first", "actor": "a", "duration": "1m"},
                       {"id": "raise", "actor": "a", "duration": "1m", "escalate": "federal"},
                       {"id": "last", "actor": "a", "duration": "1m"}]},
                    "q": {"trigger": {"type": "x"}, "steps": [{"id": "aside", "actor": "a", "duration": "1m"}]},
                    "r": {"trigger": {"level": "federal"},
                          "steps": [{"id": "crisis", "actor": "a", "duration": "1m"}]}},
                   [incident("X1", "10:00", "x")])
    paths = HarmPaths(load(data).structure)
    assert paths.leads_to("p", "first", "last") and paths.leads_to("p", "last", "last")
    assert not paths.leads_to("p", "last", "first")              # it comes after
    assert not paths.leads_to("q", "aside", "last")              # a parallel procedure
    assert paths.leads_to("p", "first", "crisis")                # 'raise' after it starts r
    assert not paths.leads_to("p", "last", "crisis") and not paths.leads_to("q", "aside", "crisis")
