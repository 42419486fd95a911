"""The built-in scenario library (``scenarios.yaml``, installed inside the package)."""

from __future__ import annotations

from pathlib import Path

import ballotdrill


def library_path() -> Path:
    """Where the built-in library lives: beside the package's ``__init__.py``, a real file for every installer this
    project supports (none of them zips the package). The same path ``importlib.resources`` gives (tested), without
    loading it: ``list`` and ``validate`` of the library start faster."""
    return Path(ballotdrill.__file__).parent / "scenarios.yaml"
