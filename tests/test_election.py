"""The election as scenario data: organiser, compulsory voting and polling hours per way of voting."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import at, checked, ended, file_of, incident, kinds, load

from ballotdrill.report.report import assemble
from ballotdrill.scenarios import ScenarioError

JUNE_2024 = {"type": "federal, regional and European", "organiser": "FPS Interior", "compulsory": True,
             "opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}


def _outages(election: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    data = file_of({"desk": {}}, {}, [
        # a closed electronic station 13:00 to 17:00: harm until 16:00, the electronic close (180 station-minutes)
        incident("E1", "13:00", "none", spec={"stations": 1, "voters": 10, "duration": "4h", "voting": "electronic"}),
        # the same on paper: harm until 14:00 (60)
        incident("P1", "13:00", "none", spec={"stations": 1, "voters": 10, "duration": "4h", "voting": "paper"}),
        # no way of voting named: harm until the last close, 16:00 (180)
        incident("A1", "13:00", "none", spec={"stations": 1, "duration": "4h"}),
    ])
    scenario = data["scenarios"]["s"]
    if election is not None:
        scenario["election"] = election
    scenario.update(extra)
    return data


def test_harm_stops_when_its_way_of_voting_closes() -> None:
    events = checked(_outages(JUNE_2024))
    harm = {e.incident: e.data for e in kinds(events, "contained")}
    assert harm["E1"] == {"how": "ended", "voter_minutes": 1800.0, "station_minutes": 180.0}
    assert harm["P1"] == {"how": "ended", "voter_minutes": 600.0, "station_minutes": 60.0}
    assert harm["A1"]["station_minutes"] == 180.0
    started = events[0].data
    assert started["polls"] == [at("08:00"), at("16:00")]
    assert started["closes"] == {"paper": at("14:00"), "electronic": at("16:00")}
    voting = {e.incident: e.data.get("voting") for e in kinds(events, "incident_started")}
    assert voting == {"E1": "electronic", "P1": "paper", "A1": None}


def test_harm_still_open_at_the_end_counts_to_its_close() -> None:
    data = _outages(JUNE_2024)
    for inject in data["scenarios"]["s"]["injects"]:
        del inject["incident"]["duration"]
    events = checked(data)
    assert ended(events).data["harm"]["P1"] == {"voter_minutes": 600.0, "station_minutes": 60.0}
    assert ended(events).data["harm"]["E1"]["station_minutes"] == 180.0


def test_without_closes_every_way_of_voting_closes_with_the_polls() -> None:
    events = checked(_outages({"type": "local", "compulsory": False}, polls={"open": "08:00", "close": "15:00"}))
    harm = {e.incident: e.data["station_minutes"] for e in kinds(events, "contained")}
    assert harm == {"E1": 120.0, "P1": 120.0, "A1": 120.0}
    assert "closes" not in events[0].data


def test_a_one_mode_election_opens_at_the_default_and_closes_when_it_says() -> None:
    model = load(_outages({"closes": {"paper": "13:00"}}, injects=[]))
    assert model.scenarios["s"].polls_window == (7 * 60, 13 * 60)  # clock minutes of day D


@pytest.mark.parametrize(("election", "extra", "problem"), [
    (JUNE_2024, {"polls": {"open": "08:00", "close": "16:00"}},
     r"test\.yaml:\d+:\d+: both 'polls' and 'election' give polling hours; keep one"),
    ({"closes": {"paper": "13:00"}}, {},
     r"test\.yaml:\d+:\d+: incident names voting 'electronic', but the election's 'closes' gives only paper"),
    ({"opens": "09:00", "closes": {"paper": "08:30"}}, {},
     r"test\.yaml:\d+:\d+: .*the election's 'paper' close \(08:30\) must be after the polls open \(09:00\)"),
    ({"closes": {"postal": "13:00"}}, {}, r"test\.yaml:\d+:\d+: 'postal' must be one of 'paper' or 'electronic'"),
    ({"compulsory": "sometimes"}, {}, r"test\.yaml:\d+:\d+: 'compulsory' must be true or false \(got 'sometimes'\)"),
])
def test_bad_elections_are_refused_where_they_are(election: dict[str, Any], extra: dict[str, Any],
                                                  problem: str) -> None:
    with pytest.raises(ScenarioError, match=problem):
        load(_outages(election, **extra))


def test_an_unknown_way_of_voting_on_an_incident_is_refused() -> None:
    data = _outages(JUNE_2024)
    data["scenarios"]["s"]["injects"][0]["incident"]["voting"] = "postal"
    with pytest.raises(ScenarioError, match=r"test\.yaml:\d+:\d+: 'voting' must be one of 'paper' or 'electronic'"):
        load(data)


def test_the_report_overview_names_the_election_and_its_hours() -> None:
    data = _outages(JUNE_2024)
    model = load(data)
    events = checked(data)
    overview = assemble(events, model, "s").overview
    assert overview.election == ("Federal, regional and European elections organised by FPS Interior; "
                                 "voting is compulsory")
    assert overview.polls == "08:00 to 16:00 (paper until 14:00, electronic until 16:00)"
    plain = assemble(checked(_outages(None)), load(_outages(None)), "s").overview
    assert plain.election == "" and plain.polls == "07:00 to 20:00 (default)"
