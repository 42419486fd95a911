"""What every incremental collector of the scorer shares: a handler per journal kind it reads.

A collector consumes journal events once, in ``seq`` order, through the handlers it declares
(:meth:`Collector.handlers`), and keeps only what is still open plus running aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from ballotdrill.journal import Event

Handler = Callable[[Event], None]
Handlers = dict[str, Handler]
"""Journal kind -> what a collector does with an event of that kind."""


class Collector(Protocol):
    """Something fed journal events of the kinds it names."""

    def handlers(self) -> Handlers: ...


def feed_all(collector: Collector, events: Iterable[Event]) -> None:
    """Feed ``events`` (in ``seq`` order) to ``collector``'s handlers."""
    table = collector.handlers()
    for event in events:
        handler = table.get(event.kind)
        if handler is not None:
            handler(event)
