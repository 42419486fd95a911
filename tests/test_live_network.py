"""Over the network, in real processes: a player joins from the terminal, the server is killed, resume --serve.

``ballotdrill live --serve`` runs in its own process; the player uses ``ballotdrill join``; the
exercise is killed with SIGKILL after the player's answer was acknowledged, then resumed with
``ballotdrill resume --serve`` on the same address: the join client reconnects with the same
token, the answer is still there, the facilitator ends the exercise over HTTP, the report is
written and the journal replays identically.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

from live_helpers import EXAMPLE

from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.live.rebuild import replay_folder
from ballotdrill.live.store import read_inputs


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def _expect(lines: queue.Queue[str], prefix: str, limit: float = 60.0) -> str:
    deadline = time.monotonic() + limit
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if line.startswith(prefix):
            return line
    raise AssertionError(f"no line starting {prefix!r}; got {seen}")


def _spawn(*args: str) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "ballotdrill", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    return proc, lines


def _post(url: str, path: str, token: str, body: object) -> int:
    request = urllib.request.Request(url.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_join_kill_and_resume_serve(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live, live_lines = _spawn("live", "wave", "--file", str(EXAMPLE), "--play", "interior", "--speed", "120",
                              "--serve", "--out", str(folder))
    try:
        line = _expect(live_lines, "serving http://127.0.0.1:")
        # each team gets its own file; tokens.json (every role's, the facilitator's too) is named only to keep
        assert f"hand each team only its own token file from {folder / 'tokens'} " in line
        assert "tokens.json holds every role's, the facilitator's too: keep it" in line
        tokens = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        for role in tokens["roles"]:
            assert role["token"] not in line
        url = tokens["url"]
        facilitator = next(r["token"] for r in tokens["roles"] if r["role"] == "facilitator")
        player, player_lines = _spawn("join", url, "--token-file", str(folder / "tokens" / "interior.token"))
        _expect(player_lines, "joined as interior")
        ask = _expect(player_lines, "ask #1 interior: N1:respond:choose:1")
        assert "options debunk/ignore" in ask
        assert player.stdin is not None
        player.stdin.write("answer 1 panic\n")
        player.stdin.flush()
        assert "not an option" in _expect(player_lines, "error:")
        player.stdin.write("answer 1 debunk\n")
        player.stdin.flush()
        _expect(player_lines, "ok #")
        os.kill(live.pid, signal.SIGKILL)
        live.wait(30)
        answers = [i.input for i in read_inputs(folder / JOURNAL_FILE) if i.input.kind == "answer"]
        assert [a.data["option"] for a in answers] == ["debunk"]  # acknowledged, so committed
        _expect(player_lines, "connection lost")

        port = url.rstrip("/").rsplit(":", 1)[1]
        resumed, resumed_lines = _spawn("resume", str(folder), "--serve", f"127.0.0.1:{port}")
        _expect(resumed_lines, "serving http://127.0.0.1:")
        again = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        assert {r["token"] for r in again["roles"]} == {r["token"] for r in tokens["roles"]}  # everyone rejoins
        _expect(player_lines, "reconnected")
        assert _post(url, "/api/control", facilitator, {"command": "end"}) == 200
        _expect(player_lines, "the exercise has ended")
        assert resumed.wait(60) == 0
        player.wait(30)
    finally:
        for proc in (live, locals().get("player"), locals().get("resumed")):
            if isinstance(proc, subprocess.Popen) and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert (folder / "report.html").is_file()
    made = [e for e in read_events(folder / JOURNAL_FILE) if e.kind == "decision_made" and e.incident == "N1"]
    assert [(e.data["option"], e.data["by"]) for e in made] == [("debunk", "player")]
    assert replay_folder(folder).identical
