"""Who has joined a served exercise: each played actor (and the evaluator), connected now or not, and since when.

The server reports every WebSocket opened and closed and every long poll, by role and actor (never by token);
the facilitator's console and view read :meth:`Presence.rows`. A page holds a WebSocket, so it is connected
while the socket is open; ``join`` long-polls, so it counts as connected while a poll of its is in flight and for
:data:`POLL_FRESH` seconds after one is answered. A poll whose client went away before its answer (the server
hears the connection close) ends its connection at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

POLL_FRESH = 3.0
"""Seconds after its last poll was answered a polling client still counts as connected: ``join`` and the page poll
again at once (a second after an error), so a client that has not polled for longer has gone."""

EVALUATOR_KEY = "(evaluator)"
"""The evaluator role's key: in parentheses, never an actor's id, so a played actor named ``evaluator`` has a row
of its own."""


class Seen(NamedTuple):
    """One role's presence: whether a client of it is connected now, since when (wall clock), how."""

    who: str
    """The played actor, or ``evaluator`` (``evaluator role`` when a played actor is named ``evaluator``)."""
    connected: bool
    since: float | None
    """Unix time this connection began (connected), or the last one ended (gone); None: never joined."""
    how: str
    """``page`` (a WebSocket), ``polling`` (``join`` or a page without a socket), ``gone`` (it left), or empty
    (never joined)."""
    key: str
    """The played actor, or :data:`EVALUATOR_KEY`: what the server reports and the listeners hear."""
    again: bool = False
    """Connected again after a gap (it had joined before): ``since`` is when it came back."""


class Presence:
    """Connections by role (a played actor's id, or :data:`EVALUATOR_KEY`); ``listeners`` hear ``(key, joined)`` when a
    role joins or its last socket closes."""

    def __init__(self, played: Iterable[str], *, wall: Callable[[], float] = time.time,
                 mono: Callable[[], float] = time.monotonic) -> None:
        self.order = (*dict.fromkeys(played), EVALUATOR_KEY)
        self.names = {EVALUATOR_KEY: "evaluator role" if "evaluator" in self.order else "evaluator"}
        self.wall, self.mono = wall, mono
        self.sockets: dict[str, int] = {}
        self.polling: dict[str, int] = {}
        """Polls of each role in flight."""
        self.polled: dict[str, float] = {}
        """Monotonic time each role's last poll was answered."""
        self.polled_wall: dict[str, float] = {}
        """Unix time of each role's last poll: a client that stops polling left :data:`POLL_FRESH` s after it."""
        self.since: dict[str, float] = {}
        self.left: dict[str, float] = {}
        self.away: dict[str, float] = {}
        """Roles connected again after a gap (a poll's freshness ran out, a socket closed): when they were last
        connected before it (Unix time). A reconnection is not a second join."""
        self.listeners: list[Callable[[str, bool], None]] = []

    def _connected(self, who: str) -> bool:
        return (self.sockets.get(who, 0) > 0 or self.polling.get(who, 0) > 0
                or self.mono() - self.polled.get(who, -POLL_FRESH * 2) < POLL_FRESH)

    def _changed(self, who: str, joined: bool) -> None:
        if joined:
            if who in self.since:  # it had joined before: back after a gap
                self.away[who] = self._gone_at(who) or self.since[who]
            self.since[who] = self.wall()
        else:
            self.left[who] = self.wall()
        for listen in self.listeners:
            listen(who, joined)

    def opened(self, who: str) -> None:
        """A WebSocket of ``who`` was accepted (its token checked)."""
        was = self._connected(who)
        self.sockets[who] = self.sockets.get(who, 0) + 1
        if not was:
            self._changed(who, True)

    def closed(self, who: str) -> None:
        """A WebSocket of ``who`` closed."""
        self.sockets[who] = max(0, self.sockets.get(who, 0) - 1)
        if not self._connected(who):
            self._changed(who, False)

    def poll_began(self, who: str) -> float:
        """``who`` asked for its view over HTTP (``GET /api/state``); returns the poll's start, for
        :meth:`poll_ended`."""
        was = self._connected(who)
        self.polling[who] = self.polling.get(who, 0) + 1
        if not was:
            self._changed(who, True)
        return self.mono()

    def poll_ended(self, who: str, began: float, *, answered: bool) -> None:
        """The poll of ``who`` begun at ``began`` was answered, or (``answered`` false) its client went away before
        the answer."""
        self.polling[who] = max(0, self.polling.get(who, 0) - 1)
        if answered:
            self.polled[who] = self.mono()
            self.polled_wall[who] = self.wall()
        elif self.polled.get(who, began) <= began:  # gone now, unless another client of the role was answered since
            self.polled.pop(who, None)
            self.polled_wall.pop(who, None)
        if not self._connected(who):
            self._changed(who, False)

    def rows(self) -> list[Seen]:
        """Every role in order (played actors, then the evaluator), as of now."""
        out = []
        for who in self.order:
            if self._connected(who):
                out.append(Seen(self.names.get(who, who), True, self.since.get(who),
                                "page" if self.sockets.get(who) else "polling", who, who in self.away))
            else:
                out.append(Seen(self.names.get(who, who), False, self._gone_at(who),
                                "" if who not in self.since else "gone", who))
        return out

    def _gone_at(self, who: str) -> float | None:
        """When ``who``'s last connection ended: its last socket's close, or its last poll's freshness running out,
        whichever came later (None: never joined)."""
        ends = [t for t in (self.left.get(who), self.polled_wall.get(who)) if t is not None]
        if who in self.polled_wall:
            ends[-1] += POLL_FRESH
        return max(ends, default=self.since.get(who))

    def waiting(self) -> list[str]:
        """Played actors no client has ever joined as."""
        return [who for who in self.order if who != EVALUATOR_KEY and who not in self.since]


def wall_clock(t: float) -> str:
    """A Unix time as the facilitator's local ``HH:MM:SS``."""
    return time.strftime("%H:%M:%S", time.localtime(t))


def seen_text(seen: Seen) -> str:
    """One role's presence in a few words: ``joined 07:31:02 (page)``, ``reconnected 07:42:30 (polling)``,
    ``left 07:40:11``, ``not joined yet``."""
    if seen.since is None:
        return "not joined yet"
    if seen.connected:
        return f"{'reconnected' if seen.again else 'joined'} {wall_clock(seen.since)} ({seen.how})"
    return f"left {wall_clock(seen.since)}"


def summary(rows: list[Seen]) -> str:
    """The console's ``who`` line: who is connected, who left, who has not joined."""
    players = [r for r in rows if r.key != EVALUATOR_KEY]
    joined = sum(r.connected for r in players)
    parts = [f"{r.who}: {seen_text(r)}" for r in rows]
    return f"joined {joined} of {len(players)} played roles; " + "; ".join(parts)
