"""An incident that ended by itself before anyone detected it: the engine still journals the detection (the
incident's effects can be noticed afterwards; no response starts), so the story and the event list say it was
noticed once it had already ended, never that someone "detected it" after "it ended … before it was detected"; the
inject log cites the row that bears out how its line ends (the contained row), not the detection or the resolved
row that came later. Worked by hand on a tiny scenario; one detected while it lasted is told as before."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.journal import Kind
from ballotdrill.report.report import assemble


def _report() -> object:
    """X1 at 10:00 ends by itself after 10 min, noticed by a after 20 min (10:20); X2 at 11:00 lasts 30 min and is
    noticed after 5 min (11:05), while it lasts; the procedure's step takes an hour, so it does not contain X2."""
    data = file_of({"a": {"name": "Printer", "staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [{"id": "look", "actor": "a", "duration": "1h"}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": "10m"}, detected_by={"actor": "a",
                                                                                              "after": "20m"}),
                    incident("X2", "11:00", "fault", spec={"duration": "30m"}, detected_by={"actor": "a",
                                                                                              "after": "5m"})],
                   end="18:00")
    doc = load(data)
    return assemble(run(doc), doc, "s"), run(doc)


def test_a_detection_after_the_incident_ended_is_told_as_noticed_after_its_end() -> None:
    report, _ = _report()
    moments = report.moments["X1"]  # type: ignore[attr-defined]
    assert "It ended by itself at 10:10, 10 min after it began, before it was detected." in moments
    assert "Printer noticed it at 10:20, 20 min later, once it had already ended by itself." in moments
    assert not any("detected it" in line for line in moments)
    told = report.narratives["X1"]  # type: ignore[attr-defined]
    assert "Printer noticed it at 10:20, 20 min later, once it had already ended by itself." in told


def test_a_detection_while_the_incident_lasted_is_told_as_a_detection() -> None:
    report, _ = _report()
    assert "Printer detected it at 11:05, 5 min later." in report.moments["X2"]  # type: ignore[attr-defined]
    assert "Printer detected it at 11:05, 5 min later." in report.narratives["X2"]  # type: ignore[attr-defined]


def test_the_inject_log_cites_the_row_where_the_incident_ended() -> None:
    report, events = _report()
    contained = {e.incident: e.seq for e in events if e.kind == Kind.CONTAINED}
    detected = {e.incident: e.seq for e in events if e.kind == Kind.DETECTED}
    resolved = {e.incident: e.seq for e in events if e.kind == Kind.RESOLVED}
    assert detected["X1"] > resolved["X1"] > contained["X1"]  # the journal's order for X1: ended, resolved, noticed
    entries = {entry.id: entry for entry in report.inject_log}  # type: ignore[attr-defined]
    assert entries["X1"].observed == ("noticed after 20 min by Printer (after its end); no response step; ended by "
                                      "itself after 10 min")
    assert entries["X1"].evidence[-1] == contained["X1"]
    # X2: detected while it lasted, worked on, ended by itself at 11:30 while 'look' was under way
    assert entries["X2"].observed == ("detected after 5 min by Printer; first action after 5 min; ended by itself "
                                      "after 30 min")
    assert entries["X2"].evidence[-1] == contained["X2"]
