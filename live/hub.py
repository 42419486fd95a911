"""The roles' outboxes: after each commit the exercise task publishes the views that changed; clients long-poll
or hold a WebSocket.

Each view is numbered by its own version and encoded once per version, when the first client asks for it (a
view nobody is watching is never encoded); a long poll waits for its view's next version. A player's view gets a
new version only when something concerning that actor happened (so fifty players do not wake at every commit);
the facilitator's and the evaluator's views follow every commit.
"""

from __future__ import annotations

import asyncio
import json

from ballotdrill.live.core import LiveCore
from ballotdrill.live.presence import Presence, seen_text
from ballotdrill.live.views import EVALUATOR, FACILITATOR, PLAYER, view

Key = tuple[str, str | None]


class _Outbox:
    __slots__ = ("body", "changed", "stale", "version")

    def __init__(self) -> None:
        self.version = 0
        self.body = b""
        self.stale = True
        """The view changed since ``body`` was encoded."""
        self.changed = asyncio.Event()


class Hub:
    """Encoded views by role (a player's by actor), each with its version; waiters wake at the next one."""

    def __init__(self, core: LiveCore, presence: Presence | None = None) -> None:
        self.core = core
        self.presence = presence or Presence(core.played)
        """Who has joined: shown in the facilitator's view, whose version it moves on."""
        self.presence.listeners.append(lambda who, joined: self.touch(FACILITATOR))
        self.boxes: dict[Key, _Outbox] = {(PLAYER, actor): _Outbox() for actor in core.played}
        self.boxes[(FACILITATOR, None)] = _Outbox()
        self.boxes[(EVALUATOR, None)] = _Outbox()
        self.stopped = False
        """The exercise stopped before its end (Ctrl-C): waiters wake, clients are told to come back on resume."""
        core.dirty.update(core.played)
        self.publish()

    def stop(self) -> None:
        """Wake every waiting client: the server is about to stop with the exercise unfinished."""
        self.stopped = True
        for box in self.boxes.values():
            box.changed.set()

    def publish(self) -> None:
        """Called by the exercise task after a commit: a new version of each view that may have changed."""
        keys: list[Key] = [(PLAYER, actor) for actor in self.core.take_dirty()]
        keys += [(FACILITATOR, None), (EVALUATOR, None)]
        for key in keys:
            self.touch(*key)

    def touch(self, role: str, actor: str | None = None) -> None:
        """A new version of one view (something the exercise task does not know of changed: who has joined)."""
        box = self.boxes[(role, actor)]
        box.version += 1
        box.stale = True
        box.changed.set()
        box.changed = asyncio.Event()

    def refresh(self, role: str, actor: str | None) -> None:
        """Re-encode one view now (a poll that waited out its time gets the current clock)."""
        self.boxes[(role, actor)].stale = True
        self._body(role, actor)

    def _body(self, role: str, actor: str | None) -> bytes:
        """The encoded view of its current version (encoded now if it changed since)."""
        box = self.boxes[(role, actor)]
        if box.stale:
            data = view(self.core, role, actor)
            if role == FACILITATOR:
                data["players"] = [{"role": r.who, "connected": r.connected, "how": r.how, "text": seen_text(r)}
                                   for r in self.presence.rows()]
            box.body = json.dumps({"version": box.version, "view": data}, ensure_ascii=False).encode()
            box.stale = False
        return box.body

    async def read(self, role: str, actor: str | None, since: int | None, wait: float) -> bytes:
        """The role's encoded view; with ``since`` equal to its version, wait up to ``wait`` seconds for a newer one."""
        return (await self.next(role, actor, since, wait))[1]

    async def next(self, role: str, actor: str | None, since: int | None, wait: float) -> tuple[int, bytes]:
        """:meth:`read` with the version of the view returned; without ``since``, the view as of now."""
        box = self.boxes[(role, actor)]
        if since is None:  # a client (re)joining: the state as of now, clock included
            self.refresh(role, actor)
        elif since >= box.version and not self.core.ended and not self.stopped:
            try:
                async with asyncio.timeout(wait):
                    await box.changed.wait()
            except TimeoutError:
                self.refresh(role, actor)
        return box.version, self._body(role, actor)
