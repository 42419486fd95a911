"""Rounding a score to thousandths: :mod:`ballotdrill.journal.rounding`'s, which the engine's harm figures use too
(kept importable here for the scoring modules that name it)."""

from __future__ import annotations

from ballotdrill.journal.rounding import r3, r3n

__all__ = ["r3", "r3n"]
