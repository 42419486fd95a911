"""A run's journal for other tools: JSON Lines, CSV and OCEL 2.0 (process mining).

Exports read the journal and the scenario file; they compute no measure of their own.
"""

from ballotdrill.exports.lines import write_csv, write_jsonl
from ballotdrill.exports.ocel import ocel_json, to_ocel

__all__ = ["ocel_json", "to_ocel", "write_csv", "write_jsonl"]
