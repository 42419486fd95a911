"""Decision points: what a run asked (and how it was answered), or what a scenario can ask; decisions templates.

A decisions file maps request keys ``incident:procedure:step:n`` to options (``run --decisions``).
These functions list the keys so nobody has to read them out of a journal.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import NamedTuple

from ballotdrill.application.folder import LIVE, holder_of, no_folder
from ballotdrill.application.runs import load_run
from ballotdrill.application.scenario_files import load_scenarios
from ballotdrill.journal import DecisionMade, DecisionRequested, Kind, RunStarted
from ballotdrill.scenarios import as_played, pick
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.loader import FILE_SUFFIXES
from ballotdrill.scenarios.scenario import Incident, Scenario, ScenarioFile
from ballotdrill.scenarios.structure import Procedure
from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scenarios.types import LEVELS


class DecisionPoint(NamedTuple):
    """A decision step that was asked in a run, or that a scenario can ask.

    For a run, ``chosen``, ``by`` and ``at`` say what happened; for a scenario, ``when`` says
    under which condition the procedure runs and ``repeats`` whether the step can ask again
    (keys ``…:2``, ``…:3``). A background inject's key names its arrivals ``ID-N``.
    """

    key: str
    incident: str
    procedure: str
    step: str
    actor: str
    options: tuple[str, ...]
    default: str
    chosen: str | None = None
    by: str | None = None
    at: str | None = None
    when: str = ""
    repeats: bool = False


class DecisionPoints(NamedTuple):
    """The decision points of a run folder (``source == "run"``) or of a scenario."""

    source: str
    scenario: str
    points: list[DecisionPoint]
    playing: bool = False
    """A run folder whose exercise is still being played live: the points it has asked so far (more may come)."""

    def template(self) -> dict[str, str]:
        """A decisions file: every concrete key with the option taken (a run) or the default (a scenario)."""
        return {p.key: p.chosen or p.default for p in self.points if "<" not in p.key}


def decision_points(target: str | None, file: Path | None = None) -> DecisionPoints:
    """The decision points of ``target``: a run folder if one exists at that path, else a scenario name (None: the
    default scenario of ``file``)."""
    if target is None and file is None:
        raise BallotdrillError("give a run folder, or a scenario's name (of the library, or of a file given with "
                               "--file)")
    path = Path(target or "")
    if target is not None and path.is_dir():
        if file is not None:
            raise BallotdrillError(f"{target} is a run folder, which holds its own scenario file; drop --file")
        return _of_run(path)
    if target is not None and path.is_file() and path.suffix.lower() in FILE_SUFFIXES:
        raise BallotdrillError(f"{target} is a file, not a run folder: give a scenario file with --file "
                               f"{shlex.quote(target)}, or give a run folder")
    if target is not None and path.is_file():
        raise BallotdrillError(f"{target} is a file, not a run folder (give a run folder or a scenario name)")
    if target is not None and ("/" in target or path.suffix):  # a path (a scenario name holds neither)
        raise BallotdrillError(f"{target}: no run folder there (give a run folder or a scenario name)")
    doc = load_scenarios(file)
    name, scenario = pick(doc, target)
    return DecisionPoints("scenario", name, _of_scenario(as_played(doc, name), scenario))


def _of_run(folder: Path) -> DecisionPoints:
    playing = holder_of(folder) == LIVE  # read as it stands (its writer never blocks a reader); nothing is changed
    run = load_run(folder)
    start = next((e.fields(RunStarted).start for e in run.events if e.kind == Kind.RUN_STARTED), 0.0)
    made = {m.request: m for m in (e.fields(DecisionMade) for e in run.events if e.kind == Kind.DECISION_MADE)}
    points = []
    for e in run.events:
        if e.kind != Kind.DECISION_REQUESTED:
            continue
        asked = e.fields(DecisionRequested)
        answer = made.get(asked.request)
        points.append(DecisionPoint(
            key=asked.request, incident=e.incident or "", procedure=asked.procedure, step=e.step or "",
            actor=e.actor or "", options=tuple(asked.options), default=asked.default,
            chosen=answer.option if answer else None,
            by=answer.by if answer else "not answered yet" if playing else "still open at the end",
            at=format_clock(start + e.t)))
    return DecisionPoints("run", run.scenario, points, playing)


def _of_scenario(doc: ScenarioFile, scenario: Scenario) -> list[DecisionPoint]:
    incidents: list[tuple[str, Incident, str]] = []
    for inject_id, inject in zip(scenario.inject_ids(), scenario.injects, strict=True):
        if inject.incident is None:
            continue
        name = inject.incident.id or inject_id
        incidents.append((f"{name}-<n>" if inject.every is not None else name, inject.incident,
                          " (if released: a contingency inject)" if inject.when is not None else ""))
    actions = {(inj.action.name, inj.action.incident) for inj in scenario.injects if inj.action is not None}
    points = []
    for incident, spec, released in incidents:
        for proc_name, proc in doc.structure.procedures.items():
            when = _when(proc, spec, incident, actions)
            if when is None:
                continue
            for index, step in enumerate(proc.steps):
                if step.decision is None:
                    continue
                points.append(DecisionPoint(
                    key=f"{incident}:{proc_name}:{step.id}:1", incident=incident, procedure=proc_name, step=step.id,
                    actor=step.actor, options=tuple(step.decision.options), default=step.decision.default,
                    when=when + released, repeats=proc.loops_back(index)))
    return points


def _when(proc: Procedure, spec: Incident, incident: str, actions: set[tuple[str, str | None]]) -> str | None:
    """When ``proc`` runs for an incident like ``spec`` (None: never)."""
    trig = proc.trigger
    if trig.type is not None:
        if spec.type not in trig.types or spec.severity < trig.min_severity:
            return None
        return f"on detection (type {spec.type}, severity {spec.severity})"
    if trig.level is not None:
        if LEVELS.index(spec.level) >= LEVELS.index(trig.level):
            return f"on detection (it starts at the {spec.level} level)"
        return f"if escalated to the {trig.level} level"
    scripted = (trig.action, incident) in actions
    return f"when action '{trig.action}' is taken" + (" (scripted in the MSEL)" if scripted else " (by a player)")


def write_template(points: DecisionPoints, out: Path) -> int:
    """Write the decisions template as JSON to ``out`` (never over an existing file); how many keys it holds."""
    data = points.template()
    if not Path(out).parent.is_dir():
        raise BallotdrillError(no_folder(Path(out)))
    try:
        with open(out, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except FileExistsError:
        raise BallotdrillError(f"{out} already exists; choose a new --template file (a template never overwrites "
                               "a file)") from None
    except OSError as exc:
        raise BallotdrillError(f"{out}: cannot write the template ({exc.strerror or exc})") from None
    return len(data)


def points_json(points: DecisionPoints) -> dict[str, object]:
    """The decision points as plain data (``--json``)."""
    return {"source": points.source, "scenario": points.scenario, **({"playing": True} if points.playing else {}),
            "points": [{**p._asdict(), "options": list(p.options)} for p in points.points]}

