"""The journal: the single record of a run, as a stream of typed events.

``events`` is the contract (kinds, records, packing); ``store`` writes and reads it
(memory, SQLite, JSON Lines); ``writer`` is the writer process of long runs. Nothing
here imports SimPy or scoring.
"""

from ballotdrill.journal.events import COLUMNS, KINDS, SHAPES, Data, Event, Row, canonical_json, encode_data, unpack
from ballotdrill.journal.store import (
    JOURNAL_FILE,
    Journal,
    JournalError,
    MemorySink,
    Sink,
    SqliteSink,
    read_events,
    read_meta,
)

__all__ = [
    "COLUMNS", "JOURNAL_FILE", "KINDS", "SHAPES", "Data", "Event", "Journal", "JournalError", "MemorySink", "Row",
    "Sink", "SqliteSink", "canonical_json", "encode_data", "read_events", "read_meta", "unpack",
]
