"""The risk register: election risks, their owners and controls, and what in a scenario file exercises them.

A register is a YAML file read by the same strict reader as scenario files::

    version: 1
    title: Election risk register
    risks:
      - id: R01
        threat: DDoS on the results website on results night
        vector: Botnet traffic announced on a hacktivist Telegram channel
        likelihood: 4          # 1 (rare) .. 5 (almost certain)
        impact: 3              # 1 (minor) .. 5 (severe)
        controls: [Anti-DDoS service at the host, CERT warnings to announced targets]
        owner: fps-interior-ict
        exercised_by:
          incident_types: [ddos]
          injects: [results-night-ddos.D1]
          procedures: [cyber-outage-response]
          objectives: [results-night-ddos.O1]

``incident_types`` says which incidents realise the risk: every inject of those types exercises it, unless
its incident names an ``owner`` other than the risk's (a DDoS on a municipal site is not the results-site risk).
``injects``, ``procedures`` and ``objectives`` name further parts explicitly. A risk without
``exercised_by`` (or with nothing in it) is one the scenario file does not model yet. Cross-references
(owner, types, injects, procedures, objectives) are checked against a scenario file by
:func:`check_register`, with each problem placed at its line in the register.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path as FilePath
from typing import Literal

from pydantic import Field, ValidationError

from ballotdrill.scenarios.errors import Problem, ScenarioError
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.types import Model, Name
from ballotdrill.scenarios.validation import problems_from
from ballotdrill.scenarios.yamlread import Document, Path, read_file

Rating = int


class ExercisedBy(Model):
    """What in the scenario file realises or tests a risk."""

    incident_types: list[Name] = Field(default=[])
    injects: list[str] = Field(default=[])
    procedures: list[Name] = Field(default=[])
    objectives: list[str] = Field(default=[])



class Risk(Model):
    """One row of the register."""

    id: Name
    threat: str = Field(min_length=1)
    vector: str = ""
    likelihood: Rating = Field(ge=1, le=5)
    impact: Rating = Field(ge=1, le=5)
    controls: list[str] = Field(default=[])
    owner: Name
    basis: list[str] = Field(default=[])
    exercised_by: ExercisedBy = ExercisedBy()

    @property
    def score(self) -> int:
        """Likelihood times impact (1..25)."""
        return self.likelihood * self.impact


class Register(Model):
    """A risk register file."""

    version: Literal[1]
    title: str = ""
    description: str = ""
    risks: list[Risk] = Field(min_length=1)


def read_register(path: str | FilePath) -> tuple[Register, Document]:
    """Read and validate a register file (its own format only; see :func:`check_register`)."""
    doc = read_file(str(path))
    if not isinstance(doc.data, dict):
        raise ScenarioError([doc.problem((), "a risk register is a mapping starting with 'version: 1' and 'risks:'")])
    scenario_keys = [key for key in ("structure", "scenarios") if key in doc.data and "risks" not in doc.data]
    if scenario_keys:  # the scenario file given where the register goes: say what each is
        raise ScenarioError([doc.problem((scenario_keys[0],), f"this is a scenario file (it has '{scenario_keys[0]}'), "
                                         "not a risk register: a register lists 'risks:' after 'version: 1' (e.g. "
                                         "the built-in risks.yaml); give a scenario file with --file", key=True)])
    try:
        register = Register.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc, doc)) from None
    seen: set[str] = set()
    for n, risk in enumerate(register.risks):
        if risk.id in seen:
            raise ScenarioError([doc.problem(("risks", n, "id"), f"risk id '{risk.id}' is used twice")])
        seen.add(risk.id)
    return register, doc


def check_register(register: Register, doc: Document, scenario_file: ScenarioFile) -> None:
    """Every name the register uses exists in ``scenario_file``; else a located error per problem."""
    structure = scenario_file.structure
    types = {inj.incident.type for sc in scenario_file.scenarios.values() for inj in sc.injects
             if inj.incident is not None}
    types |= {t for proc in structure.procedures.values() for t in proc.trigger.types}
    injects = {f"{name}.{i}" for name, sc in scenario_file.scenarios.items() for i in sc.inject_ids()}
    objectives = {f"{name}.{o.id}" for name, sc in scenario_file.scenarios.items() for o in sc.objectives}
    problems: list[Problem] = []

    def need(value: str, known: Collection[str], what: str, path: Path) -> None:
        if value not in known:
            hint = did_you_mean(value, known)
            problems.append(doc.problem(path, f"{what} '{value}' is not in the scenario file{hint}"))

    for n, risk in enumerate(register.risks):
        base: Path = ("risks", n)
        need(risk.owner, structure.actors, "owner (an actor)", (*base, "owner"))
        ex = risk.exercised_by
        for key, values, known, what in (
            ("incident_types", ex.incident_types, types, "incident type"),
            ("injects", ex.injects, injects, "inject (SCENARIO.INJECT)"),
            ("procedures", ex.procedures, set(structure.procedures), "procedure"),
            ("objectives", ex.objectives, objectives, "objective (SCENARIO.OBJECTIVE)"),
        ):
            for i, value in enumerate(values):
                need(value, known, what, (*base, "exercised_by", key, i))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.line, p.col)))


def load_register(path: str | FilePath, scenario_file: ScenarioFile) -> Register:
    """Read a register and check it against ``scenario_file``."""
    register, doc = read_register(path)
    check_register(register, doc, scenario_file)
    return register
