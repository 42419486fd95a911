"""The engine: play a scenario against its response structure and journal what happens.

``scenarios <- exercise <- scoring <- cli``: nothing here imports scoring. Names are
loaded on first use, so ``exercise.journal`` (all that scoring reads) never imports SimPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exercise.decisions import Answer, DecisionProvider, DecisionRequest, DefaultDecisions, RecordedDecisions
    from exercise.engine import Exercise
    from exercise.errors import RunError
    from exercise.journal import JOURNAL_FILE, KINDS, Event, Journal, read_events, read_meta, write_jsonl
    from exercise.run import RunResult, run_exercise

_HOMES = {
    "Answer": "decisions", "DecisionProvider": "decisions", "DecisionRequest": "decisions",
    "DefaultDecisions": "decisions", "RecordedDecisions": "decisions", "Exercise": "engine", "RunError": "errors",
    "JOURNAL_FILE": "journal", "KINDS": "journal", "Event": "journal", "Journal": "journal",
    "read_events": "journal", "read_meta": "journal", "write_jsonl": "journal",
    "RunResult": "run", "run_exercise": "run",
}

__all__ = [
    "JOURNAL_FILE", "KINDS", "Answer", "DecisionProvider", "DecisionRequest", "DefaultDecisions", "Event",
    "Exercise", "Journal", "RecordedDecisions", "RunError", "RunResult", "read_events", "read_meta",
    "run_exercise", "write_jsonl",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'exercise' has no attribute {name!r}")
    return getattr(importlib.import_module(f"exercise.{home}"), name)
