"""Background arrivals: every one counted in the aggregates, only some listed one by one.

A hand-made day with one arrival a minute at a desk that takes three minutes each (600
arrivals, a queue that only grows): more than the cap, and the worst cases come last.
"""

from __future__ import annotations

import json
import math
from array import array
from statistics import median
from typing import Any

from engine_helpers import file_of, incident, load
from hypothesis import given
from hypothesis import strategies as st

from ballotdrill.exercise.run import run_exercise
from ballotdrill.report import build_report, render_html, render_json, render_markdown
from ballotdrill.scoring import compare
from ballotdrill.scoring.background import DETAIL_CAP, WORST, bounded, spread
from ballotdrill.scoring.model import Spread, r3
from ballotdrill.scoring.stream import Scorer


def _busy_day(every: str = "1m") -> dict[str, Any]:
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "answer", "actor": "desk", "duration": "3m", "target": "30m", "effect": {"contain": 1.0}}]}}
    injects = [incident("S1", "09:00", "call"),
               {"id": "B1", "every": every, "from": "06:00", "to": "16:00", "incident": {"type": "call"}}]
    return file_of({"desk": {"staff": 1}}, procedures, injects)


def _scored(cap: int | None) -> tuple[Any, Any]:
    doc = load(_busy_day())
    full, capped = Scorer(doc, "s", cap=None), Scorer(doc, "s", cap=cap)

    def both(event: Any) -> None:
        full.feed(event)
        capped.feed(event)

    run_exercise(doc, "s", seed=1, feed=both, keep=False)
    return full.finish(), capped.finish()


def test_every_arrival_counted_and_only_the_first_and_worst_listed() -> None:
    full, capped = _scored(cap=50)
    arrivals = [i for i in full.incidents if i.background]
    assert len(arrivals) == full.background.arrivals == capped.background.arrivals > 500
    assert not full.background.capped and capped.background.capped
    listed = {i.incident for i in capped.incidents if i.background}
    assert len(listed) == capped.background.listed <= 50 + 2 * WORST
    assert {i.incident for i in arrivals[:50]} <= listed
    slowest = max(arrivals, key=lambda i: (i.to_contain is None, i.to_contain or 0.0))
    assert slowest.incident in listed and capped.background.injects[0].worst_contain in listed
    assert "S1" in {i.incident for i in capped.incidents}  # a scripted incident is always listed
    kept = listed | {"S1"}
    assert {s.incident for s in capped.steps} <= kept and {h.incident for h in capped.harm} <= kept
    # everything counted over every arrival, listed or not
    assert capped.totals == full.totals and capped.load == full.load and capped.objectives == full.objectives
    group = capped.background.injects[0]
    contained = [i.to_contain for i in arrivals if i.to_contain is not None]
    assert (group.key, group.arrivals) == ("B1", len(arrivals))
    assert group.contain.count == len(contained) and group.contain.median == r3(median(contained))
    assert group.steps == sum(s.incident != "S1" for s in full.steps)
    assert group.late_steps == sum(s.on_time is False and s.incident != "S1" for s in full.steps) > 0
    assert [a.actor for a in capped.background.actors] == ["desk"]
    assert capped.background.note().startswith(f"{len(listed):,} of {len(arrivals):,} background incidents listed")


def test_below_the_cap_nothing_is_left_out() -> None:
    full, capped = _scored(cap=DETAIL_CAP * 10)
    assert capped.incidents == full.incidents and capped.steps == full.steps and capped.harm == full.harm
    assert not capped.background.capped and capped.background.note() == ""


def test_the_report_counts_every_arrival_and_says_the_list_is_bounded() -> None:
    doc = load(_busy_day("20s"))  # 1,800 arrivals: past the default cap
    report = build_report(run_exercise(doc, "s", seed=1).events, doc, "s")
    group = report.background[0]
    assert group.count > DETAIL_CAP and len(group.incidents) < group.count
    text = render_markdown(report)
    assert f"of {group.count:,} background incidents listed" in text and "all counted in the aggregates" in text
    html = render_html(report)
    steps = sum(g.steps for g in report.scores.background.injects)  # every arrival's, listed or not
    listed = sum(s.incident != "S1" for s in report.scores.steps)
    assert listed < steps == report.scores.totals.steps_completed + report.scores.totals.steps_open - 1
    assert f"{listed:,} of the {steps:,} step(s): those of the arrivals listed one by one" in html
    data = json.loads(render_json(report))
    assert data["scores"]["background"]["arrivals"] == group.count
    assert len(data["scores"]["incidents"]) == data["scores"]["background"]["listed"] + 1
    assert set(data["incident_labels"]) == set(data["incident_headings"]) == {
        i["incident"] for i in data["scores"]["incidents"]}
    assert data["scores"]["totals"]["incidents"] == group.count + 1


def test_compare_takes_background_arrivals_from_the_aggregates() -> None:
    full, capped = _scored(cap=20)
    rows = {(r.item, r.measure): r for r in compare(capped, bounded(full, cap=5), "a", "b").rows
            if r.section == "background"}
    arrivals = full.background.arrivals
    assert (rows[("B1", "arrivals")].a, rows[("B1", "arrivals")].b) == (arrivals, arrivals)
    assert rows[("B1", "to_contain median")].a == full.background.injects[0].contain.median


def test_a_spread_is_its_values_count_median_nearest_rank_p90_and_max() -> None:
    assert spread(array("d")) == Spread()
    assert spread(array("d", [3.0, 1.0, 4.0, 2.0])) == Spread(count=4, median=2.5, p90=4.0, max=4.0)
    assert spread(array("d", [5.0, 1.0, 3.0])) == Spread(count=3, median=3.0, p90=5.0, max=5.0)
    tenths = array("d", [float(v) for v in range(20, 0, -1)])  # 20 values: the 18th smallest is the 90th percentile
    assert spread(tenths) == Spread(count=20, median=10.5, p90=18.0, max=20.0)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e9, allow_nan=False), max_size=60))
def test_a_spread_from_one_sort_is_the_statistics_of_the_values(values: list[float]) -> None:
    got = spread(array("d", values))
    if not values:
        assert got == Spread()
        return
    ordered = sorted(values)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    assert got == Spread(count=len(values), median=r3(median(values)), p90=r3(p90), max=r3(max(values)))
