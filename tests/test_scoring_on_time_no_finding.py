"""Late steps on a lever with no area for improvement of its own are tested for turning an on-time share too
(``ranking.unexplaining``): the objective's own finding says what would have turned it, or truly that nothing found
could. Hand-made counts; a share rates P from its target, S from 80 % of it, M from half.

- 8 of 10 on time against 100 %: S. One late step from the queue at A (a finding), one from failed handoffs on fax
  (none): either on time gives 90 %, S; both give 100 %, P. Fax turns it only together with A's.
- 7 of 10 against 100 %: M. Fax's one late step on time gives 80 %, S: fax alone turns it.
- 16 of 20 against 100 %: S. A's and fax's late steps on time give 90 % at most, still S: nothing named could.
"""

from __future__ import annotations

from typing import Any

from ballotdrill.scoring.model import ObjectiveResult
from ballotdrill.scoring.ranking import unexplaining
from ballotdrill.scoring.ratings import rate
from ballotdrill.scoring.unexplained import unexplained


class _Names:
    """What ``unexplained`` asks of an advisor for these levers: an actor's name."""

    def who(self, actor: str) -> str:
        return actor.upper()


def _share(counted: int, met: int) -> ObjectiveResult:
    value = met / counted
    rating = rate(value, 1.0, False)[0]
    return ObjectiveResult(id="O1", capability="Operational coordination", kind="on_time", subject="all", target=1.0,
                           target_text="100%", value=value, lower_is_better=False, rating=rating, reason="")


def _why(counted: int, met: int, late: dict[str, tuple[int, int]],
         counts: bool = True) -> tuple[dict[str, str], str]:
    obj = _share(counted, met)
    found = unexplaining(obj, None, {}, {"actor:a"}, None, None, late,  # type: ignore[arg-type]
                         (counted, met) if counts else None)
    names: Any = _Names()
    return {d.lever: d.why for d in found}, unexplained(names, obj, found, None)


def test_a_lever_without_a_finding_that_turns_it_only_with_the_others() -> None:
    whys, words = _why(10, 8, {"actor:a": (1, 0), "channel:fax": (1, 1)})
    assert _share(10, 8).rating == "S"
    assert whys == {"actor:a": "no_change", "channel:fax": "no_finding_together"}
    assert words == ("no area for improvement explains O1, though its late steps together could: "
                     "1 late step(s) from failed handoffs on fax made no area for improvement; on time, with every "
                     "other late step named here, they would have turned its rating; 1 late step(s) from waiting at "
                     "A, on time, would not have changed its rating")


def test_a_lever_without_a_finding_that_turns_it_alone() -> None:
    whys, words = _why(10, 7, {"channel:fax": (1, 1)})
    assert _share(10, 7).rating == "M"
    assert whys == {"channel:fax": "no_finding_turns"}
    assert words == ("no area for improvement explains O1, though a delay could: "
                     "1 late step(s) from failed handoffs on fax made no area for improvement, yet on time it alone "
                     "would have turned its rating")


def test_nothing_named_could_turn_it() -> None:
    whys, words = _why(20, 16, {"actor:a": (1, 0), "channel:fax": (1, 1)})
    assert whys == {"actor:a": "no_change", "channel:fax": "no_finding_no_change"}
    assert words == ("the causes of its late steps explain nothing: "
                     "1 late step(s) from failed handoffs on fax made no area for improvement and, on time, "
                     "would not have changed its rating; 1 late step(s) from waiting at A, on time, would not "
                     "have changed its rating; not even every late step named here on time would have changed it")
    assert _why(20, 16, {"channel:fax": (1, 1)}, counts=False)[0] == {"channel:fax": "no_finding"}  # counts unknown
