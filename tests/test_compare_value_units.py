"""``compare`` shows an objective's harm count as the report shows it, with its unit. Worked by hand on one polling
station shut from 10:00 until a step contains it (a station-minute each minute it is shut), against a target of 20
station-minutes (S up to 25, M up to 40):

- run A's step takes 20 min 24 s: 20.4 station-minutes, rated S; the report shows "20.4" (never "20", which reads
  as on the target), so the comparison shows "20.4 station-min", where it showed "20.4" without its unit;
- run B's step takes 24 min: 24, rated S; "24" in the report, "24 station-min" in the comparison as before;
- run C's step takes 20 min: 20, on the target (P): "20 station-min".
"""

from __future__ import annotations

import json

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.report.comparison import comparison_view
from ballotdrill.scoring import Scores, compare, comparison_json
from ballotdrill.scoring.comparewords import value_words
from ballotdrill.scoring.model import ObjectiveResult


def _scores(took: str) -> Scores:
    """The run whose containing step takes ``took``, scored as its report scores it."""
    data = file_of({"a": {"staff": 1}}, {"p": {"trigger": {"type": "outage"}, "steps": [
        {"id": "fix", "actor": "a", "duration": took, "effect": {"contain": 1}}]}},
        [incident("Y1", "10:00", "outage", spec={"stations": 1}, detected_by={"actor": "a", "after": "0m"})],
        start="08:00", end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"station_minutes": "Y1"}, "target": 20}]
    return build_report(checked(data), load(data), "s").scores


@pytest.fixture(scope="module")
def runs() -> dict[str, Scores]:
    return {"A": _scores("20m24s"), "B": _scores("24m"), "C": _scores("20m")}


def _objective(scores: Scores) -> ObjectiveResult:
    return next(o for o in scores.objectives if o.id == "O1")


def test_the_reports_own_words_by_hand(runs: dict[str, Scores]) -> None:
    told = {name: (_objective(s).rating, _objective(s).value, _objective(s).value_text) for name, s in runs.items()}
    assert told["A"][0] == "S" and told["A"][1] == pytest.approx(20.4) and told["A"][2] == "20.4"
    assert told["B"] == ("S", pytest.approx(24.0), "24")
    assert told["C"] == ("P", pytest.approx(20.0), "20")


def test_a_count_beside_its_target_keeps_its_digits_and_its_unit(runs: dict[str, Scores]) -> None:
    view = comparison_view(compare(runs["A"], runs["B"]), only_changed=False)
    [row] = [r for r in view.detail[1:] if r[:3] == ["objective", "O1", "value"]]
    assert row[3:5] == ["20.4 station-min", "24 station-min"]
    data = json.loads(comparison_json(compare(runs["A"], runs["B"])))
    [value] = [r for r in data["rows"] if (r["section"], r["item"], r["measure"]) == ("objective", "O1", "value")]
    assert (value["a_text"], value["b_text"], value["unit"]) == ("20.4 station-min", "", "station-min")


def test_a_count_on_its_target_reads_as_before(runs: dict[str, Scores]) -> None:
    view = comparison_view(compare(runs["C"], runs["A"]), only_changed=False)
    [row] = [r for r in view.detail[1:] if r[:3] == ["objective", "O1", "value"]]
    assert row[3:5] == ["20 station-min", "20.4 station-min"]


def test_words_that_say_more_than_the_count_stay_the_reports() -> None:
    base = _objective(_scores("20m24s"))
    still_open = base.model_copy(update={"value_text": "20.4 at the end, still open"})
    assert value_words(still_open, 20.4) == "20.4 at the end, still open"
    assert value_words(base, 20.4) == "20.4 station-min"
    assert value_words(base.model_copy(update={"value_text": "24"}), 24.0) == ""
