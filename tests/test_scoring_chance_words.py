"""A step's chance to contain its incident is told one way everywhere (``text.chance_words``): its percent with the
digits that keep it off 0 % and 100 % unless it is one of them, so a failed draw of a 0.4 % chance never reads as
"a 0% chance". Worked by hand on a tiny scenario."""

from __future__ import annotations

import pytest
from engine_helpers import file_of, incident, load, run

from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring.text import chance_words


@pytest.mark.parametrize(("value", "told"), [
    (0.75, "a 75% chance"), (0.5, "a 50% chance"), (1.0, "a 100% chance"), (0.0, "a 0% chance"),
    (0.995, "a 99.5% chance"), (0.004, "a 0.4% chance"), (0.9999, "a 99.99% chance"), (0.000001, "a 0.0001% chance")])
def test_a_chance_keeps_the_digits_that_decide_it(value: float, told: str) -> None:
    assert chance_words(value) == told


def test_the_article_is_the_callers() -> None:
    assert chance_words(0.75, "the") == "the 75% chance"


def test_a_failed_draw_of_a_small_chance_is_told_with_its_digits_everywhere() -> None:
    """X1 at 07:00; Desk repairs it (30 min from 09:00, a 0.4 % chance to contain): 'repair' completes at 09:40 and
    its draw fails (seed 1). The cause, the incident's narrative and its story each say "a 0.4% chance"."""
    data = file_of({"desk": {"name": "Desk", "staff": 0, "shifts": [{"from": "09:00", "to": "18:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "check", "actor": "desk", "duration": "10m"},
                       {"id": "repair", "actor": "desk", "duration": "30m", "effect": {"contain": 0.004}}]}},
                   [incident("X1", "07:00", "fault")], start="06:00", end="18:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Infrastructure systems",
                                             "measure": {"time": "from incident X1 started to incident X1 contained"},
                                             "target": "1h"}]
    doc = load(data)
    report = build_report(run(doc), doc, "s")
    [found] = [f for f in report.analysis.improvements if f.title.startswith("Objective O1")]
    assert found.root_cause.endswith("'repair' completed at 09:40 but did not contain X1 (a 0.4% chance)")
    assert "'repair' did not contain it (it had a 0.4% chance)." in report.narratives["X1"]
    assert "At 09:40 'repair' by Desk did not contain it (its containment effect had a 0.4% chance and failed)." \
        in report.moments["X1"]
    text = render_markdown(report)
    assert "0% chance" not in text
