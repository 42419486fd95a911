"""What every incremental collector of the scorer shares: a handler per journal kind it reads, and the dispatch.

A collector consumes journal rows once, in ``seq`` order, through the handlers it declares. The frequent
kinds (:data:`~ballotdrill.journal.packed.LAYOUT`) are read *packed*: a row handler
(:meth:`Collector.row_handlers`) takes ``(seq, (t, kind, incident, actor, step, values))`` with ``values`` the
kind's fields in its record's order, as the engine makes them, so no dict is built per row and each row is
decoded at most once, whatever the number of collectors that read it. Every other kind is read as an
:class:`~ballotdrill.journal.Event` (:meth:`Collector.handlers`); the kinds several collectors decode for every
incident (:data:`DECODED`: ``incident_started``, ``contained``) are decoded once per row and handed with the event to
each decoding handler (``decoded_handlers``: ``(event, fields)``). A run fed live (:meth:`Dispatch.take`, the
engine's batches) and a journal read back (:meth:`Dispatch.feed`, events) go through the same handlers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Protocol

from ballotdrill.journal import SHAPES, Contained, Event, IncidentStarted, Row
from ballotdrill.journal.kinds import CONTAINED, INCIDENT_STARTED
from ballotdrill.journal.packed import LAYOUT, Packed, values

Handler = Callable[[Event], None]
Handlers = dict[str, Handler]
"""Journal kind -> what a collector does with an event of that kind."""

RowHandler = Callable[[int, Packed], None]
RowHandlers = dict[str, RowHandler]
"""Packed journal kind -> what a collector does with ``(seq, row)`` of that kind."""

DecodedHandler = Callable[[Event, Any], None]
DecodedHandlers = dict[str, DecodedHandler]
"""Decoded journal kind (:data:`DECODED`) -> what a collector does with an event of that kind and its fields."""

DECODED: dict[str, type[tuple[Any, ...]]] = {INCIDENT_STARTED: IncidentStarted, CONTAINED: Contained}
"""Kinds read by several collectors for every incident: each row's fields decoded once (``Event.fields``) for all."""

_new: Any = tuple.__new__


class Collector(Protocol):
    """Something fed journal events of the kinds it names (packed kinds may also be named in ``handlers``: such a
    handler gets an :class:`~ballotdrill.journal.Event` made for it)."""

    def handlers(self) -> Handlers: ...


def event_of(seq: int, row: Row | Packed) -> Event:
    """A row (the engine's, or in its packed form) as an :class:`~ballotdrill.journal.Event` with its data as a dict,
    as the journal stores it (a packed row's absent optional fields left out)."""
    t, kind, incident, actor, step, data = row
    if data is None:
        data = {}
    elif type(data) is tuple:
        data = {key: value for key, value in zip(LAYOUT[kind], data, strict=False) if value is not None
                or key in _BASE[kind]}
    event: Event = _new(Event, (seq, t, kind, incident, actor, step, data))
    return event


_BASE = {kind: frozenset(keys) for kind, keys in SHAPES.items()}
"""Per packed kind, the keys the engine always records (its optional ones are recorded only when set)."""


def _as_row_handler(handler: Handler) -> RowHandler:
    def fed(seq: int, row: Packed) -> None:
        handler(event_of(seq, row))
    return fed


def _decoding(record: type[tuple[Any, ...]], handlers: list[DecodedHandler]) -> Handler:
    """An event handler that decodes the event's fields as ``record`` once and hands them to each of ``handlers`` (a
    list that may still grow)."""
    def fed(event: Event) -> None:
        fields = event.fields(record)
        for handler in handlers:
            handler(event, fields)
    return fed


class Dispatch:
    """The handlers of ``collectors`` by kind, in the collectors' order, and the feeding of rows through them."""

    def __init__(self, collectors: Iterable[Collector], more: Handlers | None = None) -> None:
        packed: dict[str, list[RowHandler]] = defaultdict(list)
        events: dict[str, list[Handler]] = defaultdict(list)
        self.decoded: dict[str, list[DecodedHandler]] = {}
        """Per decoded kind, its decoding handlers (run where the first of them was registered)."""
        for collector in collectors:
            for kind, handler in collector.handlers().items():
                if kind in LAYOUT:
                    packed[kind].append(_as_row_handler(handler))
                else:
                    events[kind].append(handler)
            row_handlers: Callable[[], RowHandlers] | None = getattr(collector, "row_handlers", None)
            for kind, row_handler in (row_handlers() if row_handlers is not None else {}).items():
                packed[kind].append(row_handler)
            decoded: Callable[[], DecodedHandlers] | None = getattr(collector, "decoded_handlers", None)
            for kind, decoded_handler in (decoded() if decoded is not None else {}).items():
                self._decode(kind, decoded_handler, events[kind].append)
        self.packed = {kind: tuple(handlers) for kind, handlers in packed.items()}
        self.events = {kind: tuple(handlers) for kind, handlers in events.items()}

    def add(self, kind: str, handler: Handler) -> None:
        """Run ``handler`` on events of ``kind`` (not a packed kind) after the collectors'."""
        if kind in LAYOUT:
            raise ValueError(f"{kind} is a packed kind: its handlers read rows")
        self.events[kind] = (*self.events.get(kind, ()), handler)

    def add_decoded(self, kind: str, handler: DecodedHandler) -> None:
        """Hand events of the decoded ``kind`` (:data:`DECODED`) with their fields to ``handler``, after the
        collectors' decoding handlers."""
        self._decode(kind, handler, partial(self.add, kind))

    def _decode(self, kind: str, handler: DecodedHandler, place: Callable[[Handler], None]) -> None:
        """Add ``handler`` to ``kind``'s decoding handlers; the first one places the handler that decodes for all."""
        found = self.decoded.get(kind)
        if found is None:
            found = self.decoded[kind] = []
            place(_decoding(DECODED[kind], found))
        found.append(handler)

    def feed(self, event: Event) -> None:
        """Take one event (e.g. read back from a journal): a packed kind's data decoded once into its values."""
        kind = event.kind
        handlers = self.packed.get(kind)
        if handlers is not None:
            row = (event.t, kind, event.incident, event.actor, event.step, event.values())
            seq = event.seq
            for row_handler in handlers:
                row_handler(seq, row)
            return
        for handler in self.events.get(kind, ()):
            handler(event)

    def take(self, first_seq: int, rows: list[Row], last_t: float) -> float:
        """Take the engine's rows numbered from ``first_seq``; the latest t of ``last_t`` and theirs."""
        packed, events, new, event_type = self.packed, self.events, _new, Event
        seq = first_seq
        row: Any
        for row in rows:
            t = row[0]
            if t > last_t:
                last_t = t
            kind = row[1]
            handlers = packed.get(kind)
            if handlers is not None:
                data = row[5]
                if type(data) is not tuple:  # a row with optional fields: decoded once, for every handler
                    row = (t, kind, row[2], row[3], row[4], values(kind, data))
                for row_handler in handlers:
                    row_handler(seq, row)
            else:
                event_handlers = events.get(kind)
                if event_handlers is not None:
                    data = row[5]
                    event = new(event_type, (seq, t, kind, row[2], row[3], row[4], {} if data is None else data))
                    for handler in event_handlers:
                        handler(event)
            seq += 1
        return last_t


def feed_all(collector: Collector, events: Iterable[Event]) -> None:
    """Feed ``events`` (in ``seq`` order) to ``collector``'s handlers."""
    dispatch = Dispatch((collector,))
    for event in events:
        dispatch.feed(event)
