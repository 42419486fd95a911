"""A served live exercise in a background thread (its own asyncio loop, real uvicorn on loopback); an HTTP client."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from live_helpers import example

from ballotdrill.live.core import LiveCore
from ballotdrill.live.rebuild import start_live
from ballotdrill.live.serve import start_server, stop_server
from ballotdrill.live.session import Session


def answer_of(request: urllib.request.Request, timeout: float) -> tuple[int, Any]:
    """The status and the JSON body (or the text, when it is not JSON) of ``request``'s answer, an error's too."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        text = exc.read()
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, text.decode(errors="replace")

class Captured(logging.Handler):
    """Every log record's text, to check that no token is ever logged."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + " " + repr(record.args))


class Served:
    """``ballotdrill live --serve`` of the example in a thread; ``tokens`` by role name (actor, facilitator…)."""

    def __init__(self, folder: Path, *, speed: float = 600.0,
                 played: tuple[str, ...] = ("interior", "monitor"), grace: float = 0.2,
                 stop_at_once: bool = False) -> None:
        self.folder = folder
        self.grace = grace
        self.stop_at_once = stop_at_once
        """Stop as soon as the exercise ends, as a console reading its commands from a file asks."""
        self.core: LiveCore = start_live(folder, example(), "wave", seed=1, played=played, speed=speed)
        self.log = Captured()
        self._ready = threading.Event()
        self.url = ""
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        if not self._ready.wait(30) or self.error is not None:
            raise RuntimeError(f"the server did not start: {self.error!r}")
        roles = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))["roles"]
        self.tokens = {(r["actor"] or r["role"]): r["token"] for r in roles}

    def _run(self) -> None:
        async def main() -> None:
            session = Session(self.core)
            served, _ = await start_server(session, self.folder, access_log=True)
            for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):  # after uvicorn set up its logging
                logging.getLogger(name).addHandler(self.log)
            self.url = served.url.rstrip("/")
            self._ready.set()
            await session.run()
            told = asyncio.Event()
            if self.stop_at_once:
                told.set()
            await stop_server(served, grace=self.grace, until=told)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to the test
            self.error = exc
            self._ready.set()

    def request(self, method: str, path: str, token: str | None = None, body: Any = None,
                raw: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        return answer_of(req, timeout=60)

    def view(self, who: str) -> dict[str, Any]:
        status, data = self.request("GET", "/api/state", self.tokens[who])
        assert status == 200, data
        return data["view"]  # type: ignore[no-any-return]

    def wait_view(self, who: str, predicate: Any, limit: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            current = self.view(who)
            if predicate(current):
                return current
            time.sleep(0.02)
        raise AssertionError(f"{who}'s view never reached the awaited state")

    def close(self) -> None:
        if not self.core.ended:
            self.request("POST", "/api/control", self.tokens["facilitator"], {"command": "end"})
        self.thread.join(30)
        for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):
            logging.getLogger(name).removeHandler(self.log)
