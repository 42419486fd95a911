"""``compare`` tells each run's figures as its report does, on hand-made journals whose right words are known.

- An incident's times are told as their clocks read, as the report's incident table tells them (60.2 min from
  06:00:00 is "1 h 00 min", never "1 h 00 min" in one place and "1 h 01 min" in the other), and B − A is the
  difference of the minutes shown.
- An incident that ended by itself reads "ended by itself after …" in the "time to contain" row: nobody contained it.
- An objective's value reads as its row in the report ("ended by itself (after 1 h 00 min 12 s)").
- The run total of incidents not resolved says so: an incident that ended by itself is not resolved, yet the report
  does not call it open.
- A value of the scenario file that a ``--set`` override sets is told as what the override changed, never as a
  second change beside it.
"""

from __future__ import annotations

from scoring_helpers import JournalBuilder, scenario_file

from ballotdrill.report.comparison import comparison_view
from ballotdrill.scoring import Scores, compare, score
from ballotdrill.scoring.comparewords import InputDifference, notes

SCENARIO = """
version: 1
structure:
  actors:
    interior: {staff: 1}
  procedures: {}
scenarios:
  demo:
    title: Outage
    start: "06:00"
    end: "23:00"
    injects:
      - {at: "06:00", incident: {id: D1, type: cyber_outage, severity: 3}}
    objectives:
      - {id: O1, capability: Cybersecurity, measure: {time: from incident D1 start to incident D1 contained},
         target: 1h}
"""


def _run(contained_at: float, how: str, resolved: bool) -> Scores:
    """D1 from 06:00:00, detected at 06:10, contained ``contained_at`` minutes later (``how``)."""
    b = JournalBuilder().start(start=360.0, until=480.0, staff={"interior": 1})
    b.add(0, "incident_started", "D1", type="cyber_outage", severity=3, level="municipal")
    b.add(10, "detected", "D1", "interior")
    b.add(contained_at, "contained", "D1", None if how == "ended" else "interior", how=how, reach=0.0,
          voter_minutes=0.0, station_minutes=0.0)
    if resolved:
        b.add(contained_at, "resolved", "D1")
    b.add(120, "run_ended", open_incidents=[] if resolved else ["D1"], open_steps=[], harm={})
    return score(b.events, scenario_file(SCENARIO), "demo")


def _view_rows() -> dict[tuple[str, str, str], list[str]]:
    # A: ended by itself after 60.2 min (06:00:00 → 07:00:12); B: contained after 47.6 min (→ 06:47:36), resolved
    a, b = _run(60.2, "ended", resolved=False), _run(47.6, "effect", resolved=True)
    view = comparison_view(compare(a, b), only_changed=False)
    return {(r[0], r[1], r[2]): r[3:] for r in view.detail[1:]}


def test_an_incidents_times_are_told_as_its_report_tells_them() -> None:
    rows = _view_rows()
    # the clocks read 07:00 and 06:47: 1 h 00 min and 47 min, B − A -13 min (rounded, 1 h 00 and 48 min: -12)
    assert rows[("incident", "D1", "time to contain")] == ["ended by itself after 1 h 00 min", "47 min", "-13 min",
                                                          ""]
    assert rows[("incident", "D1", "time to detect")][:2] == ["10 min", "10 min"]


def test_an_objectives_value_reads_as_its_row_in_the_report() -> None:
    o1 = next(o for o in _run(60.2, "ended", resolved=False).objectives if o.id == "O1")
    assert (o1.rating, o1.value_text) == ("U", "ended by itself (after 1 h 00 min 12 s)")
    rows = _view_rows()
    # B's 47.6 min (06:00:00 → 06:47:36) as its clocks read, as its report's row and the incident's row tell it
    assert rows[("objective", "O1", "value")][:2] == ["ended by itself (after 1 h 00 min 12 s)", "47 min"]


def test_the_incidents_not_resolved_are_labelled_so() -> None:
    rows = _view_rows()
    assert rows[("totals", "run", "incidents not resolved at the end")][:3] == ["1", "0", "-1"]
    assert not [key for key in rows if key[2] == "open incidents"]


def test_a_value_an_override_sets_is_told_with_the_override() -> None:
    override = InputDifference(what="overrides", a="[]", b='["structure.actors.desk.shifts.0.staff=24"]')
    staff = InputDifference(what="structure.actors.desk.shifts[0].staff", a="16", b="24")
    other = InputDifference(what="structure.channels.phone.reliability", a="0.9", b="0.8")
    assert notes([override, staff])[0].startswith(
        "A and B differ in their --set overrides, which set structure.actors.desk.shifts[0].staff (16 against 24): "
        "every difference below can come from that change. They share their seed")
    assert notes([override, staff, other])[0].startswith(
        "A and B differ in their --set overrides, which set structure.actors.desk.shifts[0].staff (16 against 24) "
        "and 1 other value of the scenario file (structure.channels.phone.reliability): every difference below can "
        "come from any of these.")
    # an override written with brackets, and one on a whole block, set the values within it
    block = InputDifference(what="overrides", a='["structure.actors.desk.shifts[0]={staff: 16}"]', b="[]")
    assert "which set structure.actors.desk.shifts[0].staff (16 against 24):" in notes([block, staff])[0]
