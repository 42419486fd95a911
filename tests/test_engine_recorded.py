"""Recorded decisions are checked against the structure before a run: a typo never replays silently."""

from __future__ import annotations

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import RunError, run_exercise
from ballotdrill.exercise.decisions import check_record

LIBRARY = scenarios.load_file(scenarios.library_path())
KEY = "N1:disinfo-response:dis-choose-response:1"


def test_a_fitting_record_has_no_problem() -> None:
    options = next(s.decision for s in LIBRARY.structure.procedures["disinfo-response"].steps
                   if s.id == "dis-choose-response")
    assert options is not None
    assert check_record({KEY: next(iter(options.options))}, LIBRARY.structure) == []


@pytest.mark.parametrize(("record", "expected"), [
    ({"N1:disinfo-respons:dis-choose-response:1": "x"}, "did you mean 'disinfo-response'?"),
    ({"N1:disinfo-response:choose-response:1": "x"}, "did you mean 'dis-choose-response'?"),
    ({KEY: "debunkk"}, "did you mean 'debunk'?"),
    ({"N1-choose": "debunk"}, "must read incident:procedure:step:n"),
])
def test_a_misfit_record_is_refused_with_a_suggestion(record: dict[str, str], expected: str) -> None:
    problems = check_record(record, LIBRARY.structure)
    assert len(problems) == 1 and expected in problems[0]
    with pytest.raises(RunError, match="decision"):
        run_exercise(LIBRARY, LIBRARY.default_scenario, decisions=record)
