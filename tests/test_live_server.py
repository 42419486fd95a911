"""The live server on loopback: every endpoint × role, confinement, payload validation, limits, no token in logs."""

from __future__ import annotations

import json
import os
import socket
import stat
import time
from collections.abc import Iterator

import pytest
from live_server_helpers import Served

from ballotdrill.live import server
from ballotdrill.live.server import MAX_BODY, PER_TOKEN, ROUTES

ROLES = ("interior", "monitor", "facilitator", "evaluator")
ROLE_OF = {"interior": "player", "monitor": "player", "facilitator": "facilitator", "evaluator": "evaluator"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    live = Served(tmp_path_factory.mktemp("served") / "run")
    # Hold the exercise where the interior desk has a decision open and N1's question is out.
    live.wait_view("interior", lambda v: v["requests"] and v["questions"])
    status, _ = live.request("POST", "/api/control", live.tokens["facilitator"], {"command": "pause"})
    assert status == 200
    yield live
    live.close()


def _body(path: str, served: Served, who: str) -> object:
    """A valid body for ``path`` as ``who`` would send it (None for GET)."""
    if path == "/api/answer":
        request = served.view("interior")["requests"][0]["key"] if who == "interior" else "N1:respond:choose:1"
        return {"request": request, "option": "debunk"}
    return {
        "/api/action": {"action": "convene"},
        "/api/discuss": {"inject": "N1", "question": 1, "text": f"{who} thinks we should debunk"},
        "/api/note": {"text": f"observation by {who}"},
        "/api/control": {"command": "resume"},
        "/api/speed": {"speed": 600},
        "/api/inject": {"text": "{message: {to: interior, text: Minister calls}}"},
        "/api/send-now": {"inject": "N2"},
    }.get(path)


def test_tokens_file_is_private_and_no_token_reaches_a_log(served: Served) -> None:
    for path in [served.folder / "tokens.json", *(served.folder / "tokens").iterdir()]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    served.view("interior")
    assert served.log.lines, "the access log is on in this test"
    for line in served.log.lines:
        for token in served.tokens.values():
            assert token not in line


@pytest.mark.parametrize("path", list(ROUTES))
def test_every_endpoint_refuses_no_token_and_a_bad_token(served: Served, path: str) -> None:
    method, _ = ROUTES[path]
    body = _body(path, served, "interior")
    assert served.request(method, path, None, body)[0] == 401
    assert served.request(method, path, "not-a-token", body)[0] == 401
    assert served.request(method, path, served.tokens["interior"] + "x", body)[0] == 401


@pytest.mark.parametrize("path", list(ROUTES))
@pytest.mark.parametrize("who", ROLES)
def test_every_endpoint_by_every_role(served: Served, path: str, who: str) -> None:
    method, allowed = ROUTES[path]
    before = served.core.count
    status, data = served.request(method, path, served.tokens[who], _body(path, served, who))
    if ROLE_OF[who] not in allowed:
        assert status == 403, data
        assert served.core.count == before
        return
    if path == "/api/answer" and who == "monitor":
        assert status == 409 and "no decision request" in data["detail"]  # another player's request
        assert "interior" not in data["detail"]  # whose it is stays unsaid
        return
    if path == "/api/action" and who == "interior":
        assert status == 409 and "has no action 'convene'" in data["detail"]  # not this actor's action
        return
    assert 200 <= status < 300, data
    if path == "/api/control":  # resumed: pause again so the next tests find the same state
        assert served.request("POST", "/api/control", served.tokens["facilitator"], {"command": "pause"})[0] == 200


def test_a_player_sees_only_its_own_traffic(served: Served) -> None:
    interior, monitor = served.view("interior"), served.view("monitor")
    assert interior["actor"] == "interior" and monitor["actor"] == "monitor"
    assert all(r["actor"] == "interior" for r in interior["requests"]) and not monitor["requests"]
    assert "journal" not in interior and "desks" not in interior
    facilitator = served.view("facilitator")
    assert facilitator["journal"] and facilitator["desks"]


@pytest.mark.parametrize(("raw", "status"), [
    (b"{not json", 422),
    (b'{"request": 1, "option": "debunk"}', 422),  # a number where text is expected
    (b'{"request": "1", "option": "debunk", "extra": true}', 422),
    (b'{"request": "1"}', 422),
    (b'{"request": "1", "option": "panic"}', 409),  # not an option offered
    (b'{"request": "' + b"x" * (MAX_BODY + 10) + b'", "option": "debunk"}', 413),
])
def test_malformed_and_oversized_payloads_change_nothing(served: Served, raw: bytes, status: int) -> None:
    before = served.core.count
    code, data = served.request("POST", "/api/answer", served.tokens["interior"], raw=raw)
    assert code == status, data
    assert isinstance(data, dict) and data.get("detail")
    assert served.core.count == before


@pytest.mark.parametrize(("path", "who", "raw", "kind", "where"), [
    ("/api/speed", "facilitator", b'{"speed": 1e309}', "application/json", "body.speed"),  # JSON cannot hold it
    ("/api/speed", "facilitator", b'{"speed": "fast"}', "application/json", "body.speed"),
    ("/api/note", "evaluator", bytes(range(128, 256)) * 4, "application/octet-stream", "body"),  # not UTF-8
    ("/api/note", "facilitator", b"\xff\xfe{}", "text/plain", "body"),
    ("/api/discuss", "interior", b'{"inject": "N1", "question": 99999999999999999999999, "text": "x"}',
     "application/json", "body.question"),
    ("/api/note", "facilitator", b'{"text": "x", "text": "y"}', "application/json", "body: the key 'text' appears"),
    ("/api/note", "facilitator", b"[" * 3000 + b"]" * 3000, "application/json", "body: nested too deeply"),
])
def test_a_payload_of_the_wrong_type_or_bytes_is_one_line_422_not_a_server_error(
        served: Served, path: str, who: str, raw: bytes, kind: str, where: str) -> None:
    before, logged = served.core.count, len(served.log.lines)
    code, data = served.request("POST", path, served.tokens[who], raw=raw, headers={"Content-Type": kind})
    assert code == 422, data
    assert isinstance(data, dict) and isinstance(data["detail"], str) and "\n" not in data["detail"]
    assert data["detail"].startswith(where), data["detail"]
    assert served.core.count == before
    assert not [line for line in served.log.lines[logged:] if "Exception" in line or "Traceback" in line]


def test_a_json_body_sent_as_a_form_is_read_as_json(served: Served) -> None:
    """``curl -d '{…}'`` says its body is a form; the API's bodies are JSON whatever the header says."""
    before = served.core.count
    code, data = served.request("POST", "/api/note", served.tokens["facilitator"], raw=b'{"text": "sent by curl"}',
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert code == 200, data
    assert served.core.count == before + 1


def test_too_many_requests_at_once_from_one_token(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "LONG_POLL", 60.0)  # the polls stay in flight however slow this machine is
    token = served.tokens["evaluator"]
    version = served.request("GET", "/api/state", token)[1]["version"]
    host, port = served.url.removeprefix("http://").rsplit(":", 1)
    polls = []
    for _ in range(PER_TOKEN):  # long polls held open on their own connections
        sock = socket.create_connection((host, int(port)), timeout=60)
        sock.sendall(f"GET /api/state?since={version} HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {token}\r\n\r\n".encode())
        polls.append(sock)
    codes = []
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:  # until the server has them all in flight
        codes.append(served.request("GET", "/api/state", token)[0])
        if codes[-1] == 429:
            break
        time.sleep(0.2)
    assert codes[-1] == 429 and set(codes) <= {200, 429}, codes
    assert served.request("GET", "/api/state", served.tokens["facilitator"])[0] == 200  # other tokens unaffected
    served.request("POST", "/api/note", served.tokens["facilitator"], {"text": "wake the polls"})
    for sock in polls:
        assert sock.recv(64).startswith(b"HTTP/1.1 200")
        sock.close()


def test_a_reconnecting_player_gets_its_pending_state_back(served: Served) -> None:
    first = served.view("interior")
    again = served.view("interior")  # a new connection, no 'since': the whole state
    assert again["requests"] == first["requests"] and again["questions"] == first["questions"]


def test_the_page_and_its_files_are_served_without_a_token(served: Served) -> None:
    import urllib.request

    for path in ("/", "/static/app.js", "/static/app.css"):
        with urllib.request.urlopen(served.url + path, timeout=30) as response:
            assert response.status == 200
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            text = response.read().decode()
            assert "http://" not in text and "https://" not in text  # nothing from a CDN
    assert served.request("GET", "/static/../tokens.json")[0] == 404


def test_the_server_survives_garbage_and_slow_clients(served: Served) -> None:
    host, port = served.url.removeprefix("http://").rsplit(":", 1)
    slow = []
    for payload in (b"\x00\xff garbage \r\n\r\n", b"GET /api/state HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70000,
                    b"POST /api/answer HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(payload)
        slow.append(sock)  # left open: a client that stops half way
    for _ in range(20):
        status, _ = served.request("GET", "/api/state", served.tokens["evaluator"])
        assert status == 200
    for sock in slow:
        sock.close()


def test_a_post_body_is_parsed_once(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    text = f"parsed once {time.monotonic()}"
    body = json.dumps({"text": text}).encode()
    parsed: list[object] = []
    loads = json.loads

    def counted(data: object, *args: object, **kwargs: object) -> object:
        if data in (body, body.decode()):
            parsed.append(data)
        return loads(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(json, "loads", counted)
    for content_type in ("application/json", "application/x-www-form-urlencoded"):  # curl -d: read as JSON too
        parsed.clear()
        status, answer = served.request("POST", "/api/note", served.tokens["evaluator"], raw=body,
                                        headers={"Content-Type": content_type})
        assert status == 200, answer
        assert len(parsed) == 1, content_type
    monkeypatch.undo()
    status, answer = served.request("POST", "/api/note", served.tokens["evaluator"], raw=b'{"text": "a", "text": "b"}')
    assert status == 422 and "appears twice" in answer["detail"]
    status, answer = served.request("POST", "/api/note", served.tokens["evaluator"], raw=b'{"text": ')
    assert status == 422 and answer["detail"].startswith("body.")


def test_a_role_refused_is_named_with_its_article(served: Served) -> None:
    status, body = served.request("POST", "/api/answer", served.tokens["evaluator"], {"request": "1", "option": "x"})
    assert status == 403 and body["detail"].startswith("an evaluator may not do this (only: player)"), body
    status, body = served.request("POST", "/api/speed", served.tokens["evaluator"], {"speed": 60})
    assert status == 403 and body["detail"].startswith("an evaluator may not do this"), body
    status, body = served.request("POST", "/api/speed", served.tokens["facilitator"], {"speed": 1e-300})
    assert status == 422 and "body.speed" in body["detail"] and "0.01" in body["detail"], body
