"""The after-action report (HSEEP AAR/IP outline) as data, and writing it for a run folder.

A report is built from the journal and the scenario file alone. It holds no wall-clock
date: the overview's ``date`` comes from the run's meta (key ``date``) when present.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from statistics import median
from typing import NamedTuple

from pydantic import Field

from exercise.journal import JOURNAL_FILE, Event, read_events, read_meta
from scenarios.errors import BallotdrillError
from scenarios.scenario import ScenarioFile
from scenarios.structure import Actor
from scenarios.timefmt import format_clock
from scoring.findings import QUEUE_P90, Analysis, analyse, shift_text
from scoring.load import actor_names
from scoring.model import Frozen, IncidentTimes, Scores, r3
from scoring.narrative import incident_label, narratives
from scoring.ratings import RATING_NAMES, THRESHOLDS
from scoring.score import score


class Participant(Frozen):
    """An actor of the structure: a participating organisation or cell."""

    key: str
    name: str
    description: str = ""
    staff: int = 0
    shifts: list[tuple[str, str, int]] = Field(default_factory=list)
    staff_text: str = ""
    level: str | None = None


class ObjectiveLine(Frozen):
    """An objective as the scenario states it."""

    id: str
    capability: str
    description: str = ""
    measure: str
    target: str


class Overview(Frozen):
    """Exercise overview: name, scope, scenario, participants, objectives."""

    scenario: str
    title: str
    description: str = ""
    basis: list[str] = Field(default_factory=list)
    structure: str = ""
    structure_description: str = ""
    seed: int | None = None
    date: str | None = None
    window: str
    participants: list[Participant] = Field(default_factory=list)
    objectives: list[ObjectiveLine] = Field(default_factory=list)
    injects: int = 0


class BackgroundGroup(Frozen):
    """The arrivals of one background inject (``every:``), summarised.

    ``open``: arrivals not contained by the end of the run (as the incident table flags them).
    Medians are over the arrivals that got that far; harm is summed over all of them.
    """

    inject: str
    title: str = ""
    type: str = ""
    count: int = 0
    open: int = 0
    median_detect: float | None = None
    median_contain: float | None = None
    median_resolve: float | None = None
    reach: float = 0.0
    voter_minutes: float = 0.0
    station_minutes: float = 0.0
    incidents: list[str] = Field(default_factory=list)


class Report(Frozen):
    """Everything the renderers show."""

    overview: Overview
    scores: Scores
    analysis: Analysis
    narratives: dict[str, list[str]] = Field(default_factory=dict)
    incident_labels: dict[str, str] = Field(default_factory=dict)
    incident_headings: dict[str, str] = Field(default_factory=dict)
    scripted: list[str] = Field(default_factory=list)
    background: list[BackgroundGroup] = Field(default_factory=list)
    actor_names: dict[str, str] = Field(default_factory=dict)
    rating_scale: dict[str, str] = Field(default_factory=lambda: dict(RATING_NAMES))
    thresholds: list[tuple[str, str, str]] = Field(default_factory=lambda: list(THRESHOLDS))
    finding_thresholds: list[tuple[str, str]] = Field(default_factory=lambda: list(FINDING_THRESHOLDS))


FINDING_THRESHOLDS: list[tuple[str, str]] = [
    ("Queue", f"90th-percentile queue wait ≥ {QUEUE_P90:g} min at an actor"),
    ("Failed channel", "at least one failed handoff attempt on the channel (a drop: no fallback left)"),
    ("Gap in shift cover", "work queued at an actor with nobody on duty"),
    ("Late step", "a step completed later than its target, counted from its procedure's start"),
    ("Missed deadline", "a step completed later than its legal deadline"),
    ("Ping-pong", "work handed back to an actor it had already left in the same procedure run"),
    ("Reroute", "a handoff received on another channel than its first attempt's, or after several attempts"),
    ("Utilisation", "busy staff-minutes / on-duty staff-minutes over the run"),
    ("p90", "nearest rank: the ⌈0.9·n⌉-th smallest value"),
]


def build_report(events: Sequence[Event], doc: ScenarioFile, scenario_name: str,
                 meta: Mapping[str, str] | None = None) -> Report:
    """Score the run and assemble the after-action report."""
    events = sorted(events, key=lambda e: e.seq)
    scenario = doc.scenarios[scenario_name]
    scores = score(events, doc, scenario_name)
    names = actor_names(doc.structure)
    for load in scores.load:
        names.setdefault(load.actor, load.actor)
    labels = {e.incident: incident_label(e.data, e.incident) for e in events
              if e.kind == "incident_started" and e.incident is not None}
    structure = doc.structure
    overview = Overview(
        scenario=scenario_name, title=scenario.title, description=scenario.description, basis=list(scenario.basis),
        structure=structure.name, structure_description=structure.description, seed=scores.seed,
        date=(meta or {}).get("date") or None,
        window=f"{format_clock(scenario.start)} to {format_clock(scenario.end)}",
        participants=[_participant(k, a) for k, a in structure.actors.items()],
        objectives=[ObjectiveLine(id=o.id, capability=o.capability, description=o.description,
                                  measure=f"{o.measure.kind}: {o.measure.subject}", target=str(o.target))
                    for o in scenario.objectives],
        injects=len(scenario.injects),
    )
    scripted = sorted((i for i in scores.incidents if not i.background), key=lambda i: (i.started_at, i.incident))
    headings = {i.incident: f"{i.incident}: {i.title}" if i.title else labels.get(i.incident, i.incident)
                for i in scores.incidents}
    return Report(overview=overview, scores=scores, analysis=analyse(scores, names, structure),
                  narratives=narratives(events, names, scores.start), incident_labels=labels,
                  incident_headings=headings, scripted=[i.incident for i in scripted],
                  background=background_groups(scores), actor_names=names)


def _participant(key: str, actor: Actor) -> Participant:
    shifts = [(s.start, s.end, s.staff) for s in actor.shifts]
    return Participant(key=key, name=actor.name or key, description=actor.description, staff=actor.staff,
                       shifts=shifts, staff_text=staff_text(actor.staff, shifts), level=actor.level)


def staff_text(staff: int, shifts: Sequence[tuple[str, str, int]]) -> str:
    """``0 (240 06:30–22:00)``: the baseline staff, then each daily shift's staff and hours."""
    if not shifts:
        return str(staff)
    return f"{staff} (" + ", ".join(f"{n} {shift_text(a, b)}" for a, b, n in shifts) + ")"


def background_groups(scores: Scores) -> list[BackgroundGroup]:
    """One summary per background inject, in the order of its first arrival."""
    groups: dict[str, list[IncidentTimes]] = {}
    for inc in scores.incidents:
        if inc.background:
            groups.setdefault(inc.inject, []).append(inc)
    harm = {h.incident: h for h in scores.harm}

    def mid(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return r3(median(known)) if known else None

    out: list[BackgroundGroup] = []
    for inject, incs in groups.items():
        harms = [harm[i.incident] for i in incs if i.incident in harm]
        out.append(BackgroundGroup(
            inject=inject, title=incs[0].title, type=incs[0].type, count=len(incs),
            open=sum(h.open for h in harms),
            median_detect=mid([i.to_detect for i in incs]), median_contain=mid([i.to_contain for i in incs]),
            median_resolve=mid([i.to_resolve for i in incs]),
            reach=r3(sum(h.reach for h in harms)), voter_minutes=r3(sum(h.voter_minutes for h in harms)),
            station_minutes=r3(sum(h.station_minutes for h in harms)), incidents=[i.incident for i in incs]))
    return out


class Run(NamedTuple):
    """A run folder's journal, scenario file, scenario name and meta."""

    events: list[Event]
    doc: ScenarioFile
    scenario: str
    meta: dict[str, str]


JSONL_FILE = "journal.jsonl"
META_FILE = "meta.json"


class RunFolderError(BallotdrillError):
    """A folder that holds no readable run (no journal, a damaged one, or no scenario file in its meta)."""


def load_run(run_dir: Path) -> Run:
    """Read ``journal.sqlite`` (or ``journal.jsonl`` + ``meta.json``) from a run folder."""
    run_dir = Path(run_dir)
    sqlite_path, jsonl_path = run_dir / JOURNAL_FILE, run_dir / JSONL_FILE
    hint = "create one with 'ballotdrill run --out FOLDER'"
    try:
        if sqlite_path.is_file():
            meta = read_meta(sqlite_path)
            events = list(read_events(sqlite_path))
        elif jsonl_path.is_file() and (run_dir / META_FILE).is_file():
            raw = json.loads((run_dir / META_FILE).read_text(encoding="utf-8"))
            meta = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}
            events = list(read_events(jsonl_path))
        else:
            raise RunFolderError(f"{run_dir}: no {JOURNAL_FILE} here (nor {JSONL_FILE} with {META_FILE}); {hint}")
        if "document" not in meta:
            raise RunFolderError(f"{run_dir}: the journal's meta has no 'document' (the scenario file); {hint}")
        doc = ScenarioFile.model_validate(json.loads(meta["document"]))
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {exc})") from None
    name = meta.get("scenario") or next(
        (str(e.data.get("scenario")) for e in events if e.kind == "run_started"), doc.default_scenario)
    return Run(events, doc, name, meta)


REPORT_FILES = {"html": "report.html", "md": "report.md", "json": "scores.json"}
"""Each report format and the file it is written to in a run folder."""


def write_reports(run_dir: Path, formats: Sequence[str] = tuple(REPORT_FILES)) -> tuple[Report, list[Path]]:
    """Rebuild the report from the run folder's journal and write the asked formats into it."""
    from scoring.render_html import render_html
    from scoring.render_md import render_json, render_markdown

    renderers = {"html": render_html, "md": render_markdown, "json": render_json}
    run = load_run(Path(run_dir))
    report = build_report(run.events, run.doc, run.scenario, run.meta)
    written: list[Path] = []
    for fmt in formats:
        path = Path(run_dir) / REPORT_FILES[fmt]
        path.write_text(renderers[fmt](report), encoding="utf-8", newline="\n")
        written.append(path)
    return report, written
