"""Handoffs: chains between actors, failures, reroutes, ping-pong, drops, unstaffed receivers.

A handoff is identified by (incident, procedure, step, receiver) from its first
``handoff_sent`` until it is received, dropped (``handoff_failed`` with ``next: null``)
or the run ends (``in_transit``: still travelling, never called dropped; *overdue* once its
latest attempt has travelled longer than its channel's usual latency, the 90th percentile). It is

- *rerouted* when received on a channel other than its first attempt's, or after more
  than one attempt;
- *ping-pong* when it returns work off the procedure's designed path: after a decision, it
  brought the work back to an actor that had already handed it on, and that actor then did
  a step of the run a second time (a decision option looping back; ``returned`` names the
  decision). One per loop: the repeats that follow are the loop, not new returns. A designed
  A -> B -> A chain, where A does a new step, is not ping-pong. (The engine has no other way
  off the designed path: channels fall back, but never reroute to another actor);
- *unstaffed* when the step it carries was queued at the receiver with ``on_duty`` 0.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import attrgetter
from statistics import fmean
from typing import Any

from ballotdrill.journal import (
    DecisionMade,
    Event,
    HandoffFailed,
    HandoffLine,
    Kind,
)
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.channel_lines import ChannelLines
from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.feed import Handlers, RowHandlers, feed_all
from ballotdrill.scoring.foldone import ChainCounts, fold_chain
from ballotdrill.scoring.measured import HandoffMeasure
from ballotdrill.scoring.model import (
    EVIDENCE_ROWS,
    ChannelStats,
    Handoff,
    HandoffStatus,
    HandoffSummary,
    r3,
    r3n,
    unchecked,
)
from ballotdrill.scoring.usual import DIRECT, usual_latency

_BY_ORDINAL = attrgetter("n")
"""A handoff's place in the run (by its first attempt)."""
_new: Any = tuple.__new__
_PING_PONGS = ChainCounts._fields.index("ping_pongs")


class _Building:
    """A handoff being assembled from its rows."""

    __slots__ = (
        "attempts",
        "channel",
        "evidence",
        "failures",
        "first_channel",
        "incident",
        "last_sent_t",
        "latency",
        "n",
        "ping_pong",
        "procedure",
        "received_at",
        "receiver",
        "rerouted",
        "returned",
        "sender",
        "sent_t",
        "status",
        "step",
        "unstaffed",
    )

    def __init__(self, seq: int, sent: Packed, n: int) -> None:
        t, _, incident, sender, step, values = sent  # HandoffSent: attempt, channel, procedure, to
        self.n = n
        """The n-th handoff of the run (by its first attempt)."""
        self.sent_t = t
        self.last_sent_t = t
        self.incident = incident or ""
        self.procedure = str(values[2] or "")
        self.step = step or ""
        self.sender = sender or ""
        self.receiver = str(values[3] or "")
        self.first_channel: str | None = values[1]
        self.channel: str | None = values[1]
        self.attempts = int(values[0] or 1)
        self.failures = 0
        self.status: HandoffStatus = "in_transit"
        self.received_at: float | None = None
        self.latency: float | None = None
        self.rerouted = False
        """Received on a channel other than its first attempt's, or after more than one attempt: decided at its
        receipt (``HandoffCollector._received``), after which no row of it is read."""
        self.ping_pong = False
        self.returned = ""
        self.unstaffed = False
        self.evidence = [seq]

    def measure(self, until: float | None, structure: Structure | None) -> HandoffMeasure:
        """The handoff's fields as its :class:`Handoff` holds them; ``until`` (where the run stopped) and ``structure``
        measure one still in transit."""
        status = self.status
        in_transit_for = usual = None
        overdue = False
        if status == "in_transit" and until is not None:
            in_transit_for = r3(until - self.sent_t)
            channel = self.channel
            spec = structure.channels.get(channel) if structure is not None and channel else None
            if spec is not None:
                usual_p90 = usual_latency(spec.latency)
                usual = r3(usual_p90)
                overdue = until - self.last_sent_t > usual_p90
        measured: HandoffMeasure = _new(HandoffMeasure, (  # as HandoffMeasure(...), without its Python-level __new__
            self.incident, self.procedure, self.step, self.sender, self.receiver, self.first_channel, self.channel,
            r3(self.sent_t), self.received_at, self.latency, self.attempts, self.failures, status, in_transit_for,
            usual, overdue, self.rerouted, self.ping_pong, self.returned, self.unstaffed, sorted(self.evidence)))
        return measured


class _Path:
    """One procedure run's progress: steps done, actors that handed the work on, the last handoff into each actor."""

    __slots__ = ("decision", "done", "last_in", "left")

    def __init__(self) -> None:
        self.done: set[str] = set()
        self.left: set[str] = set()
        self.last_in: dict[str, tuple[_Building, bool]] = {}
        self.decision: tuple[str, str, int] | None = None
        """The last decision not yet followed by a bounce: its option, its step, and the handoffs made before it."""

    def repeated(self, step: str, actor: str) -> _Building | None:
        """``actor`` starts ``step`` again: the handoff that brought the work back to it since the last decision was
        ping-pong (one sent before the decision did not bring it back: the decider's own repeats wait for the next);
        that handoff, if one is found so."""
        if step not in self.done:
            self.done.add(step)
            return None
        came, returning = self.last_in.get(actor, (None, False))
        decision = self.decision
        if came is None or not returning or came.ping_pong or decision is None or came.n < decision[2]:
            return None
        came.ping_pong = True
        again = f"to do '{step}' again" if came.step == step else f"with '{came.step}', and '{step}' was done again"
        came.returned = f"decision '{decision[0]}' at '{decision[1]}' looped the work back {again}"
        self.decision = None  # one bounce per loop: the repeats that follow are the loop, not new returns
        return came


_Key = tuple[str, str, str, str]
"""A handoff's identity: (incident, procedure, step, receiver)."""


def deciding_procedures(structure: Structure) -> frozenset[str]:
    """The procedures with a decision step: only their runs can loop back (ping-pong; the engine journals a
    ``decision_made`` only at its procedure's decision step)."""
    return frozenset(name for name, procedure in structure.procedures.items()
                     if any(step.decision is not None for step in procedure.steps))


class HandoffCollector:
    """Every handoff of the run in the order of its first attempt, and attempts, failures and drops per channel.

    ``counted`` (a sweep, without ``lines``): each handoff is counted (:attr:`counts`, by
    :func:`~.foldone.fold_chain`, the rule of every fold of handoffs) as it is received or dropped and let go, and
    a ping-pong found after that is counted then; :meth:`numbered_fields` gives those still in transit (:meth:`pop`
    and :meth:`done` are not for use).
    """

    def __init__(self, lines: bool = True, deciding: frozenset[str] | None = None, counted: bool = False) -> None:
        if counted and lines:  # a handoff's unstaffed flag, read with the lines, is set after its receipt
            raise ValueError("handoffs are counted as they end only without the lines")
        self.counts = [0] * len(ChainCounts._fields) if counted else None
        """With ``counted``: the counts of the handoffs received or dropped so far, in :class:`ChainCounts`' order."""
        self.live: dict[int, _Building] = {}
        """With ``counted``: every handoff not yet counted, by ordinal."""
        self.open: dict[_Key, _Building] = {}
        self.paths: dict[str, dict[str, _Path]] = {}
        """Per incident, its procedure runs' paths by procedure (the latest run of each)."""
        self.deciding = deciding
        """The procedures with a decision step (None: any procedure may decide). A ping-pong needs a decision of the
        run's own procedure (``decision_made`` names it; the engine makes one only at that procedure's decision
        step), so a run of any other procedure is not followed: it cannot loop back. The scorers know their structure
        (:func:`deciding_procedures`); :func:`handoffs` of bare events follows every run."""
        self.awaiting_queue: dict[tuple[str, str, str], _Building] = {}
        self.by_incident: dict[str, list[_Building]] = {}
        """Every handoff not taken out (:meth:`pop`), by incident."""
        self.made = 0
        self.attempts: dict[str, int] = defaultdict(int)
        self.failures: dict[str, int] = defaultdict(int)
        self.drops: dict[str, int] = defaultdict(int)
        self.failure_rows: dict[str, list[int]] = defaultdict(list)
        self.on_channel: dict[str, ExactSum] = defaultdict(ExactSum)
        """Per channel, the time the handoffs received on it spent on it: from the attempt sent on it to its
        receipt (earlier attempts, failed on this or other channels, are not this channel's time)."""
        self.lines = ChannelLines() if lines else None
        """The lines each channel used (None: not followed; the channels' line counts are then left out, and the
        handoffs' ``unstaffed`` too: what a sweep does, which reads neither)."""

    def handlers(self) -> Handlers:
        return {Kind.DECISION_MADE: self._decision, Kind.HANDOFF_FAILED: self._failed}

    def row_handlers(self) -> RowHandlers:
        follows = self.deciding is None or bool(self.deciding)  # no procedure that can decide: no path to follow
        return {**({Kind.PROCEDURE_STARTED: self._procedure, Kind.STEP_STARTED: self._step_started} if follows else {}),
                Kind.HANDOFF_SENT: self._sent, Kind.HANDOFF_RECEIVED: self._received,
                **({Kind.STEP_QUEUED: self._queued} if self.lines is not None else {})}

    def _path(self, incident: str, procedure: str) -> _Path:
        """The path of ``incident``'s latest run of ``procedure`` (a new one if none started)."""
        runs = self.paths.get(incident)
        if runs is None:
            runs = self.paths[incident] = {}
        path = runs.get(procedure)
        if path is None:
            path = runs[procedure] = _Path()
        return path

    def _procedure(self, seq: int, row: Packed) -> None:  # ProcedureStarted: procedure, run
        procedure = str(row[5][0] or "")
        if self.deciding is not None and procedure not in self.deciding:
            return
        incident = row[2] or ""
        runs = self.paths.get(incident)
        if runs is None:
            runs = self.paths[incident] = {}
        runs[procedure] = _Path()

    def _step_started(self, seq: int, row: Packed) -> None:  # StepStarted: procedure, wait
        incident, procedure = row[2] or "", str(row[5][0] or "")
        runs = self.paths.get(incident)
        path = runs.get(procedure) if runs is not None else None
        if path is None:
            if self.deciding is not None and procedure not in self.deciding:
                return
            path = self._path(incident, procedure)
        step, done = row[4] or "", path.done
        if step not in done:  # the first time: what repeated() does, without the call
            done.add(step)
            return
        came = path.repeated(step, row[3] or "")
        if came is not None and self.counts is not None and came.n not in self.live:  # counted already, as it was
            self.counts[_PING_PONGS] += 1

    def _decision(self, event: Event) -> None:
        made = event.fields(DecisionMade)
        self._path(event.incident or "", str(made.procedure or "")).decision = (str(made.option or ""),
                                                                                event.step or "", self.made)

    def _sent(self, seq: int, row: Packed) -> None:  # HandoffSent: attempt, channel, procedure, to (then HandoffLine)
        t, _, incident, sender, step, values = row
        channel = values[1]
        self.attempts[str(channel or DIRECT)] += 1
        if self.lines is not None and len(values) > 4:
            self.lines.sent(incident, step, str(channel or DIRECT), values[4])
        key = (incident or "", str(values[2] or ""), step or "", str(values[3] or ""))
        item = self.open.get(key)
        if item is None:
            item = _Building(seq, row, self.made)
            self.made += 1
            if self.deciding is None or key[1] in self.deciding:
                path = self._path(key[0], key[1])
                path.last_in[key[3]] = (item, key[3] in path.left)
                path.left.add(sender or "")
            self.open[key] = item
            if self.counts is not None:
                self.live[item.n] = item
                return
            found = self.by_incident.get(key[0])
            if found is None:
                self.by_incident[key[0]] = [item]
            else:
                found.append(item)
        else:
            item.attempts = max(item.attempts, int(values[0] or 1))
            item.channel = channel
            item.last_sent_t = t
            item.evidence.append(seq)

    def _failed(self, event: Event) -> None:
        failed = event.fields(HandoffFailed)
        channel = str(failed.channel or DIRECT)
        self.failures[channel] += 1
        rows = self.failure_rows[channel]
        if len(rows) < EVIDENCE_ROWS:
            rows.append(event.seq)
        if self.lines is not None:
            line = event.fields(HandoffLine)
            self.lines.failed(event.incident, event.step, channel, line.line_wait, line.busy)
        if failed.next is None:
            self.drops[channel] += 1
        key = (event.incident or "", str(failed.procedure or ""), event.step or "", str(failed.to or ""))
        item = self.open.get(key)
        if item is None:
            return
        item.failures += 1
        item.evidence.append(event.seq)
        if failed.next is None:
            item.status = "dropped"
            del self.open[key]
            if self.counts is not None:
                self._count(item)

    def _received(self, seq: int, row: Packed) -> None:
        t, _, incident, receiver, step, values = row  # HandoffReceived: attempts, channel, from, latency, procedure
        channel = values[1]
        lines = self.lines
        if lines is not None:
            wait = values[8] if len(values) > 5 else None
            if wait or lines.last:  # else nothing to follow: no line waited for, no occupancy kept
                lines.waited(incident, step, str(channel or DIRECT), wait)
        incident = incident or ""
        item = self.open.pop((incident, str(values[4] or ""), step or "", receiver or ""), None)
        if item is None:
            return
        item.status = "received"
        item.channel = channel
        item.attempts = attempts = max(item.attempts, int(values[0] or 1))
        item.rerouted = channel != item.first_channel or attempts > 1
        self.on_channel[str(channel or DIRECT)].add(t - item.last_sent_t)
        if self.counts is not None:  # counted and let go: its times and rows are not read again
            self._count(item)
            return
        latency = values[3]
        item.received_at = r3(t)
        item.latency = r3(latency if latency is not None else t - item.sent_t)
        item.evidence.append(seq)
        if lines is not None:  # only the step_queued handler, registered with the lines, reads it
            self.awaiting_queue[(incident, step or "", receiver or "")] = item

    def _count(self, item: _Building) -> None:
        """Count a handoff received or dropped, and let go of it (with ``counted``)."""
        assert self.counts is not None
        fold_chain(self.counts, item.status, item.failures, item.rerouted, item.ping_pong, False, item.unstaffed)
        del self.live[item.n]

    def _queued(self, seq: int, row: Packed) -> None:  # StepQueued: on_duty, procedure, queue
        waiting = self.awaiting_queue.pop((row[2] or "", row[4] or "", row[3] or ""), None)
        if waiting is not None and row[5][0] == 0:
            waiting.unstaffed = True
            waiting.evidence.append(seq)

    def results(self, structure: Structure | None = None, until: float | None = None) -> list[Handoff]:
        """Every handoff, in the order of its first attempt; ``until`` measures those still in transit."""
        return [chain for _, chain in self.numbered(structure, until)]

    def numbered(self, structure: Structure | None = None, until: float | None = None) -> list[tuple[int, Handoff]]:
        """:meth:`results`, each with its ordinal (the n-th handoff of the run)."""
        return [(n, unchecked(Handoff, chain._asdict())) for n, chain in self.numbered_fields(structure, until)]

    def numbered_fields(self, structure: Structure | None = None,
                        until: float | None = None) -> list[tuple[int, HandoffMeasure]]:
        """:meth:`numbered` as the records' fields (validated again if kept)."""
        items: Iterable[_Building] = self.live.values() if self.counts is not None else sorted(
            itertools.chain.from_iterable(self.by_incident.values()), key=_BY_ORDINAL)
        return [(item.n, item.measure(until, structure)) for item in items]

    def measured(self, structure: Structure, until: float) -> list[HandoffMeasure]:
        """:meth:`results` without building the records."""
        return [chain for _, chain in self.numbered_fields(structure, until)]

    def done(self, incident: str) -> bool:
        """Whether no handoff of ``incident`` is still travelling."""
        for item in self.by_incident.get(incident, ()):  # noqa: SIM110 - a loop costs less than all() of a generator
            if item.status == "in_transit":
                return False
        return True

    def pop(self, incident: str) -> list[tuple[int, HandoffMeasure]]:
        """Take out the handoffs of ``incident`` (none still travelling), numbered, as their fields (no record built),
        and its procedure runs' paths: they are final."""
        self.paths.pop(incident, None)
        items = self.by_incident.pop(incident, [])
        awaiting = self.awaiting_queue
        if awaiting:
            for item in items:
                awaiting.pop((incident, item.step, item.receiver), None)
        return [(item.n, item.measure(None, None)) for item in items]

    def channel_stats(self, structure: Structure | None = None) -> list[ChannelStats]:
        """Attempts, failures, drops and mean latency per channel, sorted by name; lines used when it has a capacity.

        A channel's latency is the time a handoff received on it spent on it (:attr:`on_channel`), not the whole
        handoff's. Each channel's evidence is its first :data:`~ballotdrill.scoring.model.EVIDENCE_ROWS` failed
        attempts (``failures`` counts them all).
        """
        lines = self.lines
        on_channel = self.on_channel
        return [
            ChannelStats(channel=name, attempts=self.attempts.get(name, 0), failures=self.failures.get(name, 0),
                         drops=self.drops.get(name, 0),
                         mean_latency=r3n(on_channel[name].mean() if name in on_channel else None),
                         evidence=list(self.failure_rows.get(name, [])),
                         **(lines.stats(name, structure) if lines is not None else {}))
            for name in sorted(set(self.attempts) | set(self.failures))
        ]


def handoffs(events: Iterable[Event], structure: Structure | None = None,
             until: float | None = None) -> list[Handoff]:
    """Every handoff of the run, in the order of its first attempt.

    ``structure`` gives the channels' usual latencies and ``until`` (where the run stopped)
    measures handoffs still in transit.
    """
    collector = HandoffCollector()
    feed_all(collector, events)
    return collector.results(structure, until)


def channel_stats(events: Iterable[Event], structure: Structure | None = None) -> list[ChannelStats]:
    """Attempts, failures, drops and mean latency per channel, sorted by name; lines used when it has a capacity
    (:meth:`HandoffCollector.channel_stats`)."""
    collector = HandoffCollector()
    feed_all(collector, events)
    return collector.channel_stats(structure)


def summary(chains: Sequence[Handoff]) -> HandoffSummary:
    """Run-wide handoff counts."""
    per_incident: dict[str, int] = defaultdict(int)
    for chain in chains:
        per_incident[chain.incident] += 1
    latencies = [c.latency for c in chains if c.latency is not None]
    return HandoffSummary(
        total=len(chains), received=sum(c.status == "received" for c in chains),
        failed_attempts=sum(c.failures for c in chains), reroutes=sum(c.rerouted for c in chains),
        ping_pongs=sum(c.ping_pong for c in chains), drops=sum(c.status == "dropped" for c in chains),
        in_transit=sum(c.status == "in_transit" for c in chains), overdue=sum(c.overdue for c in chains),
        unstaffed=sum(c.unstaffed for c in chains), mean_latency=r3n(fmean(latencies) if latencies else None),
        per_incident=dict(sorted(per_incident.items())),
    )
