"""The views' WebSocket on a real server on loopback: token in the first message, role confinement, limits, expiry."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server_helpers import Served
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from ballotdrill.live.server import CLOSE_AUTH, CLOSE_BUSY, SOCKETS_PER_TOKEN


def _socket(served: Served) -> ClientConnection:
    return connect(served.url.replace("http://", "ws://") + "/api/ws", open_timeout=30, close_timeout=5)


def _hello(ws: ClientConnection, token: str) -> dict[str, Any]:
    """Send the token; the first view that comes back."""
    ws.send(json.dumps({"token": token}))
    return json.loads(ws.recv(timeout=30))  # type: ignore[no-any-return]


def _close_code(ws: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=30)
    return closed.value.rcvd.code if closed.value.rcvd else None


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    live = Served(tmp_path_factory.mktemp("ws") / "run")
    live.wait_view("interior", lambda v: v["requests"])
    assert live.request("POST", "/api/control", live.tokens["facilitator"], {"command": "pause"})[0] == 200
    yield live
    live.close()


def test_a_player_socket_carries_only_that_players_view(served: Served) -> None:
    with _socket(served) as ws:
        first = _hello(ws, served.tokens["interior"])
        view = first["view"]
        assert view["role"] == "player" and view["actor"] == "interior"
        assert {r["actor"] for r in view["requests"]} <= {"interior"}
        assert "journal" not in view and "injects" not in view  # the facilitator's timeline stays with them
        assert first == served.request("GET", "/api/state", served.tokens["interior"])[1]


def test_a_socket_gets_each_new_version_as_it_is_committed(served: Served) -> None:
    with _socket(served) as ws:
        first = _hello(ws, served.tokens["evaluator"])
        assert served.request("POST", "/api/note", served.tokens["evaluator"], {"text": "seen on the socket"})[0] == 200
        later = json.loads(ws.recv(timeout=30))
        assert later["version"] > first["version"]
        assert any("seen on the socket" in line for line in later["view"]["journal"])


@pytest.mark.parametrize("hello", ["", "not json", json.dumps({"token": "wrong"}), json.dumps(["token"]),
                                   json.dumps({"token": 7})])
def test_a_socket_without_a_valid_token_is_closed_with_4401(served: Served, hello: str) -> None:
    with _socket(served) as ws:
        ws.send(hello)
        assert _close_code(ws) == CLOSE_AUTH


def test_a_socket_that_never_says_hello_is_closed(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    from ballotdrill.live import server

    monkeypatch.setattr(server, "HELLO", 0.5)
    with _socket(served) as ws:
        assert _close_code(ws) == CLOSE_AUTH


def test_sockets_per_token_are_bounded(served: Served) -> None:
    with contextlib.ExitStack() as stack:
        for _ in range(SOCKETS_PER_TOKEN):
            _hello(stack.enter_context(_socket(served)), served.tokens["monitor"])
        with _socket(served) as extra:
            extra.send(json.dumps({"token": served.tokens["monitor"]}))
            assert _close_code(extra) == CLOSE_BUSY
        with _socket(served) as other:  # another token is unaffected
            assert _hello(other, served.tokens["interior"])["view"]["actor"] == "interior"


def test_an_oversized_message_closes_the_socket_and_changes_nothing(served: Served) -> None:
    before = served.core.count
    with _socket(served) as ws:
        ws.send(json.dumps({"token": "x" * 100_000}))
        assert _close_code(ws) == 1009  # message too big
    assert served.core.count == before


def test_no_token_reaches_the_access_log_over_sockets(served: Served) -> None:
    with _socket(served) as ws:
        _hello(ws, served.tokens["facilitator"])
    assert served.log.lines
    for line in served.log.lines:
        for token in served.tokens.values():
            assert token not in line


def test_tokens_expire_with_the_exercise(tmp_path: Path) -> None:
    live = Served(tmp_path / "run", grace=10.0)  # the server stays up a while after the end, as clients fetch it
    try:
        with _socket(live) as ws:
            _hello(ws, live.tokens["interior"])
            assert live.request("POST", "/api/control", live.tokens["facilitator"], {"command": "end"})[0] == 200
            final = None
            with pytest.raises(ConnectionClosed) as closed:
                while True:  # the socket gets the ended view, then a normal close
                    final = json.loads(ws.recv(timeout=30))
            assert final is not None and final["view"]["ended"]
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
        for who in ("interior", "monitor", "facilitator", "evaluator"):
            status, data = live.request("GET", "/api/state", live.tokens[who])
            assert status == 200 and data["view"]["ended"], (who, status)  # the final state, to read
            status, data = live.request("POST", "/api/note", live.tokens[who], {"text": "too late"})
            assert status == 401 and "expired" in data["detail"], (who, status, data)
        status, data = live.request("POST", "/api/answer", live.tokens["interior"], {"request": "1", "option": "x"})
        assert status == 401 and "expired" in data["detail"]
        with _socket(live) as late:  # a late socket gets the final view, then the normal close
            assert _hello(late, live.tokens["evaluator"])["view"]["ended"]
            assert _close_code(late) == 1000
    finally:
        live.close()
