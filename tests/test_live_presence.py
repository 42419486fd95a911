"""Who has joined a served exercise, as the facilitator sees it: the page's sockets, ``join``'s polls, never a token."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from live_server_helpers import Served
from websockets.sync.client import connect

from ballotdrill.live import server
from ballotdrill.live.presence import EVALUATOR_KEY, POLL_FRESH, Presence, seen_text, summary, wall_clock


def _answered(presence: Presence, who: str) -> None:
    """One poll of ``who``, answered at once."""
    presence.poll_ended(who, presence.poll_began(who), answered=True)


class Clocks:
    """A wall clock and a monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1_796_000_000.0

    def wall(self) -> float:
        return self.t

    def mono(self) -> float:
        return self.t - 1_796_000_000.0


def test_a_played_actor_named_evaluator_has_its_own_row_apart_from_the_evaluator_role() -> None:
    clocks = Clocks()
    presence = Presence(["evaluator", "interior"], wall=clocks.wall, mono=clocks.mono)
    heard: list[tuple[str, bool]] = []
    presence.listeners.append(lambda who, joined: heard.append((who, joined)))
    presence.opened("evaluator")  # the played actor's page
    rows = presence.rows()
    assert [(r.who, r.connected) for r in rows] == [("evaluator", True), ("interior", False), ("evaluator role", False)]
    assert presence.waiting() == ["interior"] and heard == [("evaluator", True)]
    _answered(presence, EVALUATOR_KEY)  # the evaluator's own view: its row, not the actor's
    presence.closed("evaluator")
    rows = presence.rows()
    assert [(r.who, r.connected) for r in rows] == [("evaluator", False), ("interior", False), ("evaluator role", True)]
    assert summary(rows).startswith("joined 0 of 2 played roles; evaluator: left ")
    assert [r.who for r in Presence(["interior"]).rows()] == ["interior", "evaluator"]  # no actor of that name


def test_a_role_joins_by_socket_or_poll_and_leaves_when_its_last_socket_closes() -> None:
    clocks = Clocks()
    heard: list[tuple[str, bool]] = []
    presence = Presence(["interior", "monitor"], wall=clocks.wall, mono=clocks.mono)
    presence.listeners.append(lambda who, joined: heard.append((who, joined)))
    assert [r.who for r in presence.rows()] == ["interior", "monitor", "evaluator"]
    assert presence.waiting() == ["interior", "monitor"]
    assert {seen_text(r) for r in presence.rows()} == {"not joined yet"}

    presence.opened("interior")
    presence.opened("interior")  # a second tab: no second "joined"
    clocks.t += 5
    _answered(presence, "monitor")
    _answered(presence, "monitor")
    last_poll = clocks.t
    assert heard == [("interior", True), ("monitor", True)]
    rows = {r.who: r for r in presence.rows()}
    assert rows["interior"].connected and rows["interior"].how == "page"
    assert rows["interior"].since == 1_796_000_000.0 and rows["monitor"].how == "polling"
    assert presence.waiting() == []
    assert summary(presence.rows()).startswith("joined 2 of 2 played roles; interior: joined ")

    presence.closed("interior")
    assert heard[-1] == ("monitor", True)  # one tab still open
    clocks.t += 1
    presence.closed("interior")
    assert heard[-1] == ("interior", False)
    clocks.t += POLL_FRESH + 1  # monitor stopped polling: gone, though nothing told it
    rows = {r.who: r for r in presence.rows()}
    assert not rows["interior"].connected and seen_text(rows["interior"]).startswith("left ")
    assert not rows["monitor"].connected
    assert rows["monitor"].since == last_poll + POLL_FRESH  # when its last poll went stale, not when it joined
    assert summary(presence.rows()).startswith("joined 0 of 2 played roles")


def test_a_long_poll_in_flight_keeps_its_role_joined_and_one_whose_client_went_away_ends_it_at_once() -> None:
    clocks = Clocks()
    heard: list[tuple[str, bool]] = []
    presence = Presence(["monitor"], wall=clocks.wall, mono=clocks.mono)
    presence.listeners.append(lambda who, joined: heard.append((who, joined)))
    _answered(presence, "monitor")
    began = presence.poll_began("monitor")  # the next poll waits for a change
    clocks.t += POLL_FRESH * 10
    assert presence.rows()[0].connected and heard == [("monitor", True)]
    presence.poll_ended("monitor", began, answered=False)  # its client closed the connection before the answer
    gone = presence.rows()[0]
    assert (gone.connected, gone.since, heard[-1]) == (False, clocks.t, ("monitor", False))
    _answered(presence, "monitor")  # it comes back
    assert presence.rows()[0].connected and heard[-1] == ("monitor", True)


def test_a_role_back_after_a_gap_is_reconnected_not_joined_again() -> None:
    clocks = Clocks()
    presence = Presence(["monitor", "interior"], wall=clocks.wall, mono=clocks.mono)
    _answered(presence, "monitor")
    last_poll = clocks.t
    assert seen_text(presence.rows()[0]).startswith("joined ") and not presence.rows()[0].again
    clocks.t += POLL_FRESH + 10  # its polls stopped (nothing told the server), then it polls again
    _answered(presence, "monitor")
    back = presence.rows()[0]
    assert back.connected and back.again and back.since == clocks.t
    assert presence.away["monitor"] == last_poll + POLL_FRESH  # when it was last counted connected
    assert seen_text(back) == f"reconnected {wall_clock(clocks.t)} (polling)"
    presence.opened("interior")
    clocks.t += 1
    presence.closed("interior")
    closed = clocks.t
    clocks.t += 30
    presence.opened("interior")  # the page reconnects its socket
    assert presence.rows()[1].again and presence.away["interior"] == closed
    assert presence.waiting() == []


def test_one_of_two_clients_of_a_role_going_away_leaves_the_role_joined_by_the_other() -> None:
    clocks = Clocks()
    heard: list[tuple[str, bool]] = []
    presence = Presence(["monitor"], wall=clocks.wall, mono=clocks.mono)
    presence.listeners.append(lambda who, joined: heard.append((who, joined)))
    first = presence.poll_began("monitor")  # one terminal's poll waits for a change
    clocks.t += 1
    _answered(presence, "monitor")  # the other terminal's poll is answered; it polls again at once
    presence.poll_ended("monitor", first, answered=False)  # the first terminal is closed
    assert presence.rows()[0].connected and heard == [("monitor", True)]  # never seen to leave and rejoin


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    live = Served(tmp_path / "run")
    assert live.request("POST", "/api/control", live.tokens["facilitator"], {"command": "pause"})[0] == 200
    yield live
    live.close()


def _players(served: Served) -> dict[str, dict[str, object]]:
    return {p["role"]: p for p in served.view("facilitator")["players"]}  # type: ignore[index]


@contextmanager
def _long_poll(served: Served, who: str) -> Iterator[None]:
    """A poll of ``who``'s view waiting for a change, as ``join``'s, until the block ends and its client goes away
    (its connection closed, no answer read)."""
    version = served.request("GET", "/api/state", served.tokens[who])[1]["version"]
    client = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=30)
    client.request("GET", f"/api/state?since={version}", headers={"Authorization": f"Bearer {served.tokens[who]}"})
    try:
        served.wait_view("facilitator", lambda v: {p["role"]: p for p in v["players"]}[who]["connected"])
        yield
    finally:
        client.close()


def test_the_facilitator_sees_who_has_joined_by_page_or_by_join_and_no_token(served: Served) -> None:
    players = _players(served)
    assert set(players) == {"interior", "monitor", "evaluator"}
    assert all(p["text"] == "not joined yet" and not p["connected"] for p in players.values())

    with _long_poll(served, "monitor"), \
            connect(served.url.replace("http://", "ws://") + "/api/ws", open_timeout=30) as ws:  # ``join``; the page
        ws.send(json.dumps({"token": served.tokens["interior"]}))
        ws.recv(timeout=30)
        players = _players(served)
        assert players["interior"]["connected"] and players["interior"]["how"] == "page"
        assert str(players["interior"]["text"]).startswith("joined ")
        assert players["monitor"]["how"] == "polling" and players["monitor"]["connected"]
        assert players["evaluator"]["text"] == "not joined yet"
    served.wait_view("facilitator", lambda v: {p["role"]: p for p in v["players"]}["interior"]["text"]
                     .startswith("left "))

    body = served.request("GET", "/api/state", served.tokens["facilitator"])[1]
    text = json.dumps(body) + "\n".join(served.log.lines)
    assert not any(token in text for token in served.tokens.values())
    assert "players" not in served.view("evaluator") and "players" not in served.view("interior")


def test_a_join_client_that_goes_away_during_its_long_poll_is_shown_gone_at_once(
        served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "LONG_POLL", 600.0)  # its poll would be answered only after ten minutes
    with _long_poll(served, "monitor"):
        assert _players(served)["monitor"]["how"] == "polling"
    served.wait_view("facilitator", lambda v: str({p["role"]: p for p in v["players"]}["monitor"]["text"])
                     .startswith("left "))
