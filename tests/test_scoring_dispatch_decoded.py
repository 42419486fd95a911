"""The dispatch decodes ``incident_started`` and ``contained`` once per row for every collector that reads them."""

from __future__ import annotations

from typing import Any

import pytest

from ballotdrill.journal import Contained, Event, IncidentStarted
from ballotdrill.journal.kinds import CONTAINED, INCIDENT_STARTED
from ballotdrill.scoring.feed import DecodedHandlers, Dispatch, Handlers

STARTED = Event(3, 5.0, INCIDENT_STARTED, "web-1", None, None,
                {"type": "ddos", "severity": 2, "level": "regional", "inject": "web", "voters": 40})
CONTAINED_ROW = Event(9, 7.5, CONTAINED, "web-1", "cert", None, {"how": "blocked", "reach": 12.0})


class Reader:
    """Records what each of its handlers was handed, in the order it was called (``calls`` is shared)."""

    def __init__(self, name: str, calls: list[tuple[str, int, Any]]) -> None:
        self.name, self.calls = name, calls

    def handlers(self) -> Handlers:
        return {INCIDENT_STARTED: lambda event: self.calls.append((self.name, event.seq, None))}

    def decoded_handlers(self) -> DecodedHandlers:
        return {INCIDENT_STARTED: self._seen, CONTAINED: self._seen}

    def _seen(self, event: Event, fields: Any) -> None:
        self.calls.append((self.name, event.seq, fields))


def test_each_row_is_decoded_once_and_every_reader_gets_the_same_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[type] = []
    fields = Event.fields

    def counting(event: Event, record: type) -> Any:
        decoded.append(record)
        return fields(event, record)

    monkeypatch.setattr(Event, "fields", counting)
    calls: list[tuple[str, int, Any]] = []
    dispatch = Dispatch((Reader("a", calls), Reader("b", calls)))
    dispatch.add_decoded(INCIDENT_STARTED, lambda event, started: calls.append(("late", event.seq, started)))
    for event in (STARTED, CONTAINED_ROW):
        dispatch.feed(event)
    assert decoded == [IncidentStarted, Contained]  # once per row, whatever the number of readers
    started = fields(STARTED, IncidentStarted)
    assert started.inject == "web" and started.voters == 40
    assert calls == [("a", 3, None), ("a", 3, started), ("b", 3, started), ("late", 3, started), ("b", 3, None),
                     ("a", 9, fields(CONTAINED_ROW, Contained)), ("b", 9, fields(CONTAINED_ROW, Contained))]
    assert calls[-1][2].how == "blocked"  # the decoding handlers run together, where the first was registered

def test_a_decoding_collector_reads_live_rows_as_journal_rows() -> None:
    """The engine's rows (``take``) and the same rows read back (``feed``) reach the decoding handlers alike."""
    live: list[tuple[str, int, Any]] = []
    read: list[tuple[str, int, Any]] = []
    Dispatch((Reader("a", live),)).take(3, [(5.0, INCIDENT_STARTED, "web-1", None, None, STARTED.data)], 0.0)
    Dispatch((Reader("a", read),)).feed(STARTED)
    assert live == read and live[1][2] == Event.fields(STARTED, IncidentStarted)
