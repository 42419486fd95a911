"""An on-time share counts the steps a dropped handoff kept from running once their target passed (late: never
done), and a share of a procedure a drop stopped is no Strength. Worked by hand on a tiny exercise, both ways."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.report.report import Report


def _report(reliability: float, subject: str = "p") -> Report:
    """X1 at 10:00: Desk reports (5 min, target 30 min), then hands 'fix' to Crew on chat (1 min, ``reliability``, no
    retry, no fallback); Crew fixes it (10 min, target 60 min). O1: the on-time share of ``subject``, target 90 %."""
    channels = {"chat": {"latency": {"dist": "fixed", "value": "1m"}, "reliability": reliability}}
    data = file_of({"desk": {"name": "Desk", "staff": 1}, "crew": {"name": "Crew", "staff": 1}},
                   {"p": {"trigger": {"type": "call"}, "steps": [
                       {"id": "report", "actor": "desk", "duration": "5m", "target": "30m"},
                       {"id": "fix", "actor": "crew", "duration": "10m", "via": "chat", "target": "60m"}]}},
                   [incident("X1", "10:00", "call")], channels=channels)
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Operational communications",
                                             "measure": {"on_time": subject}, "target": 0.9}]
    return build_report(checked(data), load(data), "s")


def _strengths(report: Report) -> list[str]:
    return [s.title for s in report.analysis.strengths]


def test_an_on_time_share_met_only_because_a_dropped_handoff_kept_steps_from_running_is_no_strength() -> None:
    for subject in ("p", "all"):
        report = _report(0.0, subject)
        assert [h.status for h in report.scores.handoffs] == ["dropped"]
        [o1] = report.scores.objectives
        # 'report' played, on time; 'fix' never ran, its 60-min target (11:00) passed long before the end: late
        assert (o1.rating, o1.value) == ("M", 0.5)
        assert "(1 with its handoff dropped)" in o1.reason
        assert "Objective O1 met (Operational communications)" not in _strengths(report)


def test_an_on_time_share_of_a_procedure_played_to_its_end_is_a_strength() -> None:
    report = _report(1.0)
    assert [h.status for h in report.scores.handoffs] == ["received"]
    [o1] = report.scores.objectives
    assert (o1.rating, o1.value) == ("P", 1.0)
    assert "Objective O1 met (Operational communications)" in _strengths(report)
