"""A real ``ballotdrill live --serve`` process on loopback (a free port), its output lines, and an HTTP client."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from live_server_helpers import answer_of

HOSTILE = """\
version: 1
structure:
  actors:
    alpha: {name: "Alpha [bold]Desk[/bold]", staff: 1, actions: [convene]}
    bravo: {name: Bravo, staff: 1, actions: [convene]}
  channels:
    phone: {latency: {dist: fixed, value: 1m}}
  default_channel: phone
  procedures:
    respond:
      trigger: {type: disinformation}
      steps:
        - {id: assess, actor: alpha, duration: {dist: fixed, value: 2m}}
        - id: choose
          actor: bravo
          decision:
            options: {debunk: {next: publish}, ignore: {next: end}}
            default: ignore
            timeout: 200m
        - {id: publish, actor: alpha, duration: {dist: fixed, value: 5m}, effect: {contain: 1.0}}
    platform:
      trigger: {action: convene}
      steps:
        - {id: meet, actor: alpha, duration: {dist: fixed, value: 5m}}
scenarios:
  hostile:
    title: "Hostile [bold]x[/bold] \\x1b]0;pwn\\x07"
    start: "08:00"
    end: "12:00"
    injects:
      - {id: N1, at: "08:01", incident: {id: N1, type: disinformation, severity: 2,
         reach: {initial: 100, doubling: 30m, cap: 100000}}, questions: ["Who [bold]speaks[/bold]?"]}
"""
"""Two agencies: bravo is asked to decide on N1 (alpha assesses it); alpha is asked N1's question."""


class Proc:
    """A ballotdrill process with stdin open; its stdout and stderr lines are collected as they come."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self.proc = subprocess.Popen([sys.executable, "-m", "ballotdrill", *args], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", errors="replace", bufsize=1)
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._readers = [threading.Thread(target=self._read, args=(s, into), daemon=True)
                         for s, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: Any, into: list[str]) -> None:
        for line in stream:
            with self.changed:
                into.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_line(self, predicate: Callable[[str], bool], *, err: bool = False, limit: float = 60.0) -> str:
        """The first line of stdout (stderr) that ``predicate`` accepts, waiting up to ``limit`` seconds."""
        lines = self.err if err else self.out
        deadline = time.monotonic() + limit
        with self.changed:
            while True:
                found = next((line for line in lines if predicate(line)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not any(r.is_alive() for r in self._readers)):
                    raise AssertionError(f"no such line; stdout {self.out[-20:]!r}, stderr {self.err[-20:]!r}")
                self.changed.wait(min(left, 0.2))

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def interrupt(self) -> None:
        os.kill(self.proc.pid, signal.SIGINT)

    def finish(self, limit: float = 60.0) -> int:
        """The exit status (stdin closed first); the output readers have read everything."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            code = self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        for reader in self._readers:
            reader.join(10)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class LiveProc(Proc):
    """``ballotdrill live … --serve 127.0.0.1:0 --out FOLDER``: tokens by name once the server listens."""

    def __init__(self, folder: Path, scenario: Path, played: tuple[str, ...], *, speed: float = 60.0,
                 extra: tuple[str, ...] = (), command: tuple[str, ...] | None = None) -> None:
        args = list(command) if command is not None else [
            "live", "--file", str(scenario), "--speed", f"{speed:g}", "--out", str(folder),
            *(f"--play={actor}" for actor in played), *extra, "--serve", "127.0.0.1:0"]
        super().__init__(args, folder.parent)
        self.folder = folder
        self.wait_line(lambda line: line.startswith("serving "), err=True)
        data = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
        self.url = str(data["url"]).rstrip("/")
        self.tokens = {(r["actor"] or r["role"]): r["token"] for r in data["roles"]}

    def call(self, method: str, path: str, who: str | None = None, body: Any = None,
             timeout: float = 30.0) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if who is not None:
            request.add_header("Authorization", f"Bearer {self.tokens[who]}")
        return answer_of(request, timeout)

    def wait_view(self, who: str, predicate: Callable[[dict[str, Any]], bool], limit: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + limit
        version: int | None = None
        while time.monotonic() < deadline:
            status, data = self.call("GET", "/api/state" + (f"?since={version}" if version else ""), who)
            assert status == 200, data
            if predicate(data["view"]):
                return data["view"]  # type: ignore[no-any-return]
            version = data["version"]
        raise AssertionError(f"{who}'s view never reached the awaited state")


def hostile_file(folder: Path) -> Path:
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path
