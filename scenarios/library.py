"""The built-in scenario library (``scenarios.yaml``, installed inside the package)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def library_path() -> Path:
    """Where the built-in library lives: a real file, wherever and however the package is installed."""
    resource = files("ballotdrill") / "scenarios.yaml"
    with as_file(resource) as path:  # a plain file for every installer this project supports (not zipped)
        return Path(path)
