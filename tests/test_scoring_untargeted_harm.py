"""Harm on a measure no objective of the exercise sets a target on is still a finding when it is large by the run's
own measure (at least a quarter of the run's total of it): a harm nobody set a target for is the one a director most
needs to hear of. Before, such a measure had no bar, and the harm was told only in the incident table. Worked by hand
on a tiny scenario.

Polls 08:00-12:00. X (one polling station) at 09:00: 'fix' (30 min, contains for certain) contains it at 09:30, 30
station-minutes. Y (one station, nothing responds to it) at 09:00 ends by itself after ``y_lasts``. O1 rates X's
time to containment; no objective sets a target on station-minutes."""

from __future__ import annotations

from engine_helpers import checked, file_of, load

from ballotdrill.report.build import laid_out
from ballotdrill.report.render_md import render_markdown
from ballotdrill.report.report import Report, assemble
from ballotdrill.scoring.areas import Finding


def _report(y_lasts: str, rate_y_voters: bool = False, y_at: str = "09:00", fix: str = "30m",
            y_voters: bool = False) -> Report:
    """The run (see the module); ``y_voters``: Y also keeps 10 voters from voting; ``rate_y_voters``: and O2 rates
    its voter-minutes; ``y_at``: when Y begins; ``fix``: how long 'fix' takes."""
    y = {"id": "Y", "title": "Strike at the town hall", "type": "strike", "stations": 1, "duration": y_lasts,
         **({"voters": 10} if y_voters or rate_y_voters else {})}
    data = file_of({"desk": {"name": "Desk", "staff": 1}},
                   {"p": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "fix", "actor": "desk", "duration": fix, "effect": {"contain": 1.0}}]}},
                   [{"at": "09:00", "incident": {"id": "X", "type": "outage", "stations": 1},
                     "detected_by": {"actor": "desk", "after": "0m"}},
                    {"at": y_at, "incident": y, "detected_by": {"actor": "desk", "after": "0m"}}],
                   end="12:00")
    data["scenarios"]["s"]["polls"] = {"open": "08:00", "close": "12:00"}
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X started to incident X contained"}, "target": "1h"},
        *([{"id": "O2", "capability": "Voting", "measure": {"voter_minutes": "Y"}, "target": 100000}]
          if rate_y_voters else [])]
    return assemble(checked(data), load(data), "s")


def _unmeasured(report: Report) -> list[Finding]:
    return [f for f in report.analysis.improvements if f.cause == "unmeasured"]


def test_large_harm_on_a_measure_no_objective_sets_a_target_on_is_a_finding() -> None:
    # Y closes its station 09:00-11:30: 150 station-minutes of the run's 180 (83.3 %); X's 30 (16.7 %) is not large
    report = _report("2h30m")
    [found] = _unmeasured(report)
    assert found.title == "Harm no objective measures: Y cost 150 station-minutes"
    assert found.detail == (
        "Y (Strike at the town hall) cost 150 station-minutes: 83% of the run's station-minutes, a measure no "
        "objective of the exercise sets a target on. It began at 09:00 and was detected at once by Desk; it ended by "
        "itself at 11:30, 2 h 30 min after it began, before any response contained it.")
    assert found.recommendation == ("Give Y's station-minutes an objective of its own (a target on station-minutes, "
                                    "which none sets), so the exercise rates the response to it")
    assert (found.weight, found.priority, found.lever, found.responsible) == (0.0, 4, "harm:Y",
                                                                              "Exercise planning team")
    assert report.analysis.key.unmeasured_text == found.detail
    assert f"- **Harm no objective measures:** {found.detail}" in render_markdown(laid_out(report))


def test_its_share_is_told_on_its_side_of_all() -> None:
    # Y 08:00-12:00 (the close): 240 of the run's 241 station-minutes (X's 'fix' takes 1 min): 99.59 %, never "100%"
    [found] = _unmeasured(_report("4h", y_at="08:00", fix="1m"))
    assert "cost 240 station-minutes: 99.6% of the run's station-minutes" in found.detail


def test_two_untargeted_measures_of_one_incident_are_told_together() -> None:
    # Y also keeps 10 voters from voting, and no objective rates them: 1,500 voter-minutes, all of the run's
    report = _report("2h30m", y_voters=True)
    [found] = _unmeasured(report)
    assert found.detail.startswith(
        "Y (Strike at the town hall) cost 1,500 voter-minutes and cost 150 station-minutes: 100% of the run's "
        "voter-minutes and 83% of the run's station-minutes, measures no objective of the exercise sets a target on. "
        "It began at 09:00")
    assert found.recommendation.startswith("Give Y's voter-minutes and station-minutes an objective of its own (a "
                                           "target on voter-minutes and station-minutes, which none sets)")


def test_small_untargeted_harm_is_no_finding() -> None:
    # Y lasts 5 min: 5 of the run's 35 station-minutes (14 %); X's 30 (86 %) is large, but O1 rates X's response…
    # …to its containment, not its harm: X is the finding, Y is not
    [found] = _unmeasured(_report("5m"))
    assert found.title == "Harm no objective measures: X cost 30 station-minutes"


def test_an_incident_whose_harm_an_objective_rates_on_another_measure_is_not_told_again() -> None:
    # O2 rates Y's voter-minutes: its station-minutes are the same harm seen per station, and are rated through it
    assert not _unmeasured(_report("2h30m", rate_y_voters=True))
