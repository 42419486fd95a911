"""``ballotdrill join``: a terminal client for a served live exercise, for any role's token.

Long-polls the role's view and prints what is new (decisions with their time left, messages,
discussion questions; reminders before a decision defaults); commands on stdin, the role's own
(:mod:`ballotdrill.live.joincommands`: a player's ``answer N OPTION``, ``action ACTION [INCIDENT]``,
``discuss INJECT QUESTION TEXT…``; the evaluator's ``note TEXT…``; the facilitator's controls) and
every role's ``status`` (the whole state as tables, with each decision's time left), ``help``, ``quit``.
An answer is shown as accepted only once the server says it is committed.
The connection is retried when it drops (a resumed exercise).
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any, TextIO
from urllib.parse import urlsplit

from ballotdrill.live.joincommands import command_body, usage
from ballotdrill.live.joinscreen import Screen
from ballotdrill.scenarios.errors import BallotdrillError


class Client:
    """HTTP to one served exercise with one token (in the Authorization header only)."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BallotdrillError(f"{url!r} is not a join link; it reads like http://127.0.0.1:8765/")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.token = token

    def call(self, method: str, path: str, body: Any = None, timeout: float = 30.0) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, json.loads(exc.read())
            except ValueError:
                return exc.code, {"detail": exc.reason}


class Follower:
    """Follows the role's view until the exercise ends, showing it on the player's :class:`Screen`."""

    def __init__(self, client: Client, screen: Screen) -> None:
        self.client = client
        self.screen = screen
        self.ended = threading.Event()
        self.joined = False
        self.role = "player"
        """The token's role, from its first view."""

    def say(self, line: str, style: str | None = None) -> None:
        self.screen.say(line, style)

    def run(self) -> None:
        version: int | None = None
        lost = False
        while not self.ended.is_set():
            try:
                status, data = self.client.call("GET", "/api/state" + (f"?since={version}" if version else ""))
            except (OSError, ValueError, http.client.HTTPException):
                if not lost:
                    self.say("connection lost; retrying", "red")
                lost, version = True, None
                time.sleep(1.0)
                continue
            if status in (401, 403):  # the token is refused (or has expired with the exercise): nothing to retry
                self.say(f"error: {_detail(data)}", "red")
                self.ended.set()
                return
            if status != 200:  # stopped (503, a facilitator's Ctrl-C), busy: the exercise may come back (resume)
                if not lost:
                    self.say(f"{_detail(data)}; retrying" if status == 503 else
                             f"server answered HTTP {status}; retrying", "red")
                lost, version = True, None
                time.sleep(1.0)
                continue
            if lost:
                self.say("reconnected", "green")
                lost = False
            version = data["version"]
            view = data["view"]
            if not self.joined:
                self.joined, self.role = True, str(view["role"])
                actions = f"actions: {', '.join(view.get('actions', [])) or 'none'}; " if self.role == "player" else ""
                self.say(f"joined as {view.get('actor') or self.role}: {view['title']} at {view['clock']}; "
                         f"{actions}{usage(self.role)}", "bold")
            self.screen.show(view)
            if view["ended"]:
                self.say("the exercise has ended", "bold")
                self.ended.set()

    def tick(self) -> None:
        """Remind the player of decisions about to default, once a second, until the end."""
        while not self.ended.wait(1.0):
            self.screen.remind()


def join(url: str, token: str, *, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Follow the exercise and send the player's commands until it ends (or ``quit``)."""
    client = Client(url, token)
    try:
        status, data = client.call("GET", "/api/state")
    except (OSError, ValueError, http.client.HTTPException) as exc:  # URLError is an OSError
        reason = getattr(exc, "reason", None) or exc
        raise BallotdrillError(f"{url}: cannot reach the exercise ({reason}); check the join link, and that the "
                               "exercise is being served ('ballotdrill live --serve')") from None
    if status == 401:
        raise BallotdrillError(f"{url}: this token is not valid for this exercise; give your role's own file from "
                               "the run folder's tokens/ folder (--token-file)")
    if status != 200:
        raise BallotdrillError(f"{url}: {_detail(data)} (HTTP {status})")
    follower = Follower(client, Screen(out))
    follower.role = str(data["view"]["role"])
    threading.Thread(target=follower.run, daemon=True).start()
    threading.Thread(target=follower.tick, daemon=True).start()
    threading.Thread(target=_commands, args=(client, follower, stdin), daemon=True).start()
    follower.ended.wait()


def _detail(data: Any) -> str:
    return str(data.get("detail") if isinstance(data, dict) else data)


def _commands(client: Client, follower: Follower, stdin: TextIO) -> None:
    """The role's commands, each answered with one line once the server has committed or refused it."""
    for line in stdin:
        word = line.strip().lower()
        if word == "quit":
            follower.ended.set()
            return
        if word in ("help", "?"):
            follower.say(usage(follower.role))
            continue
        if word == "status":
            try:  # the state now, not as of the last change that concerned this role
                status, data = client.call("GET", "/api/state")
            except (OSError, ValueError, http.client.HTTPException):
                status, data = 0, None
            if status == 200 and isinstance(data, dict):
                follower.screen.show(data["view"])
            follower.screen.status()
            continue
        try:
            command = command_body(line, follower.role)
        except ValueError as exc:
            follower.say(f"error: {exc}", "red")
            continue
        if command is None:
            continue
        answering = str(command[1]["request"]) if command[0] == "/api/answer" else None
        if answering is not None:  # before sending: the view without it may come back before the reply
            follower.screen.answered.add(answering)
        try:
            status, data = client.call("POST", *command)
        except (OSError, http.client.HTTPException) as exc:
            follower.screen.answered.discard(answering or "")
            follower.say(f"error: not sent ({exc}); try again", "red")
            continue
        if status != 200:
            follower.screen.answered.discard(answering or "")
        if status == 200:
            follower.say(f"ok #{data['n']}: {data['message']}", "green")
        else:
            follower.say(f"error: {_detail(data)}", "red")
