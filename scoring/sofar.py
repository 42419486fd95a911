"""An objective met only so far: a harm measure rated P on an incident still open at the end whose harm was still
growing within :data:`NEAR` of the target. Its Strength says "met so far" (a cut run's words for a measure still
open), not an unqualified "met": the target stood only because the run ended (results-night-ddos seed 3: O3 at
19,923 of 20,000, its wave still doubling, would have passed it about 6 min after the end).

Still growing, as the rating reads it (:mod:`.growth`), from the incident's harm course (:mod:`.passing`): a wave
below its cap still doubling; voter- or station-minutes while its polling stations were open. Without its course
(no target passing was read), an incident still open is taken as still growing: "so far" is then never false.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ballotdrill.scoring.model import ObjectiveResult, Scores
from ballotdrill.scoring.passing import HarmCourse, Passed
from ballotdrill.scoring.text import HARM_MEASURES, HARM_NOUNS, number

_MET = "met the target"
"""How a met objective's reason begins (:func:`~.ratings.rate`)."""

NEAR = 0.05
"""A harm still growing within this share of its target (under it) is met only so far."""

__all__ = ["NEAR", "met_so_far", "so_far_reasons"]


def _growing(course: HarmCourse | None, kind: str, stop: float) -> bool:
    """Whether a harm of ``kind`` on this course was still growing at ``stop`` (None: not known, taken as growing)."""
    if course is None:
        return True
    if kind == "reach":
        doubling = course.segments[-1][2]
        return not math.isinf(doubling) and course.harm_at(kind, stop) < course.cap
    rate = course.voter_rate if kind == "voter_minutes" else course.station_rate
    return rate > 0 and stop < course.closes - 1e-9


def met_so_far(obj: ObjectiveResult, scores: Scores, passed: Mapping[str, float] | None) -> str:
    """For an objective rated P on a harm still growing near its target, why it is met only so far (``19,923 at the
    end … : met so far, 77 people under it and still growing …``); empty otherwise."""
    if obj.rating != "P" or obj.kind not in HARM_MEASURES or obj.value is None or obj.target <= 0 or \
            obj.value < (1 - NEAR) * obj.target:
        return ""
    row = next((h for h in scores.harm if h.incident == obj.subject), None)
    stop = scores.until if scores.until is not None else scores.end
    course = passed.courses.get(obj.id) if isinstance(passed, Passed) else None
    if row is None or not row.open or stop is None or not _growing(course, obj.kind, stop):
        return ""
    unit = "people" if obj.kind == "reach" else HARM_NOUNS[obj.kind]
    under = number(obj.target - obj.value, (0,))  # never "0 under it" for a value a fraction under its target
    return (f"{obj.value_text} against a target of {obj.target_text}: met so far, {under} {unit} under it "
            f"and still growing when the run stopped ({obj.reason.removeprefix('met the target; ')}).")


def so_far_reasons(scores: Scores, passed: Mapping[str, float] | None) -> Scores:
    """``scores`` with the reason of each objective met only so far (:func:`met_so_far`) saying so ("met so far; …"
    for "met the target; …"), as its Strength does: the objectives' table and the Strength use the same words."""
    objectives = [obj.model_copy(update={"reason": "met so far" + obj.reason.removeprefix(_MET)})
                  if obj.reason.startswith(_MET) and met_so_far(obj, scores, passed) else obj
                  for obj in scores.objectives]
    return scores.model_copy(update={"objectives": objectives})
