"""Scenario files as the front ends open them: the built-in library by default, ``--set`` overrides applied.

Kept apart from run folders so that ``list``, ``show`` and ``validate`` load the scenario format alone;
``list`` and ``validate`` ask for a summary, which a cache can answer without loading it at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ballotdrill.scenarios.library import library_path

if TYPE_CHECKING:
    from ballotdrill.scenarios.loader import Checked
    from ballotdrill.scenarios.scenario import ScenarioFile
    from ballotdrill.scenarios.summary import FileSummary


def load_scenarios(file: Path | None = None, overrides: Sequence[str] = ()) -> ScenarioFile:
    """A scenario file (default: the built-in library) with ``--set PATH=VALUE`` overrides applied."""
    from ballotdrill.scenarios.loader import load_file
    from ballotdrill.scenarios.overrides import Override

    return load_file(file or library_path(), [Override(o) for o in overrides])


def check_scenarios(file: Path | None = None, overrides: Sequence[str] = ()) -> Checked:
    """:func:`load_scenarios`, also returning the file's warnings (dead configuration)."""
    from ballotdrill.scenarios.loader import check_file
    from ballotdrill.scenarios.overrides import Override

    return check_file(file or library_path(), [Override(o) for o in overrides])


def summarize_scenarios(file: Path | None = None) -> FileSummary:
    """What ``list`` and ``validate`` show of a scenario file (default: the built-in library); from the cache
    when the same bytes were checked by the same code before."""
    from ballotdrill.scenarios.summary import summarize_file

    return summarize_file(str(file or library_path()))
