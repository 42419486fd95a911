"""Scenario files as the front ends open them: the built-in library by default, ``--set`` overrides applied.

Kept apart from run folders so that ``list``, ``show`` and ``validate`` load the scenario format alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ballotdrill.scenarios.library import library_path
from ballotdrill.scenarios.loader import Checked, check_file, load_file
from ballotdrill.scenarios.overrides import Override
from ballotdrill.scenarios.scenario import ScenarioFile


def load_scenarios(file: Path | None = None, overrides: Sequence[str] = ()) -> ScenarioFile:
    """A scenario file (default: the built-in library) with ``--set PATH=VALUE`` overrides applied."""
    return load_file(file or library_path(), [Override(o) for o in overrides])


def check_scenarios(file: Path | None = None, overrides: Sequence[str] = ()) -> Checked:
    """:func:`load_scenarios`, also returning the file's warnings (dead configuration)."""
    return check_file(file or library_path(), [Override(o) for o in overrides])
