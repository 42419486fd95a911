"""A served live exercise stopping: Ctrl-C, clients that go away, oversize messages, a join with no server.

Real processes (``ballotdrill live/resume --serve`` and ``ballotdrill join``) on loopback. What a facilitator
sees is one line, never a traceback; what a player sees is a status it understands, and ``join`` follows the
exercise again once the facilitator resumes it.
"""

from __future__ import annotations

import json
import shlex
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from live_process_helpers import LiveProc, Proc, hostile_file
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from ballotdrill.live.server import CLOSE_STOPPED, PER_TOKEN


def _no_traceback(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "Traceback" not in text and "Exception in ASGI" not in text, text


def test_oversize_or_vanishing_sockets_leave_no_traceback(tmp_path: Path) -> None:
    live = LiveProc(tmp_path / "run", hostile_file(tmp_path), ("alpha", "bravo"))
    try:
        ws_url = live.url.replace("http://", "ws://") + "/api/ws"
        for _ in range(3):
            with connect(ws_url, open_timeout=30, close_timeout=5, max_size=None) as ws:
                ws.send("x" * 20_000)
                with pytest.raises(ConnectionClosed) as closed:
                    ws.recv(timeout=30)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        with connect(ws_url, open_timeout=30) as ws:
            ws.send(json.dumps({"token": live.tokens["alpha"]}))
            ws.recv(timeout=30)  # then gone without a close frame
            ws.socket.close()
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()
    _no_traceback(live.err)


def test_ctrl_c_tells_clients_and_join_follows_the_resumed_exercise(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=10)
    join = Proc(["join", live.url + "/", "--token-file", str(folder / "tokens" / "bravo.token")], tmp_path)
    resumed: LiveProc | None = None
    try:
        join.wait_line(lambda line: line.startswith("joined as bravo"))
        with connect(live.url.replace("http://", "ws://") + "/api/ws", open_timeout=30, close_timeout=5) as ws:
            ws.send(json.dumps({"token": live.tokens["evaluator"]}))
            ws.recv(timeout=30)
            status, first = live.call("GET", "/api/state", "alpha")
            assert status == 200
            polled: list[int | str] = []

            def long_poll() -> None:  # polls again after each 200, until the server answers otherwise
                while True:
                    request = urllib.request.Request(f"{live.url}/api/state?since={first['version'] + 10**6}")
                    request.add_header("Authorization", f"Bearer {live.tokens['alpha']}")
                    try:
                        with urllib.request.urlopen(request, timeout=60):
                            continue
                    except urllib.error.HTTPError as exc:
                        if exc.code == 429:  # the test's own check took the slot for a moment
                            continue
                        polled.append(exc.code)
                    except OSError:  # between two polls when the server stopped listening
                        polled.append("refused")
                    return

            pollers = [threading.Thread(target=long_poll) for _ in range(PER_TOKEN)]
            for poller in pollers:
                poller.start()
            deadline = time.monotonic() + 60
            while live.call("GET", "/api/state", "alpha")[0] != 429:  # every poll is in flight at the server
                assert time.monotonic() < deadline, "the long polls never all reached the server"
            live.interrupt()
            assert live.finish() == 130
            for poller in pollers:
                poller.join(60)
            assert 503 in polled and set(polled) <= {503, "refused"}, polled  # never a 500
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws.recv(timeout=30)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_STOPPED
        _no_traceback(live.err)
        after_serving = live.err[live.err.index(next(x for x in live.err if x.startswith("serving "))) + 1:]
        assert len(after_serving) == 1 and after_serving[0].startswith("interrupted"), after_serving
        port = live.url.rsplit(":", 1)[1]
        said = after_serving[0].split("'")[1]  # the command the line gives, followed as written: served as before
        assert said == f"ballotdrill resume {folder} --serve 127.0.0.1:{port}", after_serving
        join.wait_line(lambda line: "retrying" in line)
        assert not any(line.startswith("error") for line in join.out), join.out

        resumed = LiveProc(folder, tmp_path, (), command=tuple(shlex.split(said)[1:]))
        join.wait_line(lambda line: line == "reconnected")
        resumed.send("inject {message: {to: bravo, text: after the resume}}")
        told = join.wait_line(lambda line: "after the resume" in line)
        assert " from " not in told and "?" not in told, told  # an ad-hoc message has no sender to name
        resumed.send("end")
        assert resumed.finish() == 0
        join.wait_line(lambda line: line == "the exercise has ended")
        assert join.finish() == 0
    finally:
        for proc in (live, join, resumed):
            if proc is not None:
                proc.kill()


def test_join_with_no_server_says_so_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = tmp_path / "bravo.token"
    token.write_text("not-a-real-token\n", encoding="utf-8")
    join = Proc(["join", f"http://127.0.0.1:{port}/", "--token-file", str(token)], tmp_path)
    try:
        assert join.finish() == 2
    finally:
        join.kill()
    assert len(join.err) == 1, join.err
    assert "cannot reach the exercise" in join.err[0] and f"127.0.0.1:{port}" in join.err[0]
