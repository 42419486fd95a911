"""The engine: play a scenario against its response structure and journal what happens.

``scenarios <- journal <- exercise``: nothing here imports scoring. Names are loaded on
first use, so importing the package does not import SimPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ballotdrill.exercise.decisions import (
        Answer,
        DecisionProvider,
        DecisionRequest,
        DefaultDecisions,
        RecordedDecisions,
    )
    from ballotdrill.exercise.engine import Exercise
    from ballotdrill.exercise.errors import RunError
    from ballotdrill.exercise.run import RunResult, run_exercise

_HOMES = {
    "Answer": "decisions", "DecisionProvider": "decisions", "DecisionRequest": "decisions",
    "DefaultDecisions": "decisions", "RecordedDecisions": "decisions", "Exercise": "engine", "RunError": "errors",
    "RunResult": "run", "run_exercise": "run",
}

__all__ = [
    "Answer", "DecisionProvider", "DecisionRequest", "DefaultDecisions", "Exercise", "RecordedDecisions",
    "RunError", "RunResult", "run_exercise",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ballotdrill.exercise' has no attribute {name!r}")
    return getattr(importlib.import_module(f"ballotdrill.exercise.{home}"), name)
