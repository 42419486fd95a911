"""The after-action report (HSEEP AAR/IP outline) as data, and its sections as view models.

A report is built from the journal, the scenario file and the run's meta alone. It holds no
wall-clock date: the overview's ``date`` comes from the run's meta (key ``date``) when present;
``overrides`` (the ``--set`` values, JSON) and ``version`` (of the tool) come from the meta too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from pydantic import Field

from ballotdrill.journal import Event, Kind, Row
from ballotdrill.journal.kinds import INCIDENT_STARTED
from ballotdrill.journal.seal import sealed
from ballotdrill.journal.store import SWEEP_POINT
from ballotdrill.report.collect import ReportRows
from ballotdrill.report.injects import InjectEntry, adhoc_incidents, inject_log
from ballotdrill.report.liveclock import LiveClock, live_clock
from ballotdrill.report.narrative import label_of, narratives
from ballotdrill.report.played import PlayedInput, played_inputs
from ballotdrill.report.story import key_moments
from ballotdrill.report.view import Section
from ballotdrill.scenarios.election import election_text, hours_text
from ballotdrill.scenarios.roles import as_played, cast_in
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.structure import Actor
from ballotdrill.scenarios.timefmt import format_clock, format_end
from ballotdrill.scoring.choices import ChoiceCollector, Choices
from ballotdrill.scoring.digest import Digest
from ballotdrill.scoring.extensions import Extension, ExtensionCollector
from ballotdrill.scoring.findings import QUEUE_P90, Analysis, analyse, shift_text
from ballotdrill.scoring.load import actor_names
from ballotdrill.scoring.model import Frozen, Handoff, Scores, StepResult
from ballotdrill.scoring.objective_cause import detections_of
from ballotdrill.scoring.passing import TargetPassing
from ballotdrill.scoring.ranking import RANKING_TERMS
from ballotdrill.scoring.ratings import RATING_NAMES, THRESHOLDS
from ballotdrill.scoring.sofar import so_far_reasons
from ballotdrill.scoring.stream import Scorer
from ballotdrill.scoring.unreached import Unreached
from ballotdrill.scoring.voteslost import VOTES_LOST_TERM
from ballotdrill.scoring.wavecap import wave_starts
from ballotdrill.scoring.work import WorkTables


class Participant(Frozen):
    """An actor of the structure: a participating organisation or cell."""

    key: str
    name: str
    description: str = ""
    staff: int = 0
    shifts: list[tuple[str, str, int]] = Field(default_factory=list)
    staff_text: str = ""
    level: str | None = None
    roles: list[str] = Field(default_factory=list)
    """The structure's roles it played in the run (the meta's cast)."""


class ObjectiveLine(Frozen):
    """An objective as the scenario states it."""

    id: str
    capability: str
    description: str = ""
    measure: str
    target: str


class Contact(Frozen):
    """A point of contact named by the scenario."""

    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


class Overview(Frozen):
    """Exercise overview: name, date, place, sponsor, scope, scenario, participants, objectives, run settings."""

    scenario: str
    title: str
    description: str = ""
    basis: list[str] = Field(default_factory=list)
    exercise_date: str = ""
    location: str = ""
    sponsor: str = ""
    contacts: list[Contact] = Field(default_factory=list)
    structure: str = ""
    structure_description: str = ""
    seed: int | None = None
    date: str | None = None
    version: str = ""
    overrides: list[str] = Field(default_factory=list)
    sweep_point: str | None = None
    """The sweep's point a kept replication played (its label; None for any other run): its ``overrides`` are the
    point's changes."""
    window: str
    polls: str = ""
    """Polling hours, ``07:00 to 20:00``, with ``(default)`` when the scenario does not declare them, and the
    closing time of each way of voting when the election gives them."""
    election: str = ""
    """The election in one line: what is elected, by whom, compulsory or not (empty when the scenario says nothing)."""
    participants: list[Participant] = Field(default_factory=list)
    objectives: list[ObjectiveLine] = Field(default_factory=list)
    injects: int = 0


class DecisionCount(Frozen):
    """How the run's decisions were taken (``by`` of ``decision_made``), and how many were still open."""

    total: int = 0
    by: dict[str, int] = Field(default_factory=dict)
    pending: int = 0


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
    worst_contain: str | None = None
    """The arrival that took longest to contain (or one still open), for the summary's worst case."""
    worst_harm: str | None = None
    incidents: list[str] = Field(default_factory=list)


class RiskLine(Frozen):
    """A risk of the risk register that the scenario's injects exercise, with what in this scenario does.

    ``injects`` and ``objectives`` are ids of this scenario; ``procedures`` are those its injects can start.
    """

    id: str
    threat: str
    vector: str = ""
    likelihood: int
    impact: int
    owner: str
    controls: list[str] = Field(default_factory=list)
    injects: list[str] = Field(default_factory=list)
    procedures: list[str] = Field(default_factory=list)
    objectives: list[str] = Field(default_factory=list)


class ScoresSource(Frozen):
    """The sealed journal a report's scores were made from, as its meta records the seal, and the tool that
    scored it: ``compare`` takes a run's ``scores.json`` for that journal only when all of it still matches."""

    rows: int
    digest: str
    """The seal's digest (of every row and the covered meta entries)."""
    meta_digest: str
    """A digest of the covered meta entries alone (stored scenario, seed, decisions…): checked without a row."""
    scored_with: str
    """The ballotdrill version that scored the run."""
    scores_digest: str = ""
    """:func:`scores_digest` of the file's ``scores``, written with them: ``compare`` takes them only if it matches."""


class Report(Frozen):
    """Everything the renderers show."""

    overview: Overview
    scores: Scores
    analysis: Analysis
    decisions: DecisionCount = DecisionCount()
    inject_log: list[InjectEntry] = Field(default_factory=list)
    moments: dict[str, list[str]] = Field(default_factory=dict)
    """Per scripted incident, the moments that matter (the story a director reads)."""
    narratives: dict[str, list[str]] = Field(default_factory=dict)
    """Per scripted incident, one sentence per journal row (the appendix's full event list)."""
    incident_labels: dict[str, str] = Field(default_factory=dict)
    incident_headings: dict[str, str] = Field(default_factory=dict)
    scripted: list[str] = Field(default_factory=list)
    adhoc: list[str] = Field(default_factory=list)
    """Incidents a facilitator added during a live exercise (ad-hoc injects): told like the scripted ones, apart."""
    background: list[BackgroundGroup] = Field(default_factory=list)
    actor_names: dict[str, str] = Field(default_factory=dict)
    rating_scale: dict[str, str] = Field(default_factory=lambda: dict(RATING_NAMES))
    thresholds: list[tuple[str, str, str]] = Field(default_factory=lambda: list(THRESHOLDS))
    finding_thresholds: list[tuple[str, str]] = Field(default_factory=lambda: list(FINDING_THRESHOLDS))
    background_note: str = ""
    """``N of M background incidents listed; all counted in the aggregates`` when the lists are bounded."""
    played: list[PlayedInput] = Field(default_factory=list)
    """A live exercise's human inputs: players' decisions and actions, discussion answers, notes."""
    live: LiveClock | None = None
    """A live exercise's clock: its starting speed, speed changes, pauses, stops and resumes (None: a batch run)."""
    risks: list[RiskLine] | None = None
    """The risk register's risks this scenario exercises (added by the application layer); None when the
    built-in register does not fit the run's scenario file."""
    work: WorkTables | None = Field(default=None, exclude=True)
    """The tables of work over every incident (handoff links, background arrivals' steps and handoffs)."""
    journal: ScoresSource | None = None
    """The sealed journal these scores were made from (None: made from a run without a seal)."""
    sections: list[Section] = Field(default_factory=list, exclude=True)
    """The report laid out: one view model per section, shown by both renderers (not in ``scores.json``)."""
    cover: list[str] = Field(default_factory=list, exclude=True)


FINDING_THRESHOLDS: list[tuple[str, str]] = [
    ("Queue", f"90th-percentile queue wait ≥ {QUEUE_P90:g} min at an actor"),
    ("Failed channel", "at least one failed handoff attempt on the channel (a drop: no fallback left)"),
    ("Gap in shift cover", "work queued at an actor with nobody on duty"),
    ("Late step", "a step completed later than its target, counted from its procedure's start, or still "
     "queued or in progress past its target when the run stopped"),
    ("Missed deadline", "a step completed later than its legal deadline, or never done by then (its procedure "
     "dropped, or still short of it when the run stopped)"),
    ("Ping-pong", "work returned off the procedure's designed path: after a decision looped back, to an actor "
     "that had already handed it on and then did a step again (a designed A → B → A chain is not ping-pong)"),
    ("In transit", "a handoff still travelling when the run stopped; overdue past its channel's 90th-percentile "
     "latency; never counted as dropped"),
    ("Retried, rerouted", "a handoff received after a failed attempt: on the same channel (retried), or on another "
     "channel than its first attempt's (rerouted); the handoff counts add both"),
    ("Channel latency", "the mean time a handoff received on the channel spent on it, from the attempt sent on it "
     "to its receipt (attempts that failed, on it or on another channel, count as failures, not as its latency); "
     "a link's latency is the whole handoff's, from its first send"),
    ("Utilisation", "busy staff-minutes while on duty / on-duty staff-minutes over the run (at most 100 %); "
                    "work past a shift's end with nobody on duty is shown beside it as minutes off duty"),
    ("Busiest hour", "the clock hour with the most step starts (ties: the most busy minutes, then the earliest); "
                     "in brackets, its starts"),
    ("p90", "nearest rank: the ⌈0.9·n⌉-th smallest value"),
    *RANKING_TERMS,
]


class ReportFeed:
    """The scorer and the report's rows, fed each event of a run once, in ``seq`` order (live, or from a journal)."""

    def __init__(self, doc: ScenarioFile, scenario_name: str, *, unfinished: bool = False) -> None:
        """``unfinished``: the journal may stop without ``run_ended`` (:class:`~ballotdrill.scoring.stream.Scorer`)."""
        self.doc = doc = as_played(doc, scenario_name)
        self.scenario_name = scenario_name
        self.scorer = Scorer(doc, scenario_name, unfinished=unfinished)
        self.rows = ReportRows(doc.scenarios[scenario_name])
        passing = TargetPassing(doc.scenarios[scenario_name])
        choices, extended = ChoiceCollector(), ExtensionCollector()
        self.passing = passing
        self.choices = choices.made
        self.extensions = extended.made
        self.scorer.digest.advice.choices = choices.made  # a late step's cause, decided as its incident is folded,
        # reads the branches its decisions took (made before it: decision rows come before the fold)
        for reading in (passing, choices, extended):  # what the findings read besides the scores, in the same pass
            for kind, handler in reading.handlers().items():
                self.scorer.dispatch.add(kind, handler)
        self.scorer.dispatch.add_decoded(INCIDENT_STARTED, self.rows.started)  # decoded once, for the rows too

    def feed(self, event: Event) -> None:
        """Take the next event of the run."""
        self.scorer.feed(event)
        self.rows.feed(event)

    def take(self, first_seq: int, rows: list[Row]) -> None:
        """Take the engine's next rows, numbered from ``first_seq`` (what :meth:`feed` takes, as the engine makes
        them)."""
        self.scorer.take(first_seq, rows)
        self.rows.take(first_seq, rows)

    def assemble(self, meta: Mapping[str, str] | None = None) -> Report:
        """Score the run fed so far and gather the report's data (its sections are laid out by :mod:`.build`)."""
        scores = self.scorer.finish()
        passed = self.passing.passed_for(scores.objectives)
        passed.update(self.scorer.votes.passed(scores.objectives))  # votes lost: the target passed at the close
        return _assemble(scores, self.scorer.digest, self.rows, self.doc, self.scenario_name,
                         meta or {}, passed, self.choices, self.extensions)


def assemble(events: Iterable[Event], doc: ScenarioFile, scenario_name: str,
             meta: Mapping[str, str] | None = None) -> Report:
    """Score the run and gather the report's data (its sections are laid out by :mod:`.build`)."""
    feed = ReportFeed(doc, scenario_name)
    for event in sorted(events, key=lambda e: e.seq):
        feed.feed(event)
    return feed.assemble(meta)


def _assemble(scores: Scores, digest: Digest, rows: ReportRows, doc: ScenarioFile, scenario_name: str,
              meta: Mapping[str, str], passed: Mapping[str, float], choices: Choices,
              extensions: Mapping[str, Extension]) -> Report:
    scenario = doc.scenarios[scenario_name]
    events = rows.rows
    names = actor_names(doc.structure)
    for load in scores.load:
        names.setdefault(load.actor, load.actor)
    labels = dict(rows.labels)
    for inc in scores.incidents:
        if inc.background:
            labels[inc.incident] = label_of(inc.title, inc.type, inc.incident)
    structure = doc.structure
    overview = Overview(
        scenario=scenario_name, title=scenario.title, description=scenario.description, basis=list(scenario.basis),
        exercise_date=scenario.date, location=scenario.location, sponsor=scenario.sponsor,
        contacts=[Contact(**c.model_dump()) for c in scenario.contacts],
        structure=structure.name, structure_description=structure.description, seed=scores.seed,
        date=meta.get("date") or None, version=meta.get("version", ""), overrides=_overrides(meta),
        sweep_point=meta.get(SWEEP_POINT) or None,
        window=f"{format_clock(scenario.start)} to {format_end(scenario.start, scenario.end)}",
        polls=hours_text(scenario.polls, scenario.election), election=election_text(scenario.election),
        participants=[_participant(k, a, sorted(r for r, actor in cast_in(meta).items() if actor == k))
                      for k, a in structure.actors.items()],
        objectives=[ObjectiveLine(id=o.id, capability=o.capability, description=o.description,
                                  measure=f"{o.measure.kind}: {o.measure.subject}", target=str(o.target))
                    for o in scenario.objectives],
        injects=len(scenario.injects),
    )
    added = adhoc_incidents(events)
    told = [i.incident for i in sorted((i for i in scores.incidents if not i.background),
                                       key=lambda i: (i.started_at, i.incident))]
    scripted = [k for k in told if k not in added]
    headings = {i.incident: f"{i.incident}: {i.title}" if i.title else labels.get(i.incident, i.incident)
                for i in scores.incidents}
    decisions = DecisionCount(total=sum(rows.made.values()), by=dict(sorted(rows.made.items())),
                              pending=rows.pending)
    analysis = analyse(scores, names, structure, digest, detections_of(scenario), passed, choices, extensions,
                       wave_starts(events))
    lost = [VOTES_LOST_TERM] if any(o.kind == "votes_lost" for o in scores.objectives) else []
    scores = so_far_reasons(scores, passed)  # after the analysis, which reads the reasons as rated
    told_ids = set(told)
    return Report(overview=overview, scores=scores, analysis=analysis, finding_thresholds=[*FINDING_THRESHOLDS, *lost],
                  decisions=decisions, moments=_moments(events, scores, told_ids, names, digest.unreached),
                  inject_log=inject_log(scenario, events, scores.incidents, scores.harm, names, scores.start,
                                        scores.until, scores.background.injects),
                  narratives=narratives([e for e in events if e.incident is None or e.incident in told_ids],
                                        names, scores.start),
                  incident_labels=labels, incident_headings=headings, scripted=scripted,
                  adhoc=[k for k in told if k in added],
                  background=background_groups(scores), actor_names=names,
                  played=played_inputs(events, rows.open_requests()),
                  live=live_clock(events, meta, ended=any(e.kind == Kind.RUN_ENDED for e in events)),
                  background_note=scores.background.note(), work=digest.work.tables(),
                  journal=scores_source(meta))


def scores_source(meta: Mapping[str, str]) -> ScoresSource | None:
    """The seal in a run's meta, as a report records it (None: the run was not sealed)."""
    found = sealed(meta)
    if found is None:
        return None
    from ballotdrill import __version__

    return ScoresSource(rows=found.rows, digest=found.digest, meta_digest=found.meta_digest,
                        scored_with=__version__)


def scores_digest(seal_digest: str, scores: object) -> str:
    """The digest ``scores.json`` carries of its own ``scores`` (as JSON: keys sorted, compact), bound to the seal of
    the journal they were made from: scores edited after they were written no longer match it, so ``compare``,
    which recomputes it, scores the journal instead."""
    text = json.dumps(scores, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{seal_digest}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _overrides(meta: Mapping[str, str]) -> list[str]:
    """The ``--set`` overrides recorded in the run's meta (a JSON list), or none."""
    try:
        value = json.loads(meta.get("overrides") or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _moments(events: Sequence[Event], scores: Scores, scripted: set[str],
             names: dict[str, str], unreached: Sequence[Unreached] = ()) -> dict[str, list[str]]:
    rows: dict[str, list[Event]] = {k: [] for k in scripted}
    for e in events:
        if e.incident in rows:
            rows[e.incident].append(e)
    steps: dict[str, list[StepResult]] = {k: [] for k in scripted}
    for s in scores.steps:
        if s.incident in steps:
            steps[s.incident].append(s)
    chains: dict[str, list[Handoff]] = {k: [] for k in scripted}
    for h in scores.handoffs:
        if h.incident in chains:
            chains[h.incident].append(h)
    harm = {h.incident: h for h in scores.harm}
    deadlines: dict[str, list[Unreached]] = {k: [] for k in scripted}
    for item in unreached:
        if item.incident in deadlines:
            deadlines[item.incident].append(item)
    return {i.incident: key_moments(i, rows[i.incident], steps[i.incident], chains[i.incident], harm.get(i.incident),
                                    names, scores.start, scores.until, deadlines[i.incident])
            for i in sorted(scores.incidents, key=lambda i: (i.started_at, i.incident)) if i.incident in scripted}


def _participant(key: str, actor: Actor, roles: list[str]) -> Participant:
    shifts = [(s.start, s.end, s.staff) for s in actor.shifts]
    return Participant(key=key, name=actor.name or key, description=actor.description, staff=actor.staff,
                       shifts=shifts, staff_text=staff_text(actor.staff, shifts), level=actor.level, roles=roles)


def staff_text(staff: int, shifts: Sequence[tuple[str, str, int]], spec: str = "") -> str:
    """``0 (240 06:30–22:00)``: the baseline staff, then each daily shift's staff and hours (``spec`` ``","``:
    grouped, as the report's layout writes counts; ``scores.json`` keeps the text ungrouped)."""
    if not shifts:
        return f"{staff:{spec}}"
    return f"{staff:{spec}} (" + ", ".join(f"{n:{spec}} {shift_text(a, b)}" for a, b, n in shifts) + ")"


def background_groups(scores: Scores) -> list[BackgroundGroup]:
    """One summary per background inject, in the order of its first arrival (from the aggregates of every
    arrival; ``incidents``: those listed one by one)."""
    summary = scores.background
    ids: dict[str, list[str]] = {}
    for inc in scores.incidents:
        if inc.background:
            ids.setdefault(inc.inject, []).append(inc.incident)
    return [BackgroundGroup(
        inject=g.key, title=g.title, type=g.type, count=g.arrivals, open=g.open_at_end,
        median_detect=g.detect.median, median_contain=g.contain.median, median_resolve=g.resolve.median,
        reach=g.reach, voter_minutes=g.voter_minutes, station_minutes=g.station_minutes,
        worst_contain=g.worst_contain, worst_harm=g.worst_harm, incidents=ids.get(g.key, []))
        for g in summary.injects]
