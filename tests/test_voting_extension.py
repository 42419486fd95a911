"""Extended voting hours: a decision that keeps an incident's polling stations open later, and its harm."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import at, file_of, kinds, one, run, to_yaml
from format_helpers import only_problem

from ballotdrill.journal import Contained, Kind, VotingExtended

ACTORS = {"cockpit": {"staff": 1}}
ELECTION = {"opens": "08:00", "closes": {"paper": "14:00", "electronic": "16:00"}}


def day(decide: str, until: str = "18:00", queue: str = "2h") -> dict[str, Any]:
    """A queue of 100 voters at 15:30 (electronic voting closes 16:00) that clears after ``queue``;
    the cockpit decides, after ``decide`` of work, to keep the stations open until ``until``."""
    procedures = {"p": {"trigger": {"type": "voting_delay"},
                        "steps": [{"id": "decide", "actor": "cockpit", "duration": decide,
                                   "effect": {"extend_voting": until}}]}}
    injects = [{"at": "15:30", "incident": {"id": "V1", "type": "voting_delay", "voters": 100,
                                            "voting": "electronic", "duration": queue}}]
    doc = file_of(ACTORS, procedures, injects, end="20:00")
    doc["scenarios"]["s"]["election"] = ELECTION
    return doc


def voter_minutes(events: list[Any]) -> float:
    return float(one(events, Kind.CONTAINED, incident="V1").fields(Contained).voter_minutes or 0.0)


def test_an_extension_decided_before_the_close_counts_the_queue_until_it_has_voted() -> None:
    """Decided at 16:00 for 18:00: the queue (15:30-17:30) counts 100 x 120 = 12,000 voter-minutes."""
    events = run(day("30m"))
    extended = one(events, Kind.VOTING_EXTENDED, incident="V1")
    assert extended.t == at("16:00") and extended.actor == "cockpit" and extended.step == "decide"
    assert extended.fields(VotingExtended) == VotingExtended(procedure="p", until=at("18:00"), previous=at("16:00"))
    assert voter_minutes(events) == pytest.approx(12000.0)


def test_without_an_extension_the_harm_stops_at_the_close() -> None:
    """Decided at 18:30, after the new closing time it names: nothing changes; 100 x 30 = 3,000 (to 16:00)."""
    events = run(day("3h"))
    assert not kinds(events, Kind.VOTING_EXTENDED)
    assert voter_minutes(events) == pytest.approx(3000.0)


@pytest.mark.parametrize("decide", ["31m", "1h30m"])
def test_an_extension_decided_after_the_close_is_journalled_but_keeps_no_voter(decide: str) -> None:
    """Decided at 16:01 or 17:00 for 18:00: the stations had closed at 16:00 (the row is there, as played, with the
    close it was to extend), so the count stops at 16:00: 100 x 30 = 3,000. Decided at 16:00 it is 12,000 (above)."""
    events = run(day(decide))
    extended = one(events, Kind.VOTING_EXTENDED)
    assert extended.fields(VotingExtended) == VotingExtended(procedure="p", until=at("18:00"), previous=at("16:00"))
    assert not extended.fields(VotingExtended).keeps(extended.t)
    assert voter_minutes(events) == pytest.approx(3000.0)


def test_the_extension_ends_the_count_at_its_own_closing_time() -> None:
    """Extended to 17:00 only, the queue clearing at 17:30: 15:30-17:00, 9,000 voter-minutes."""
    assert voter_minutes(run(day("30m", until="17:00"))) == pytest.approx(9000.0)


def test_an_extension_never_brings_the_close_forward() -> None:
    events = run(day("30m", until="15:00"))
    assert not kinds(events, Kind.VOTING_EXTENDED)
    assert voter_minutes(events) == pytest.approx(3000.0)


def test_an_extension_does_nothing_else() -> None:
    doc = day("30m")
    doc["structure"]["procedures"]["p"]["steps"][0]["effect"]["contain"] = 0.5
    problem = only_problem(to_yaml(doc))
    assert "an effect that extends voting ('extend_voting') does nothing else" in problem.message
