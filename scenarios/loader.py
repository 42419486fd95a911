"""Load a scenario file: parse, apply overrides, validate, cross-check; all errors located."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, NamedTuple

from pydantic import ValidationError

from ballotdrill.scenarios import crossref, deadconfig
from ballotdrill.scenarios.errors import Problem, ScenarioError, UnknownScenarioError
from ballotdrill.scenarios.scenario import Scenario, ScenarioFile
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.validation import problems_from
from ballotdrill.scenarios.yamlread import Document, parse, read_file

if TYPE_CHECKING:
    from ballotdrill.scenarios.overrides import Change


class Checked(NamedTuple):
    """A loaded scenario file and its warnings (dead configuration), each located like an error."""

    doc: ScenarioFile
    warnings: list[Problem]
    batch_warnings: list[Problem]
    """The warnings that change what a batch run does (not those only a live player could reach)."""


def load_document(doc: Document, overrides: Sequence[Change] | None = None) -> ScenarioFile:
    """Validate parsed data (after ``overrides``) and check its cross-references."""
    return check_document(doc, overrides).doc


def check_document(doc: Document, overrides: Sequence[Change] | None = None) -> Checked:
    """:func:`load_document`, also returning the file's warnings (see :mod:`.deadconfig`)."""
    if overrides:
        from ballotdrill.scenarios.overrides import apply_overrides  # list and validate never override

        doc = apply_overrides(doc, overrides)
    try:
        model = ScenarioFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc, doc)) from None
    findings = crossref.check(model)
    if findings:
        problems = [doc.problem(path, message) for path, message in findings]
        raise ScenarioError(sorted(problems, key=lambda p: (p.line, p.col)))
    dead = sorted(((doc.problem(d.path, f"warning: {d.message}"), d.batch) for d in deadconfig.warnings(model)),
                  key=lambda found: (found[0].line, found[0].col))
    return Checked(model, [p for p, _ in dead], [p for p, batch in dead if batch])


def load_file(path: str | FilePath, overrides: Sequence[Change] | None = None) -> ScenarioFile:
    """Load and check the scenario file at ``path``."""
    return load_document(read_file(str(path)), overrides)


def check_file(path: str | FilePath, overrides: Sequence[Change] | None = None) -> Checked:
    """Load and check the scenario file at ``path``, with its warnings."""
    return check_document(read_file(str(path)), overrides)


def load_text(text: str, source: str = "<text>", overrides: Sequence[Change] | None = None) -> ScenarioFile:
    """Load and check scenario YAML given as text."""
    return load_document(parse(text, source), overrides)


def pick(doc: ScenarioFile, name: str | None) -> tuple[str, Scenario]:
    """The named scenario, or the file's default; a clear error for an unknown name."""
    chosen = name or doc.default_scenario
    if chosen not in doc.scenarios and names_a_file(chosen):
        raise UnknownScenarioError(f"no scenario {chosen!r}: that names a file; give a scenario file with "
                                   f"--file {shlex.quote(chosen)}")
    if chosen not in doc.scenarios:
        raise UnknownScenarioError(
            f"no scenario '{chosen}'{did_you_mean(chosen, doc.scenarios)}; "
            f"the file has: {', '.join(doc.scenarios)}"
        )
    return chosen, doc.scenarios[chosen]


FILE_SUFFIXES = (".yaml", ".yml", ".json")
"""Suffixes of a scenario file; a scenario's name ends in none of them (it has no '.')."""


def names_a_file(text: str) -> bool:
    """Whether ``text``, given where a scenario's name goes, names a file instead: a path (a name has no '/'), a
    scenario file's suffix, or a file that exists."""
    return "/" in text or "\\" in text or text.lower().endswith(FILE_SUFFIXES) or os.path.isfile(text)
