"""Which actor was the bottleneck: a real queue, not one long wait, nor waits one at a time.

An actor is a bottleneck candidate when its 90th-percentile queue wait reached ``QUEUE_P90`` (15 min, the queue
findings' threshold), more than one piece of work waited there (``MIN_WAITS``), *and* at some moment at least
``MIN_WAITS`` pieces waited at once (its longest queue, the ``queue`` of its ``step_queued`` rows).
One piece of work waiting once (a 90th percentile of three or four step starts is their longest wait) is a slow
start, not a queue; pieces that waited one at a time, never two together (the actor busy, or off duty, each time
one came), are a gap in staffing or cover, not a queue that built up. Among the candidates the bottleneck is the one
where work waited longest in all (the sum of its queue waits, work still queued at the end counted to the end):
many waits, or long ones; the line says when every wait there began with nobody on duty (a gap in shift cover
first). The report's key findings, its handoff matrix and a sweep's per-run bottleneck
(:func:`~ballotdrill.scoring.summary.bottlenecks`) all use :func:`ranked_queues`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ballotdrill.scoring.digest import QUEUE_P90
from ballotdrill.scoring.model import ActorLoad, HourLoad
from ballotdrill.scoring.text import hour_label, minutes, percent
from ballotdrill.scoring.waits import MIN_WAITS as MIN_WAITS


def waited_in_all(load: ActorLoad) -> float:
    """Minutes of queue wait at the actor in all (every step start's wait, and work still queued at the end)."""
    return (load.wait_mean or 0.0) * (load.steps + load.queued_at_end)


def is_queue(load: ActorLoad) -> bool:
    """Whether the actor's waits make a queue that can be the bottleneck (see the module)."""
    return (load.wait_p90 or 0.0) >= QUEUE_P90 and load.waited >= MIN_WAITS and load.longest_queue >= MIN_WAITS


def ranked_queues(loads: Iterable[ActorLoad]) -> list[ActorLoad]:
    """The actors whose waits make a queue, the bottleneck first (most minutes waited in all; ties: by name)."""
    return sorted((a for a in loads if is_queue(a)), key=lambda a: (-waited_in_all(a), a.actor))


def utilisation_text(load: ActorLoad) -> str:
    """``99.8% in its busiest hour, 08:00–09:00 (93 piece(s) of work started); 14% over the whole run``: the run's
    figure alone reads as idle most of the time beside a queue that built up in a rush. Its busiest hour is the one
    with the most work started (:attr:`ActorLoad.busiest_hour`, the load table's), its utilisation the busy
    staff-minutes over the on-duty ones, at most 100% and never shown as 100% below it. Without hours (a sweep's
    replications keep none), the run's figure alone, said to be the whole run's."""
    run = f"{percent(load.utilisation)} over the whole run"
    peak = busiest(load)
    if peak is None:
        return run
    busy, hour = peak
    return (f"{percent(busy, (1.0,))} in its busiest hour, {hour_label(hour.hour)} ({hour.starts} piece(s) of work "
            f"started); {run}")


def busiest(load: ActorLoad) -> tuple[float, HourLoad] | None:
    """The actor's utilisation in its busiest hour (at most 1) and that hour; None without hours or staff on duty."""
    hour = next((h for h in load.hours if h.hour == load.busiest_hour), None)
    if hour is None or hour.on_duty <= 0:
        return None
    return min(1.0, hour.busy / hour.on_duty), hour


class BottleneckLine(NamedTuple):
    """The key findings' bottleneck line."""

    bottleneck: ActorLoad | None
    cited: ActorLoad | None
    """The actor whose rows the line cites: the bottleneck, or the single long wait it names."""
    text: str


def bottleneck_line(loads: Sequence[ActorLoad]) -> BottleneckLine:
    """The bottleneck and its line; without one, why not (no wait, short waits, or long waits that never made a
    queue)."""
    queues = ranked_queues(loads)
    bottleneck = queues[0] if queues else None
    waited = [a for a in loads if a.wait_p90]
    longest_p90 = max(waited, key=lambda a: (a.wait_p90 or 0.0, a.wait_mean or 0.0, a.actor), default=None)
    short = longest_p90 if bottleneck is None and longest_p90 is not None and \
        (longest_p90.wait_p90 or 0.0) < QUEUE_P90 else None  # a few minutes' wait is no bottleneck
    single = longest_p90 if bottleneck is None and short is None else None  # long waits, but never a queue
    longest = max((a for a in loads if a.wait_max), key=lambda a: (a.wait_max or 0.0, a.actor), default=None)
    one_at_a_time = [a for a in waited if (a.wait_p90 or 0.0) >= QUEUE_P90 and a.waited >= MIN_WAITS]
    if single is not None and one_at_a_time:
        text = (f"No actor was a bottleneck: wherever the 90th-percentile queue wait reached {minutes(QUEUE_P90)}, "
                "work waited one piece at a time, never two at once (a gap in staffing or cover, not a queue that "
                f"built up); the longest was {minutes(single.wait_max)} at {single.name} ({single.waited} of "
                f"{single.steps + single.queued_at_end} piece(s) of work waited there, never more than "
                f"{single.longest_queue} at a time).")
    elif single is not None:
        text = (f"No actor was a bottleneck: wherever the 90th-percentile queue wait reached {minutes(QUEUE_P90)}, "
                f"a single piece of work had waited (one long wait is not a queue); the longest was "
                f"{minutes(single.wait_max)} at {single.name} ({single.waited} of "
                f"{single.steps + single.queued_at_end} piece(s) of work waited there).")
    elif short is not None:  # the highest 90th percentile, then the longest single wait, wherever it was
        own = longest is None or longest.actor == short.actor
        text = (f"No actor was a bottleneck: no 90th-percentile queue wait reached {minutes(QUEUE_P90)}; the "
                f"highest was {minutes(short.wait_p90)} at {short.name}"
                + (f" (its longest single wait {minutes(short.wait_max)})" if own else "")
                + ("" if own or longest is None else
                   f"; the longest single wait was {minutes(longest.wait_max)} at {longest.name}")
                + f". Utilisation at {short.name}: {utilisation_text(short)}.")
    elif bottleneck is None and longest is not None:
        text = (f"No actor was a bottleneck: 90% of the work everywhere started without waiting; the longest "
                f"single wait was {minutes(longest.wait_max)} at {longest.name}.")
    elif bottleneck is None:
        text = "No work waited in a queue: no actor was a bottleneck."
    else:
        text = (f"{bottleneck.name} was the bottleneck: {minutes(waited_in_all(bottleneck))} of queue wait in "
                f"all, {bottleneck.waited} of {bottleneck.steps + bottleneck.queued_at_end} piece(s) of work "
                f"waited, longest queue {bottleneck.longest_queue} (90th-percentile wait "
                f"{minutes(bottleneck.wait_p90)}, max {minutes(bottleneck.wait_max)}). Utilisation: "
                f"{utilisation_text(bottleneck)}.")
        if bottleneck.unstaffed_queued >= bottleneck.waited:
            text += (" Every one of those waits began with nobody on duty: a gap in shift cover before a lack of "
                     "staff.")
    return BottleneckLine(bottleneck, bottleneck or single, text)
