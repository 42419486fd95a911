"""Harm counts only while the polls are open, weighted by lost throughput; failed effects are journalled."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import at, checked, ended, file_of, incident, kinds, load, one

from ballotdrill.scenarios import ScenarioError


def _with_polls(data: dict[str, Any], polls: dict[str, str] | None) -> dict[str, Any]:
    if polls is not None:
        data["scenarios"]["s"]["polls"] = polls
    return data


def _outages(polls: dict[str, str] | None) -> dict[str, Any]:
    return _with_polls(file_of({"desk": {}}, {}, [
        # closed station (throughput 0 by default), 15:00 to 17:00, polls close at 16:00: 60 station-minutes
        incident("S1", "15:00", "none", spec={"stations": 1, "voters": 10, "duration": "2h"}),
        # verbal altercation: 90% of the throughput kept, 2 stations, 10:00 to 11:00 -> 2 * 0.1 * 60 = 12
        incident("S2", "10:00", "none", spec={"stations": 2, "throughput": 0.9, "duration": "1h"}),
        # before the polls open (07:00 to 08:30, polls at 08:00): 30 minutes count
        incident("S3", "07:00", "none", spec={"stations": 1, "duration": "1h30m"}),
        # after the polls closed: nothing counts
        incident("S4", "18:00", "none", spec={"stations": 3, "voters": 100}),
    ]), polls)


def test_station_and_voter_minutes_stop_when_the_polls_close_and_weigh_lost_throughput() -> None:
    events = checked(_outages({"open": "08:00", "close": "16:00"}))
    harm = {e.incident: e.data for e in kinds(events, "contained")}
    assert harm["S1"] == {"how": "ended", "voter_minutes": 600.0, "station_minutes": 60.0}
    assert harm["S2"]["station_minutes"] == pytest.approx(12.0)
    assert harm["S3"]["station_minutes"] == 30.0
    assert ended(events).data["harm"]["S4"] == {"voter_minutes": 0.0, "station_minutes": 0.0}
    assert one(events, "incident_started", incident="S1").data["throughput"] == 0.0
    assert events[0].data["polls"] == [at("08:00"), at("16:00")]


def test_default_polling_hours_are_07_to_20() -> None:
    events = checked(_outages(None))
    harm = {e.incident: e.data for e in kinds(events, "contained")}
    assert harm["S1"]["station_minutes"] == 120.0  # 15:00-17:00, all inside 07:00-20:00
    assert harm["S3"]["station_minutes"] == 90.0
    assert events[0].data["polls"] == [at("07:00"), at("20:00")]


def test_polls_closing_before_they_open_is_refused_with_its_place() -> None:
    data = _with_polls(file_of({"desk": {}}, {}, []), {"open": "16:00", "close": "08:00"})
    problem = r"test\.yaml:\d+:\d+: .*polls 'close' \(08:00\) must be after 'open' \(16:00\)"
    with pytest.raises(ScenarioError, match=problem):
        load(data)


def test_a_containing_effect_that_fails_its_draw_is_journalled() -> None:
    data = file_of({"desk": {"staff": 5}}, {"p": {"trigger": {"type": "x"}, "steps": [
        {"id": "try", "actor": "desk", "duration": "10m", "effect": {"contain": 0.5}}]}},
        [incident(f"X{n}", "10:00", "x") for n in range(1, 21)])
    events = checked(data)
    failed = kinds(events, "effect_failed")
    contained = {e.incident for e in kinds(events, "contained")}
    assert failed and contained, "with p = 0.5 over 20 incidents both outcomes happen"
    for e in failed:
        assert (e.actor, e.step, e.data) == ("desk", "try", {"procedure": "p", "contain": 0.5})
        assert e.incident not in contained
    assert {e.incident for e in failed} | contained == {f"X{n}" for n in range(1, 21)}
