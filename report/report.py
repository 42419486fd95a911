"""The after-action report (HSEEP AAR/IP outline) as data, and writing it for a run folder.

A report is built from the journal and the scenario file alone. It holds no wall-clock
date: the overview's ``date`` comes from the run's meta (key ``date``) when present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import median

from pydantic import Field

from ballotdrill.journal import Event, IncidentStarted, Kind
from ballotdrill.report.narrative import incident_label, narratives
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.structure import Actor
from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scoring.findings import QUEUE_P90, Analysis, analyse, shift_text
from ballotdrill.scoring.load import actor_names
from ballotdrill.scoring.model import Frozen, IncidentTimes, Scores, r3
from ballotdrill.scoring.ratings import RATING_NAMES, THRESHOLDS
from ballotdrill.scoring.score import score


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
    labels = {e.incident: incident_label(e.fields(IncidentStarted), e.incident) for e in events
              if e.kind == Kind.INCIDENT_STARTED and e.incident is not None}
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
