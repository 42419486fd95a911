"""Score records built without validation equal the validated ones, and what the scores keep is validated.

The scorer builds the records of every incident, step instance, handoff and harm without pydantic's
validation (most are folded into aggregates and let go); the ones a report keeps are validated again.
Checked on library runs played whole and cut short (open steps, handoffs in transit, incidents open at
the end), so every builder's branches give records of the right types in the model's field order.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ballotdrill.exercise.run import resolve_until, run_exercise
from ballotdrill.scenarios import library_path, load_file
from ballotdrill.scoring.model import Frozen, Harm, StepResult, checked, unchecked
from ballotdrill.scoring.stream import Scorer


def _records(name: str, seed: int, until: float | None) -> list[Frozen]:
    doc = load_file(library_path())
    scorer = Scorer(doc, name, cap=None)
    run_exercise(doc, name, seed=seed, until_clock=until, feed=scorer.feed, keep=False)
    end = resolve_until(doc, name, until)
    found: list[Frozen] = [times for _, times in scorer.incidents.numbered()]
    found += [step for _, step in scorer.steps.numbered(doc.structure, end)]
    found += [chain for _, chain in scorer.handoffs.numbered(doc.structure, end)]
    found += scorer.harm.results()
    return found


@pytest.mark.parametrize(("name", "seed", "until"), [
    ("combined-hybrid-day", 1, None),
    ("combined-hybrid-day", 3, 10 * 60.0),  # cut short: steps queued and running, handoffs travelling
    ("results-night-ddos", 3, None),
])
def test_records_built_unchecked_equal_the_validated_ones(name: str, seed: int, until: float | None) -> None:
    records = _records(name, seed, until)
    kinds = {type(r).__name__ for r in records}
    assert kinds == {"IncidentTimes", "StepResult", "Handoff", "Harm"}
    for record in records:
        valid = checked(record)
        assert valid == record
        assert list(record.__dict__) == list(type(record).model_fields)  # every field, in the model's order
        assert record.model_dump_json() == valid.model_dump_json()
    if until is not None:  # the branches for work still open at the end were taken
        statuses = {getattr(r, "status", None) for r in records}
        assert {"queued", "in_progress", "in_transit"} <= statuses
        assert any(isinstance(r, Harm) and r.open for r in records)


def test_a_record_built_wrong_is_refused_when_kept() -> None:
    fields: dict[str, Any] = {"incident": "I1", "reach": "a lot", "voter_minutes": 0.0, "station_minutes": 0.0,
                              "open": False, "evidence": [1]}
    with pytest.raises(ValidationError):
        checked(unchecked(Harm, fields))
    # an int where the model holds a float validates, but would be written as 5, not 5.0: refused too
    with pytest.raises(ValueError, match=r"reach was built as 5, validated as 5\.0"):
        checked(unchecked(Harm, {**fields, "reach": 5}))
    step = StepResult(incident="I1", procedure="p", step="s", actor="a", wait=1.5, evidence=[3])
    assert checked(step) is step  # the validated copy is let go: kept records are not held twice
