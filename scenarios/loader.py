"""Load a scenario file: parse, apply overrides, validate, cross-check; all errors located."""

from __future__ import annotations

from pathlib import Path as FilePath

from pydantic import ValidationError

from ballotdrill.scenarios import crossref
from ballotdrill.scenarios.errors import ScenarioError, UnknownScenarioError
from ballotdrill.scenarios.overrides import Override, apply_overrides
from ballotdrill.scenarios.scenario import Scenario, ScenarioFile
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.validation import problems_from
from ballotdrill.scenarios.yamlread import Document, parse, read_file


def load_document(doc: Document, overrides: list[Override] | None = None) -> ScenarioFile:
    """Validate parsed data (after ``overrides``) and check its cross-references."""
    if overrides:
        doc = apply_overrides(doc, overrides)
    try:
        model = ScenarioFile.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc, doc)) from None
    findings = crossref.check(model)
    if findings:
        problems = [doc.problem(path, message) for path, message in findings]
        raise ScenarioError(sorted(problems, key=lambda p: (p.line, p.col)))
    return model


def load_file(path: str | FilePath, overrides: list[Override] | None = None) -> ScenarioFile:
    """Load and check the scenario file at ``path``."""
    return load_document(read_file(str(path)), overrides)


def load_text(text: str, source: str = "<text>", overrides: list[Override] | None = None) -> ScenarioFile:
    """Load and check scenario YAML given as text."""
    return load_document(parse(text, source), overrides)


def pick(doc: ScenarioFile, name: str | None) -> tuple[str, Scenario]:
    """The named scenario, or the file's default; a clear error for an unknown name."""
    chosen = name or doc.default_scenario
    if chosen not in doc.scenarios:
        raise UnknownScenarioError(
            f"no scenario '{chosen}'{did_you_mean(chosen, doc.scenarios)}; "
            f"the file has: {', '.join(doc.scenarios)}"
        )
    return chosen, doc.scenarios[chosen]
