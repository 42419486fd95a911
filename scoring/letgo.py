"""Letting go of a final background arrival: its steps and handoffs folded into every aggregate in one pass.

The run-wide counts (:mod:`.tally`), the busy time per desk and clock hour (:mod:`.load`), the background aggregates
per inject, type and actor (:mod:`.background`), the report's work tables (:mod:`.work`) and what the findings count
of every incident (:mod:`.digest`) each read a few fields of the same few steps and handoffs of an arrival. Here each
step and each handoff is unpacked once (its :mod:`.measured` fields as locals) and every aggregate is updated from
them, where each aggregate used to loop over the arrival again. The rules are those of each aggregate's own fold
(``RunTally.steps``/``chains``, ``LoadCollector.fold``, ``BackgroundFold.add``, ``WorkFold.add``,
``Digest.add``), which fold what is still held at the end of the run: a run scored with and without letting
go gives the same scores (tested). Each sum takes the same values in the same order as there.
"""

from __future__ import annotations

from math import floor
from typing import Any

from ballotdrill.scoring.background import BackgroundFold, MeasuredArrival, _Actor, _Work
from ballotdrill.scoring.digest import QUEUE_P90, Digest, LongWaits, _unanswered
from ballotdrill.scoring.load import LoadCollector, _spread
from ballotdrill.scoring.tally import RunTally
from ballotdrill.scoring.work import _Inject, _Link, _Step

_new: Any = tuple.__new__


class LetGo:
    """Folds final background arrivals into ``tally``, ``load``, ``background`` and ``digest`` (with its work
    tables), one pass over each arrival's steps and one over its handoffs."""

    def __init__(self, tally: RunTally, load: LoadCollector, background: BackgroundFold, digest: Digest) -> None:
        self.tally, self.load, self.background, self.digest = tally, load, background, digest
        self.usual: dict[str, float] = {}
        """Each channel's usual latency (the findings' advice's, which the run does not change)."""

    def fold(self, measured: MeasuredArrival, ordinal: int, listed: bool) -> None:
        """Fold in ``measured``, the ``ordinal``-th arrival of its inject, all its work ended; ``listed``: it is
        listed one by one (its records are built and kept)."""
        tally, load, digest = self.tally, self.load, self.digest
        work, actors = digest.work, self.background.actors
        times, harm, steps, chains = measured.times, measured.harm, measured.steps, measured.chains
        arrival = measured.recorded() if listed else measured  # records only for what is kept or may be
        inject_key = times.inject
        tally.incident_resolved(times.to_resolve is not None)
        tally.harm(harm)
        # Each step once: the run-wide counts, busy time, the actor's background aggregate, the work tables' step
        # group, the findings' long waits and unstaffed queues.
        completed = still_open = judged = late = missed = 0
        start = load.start if load.start is not None else 0.0
        crews, started_steps, busy = load.crews, load.started_steps, load.busy
        groups, long_waits, unstaffed_at = work.steps, digest.waits, digest.unstaffed_at
        for n, step in steps:
            (incident, procedure, name, actor, queued_at, began, end, wait, _, _, late_by, on_time, _,
             deadline_met, _, unstaffed, status, evidence) = step
            completed += end is not None
            still_open += status != "completed"
            own = actors.get(actor)
            if own is None:
                own = actors[actor] = _Actor()
            own.steps += 1
            if on_time is not None:
                judged += 1
                own.steps_with_target += 1
                if on_time is False:
                    late += 1
                    own.late_steps += 1
            missed += deadline_met is False
            if wait is not None:
                own.waits.append(wait)
            if began is None:
                if status == "queued" and wait is not None:
                    load.waiting[actor].append((wait, evidence[0] if evidence else -1))
            else:
                crew = None
                if crews:
                    for seq in evidence:
                        crew = crews.pop(seq, None)
                        if crew is not None:
                            break
                desk, staff = crew if crew is not None else (actor, 1)
                started_steps[desk] += 1
                if end is not None:
                    t1, weight = max(began, end), float(staff)
                    if t1 > began and weight != 0:
                        clock0, clock1 = start + began, start + t1
                        hour = floor(clock0 / 60)
                        if clock1 <= hour * 60 + 60:
                            busy[desk][hour] += weight * (clock1 - clock0)
                        else:
                            _spread(began, t1, weight, start, busy[desk])
            key = (procedure, name)
            found = groups.get(key)
            if found is None:
                found = groups[key] = _Step(n, actor)
            elif n < found.first:
                found.first, found.actor = n, actor
            found.instances += 1
            if on_time is False:
                found.late += 1
            if end is None:
                found.unfinished += 1
            if wait is not None and (found.wait is None or wait > found.wait):
                found.wait = wait
            if late_by and (found.worst is None or late_by > found.worst):
                found.worst = late_by
            if (wait or 0.0) >= QUEUE_P90:
                waits = long_waits.get(actor)
                if waits is None:
                    waits = long_waits[actor] = LongWaits(digest.pinned)
                waits.count += 1
                waits.unstaffed += unstaffed
                waits.incidents.add(incident)
            if unstaffed and queued_at is not None:
                unstaffed_at[actor] = min(queued_at, unstaffed_at.get(actor, queued_at))
        tally.steps_completed += completed
        tally.steps_open += still_open
        tally.steps_with_target += judged
        tally.late_steps += late
        tally.deadlines_missed += missed
        if judged:
            tally.on_time.add([s for _, s in steps])
        # Each handoff once: the run-wide counts, the inject's, the work tables' links and the inject's handoffs,
        # and whether the findings may name it.
        count = received = failed = rerouted = ping_pongs = drops = in_transit = overdue = unstaffed_chains = 0
        kept = bool(judged or missed or harm.nonzero)
        latencies, advice, usual_of = tally.latencies, digest.advice, self.usual
        order, links, group = work.order, work.links, None
        if chains:
            work.background_handoffs += len(chains)
            group = work.injects.get(inject_key)
            if group is None:
                group = work.injects[inject_key] = _Inject(chains[0][0])
        for n, chain in chains:
            (_, _, _, sender, receiver, first_channel, channel, _, _, latency, _, failures, state, _, _,
             is_overdue, is_rerouted, ping_pong, _, is_unstaffed, _) = chain
            count += 1
            if state == "received":
                received += 1
            elif state == "dropped":
                drops += 1
            elif state == "in_transit":
                in_transit += 1
            failed += failures
            rerouted += is_rerouted
            ping_pongs += ping_pong
            overdue += is_overdue
            unstaffed_chains += is_unstaffed
            if latency is not None:
                latencies.add(latency)
            seen = order.get(sender)
            if seen is None or 2 * n < seen:
                order[sender] = 2 * n
            seen = order.get(receiver)
            if seen is None or 2 * n + 1 < seen:
                order[receiver] = 2 * n + 1
            link = links.get((sender, receiver))
            if link is None:
                link = links[(sender, receiver)] = _Link()
            link.count += 1
            link.channels.add(first_channel or "direct")
            if state == "received":
                link.channels.add(channel or "direct")
            if latency is not None:
                link.latencies.add(latency)
                if link.longest is None or latency > link.longest:
                    link.longest = latency
            link.failures += failures
            if state == "dropped":
                link.lost += 1
            if ping_pong:
                link.ping_pongs += 1
            assert group is not None
            if n < group.first:
                group.first = n
            group.handoffs += 1
            group.failed += failures
            group.rerouted += is_rerouted
            if state != "received":
                group.not_received += 1
            if latency is not None and (group.longest is None or latency > group.longest):
                group.longest = latency
            if not kept:  # what the findings may name: as Digest.add's rules (ranking.slow_delivery), the channel's
                # usual latency looked up once per channel
                if failures or ping_pong or (state == "in_transit" and is_overdue):
                    kept = True
                elif state == "received" and channel is not None and latency is not None:
                    usual = usual_of.get(channel)
                    if usual is None:
                        usual = usual_of[channel] = advice.usual_latency(channel)
                    kept = latency > usual + 1e-9
        tally.handoffs += count
        tally.received += received
        tally.failed_attempts += failed
        tally.reroutes += rerouted
        tally.ping_pongs += ping_pongs
        tally.drops += drops
        tally.in_transit += in_transit
        tally.overdue += overdue
        tally.unstaffed += unstaffed_chains
        work.drawn += bool(steps) or times.severity >= 2 or harm.nonzero
        work.background_steps += len(steps)
        counts: _Work = _new(_Work, (len(steps), judged, late, missed, len(chains), failed, drops))
        self.background.add_counted(arrival, ordinal, counts)
        digest.count_harm(harm)
        if kept or _unanswered(times, harm, bool(steps or chains)):
            digest.add_cases(arrival, listed)
