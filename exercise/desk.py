"""An actor's desk: staff on duty follow the shifts; waiting work is served by severity, then arrival."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from ballotdrill.journal import Journal
from ballotdrill.journal.kinds import STAFF_CHANGED
from ballotdrill.scenarios.structure import Actor, Structure


def staff_at(actor: Actor, clock: float) -> int:
    """Staff on duty at ``clock`` (minutes since 00:00 on day D): :meth:`Actor.staff_at`."""
    return actor.staff_at(clock)


def staff_changes(actor: Actor, clock0: float, horizon: float) -> list[tuple[float, int]]:
    """``(t, staff)`` at t=0 and at each later shift boundary before ``horizon`` where the staff changes."""
    changes = [(0.0, staff_at(actor, clock0))]
    if not actor.shifts:
        return changes
    boundaries: set[float] = set()
    first_day = int(clock0 // 1440) - 1
    last_day = int((clock0 + horizon) // 1440) + 1
    for day in range(first_day, last_day + 1):
        for shift in actor.shifts:
            start, length = shift.window
            boundaries.update((day * 1440 + start - clock0, day * 1440 + start + length - clock0))
    for t in sorted(b for b in boundaries if 0 < b < horizon):
        staff = staff_at(actor, clock0 + t)
        if staff != changes[-1][1]:
            changes.append((t, staff))
    return changes


class Desk:
    """Serves work items with the staff on duty; never more at once than that staff.

    Work is not pre-empted when a shift ends: it finishes, and nothing new starts
    until the number busy is below the new staff. Work that cannot start at once
    is journalled as ``step_queued`` with the queue length and the staff on duty.
    A post is a desk of one that follows no shift (:meth:`open_post`).
    """

    __slots__ = ("_tick", "busy", "journal", "name", "now", "on_start", "on_wait", "queue", "running", "staff")

    def __init__(self, name: str, journal: Journal, now: Callable[[], float],
                 on_start: Callable[[Any], None], on_wait: Callable[[Any, int, int], None]) -> None:
        self.name = name
        self.journal = journal
        self.now = now
        self.on_start = on_start
        self.on_wait = on_wait
        """Called with (item, items waiting, staff on duty) when work cannot start at once."""
        self.staff = 0
        self.busy = 0
        """Staff busy (a step may occupy several: ``item.need``)."""
        self.running = 0
        """Work items in progress."""
        self.queue: list[tuple[int, int, Any]] = []
        self._tick = 0

    def submit(self, item: Any, severity: int) -> None:
        """Start ``item`` (``on_start(item)``) if its ``need`` of staff is free, else queue it, most severe first."""
        if self.busy + item.need <= self.staff and not self.queue:
            self.busy += item.need
            self.running += 1
            self.on_start(item)
            return
        self.on_wait(item, len(self.queue) + 1, self.staff)
        heapq.heappush(self.queue, (-severity, self._tick, item))
        self._tick += 1

    def release(self, need: int) -> None:
        """A work item that occupied ``need`` staff is done."""
        self.busy -= need
        self.running -= 1
        if self.queue:
            self._dispatch()

    def open_post(self) -> None:
        """Make this desk one of an actor's posts: one person, always there, no ``staff_changed`` rows."""
        self.staff = 1

    def set_staff(self, staff: int) -> None:
        """A shift boundary: ``staff`` are on duty from now."""
        self.staff = staff
        self.journal.record(self.now(), STAFF_CHANGED, None, self.name, None, {"staff": staff})
        self._dispatch()

    def _dispatch(self) -> None:
        """Start queued work in order while the first item's need fits (a whole-cell meeting holds the line)."""
        queue = self.queue
        while queue and self.busy + queue[0][2].need <= self.staff:
            item = heapq.heappop(queue)[2]
            self.busy += item.need
            self.running += 1
            self.on_start(item)


def open_desks(structure: Structure, journal: Journal, now: Callable[[], float], on_start: Callable[[Any], None],
               on_wait: Callable[[Any, int, int], None]) -> dict[str, Desk]:
    """A desk per actor (by its name) and per post (``actor/post``); posts are open from the start."""
    desks = {}
    for name, actor in structure.actors.items():
        desks[name] = Desk(name, journal, now, on_start, on_wait)
        for post in actor.posts:
            desk = desks[f"{name}/{post}"] = Desk(f"{name}/{post}", journal, now, on_start, on_wait)
            desk.open_post()
    return desks
