"""The roles' outboxes: after each commit the exercise task publishes the views that changed; clients long-poll
or hold a WebSocket.

Each view is encoded once per change and numbered by its own version; a long poll waits for
its view's next version. A player's view is rebuilt only when something concerning that
actor happened (so fifty players do not wake at every commit); the facilitator's and the
evaluator's views follow every commit.
"""

from __future__ import annotations

import asyncio
import json

from ballotdrill.live.core import LiveCore
from ballotdrill.live.views import EVALUATOR, FACILITATOR, PLAYER, view

Key = tuple[str, str | None]


class _Outbox:
    __slots__ = ("body", "changed", "version")

    def __init__(self) -> None:
        self.version = 0
        self.body = b""
        self.changed = asyncio.Event()


class Hub:
    """Encoded views by role (a player's by actor), each with its version; waiters wake at the next one."""

    def __init__(self, core: LiveCore) -> None:
        self.core = core
        self.boxes: dict[Key, _Outbox] = {(PLAYER, actor): _Outbox() for actor in core.played}
        self.boxes[(FACILITATOR, None)] = _Outbox()
        self.boxes[(EVALUATOR, None)] = _Outbox()
        core.dirty.update(core.played)
        self.publish()

    def publish(self) -> None:
        """Called by the exercise task after a commit: re-encode the views that may have changed."""
        core = self.core
        keys: list[Key] = [(PLAYER, actor) for actor in core.take_dirty()]
        keys += [(FACILITATOR, None), (EVALUATOR, None)]
        control = view(core, FACILITATOR, None)
        for role, actor in keys:
            data = {**control, "role": role} if role != PLAYER else view(core, PLAYER, actor)
            box = self.boxes[(role, actor)]
            box.version += 1
            box.body = json.dumps({"version": box.version, "view": data}, ensure_ascii=False).encode()
            box.changed.set()
            box.changed = asyncio.Event()

    def refresh(self, role: str, actor: str | None) -> None:
        """Re-encode one view now (a poll that waited out its time gets the current clock)."""
        box = self.boxes[(role, actor)]
        data = view(self.core, role, actor)
        box.body = json.dumps({"version": box.version, "view": data}, ensure_ascii=False).encode()

    async def read(self, role: str, actor: str | None, since: int | None, wait: float) -> bytes:
        """The role's encoded view; with ``since`` equal to its version, wait up to ``wait`` seconds for a newer one."""
        return (await self.next(role, actor, since, wait))[1]

    async def next(self, role: str, actor: str | None, since: int | None, wait: float) -> tuple[int, bytes]:
        """:meth:`read` with the version of the view returned; without ``since``, the view as of now."""
        box = self.boxes[(role, actor)]
        if since is None:  # a client (re)joining: the state as of now, clock included
            self.refresh(role, actor)
        elif since >= box.version and not self.core.ended:
            try:
                await asyncio.wait_for(box.changed.wait(), wait)
            except TimeoutError:
                self.refresh(role, actor)
        return box.version, box.body
