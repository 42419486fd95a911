"""The live loop: one asyncio task owns the exercise and advances it with the wall clock.

Inputs arrive on a queue (from the console, the server, a test) with a future each; the task
advances the simulation to the time the wall clock says, applies the inputs waiting, commits
the journal and only then resolves the futures. Never SimPy's real-time environment (its
blocking sleep makes an input wait for the next scheduled event).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from ballotdrill.live.core import LiveCore, Outcome
from ballotdrill.live.inputs import Input

TICK = 0.05
"""Longest wait (seconds) between advances when nothing is scheduled sooner."""

BEAT = 0.005
"""Shortest wait (seconds) between two advances when no input is waiting: events due closer together than this are
played in one go (at speed 60, 0.3 s of simulated time), so a busy exercise does not spin the loop once per event."""

STOPPED = "not recorded: the exercise stopped before its end"
"""The answer to an input the exercise task never applied or never committed because it stopped (Ctrl-C, or its
journal could not be written): ``resume`` carries the exercise on from its last commit, without it."""

QUIET_COMMIT = 0.1
"""Shortest wall time (seconds) between two commits that carry only the simulation's own rows; a commit with inputs
never waits (an input is acknowledged at its commit)."""


class Session:
    """Runs a :class:`LiveCore` against the wall clock until the exercise ends."""

    def __init__(self, core: LiveCore) -> None:
        self.core = core
        self.queue: asyncio.Queue[tuple[Input, asyncio.Future[Outcome]]] = asyncio.Queue()
        self.listeners: list[Callable[[], None]] = []
        """Called after each commit (the console prints, the server publishes the roles' views)."""
        self._anchor_wall = time.monotonic()
        self._anchor_sim = core.now
        self._speed = core.speed
        self._paused = core.paused
        self.commits = 0
        self._written = core.journal.written
        self._committed_at = 0.0
        self.committed = core.now
        """The simulation time the last commit reached (what the journal keeps if the exercise stops)."""
        self.stopped = False
        """:meth:`run` has returned or raised: an input submitted now is refused, never left waiting."""
        self.broken = False
        """Whether an exception other than a cancellation went through :meth:`run`: a second Ctrl-C can land inside
        one of the exercise's steps, which is then not whole. The first Ctrl-C cancels the task where it awaits (and
        one before the task started never entered it), between two steps: the exercise can journal that it stopped."""

    def start_clock(self) -> None:
        """Count the exercise's time from now (the server's start-up is not exercise time)."""
        self._anchor_wall, self._anchor_sim = time.monotonic(), self.core.now

    def sim_time(self) -> float:
        """The simulation time the wall clock says now."""
        if self._paused:
            return self._anchor_sim
        return self._anchor_sim + (time.monotonic() - self._anchor_wall) * self._speed / 60.0

    async def submit(self, item: Input) -> Outcome:
        """Queue an input; the answer comes once it is committed (or refused)."""
        if self.core.ended:
            return Outcome(False, "the exercise has ended")
        if self.stopped:
            return Outcome(False, STOPPED)
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        await self.queue.put((item, future))
        return await future

    def _reanchor(self) -> None:
        core = self.core
        if core.speed != self._speed or core.paused != self._paused:
            self._anchor_wall, self._anchor_sim = time.monotonic(), core.now
            self._speed, self._paused = core.speed, core.paused

    async def _commit(self) -> None:
        """Write the slice's rows and inputs through. The disk's sync runs in a thread, so the server keeps reading
        requests meanwhile; the exercise task waits for it and nothing else writes the store."""
        core = self.core
        core.journal.flush()
        await asyncio.get_running_loop().run_in_executor(None, core.store.commit, core.now)
        self._written = core.journal.written
        self._committed_at = time.monotonic()
        self.committed = core.now

    def _notify(self) -> None:
        self.commits += 1
        for listener in self.listeners:
            listener()

    def _wait(self) -> float:
        """Seconds until the next scheduled event is due on the wall clock, from :data:`BEAT` to :data:`TICK`."""
        if self._paused:
            return TICK
        due = self.core.exercise.env.peek()
        ahead = (min(due, self.core.horizon) - self.sim_time()) * 60.0 / self._speed
        return max(BEAT, min(TICK, ahead))

    async def run(self) -> None:
        """Play until the end (the scenario's end, or an ``end`` input); refuse what is still queued then. Stopped
        by an exception (a journal that cannot be written), every input taken but not committed is answered
        :data:`STOPPED`, as is, stopped by a Ctrl-C too, every one still queued: nobody waits for ever."""
        core = self.core
        task = asyncio.current_task()
        batch: list[tuple[Input, asyncio.Future[Outcome]]] = []
        try:
            while not core.ended:
                if task is not None and task.cancelling():  # Ctrl-C landed while a timeout was expiring
                    raise asyncio.CancelledError
                core.advance(self.sim_time())
                if core.ended:
                    break
                batch = []
                if self.queue.empty():
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._wait()):  # no task per wait, unlike asyncio.wait_for
                            batch.append(await self.queue.get())
                while not self.queue.empty():
                    batch.append(self.queue.get_nowait())
                if not batch:
                    if ((core.journal.rows or core.journal.written != self._written)
                            and time.monotonic() - self._committed_at >= QUIET_COMMIT):
                        await self._commit()
                        self._notify()
                    continue
                core.advance(self.sim_time())
                outcomes = [(future, core.apply(item)) for item, future in batch]
                await self._commit()  # durable: only now is an input acknowledged
                for future, outcome in outcomes:
                    if not future.done():
                        future.set_result(outcome)
                self._notify()
                self._reanchor()
            await self._commit()
            self._notify()
        except asyncio.CancelledError:
            raise
        except BaseException:
            self.broken = True
            raise
        finally:
            self.stopped = True
            refusal = Outcome(False, "the exercise has ended" if core.ended and not self.broken else STOPPED)
            if not self.broken:  # cancelled while committing them: the stop's own commit journals them (play._stopped)
                batch = []
            while not self.queue.empty():
                batch.append(self.queue.get_nowait())
            for _, future in batch:
                if not future.done():
                    future.set_result(refusal)
