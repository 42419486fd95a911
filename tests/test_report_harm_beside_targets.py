"""A harm count (reach, voter-minutes, station-minutes, votes lost) told beside its target or a band's bound is never
shown on the other side of it (or on it) from the value its rating was taken on: it shows the digits that decide it
(``text.number(value, against)``), as a duration shows its seconds. Worked by hand on one polling station shut from
10:00 until a step contains it, against a target of 20 station-minutes (a station-minute each minute it is shut):

- Y1's step takes 20 min 24 s: 20.4 station-minutes, "20" beside S "missed the target by at most 25%": "20.4".
- Y2's step takes 19 min 36 s: 19.6, "20" beside P: "19.6".
- Y3's step takes 20 min exactly: 20, on the target (P): "20" as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown
from ballotdrill.scoring.text import measure_value, number

TARGET = 20


def test_the_rule_by_hand() -> None:
    assert number(20000.4, (20000,)) == "20,000.4"  # just past: never "20,000" beside a rating past it
    assert number(19999.6, (20000,)) == "19,999.6"  # just within
    assert number(20000.0, (20000,)) == "20,000"  # exactly on
    assert number(20000.4) == "20,000"  # told beside no target: rounded as before
    assert number(20003.0, (20000,)) == "20,003"  # already on its side: as before
    assert number(25000.3, (20000, 25000, 30000)) == "25,000.3"  # past the S band's bound, not on it
    assert number(20000.004, (20000,)) == "20,000.004"  # a tenth would still read on the target
    assert number(0.4, (0,)) == "0.4"  # a margin to a target never "0"
    assert measure_value("station_minutes", 19.6, (20,)) == "19.6"
    assert measure_value("votes_lost", 0.3, (0,)) == "0.3"


def _report() -> Any:
    work = {"Y1": "20m24s", "Y2": "19m36s", "Y3": "20m"}
    procedures = {f"p{iid}": {"trigger": {"type": iid.lower()}, "steps": [
        {"id": f"fix-{iid}", "actor": "a", "duration": took, "effect": {"contain": 1}}]}
        for iid, took in work.items()}
    injects = [incident(iid, "10:00", iid.lower(), spec={"stations": 1}, detected_by={"actor": "a", "after": "0m"})
               for iid in work]
    data = file_of({"a": {"staff": 3}}, procedures, injects, start="08:00", end="14:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": f"O{iid}", "capability": "Infrastructure systems", "measure": {"station_minutes": iid},
         "target": TARGET} for iid in work]
    events = checked(data)
    harm = {e.incident: e.data["station_minutes"] for e in events if e.kind == "contained"}
    assert harm == pytest.approx({"Y1": 20.4, "Y2": 19.6, "Y3": 20.0})  # the hand-made values, as played
    return build_report(events, load(data), "s")


@pytest.fixture(scope="module")
def report() -> Any:
    return _report()


def test_an_objective_beside_its_target_reads_on_its_rating_side(report: Any) -> None:
    o = {obj.id: obj for obj in report.scores.objectives}
    assert (o["OY1"].rating, o["OY1"].value_text) == ("S", "20.4")
    assert o["OY1"].reason.startswith("missed the target by at most 25%")
    assert (o["OY2"].rating, o["OY2"].value_text) == ("P", "19.6")
    assert (o["OY3"].rating, o["OY3"].value_text) == ("P", "20")


def test_the_page_never_shows_a_count_on_the_target_beside_a_rating_off_it(report: Any) -> None:
    text = render_markdown(report)
    assert "OY1 rated S (20.4 against 20); OY2 rated P (19.6 against 20); OY3 rated P (20 against 20)" in text
    assert "20.4 against a target of 20: missed the target by at most 25%" in text
    assert "19.6 against a target of 20. Evidence" in text
    assert "| station\\_minutes: Y1 | 20 | 20.4 | **S** |" in text
