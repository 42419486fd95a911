"""The built-in scenario library (``scenarios.yaml`` beside the packages)."""

from __future__ import annotations

import sys
from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "scenarios.yaml",
    Path(sys.prefix) / "share" / "ballotdrill" / "scenarios.yaml",
)


def library_path() -> Path:
    """Where the built-in library lives (the source tree, or the installed data file)."""
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    return _CANDIDATES[0]
