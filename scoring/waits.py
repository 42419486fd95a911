"""What an actor's long waits were by the bottleneck rule's own counts: a queue (at least :data:`MIN_WAITS` pieces
of work waited, that many at once at some moment), one long wait, or waits one at a time (a gap in staffing or
cover). The actor's finding and a late step's own root cause both name its waits here, so they cannot disagree."""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.scoring.model import ActorLoad

MIN_WAITS = 2
"""A bottleneck has at least this many pieces of work that waited, and at some moment this many waiting at once: one
long wait is not a queue, nor are waits one at a time."""

__all__ = ["MIN_WAITS", "WaitsNamed", "waits_named"]


class WaitsNamed(NamedTuple):
    """A finding's title for an actor's long waits and the words a root cause names them with."""

    title: str
    named: str
    kind: str
    """What they were, in a few words: ``queue``, ``one long wait`` or ``a gap in staffing or cover``."""
    explained: bool = False
    """Whether ``named`` already says what the waits were after a colon (waits one at a time), so what follows it is
    joined with "; ", not a second ": "."""

    def followed_by(self, text: str) -> str:
        """``named`` followed by ``text``: after ": ", or after "; " when ``named`` already explains itself."""
        return f"{self.named}{'; ' if self.explained else ': '}{text}"


def waits_named(load: ActorLoad | None, name: str) -> WaitsNamed:
    """The waits at ``name`` by the rule's counts; an actor not known (``load`` None) is named a queue."""
    if load is not None and load.waited < MIN_WAITS:
        return WaitsNamed(f"One long wait at {name}", f"one long wait at {name}", "one long wait")
    if load is not None and load.longest_queue < MIN_WAITS:
        return WaitsNamed(f"Long waits one at a time at {name}",
                          f"a gap in staffing or cover at {name}: work waited one piece at a time, never two at once",
                          "a gap in staffing or cover", explained=True)
    return WaitsNamed(f"Queue at {name}", f"queue at {name}", "queue")
