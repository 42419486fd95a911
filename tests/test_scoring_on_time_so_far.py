"""An on-time objective in a run stopped early, its procedure's steps with a target still undecided (in progress or
to come, within their targets): NE "so far" while they could still bring the share to its target; rated on the share
so far (saying they cannot) once even all of them on time would not. Worked by hand on a tiny exercise."""

from __future__ import annotations

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.model import ObjectiveResult


def _o1(target: float, until: str | None) -> ObjectiveResult:
    """X1 at 10:00 starts 'p' at Desk (one staff): 'a' 10 min (target 15 min: on time at 10:10), 'b' 20 min
    (target 25 min: done 10:30, 5 min late), 'c' 10 min (target 60 min: on time at 10:40). Played to the end the
    share is 2 of 3 (67%). O1: the on-time share of 'p' against ``target``; the run cut at ``until``."""
    data = file_of({"desk": {"name": "Desk", "staff": 1}}, {"p": {"trigger": {"type": "call"}, "steps": [
        {"id": "a", "actor": "desk", "duration": "10m", "target": "15m"},
        {"id": "b", "actor": "desk", "duration": "20m", "target": "25m"},
        {"id": "c", "actor": "desk", "duration": "10m", "target": "60m"}]}},
        [incident("X1", "10:00", "call")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational communications",
                                             "measure": {"on_time": "p"}, "target": target}]
    kwargs = {} if until is None else {"until_clock": int(until[:2]) * 60 + int(until[3:])}
    return assemble(checked(data, **kwargs), load(data), "s").scores.objectives[0]


def test_met_so_far_with_steps_still_undecided_is_not_exercised_yet() -> None:
    # cut at 10:20: 'a' on time (1 of 1); 'b' in progress (its target 10:25 ahead) and 'c' to come: 2 undecided
    o1 = _o1(0.6, "10:20")
    assert (o1.rating, o1.value, o1.value_text) == ("NE", 1.0, "100% so far, 2 undecided")
    assert o1.reason.startswith("of the steps of p with a target counted so far, 1 of 1 met it (100%), and 2 more "
                                "with a target still undecided")
    assert "all on time they would bring it to 100%, so whether it meets the target is not known yet" in o1.reason


def test_below_the_target_so_far_but_reachable_is_not_exercised_yet() -> None:
    # cut at 10:35: 'a' on time, 'b' 5 min late (1 of 2, 50%); 'c' in progress within its target: all on time 2 of 3
    # (67%) would meet 60%
    o1 = _o1(0.6, "10:35")
    assert (o1.rating, o1.value_text) == ("NE", "50% so far, 1 undecided")


def test_a_target_the_undecided_steps_cannot_reach_is_rated_on_the_share_so_far() -> None:
    # the same cut against 80%: at most 2 of 3 (67%) whatever 'c' does: rated on the 50% so far (M: below 80% of
    # the target, at least half of it)
    o1 = _o1(0.8, "10:35")
    assert (o1.rating, o1.value) == ("M", 0.5)
    assert "even with the 1 still undecided when the run stopped all on time it would reach only 67%" in o1.reason


@pytest.mark.parametrize(("target", "rating"), [(0.6, "P"), (0.8, "S")])
def test_played_to_its_end_the_share_is_rated_as_it_is(target: float, rating: str) -> None:
    o1 = _o1(target, None)
    assert (o1.rating, o1.value) == (rating, 0.667)
    assert "so far" not in o1.reason and "undecided" not in o1.reason
