"""The handoff path of a run: attempts over a chain of channels, lines of a saturating channel, arrival or failure.

Mixed into :class:`ballotdrill.exercise.engine.Exercise`, which owns the state named below; kept apart so
the engine stays one idea per module. Attempts are :class:`Handoff` events that reschedule themselves.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import simpy

from ballotdrill.exercise.channels import Lines
from ballotdrill.exercise.setup import Setup
from ballotdrill.exercise.work import Handoff, ProcedureRun
from ballotdrill.journal import Data, Journal, Kind, Row, events, packed
from ballotdrill.journal.kinds import HANDOFF_FAILED
from ballotdrill.scenarios.structure import Structure

# The hot rows are appended directly, so they carry the kind's plain value (a ``marshal`` frame takes no enum).
_HANDOFF_SENT = Kind.HANDOFF_SENT.value
_HANDOFF_RECEIVED = Kind.HANDOFF_RECEIVED.value


class HandoffPath:
    """Sending, carrying and receiving handoffs; the engine provides the state and the two calls below."""

    env: simpy.Environment
    journal: Journal
    structure: Structure
    setup: Setup
    in_transit: int
    _row: Callable[[Row], None]
    _lines: dict[str, Lines]
    _channel_streams: dict[str, random.Random]
    _pack: bool

    def _enqueue(self, run: ProcedureRun, index: int) -> None:
        """Queue step ``index`` of ``run`` at its desk (the engine's)."""
        raise NotImplementedError

    def _end_run(self, run: ProcedureRun, outcome: str) -> None:
        """End a procedure run (the engine's)."""
        raise NotImplementedError

    def _send(self, handoff: Handoff) -> None:
        run = handoff.run
        step = run.plan.steps[handoff.index]
        channel = handoff.channels[handoff.pos] if handoff.channels else None
        handoff.attempt += 1
        handoff.tries += 1
        if self._lines and channel in self._lines:
            assert channel is not None
            self._send_on_line(handoff, channel, self._lines[channel])
            return
        self._row((self.env._now, _HANDOFF_SENT, run.incident.id, handoff.sender, step.id,
                   packed.handoff_sent(attempt=handoff.attempt, channel=channel, procedure=run.name,
                                                     to=run.actors[handoff.index])))
        self.in_transit += 1
        if channel is None:
            self._arrived(handoff)
            return
        self._travel(handoff, channel, self.setup.reliability[channel])

    def _travel(self, handoff: Handoff, channel: str, reliability: float) -> None:
        """An attempt on its way: a latency draw, then whether it gets through."""
        rng = self._channel_streams[channel]
        latency = self.setup.latency[channel](rng)
        handoff.delivered = reliability >= 1.0 or rng.random() < reliability
        handoff.wake(self.env, latency, self._arrived)

    def _send_on_line(self, handoff: Handoff, channel: str, lines: Lines) -> None:
        """An attempt on a channel with a capacity: it takes a line, waits for one, or finds the channel busy."""
        run = handoff.run
        step = run.plan.steps[handoff.index]
        occupancy = lines.seize()
        held = lines.capacity if occupancy is None else occupancy
        busy = occupancy is None and lines.fails_when_full
        waiting = len(lines.waiting) + 1 if occupancy is None and not busy else None
        to = run.actors[handoff.index]
        data: Data
        if self._pack:  # packed with its line's fields (HandoffLine: occupancy, waiting, busy, line_wait)
            data = packed.handoff_sent(attempt=handoff.attempt, channel=channel, procedure=run.name, to=to) + (  # noqa: RUF005
                held, waiting, True if busy else None, None)
        else:
            data = {"attempt": handoff.attempt, "channel": channel, "procedure": run.name, "to": to, "occupancy": held,
                    **({"busy": True} if busy else {} if waiting is None else {"waiting": waiting})}
        self._row((self.env._now, _HANDOFF_SENT, run.incident.id, handoff.sender, step.id, data))
        self.in_transit += 1
        if occupancy is not None:
            self._travel(handoff, channel, lines.reliability(occupancy))
        elif lines.fails_when_full:
            handoff.delivered = False
            self._arrived(handoff, busy=True)
        else:
            handoff.line_wait = self.env._now
            lines.waiting.append(handoff)

    def _line_freed(self, channel: str) -> None:
        """An attempt on ``channel`` is over: its line goes to the next attempt waiting, if any."""
        lines = self._lines[channel]
        waiting = lines.release()
        if waiting is not None:
            waiting.line_wait = self.env._now - waiting.line_wait
            self._travel(waiting, channel, lines.reliability(lines.capacity))

    def _arrived(self, handoff: Handoff, busy: bool = False) -> None:
        journal = self.journal
        if len(journal.rows) >= journal.batch:  # Journal.flush_if_full, inline: every attempt's end
            journal.flush()
        self.in_transit -= 1
        run = handoff.run
        step = run.plan.steps[handoff.index]
        channel = handoff.channels[handoff.pos] if handoff.channels else None
        line_wait = 0.0
        if self._lines and channel in self._lines:
            line_wait, handoff.line_wait = handoff.line_wait, 0.0
            if not busy:
                self._line_freed(channel)
        if handoff.delivered:
            now = self.env._now
            received = packed.handoff_received(attempts=handoff.attempt, channel=channel, from_=handoff.sender,
                                               latency=now - handoff.sent_at, procedure=run.name)
            self._row((now, _HANDOFF_RECEIVED, run.incident.id, run.actors[handoff.index], step.id,
                       received if not line_wait else
                       {**events.unpack(_HANDOFF_RECEIVED, received), "line_wait": line_wait}))
            self._enqueue(run, handoff.index)
            return
        assert channel is not None
        if handoff.tries > self.structure.channels[channel].retries:
            handoff.pos += 1
            handoff.tries = 0
        nxt = handoff.channels[handoff.pos] if handoff.pos < len(handoff.channels) else None
        failed = {"procedure": run.name, "to": run.actors[handoff.index], "channel": channel,
                  "attempt": handoff.attempt, "next": nxt}
        if busy:
            failed["busy"] = True
        elif line_wait:
            failed["line_wait"] = line_wait
        self.journal.record(self.env._now, HANDOFF_FAILED, run.incident.id, handoff.sender, step.id, failed)
        if nxt is None:
            self._end_run(run, "dropped")
        else:
            self._send(handoff)
