"""A run's journal for other tools: JSON Lines, CSV and OCEL 2.0 (process mining), streamed.

Exports read the journal and the scenario file; they compute no measure of their own, and
hold one event at a time (OCEL: the work in flight), whatever the size of the run. Names are
imported on first use, so a JSON Lines or CSV export does not load the OCEL writers.
"""

from typing import TYPE_CHECKING

from ballotdrill._lazy import lazy_names

if TYPE_CHECKING:
    from ballotdrill.exports.lines import (
        write_csv,
        write_csv_blocks,
        write_csv_rows,
        write_jsonl,
        write_jsonl_blocks,
        write_jsonl_rows,
    )
    from ballotdrill.exports.ocel_json import to_ocel, write_ocel_json
    from ballotdrill.exports.ocel_sqlite import write_ocel_sqlite

__all__ = ["to_ocel", "write_csv", "write_csv_blocks", "write_csv_rows", "write_jsonl", "write_jsonl_blocks",
           "write_jsonl_rows", "write_ocel_json", "write_ocel_sqlite"]

__getattr__ = lazy_names(__name__, {
    **dict.fromkeys(("write_csv", "write_csv_blocks", "write_csv_rows", "write_jsonl", "write_jsonl_blocks",
                     "write_jsonl_rows"), "lines"),
    "to_ocel": "ocel_json", "write_ocel_json": "ocel_json", "write_ocel_sqlite": "ocel_sqlite"})
