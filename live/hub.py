"""The roles' outboxes: after each commit the exercise task publishes every role's view; clients long-poll them."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from ballotdrill.live.core import LiveCore
from ballotdrill.live.views import EVALUATOR, FACILITATOR, PLAYER, view


class Hub:
    """Views by role (a player's by actor), numbered by version; a waiter wakes at the next version."""

    def __init__(self, core: LiveCore) -> None:
        self.core = core
        self.version = 0
        self.views: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._changed = asyncio.Event()
        self.publish()

    def publish(self) -> None:
        """Called by the exercise task after a commit: snapshot every role's view."""
        core = self.core
        self.version += 1
        views: dict[tuple[str, str | None], dict[str, Any]] = {
            (PLAYER, actor): view(core, PLAYER, actor) for actor in core.played}
        control = view(core, FACILITATOR, None)
        views[(FACILITATOR, None)] = control
        views[(EVALUATOR, None)] = {**control, "role": EVALUATOR}
        self.views = views
        self._changed.set()
        self._changed = asyncio.Event()

    async def read(self, role: str, actor: str | None, since: int | None, wait: float) -> tuple[int, dict[str, Any]]:
        """The role's view; with ``since`` equal to the current version, wait up to ``wait`` seconds for a newer one."""
        if since is not None and since >= self.version and not self.core.ended:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), wait)
        return self.version, self.views[(role, actor)]
