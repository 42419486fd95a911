"""Handoffs: chains between actors, failures, reroutes, ping-pong, drops, unstaffed receivers.

A handoff is identified by (incident, procedure, step, receiver) from its first
``handoff_sent`` until it is received, dropped (``handoff_failed`` with ``next: null``)
or the run ends ("lost": sent, never received). It is

- *rerouted* when received on a channel other than its first attempt's, or after more
  than one attempt;
- *ping-pong* when its receiver is an actor the work already left earlier in the same
  procedure run (work coming back);
- *unstaffed* when the step it carries was queued at the receiver with ``on_duty`` 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean
from typing import Any

from ballotdrill.journal import Event, HandoffFailed, HandoffReceived, HandoffSent, Kind, ProcedureStarted, StepQueued
from ballotdrill.scoring.model import ChannelStats, Handoff, HandoffSummary, r3, r3n

DIRECT = "direct"
"""The channel name used for a handoff that travels without one."""


class _Building:
    """A handoff being assembled from its rows."""

    def __init__(self, sent: Event, ping_pong: bool) -> None:
        self.sent = sent
        data = sent.fields(HandoffSent)
        self.fields: dict[str, Any] = {
            "incident": sent.incident or "", "procedure": str(data.procedure or ""),
            "step": sent.step or "", "sender": sent.actor or "", "receiver": str(data.to or ""),
            "first_channel": data.channel, "channel": data.channel,
            "sent_at": r3(sent.t), "attempts": int(data.attempt or 1), "failures": 0,
            "status": "lost", "ping_pong": ping_pong, "unstaffed": False,
        }
        self.evidence = [sent.seq]

    def build(self) -> Handoff:
        fields = dict(self.fields)
        fields["rerouted"] = fields["status"] == "received" and (
            fields["channel"] != fields["first_channel"] or fields["attempts"] > 1)
        return Handoff(**fields, evidence=sorted(self.evidence))


def handoffs(events: Sequence[Event]) -> list[Handoff]:
    """Every handoff of the run, in the order of its first attempt."""
    open_: dict[tuple[str, str, str, str], _Building] = {}
    left: dict[tuple[str, str], set[str]] = defaultdict(set)
    awaiting_queue: dict[tuple[str, str, str], _Building] = {}
    order: list[_Building] = []
    for event in events:
        kind = event.kind
        incident = event.incident or ""
        if kind == Kind.PROCEDURE_STARTED:
            left[(incident, str(event.fields(ProcedureStarted).procedure or ""))] = set()
        elif kind == Kind.HANDOFF_SENT:
            sent = event.fields(HandoffSent)
            key = (incident, str(sent.procedure or ""), event.step or "", str(sent.to or ""))
            item = open_.get(key)
            if item is None:
                run_left = left[key[:2]]
                item = _Building(event, ping_pong=key[3] in run_left)
                run_left.add(event.actor or "")
                open_[key] = item
                order.append(item)
            else:
                item.fields["attempts"] = max(item.fields["attempts"], int(sent.attempt or 1))
                item.fields["channel"] = sent.channel
                item.evidence.append(event.seq)
        elif kind == Kind.HANDOFF_FAILED:
            failed = event.fields(HandoffFailed)
            key = (incident, str(failed.procedure or ""), event.step or "", str(failed.to or ""))
            item = open_.get(key)
            if item is None:
                continue
            item.fields["failures"] += 1
            item.evidence.append(event.seq)
            if failed.next is None:
                item.fields["status"] = "dropped"
                del open_[key]
        elif kind == Kind.HANDOFF_RECEIVED:
            received = event.fields(HandoffReceived)
            key = (incident, str(received.procedure or ""), event.step or "", event.actor or "")
            item = open_.pop(key, None)
            if item is None:
                continue
            latency = received.latency
            item.fields.update(
                status="received", received_at=r3(event.t), channel=received.channel,
                latency=r3(latency if latency is not None else event.t - item.sent.t),
                attempts=max(item.fields["attempts"], int(received.attempts or 1)),
            )
            item.evidence.append(event.seq)
            awaiting_queue[(incident, event.step or "", event.actor or "")] = item
        elif kind == Kind.STEP_QUEUED:
            waiting = awaiting_queue.pop((incident, event.step or "", event.actor or ""), None)
            if waiting is not None and event.fields(StepQueued).on_duty == 0:
                waiting.fields["unstaffed"] = True
                waiting.evidence.append(event.seq)
    return [item.build() for item in order]


def channel_stats(events: Sequence[Event], chains: Sequence[Handoff]) -> list[ChannelStats]:
    """Attempts, failures, drops and mean latency per channel, sorted by name."""
    attempts: dict[str, int] = defaultdict(int)
    failures: dict[str, int] = defaultdict(int)
    drops: dict[str, int] = defaultdict(int)
    evidence: dict[str, list[int]] = defaultdict(list)
    for event in events:
        if event.kind == Kind.HANDOFF_SENT:
            attempts[str(event.fields(HandoffSent).channel or DIRECT)] += 1
        elif event.kind == Kind.HANDOFF_FAILED:
            failed = event.fields(HandoffFailed)
            channel = str(failed.channel or DIRECT)
            failures[channel] += 1
            evidence[channel].append(event.seq)
            if failed.next is None:
                drops[channel] += 1
    latencies: dict[str, list[float]] = defaultdict(list)
    for chain in chains:
        if chain.latency is not None:
            latencies[str(chain.channel or DIRECT)].append(chain.latency)
    return [
        ChannelStats(channel=name, attempts=attempts[name], failures=failures[name], drops=drops[name],
                     mean_latency=r3n(fmean(latencies[name]) if latencies[name] else None),
                     evidence=evidence[name])
        for name in sorted(set(attempts) | set(failures))
    ]


def summary(chains: Sequence[Handoff]) -> HandoffSummary:
    """Run-wide handoff counts."""
    per_incident: dict[str, int] = defaultdict(int)
    for chain in chains:
        per_incident[chain.incident] += 1
    latencies = [c.latency for c in chains if c.latency is not None]
    return HandoffSummary(
        total=len(chains), received=sum(c.status == "received" for c in chains),
        failed_attempts=sum(c.failures for c in chains), reroutes=sum(c.rerouted for c in chains),
        ping_pongs=sum(c.ping_pong for c in chains), drops=sum(c.status != "received" for c in chains),
        unstaffed=sum(c.unstaffed for c in chains), mean_latency=r3n(fmean(latencies) if latencies else None),
        per_incident=dict(sorted(per_incident.items())),
    )
