"""Risk coverage: which risks of a register a scenario file exercises, and which procedures it never starts."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, NamedTuple

from ballotdrill.report.report import Report, RiskLine
from ballotdrill.report.view import Para, Section, Table, cell
from ballotdrill.scenarios.coverage import InjectRef, incident_injects, objective_subjects, untriggered_procedures
from ballotdrill.scenarios.errors import BallotdrillError, ScenarioError
from ballotdrill.scenarios.risks import Register, Risk, load_register
from ballotdrill.scenarios.scenario import ScenarioFile


def register_path() -> Path:
    """The built-in risk register (``risks.yaml``, installed beside the library)."""
    with as_file(files("ballotdrill") / "risks.yaml") as path:
        return Path(path)


class RiskCoverage(NamedTuple):
    """One risk and what in the scenario file exercises it."""

    risk: Risk
    scenarios: tuple[str, ...]
    injects: tuple[str, ...]
    procedures: tuple[str, ...]
    objectives: tuple[str, ...]

    @property
    def exercised(self) -> bool:
        """True when some inject of some scenario realises the risk."""
        return bool(self.injects)

    def as_dict(self) -> dict[str, Any]:
        r = self.risk
        return {"id": r.id, "threat": r.threat, "vector": r.vector, "likelihood": r.likelihood, "impact": r.impact,
                "score": r.score, "controls": list(r.controls), "owner": r.owner, "exercised": self.exercised,
                "scenarios": list(self.scenarios), "injects": list(self.injects),
                "procedures": list(self.procedures), "objectives": list(self.objectives)}


class Coverage(NamedTuple):
    """The whole matrix: every risk's coverage, and the procedures no scenario starts."""

    register: Register
    scenarios: tuple[str, ...]
    risks: tuple[RiskCoverage, ...]
    action_only_procedures: tuple[str, ...]
    untriggered_procedures: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"register": self.register.title, "scenarios": list(self.scenarios),
                "risks": [r.as_dict() for r in self.risks],
                "exercised": [r.risk.id for r in self.risks if r.exercised],
                "not_exercised": [r.risk.id for r in self.risks if not r.exercised],
                "procedures_started_only_by_a_player_action": list(self.action_only_procedures),
                "procedures_never_started": list(self.untriggered_procedures)}


def _objectives_for(file: ScenarioFile, refs: list[InjectRef], procedures: set[str]) -> list[str]:
    steps = {s.id for name in procedures for s in file.structure.procedures[name].steps}
    found: list[str] = []
    for name in dict.fromkeys(ref.scenario for ref in refs):
        incidents = {ref.incident for ref in refs if ref.scenario == name}
        for objective_id, (subject_incidents, subject_steps) in objective_subjects(file.scenarios[name]).items():
            named_procedure = subject_steps & procedures
            if (subject_incidents & incidents and (not subject_steps or subject_steps & steps)) or named_procedure:
                found.append(f"{name}.{objective_id}")
    return found


def realises(risk: Risk, ref: InjectRef) -> bool:
    """Whether the inject's incident realises ``risk``: one of its types, and owned by the risk's owner if owned at all.

    A DDoS on a municipal provider's site (``owner: municipal-it-provider``) realises the municipal DDoS risk,
    not the results-site one, though both are of type ``ddos``.
    """
    return ref.type in risk.exercised_by.incident_types and ref.owner in (None, risk.owner)


def risk_coverage(risk: Risk, file: ScenarioFile, refs: list[InjectRef]) -> RiskCoverage:
    """What exercises ``risk``: injects of its incident types or named in it, what they start, what measures them."""
    ex = risk.exercised_by
    matched = [ref for ref in refs if ref.key in ex.injects or realises(risk, ref)]
    named_injects = [key for key in ex.injects if key not in {ref.key for ref in matched}]  # message injects
    procedures = dict.fromkeys([*ex.procedures, *(p for ref in matched for p in ref.procedures)])
    objectives = dict.fromkeys([*ex.objectives, *_objectives_for(file, matched, set(procedures))])
    injects = [ref.key for ref in matched] + named_injects
    scenarios = dict.fromkeys(key.split(".", 1)[0] for key in injects)
    return RiskCoverage(risk, tuple(scenarios), tuple(injects), tuple(procedures), tuple(objectives))


def coverage(file: ScenarioFile, register_file: Path | None = None) -> Coverage:
    """Check the register (the built-in one by default) against ``file`` and compute the coverage matrix."""
    if register_file is None:
        try:
            register = load_register(register_path(), file)
        except ScenarioError as exc:  # your own scenario file: the built-in register names the library's parts
            raise BallotdrillError(
                f"the built-in risk register names actors and incident types of the built-in library that this "
                f"scenario file does not have ({len(exc.problems)} of them, the first: {exc.problems[0].message}); "
                "give a register of your own with --register FILE") from None
    else:
        register = load_register(register_file, file)
    refs = incident_injects(file)
    by_action, never = untriggered_procedures(file)
    risks = tuple(risk_coverage(risk, file, refs) for risk in register.risks)
    return Coverage(register, tuple(file.scenarios), risks, tuple(by_action), tuple(never))


def risks_for_scenario(file: ScenarioFile, scenario: str, register_file: Path | None = None) -> list[RiskCoverage]:
    """The register's risks that ``scenario``'s own injects exercise, with what they start there (for the report)."""
    register = load_register(register_file or register_path(), file)
    refs = [ref for ref in incident_injects(file) if ref.scenario == scenario]
    rows = [risk_coverage(risk, file, refs) for risk in register.risks]
    return [r for r in rows if scenario in r.scenarios]


def with_risks(report: Report, file: ScenarioFile, scenario: str) -> Report:
    """The report with the risks of the built-in register this scenario exercises: its ``risks`` (scores.json)
    and a section (HTML, Markdown).

    Unchanged when the built-in register does not fit the run's scenario file (a file of your own, with other
    actors): the register's names would not mean anything there.
    """
    try:
        rows = risks_for_scenario(file, scenario)
    except ScenarioError:
        return report
    lines = [RiskLine(id=r.risk.id, threat=r.risk.threat, vector=r.risk.vector, likelihood=r.risk.likelihood,
                      impact=r.risk.impact, owner=r.risk.owner, controls=list(r.risk.controls),
                      injects=_here(r.injects, scenario), procedures=list(r.procedures),
                      objectives=_here(r.objectives, scenario)) for r in rows]
    return report.model_copy(update={"risks": lines, "sections": [*report.sections, _section(lines)]})


def _section(rows: list[RiskLine]) -> Section:
    """The after-action report's section on the risks the scenario exercises."""
    intro = Para(text=(
        f"{len(rows)} risk(s) of the risk register (risks.yaml) are exercised by this scenario's injects; "
        "likelihood and impact (1-5) are the register's own assumptions. The command 'ballotdrill risks' shows "
        "the whole register and the risks no scenario exercises."))
    table = Table(header=["Risk", "Threat", "L×I", "Owner", "Injects", "Procedures", "Objectives"],
                  rows=[[cell(r.id), cell(r.threat), cell(f"{r.likelihood}×{r.impact}"), cell(r.owner),
                         cell(", ".join(r.injects) or "—"), cell(", ".join(r.procedures)),
                         cell(", ".join(r.objectives) or "—")] for r in rows])
    blocks = [intro, table] if rows else [intro]
    return Section(id="risks", title="Risks exercised (from the risk register)", blocks=blocks)


def _here(keys: tuple[str, ...], scenario: str) -> list[str]:
    """The keys (``SCENARIO.ID``) of ``scenario``, without the scenario."""
    prefix = f"{scenario}."
    return [k.removeprefix(prefix) for k in keys if k.startswith(prefix)]
