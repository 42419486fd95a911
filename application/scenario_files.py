"""Scenario files as the front ends open them: the built-in library by default, ``--set`` overrides applied.

Kept apart from run folders so that ``list``, ``show`` and ``validate`` load the scenario format alone;
``list`` and ``validate`` ask for a summary, which a cache can answer without loading it at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ballotdrill.scenarios.errors import Problem
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

    checked = check_file(file or library_path(), [Override(o) for o in overrides])
    shadowed = [Problem(f"--set {text}", 0, 0, warning) for text in overrides
                if (warning := shadowed_staff(checked.doc, text))]
    return checked._replace(warnings=[*checked.warnings, *shadowed], batch_warnings=[*checked.batch_warnings,
                                                                                     *shadowed])


def shadowed_staff(doc: ScenarioFile, override: str) -> str:
    """Why ``--set structure.actors.ACTOR.staff=N`` may change little (empty when it does not apply): the actor's
    shifts set its staff while they last, so ``staff`` is its staff only outside them."""
    path = override.partition("=")[0].strip().split(".")
    if len(path) != 4 or path[0] != "structure" or path[1] != "actors" or path[3] != "staff":
        return ""
    actor = doc.structure.actors.get(path[2])
    if actor is None or not actor.shifts:
        return ""
    hours = ", ".join(f"{shift.start}-{shift.end}" + (f" (days {', '.join(str(d) for d in shift.days)})"
                                                      if shift.days else "") for shift in actor.shifts)
    which = "0" if len(actor.shifts) == 1 else "N"
    return (f"warning: {path[2]}'s shifts set its staff during {hours}; 'staff' is its staff outside them only; "
            f"to change the staff on shift, set structure.actors.{path[2]}.shifts.{which}.staff"
            + (" (N: the shift's place in the list, from 0)" if which == "N" else ""))


SUMMED_FROM = 4
"""From this many procedures that cannot start, a run says so in one line instead of one line each."""

_UNSTARTABLE = re.compile(r"warning: procedure '(?P<name>[^']+)' (?:is triggered by type '(?P<type>[^']+)', which no "
                          r"incident in this file has(?P<hint>.*)|never starts: (?P<why>.*))")


def run_warnings(warnings: Sequence[Problem]) -> list[str]:
    """The warnings a run prints: each one, except that :data:`SUMMED_FROM` or more procedures that can never start
    are said in one line naming them and why (a structure shared by many scenarios, or a spreadsheet's MSEL imported
    against the library's, holds playbooks for incidents this file does not script: forty lines of them buried what
    mattered). A trigger type that looks like a typo of one the file has (``did you mean``) keeps its own line."""
    kept: list[str] = []
    names: dict[str, None] = {}
    by_type: dict[str, None] = {}
    types: dict[str, None] = {}
    reasons: list[str] = []
    source = ""
    for warning in warnings:
        found = _UNSTARTABLE.fullmatch(warning.message)
        if found is None or "did you mean" in (found["hint"] or ""):
            kept.append(str(warning))
            continue
        source = source or warning.source
        names[found["name"]] = None
        if found["type"]:
            by_type[found["name"]] = None
            types[found["type"]] = None
        else:
            reasons.append(f"'{found['name']}' never starts: {found['why']}")
    if len(names) < SUMMED_FROM:
        return [str(w) for w in warnings]
    why = ([f"triggered by types no incident here has ({', '.join(types)}): {', '.join(by_type)}"] if types else [])
    return [*kept, f"{source}: warning: {len(names)} procedures of the structure have a trigger no incident in this "
                   f"file meets; {'; '.join(why + reasons)} ('ballotdrill validate {source}' lists each with its "
                   "line)"]


def summarize_scenarios(file: Path | None = None) -> FileSummary:
    """What ``list`` and ``validate`` show of a scenario file (default: the built-in library); from the cache
    when the same bytes were checked by the same code before."""
    from ballotdrill.scenarios.summary import summarize_file

    return summarize_file(str(file or library_path()))
