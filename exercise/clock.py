"""The engine's clock: SimPy's event queue, played and fed with less Python than SimPy's own loop and events.

The one module that reaches into SimPy's internals (``Environment._queue``, ``_now``, ``_eid``;
``Event._ok``, ``_value``): the loop below processes events exactly as ``Environment.run(until)``
does, and :class:`Wakeup` schedules itself exactly as a ``Timeout`` does, so the order of events,
and with it every run, is the same. ``tests/test_engine_clock.py`` checks both against SimPy.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.events import NORMAL, EventPriority


def play(env: simpy.Environment, until: float) -> None:
    """Process every event due before ``until`` (those at ``until`` itself stay pending), then stand at ``until``.

    What ``env.run(until=until)`` does, less its per-event method calls: SimPy puts a stop event at
    ``now + (until - now)``, ahead of every ordinary event at that time, and processes events in
    ``(time, priority, id)`` order until it; the engine schedules no urgent event of its own, so
    nothing at the stop time comes before it. SimPy can stop one unit in the last place short of
    ``until``; here the clock is then set to ``until`` exactly, so a run advanced in slices (live
    play) and its replay agree bit for bit. SimPy also leaves its spent stop event queued (no
    callbacks) until the next step; here nothing is left, so ``peek()`` after a slice is the next
    real event's time (a live session waits for it) rather than ``until``.
    """
    now = env._now
    if until <= now:
        raise ValueError(f"until ({until}) must be greater than the current simulation time")
    stop = now + (float(until) - now)
    queue = env._queue
    while queue and queue[0][0] < stop:
        env._now, _, _, event = heappop(queue)
        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]  # as SimPy: processed
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)  # as SimPy: a failed event nobody handled crashes the run
            exc.__cause__ = event._value
            raise exc
    env._now = until


LAST = EventPriority(NORMAL + 1)
"""The priority of an event that must see its instant settled: at its time, it comes after every ordinary event,
even those scheduled later at the same time (the queue is ordered by ``(time, priority, id)``)."""


class Wakeup(simpy.events.Event):
    """A SimPy event that reschedules itself: one object per work item rather than a Timeout per wait.

    It sets what ``Timeout.__init__`` sets (callbacks, value, ok) and is queued the way ``env.schedule`` queues it.
    """

    def wake(self, env: simpy.Environment, delay: float, callback: Callable[[Any], None],
             priority: EventPriority = NORMAL) -> None:
        self.callbacks = [callback]
        self._value = None
        self._ok = True
        heappush(env._queue, (env._now + delay, priority, next(env._eid), self))


_bare: Any = object.__new__


def at_delay(env: simpy.Environment, delay: float, callback: Callable[[Any], None], *, last: bool = False) -> None:
    """Call ``callback(event)`` ``delay`` minutes from now (``delay >= 0``): a ``Timeout`` without its checks;
    ``last``: after everything else at that instant (:data:`LAST`). The event is made without ``Event.__init__``, as a
    work item is: :meth:`Wakeup.wake` sets what the loop reads, and nothing reads the ``env`` it would keep."""
    _bare(Wakeup).wake(env, delay, callback, LAST if last else NORMAL)
