"""A disinformation wave's growth, as the engine plays it: defined with the format (:mod:`ballotdrill.scenarios.waves`),
where the scorer can replay it too without importing the engine."""

from __future__ import annotations

from ballotdrill.scenarios.waves import MAX_DOUBLINGS, Wave, finite

__all__ = ["MAX_DOUBLINGS", "Wave", "finite"]
