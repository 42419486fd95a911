"""The journal as JSON Lines and CSV, one row per event."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from ballotdrill.journal.events import COLUMNS, Event, canonical_json
from ballotdrill.scenarios.safetext import csv_cell


def write_jsonl(events: Iterable[Event], path: Path) -> int:
    """Write events as canonical JSON Lines; return how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for event in events:
            handle.write(event.to_json() + "\n")
            count += 1
    return count


def write_csv(events: Iterable[Event], path: Path) -> int:
    """Write events as CSV (``seq,t,kind,incident,actor,step,data``; data as canonical JSON); return how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for event in events:
            writer.writerow([csv_cell(cell) for cell in (
                event.seq, repr(event.t), event.kind, event.incident, event.actor, event.step,
                canonical_json(event.data) if event.data else "")])
            count += 1
    return count
