"""Load per actor: utilisation, queue waits, longest queue, busiest hour, unstaffed work.

- *utilisation* = busy staff-minutes / on-duty staff-minutes over the run (t = 0 to the
    busy_spans: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    queued_at_end: dict[str, int] = defaultdict(int)
- *longest queue*: the largest ``step_queued.data.queue``.
- *busiest hour*: the clock hour (hours since 00:00 on day D) with the most step starts,
  ties broken by busy minutes, then the earliest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from ballotdrill.journal import Event, Kind, StaffChanged, StepCrew, StepQueued, StepStarted
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import ActorLoad, HourLoad, StepResult, r3, r3n


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _spread(t0: float, t1: float, weight: float, start: float, buckets: dict[int, float]) -> None:
    """Add ``weight`` × the overlap of [t0, t1) with each clock hour to ``buckets``."""
    if t1 <= t0 or weight == 0:
        return
    clock0, clock1 = start + t0, start + t1
    hour = math.floor(clock0 / 60)
    while hour * 60 < clock1:
        lo, hi = max(clock0, hour * 60.0), min(clock1, hour * 60.0 + 60)
        if hi > lo:
            buckets[hour] += weight * (hi - lo)
        hour += 1


def actor_names(structure: Structure) -> dict[str, str]:
    """Display name of every actor (its ``name``, else its key) and of every post (``actor/post``: "Name: post")."""
    names = {key: actor.name or key for key, actor in structure.actors.items()}
    for key, actor in structure.actors.items():
        names.update({f"{key}/{post}": f"{actor.name or key}: {post}" for post in actor.posts})
    return names


def _posts(structure: Structure) -> set[str]:
    return {f"{key}/{post}" for key, actor in structure.actors.items() for post in actor.posts}


def actor_load(events: Sequence[Event], steps: Sequence[StepResult], structure: Structure,
               start: float, until: float) -> list[ActorLoad]:
    """Load of every actor and post of the structure (and any other actor seen in the journal), by key.

    A post's steps count at the post (``actor/post``, one person always on duty), not at its actor;
    a step that takes ``staff: k`` keeps k of its actor's staff busy.
    """
    names = actor_names(structure)
    posts = _posts(structure)
    crews: dict[int, tuple[str, int]] = {}
    """Per ``step_started`` row of a post's or a k-staff step: the desk and the staff it took."""
    staff_rows: dict[str, list[Event]] = defaultdict(list)
    waits: dict[str, list[tuple[float, int]]] = defaultdict(list)
    queues: dict[str, list[tuple[int, int]]] = defaultdict(list)
    unstaffed: dict[str, list[int]] = defaultdict(list)
    starts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[str] = set()
    for event in events:
        actor = event.actor
        if actor is None:
            continue
        if event.kind == Kind.STAFF_CHANGED:
            staff_rows[actor].append(event)
        elif event.kind == Kind.STEP_STARTED:
            crew = event.fields(StepCrew)
            if crew.post is not None or crew.staff is not None:
                actor = actor if crew.post is None else f"{actor}/{crew.post}"
                crews[event.seq] = (actor, crew.staff or 1)
            seen.add(actor)
            waits[actor].append((float(event.fields(StepStarted).wait or 0.0), event.seq))
            starts[actor][math.floor((start + event.t) / 60)] += 1
        elif event.kind == Kind.STEP_QUEUED:
            post = event.fields(StepCrew).post
            actor = actor if post is None else f"{actor}/{post}"
            seen.add(actor)
            queued = event.fields(StepQueued)
            queues[actor].append((int(queued.queue or 0), event.seq))
            if queued.on_duty == 0:
                unstaffed[actor].append(event.seq)
    busy_spans: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    queued_at_end: dict[str, int] = defaultdict(int)
    for step in steps:
        if step.status == "queued" and step.wait is not None:  # still waiting when the run stopped
            waits[step.actor].append((step.wait, step.evidence[0] if step.evidence else -1))
            queued_at_end[step.actor] += 1
        if step.started_at is not None:
            end = step.completed_at if step.completed_at is not None else until
            desk, staff = next((crews[seq] for seq in step.evidence if seq in crews), (step.actor, 1))
            busy_spans[desk].append((step.started_at, max(step.started_at, end), staff))
    out: list[ActorLoad] = []
    for actor in sorted(set(names) | seen):
        on_duty: dict[int, float] = defaultdict(float)
        busy: dict[int, float] = defaultdict(float)
        rows = staff_rows.get(actor)
        if rows:
            for row, nxt in zip(rows, [*rows[1:], None], strict=True):
                t1 = nxt.t if nxt is not None else until
                _spread(max(0.0, row.t), min(until, t1), float(row.fields(StaffChanged).staff or 0), start, on_duty)
        elif actor in structure.actors:
            _spread(0.0, until, float(structure.actors[actor].staff), start, on_duty)
        elif actor in posts:
            _spread(0.0, until, 1.0, start, on_duty)
        for t0, t1, staff in busy_spans.get(actor, []):
            _spread(t0, min(t1, until), float(staff), start, busy)
        wait_values = [w for w, _ in waits.get(actor, [])]
        busy_total, duty_total = sum(busy.values()), sum(on_duty.values())
        actor_starts = starts.get(actor, {})
        hours = sorted(set(on_duty) | set(busy) | set(actor_starts))
        busiest = max(hours, key=lambda h: (actor_starts.get(h, 0), busy.get(h, 0.0), -h), default=None)
        if busiest is not None and actor_starts.get(busiest, 0) == 0 and busy.get(busiest, 0.0) == 0:
            busiest = None
        top_waits = sorted(waits.get(actor, []), key=lambda ws: (-ws[0], ws[1]))[:5]
        longest = max(queues.get(actor, []), key=lambda qs: (qs[0], -qs[1]), default=(0, -1))
        evidence = {s for w, s in top_waits if w > 0 and s >= 0} | set(unstaffed.get(actor, [])[:10])
        if longest[1] >= 0:
            evidence.add(longest[1])
        out.append(ActorLoad(
            actor=actor, name=names.get(actor, actor), steps=len(busy_spans.get(actor, [])),
            busy_minutes=r3(busy_total), on_duty_minutes=r3(duty_total),
            utilisation=r3(busy_total / duty_total) if duty_total > 0 else None,
            wait_mean=r3n(fmean(wait_values) if wait_values else None), wait_p90=r3n(p90(wait_values)),
            wait_max=r3n(max(wait_values) if wait_values else None), longest_queue=longest[0],
            queued_at_end=queued_at_end.get(actor, 0),
            busiest_hour=busiest, busiest_hour_starts=actor_starts.get(busiest, 0) if busiest is not None else 0,
            unstaffed_queued=len(unstaffed.get(actor, [])),
            hours=[HourLoad(hour=h, busy=r3(busy.get(h, 0.0)), on_duty=r3(on_duty.get(h, 0.0)),
                            starts=actor_starts.get(h, 0)) for h in hours],
            evidence=sorted(evidence),
        ))
    return out
