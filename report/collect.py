"""What the report needs of the journal besides the scores, collected in the scorer's single pass.

Bounded: the rows of the scripted incidents (and of incidents of timed injects), the run's end,
the timed injects' deliveries, the scenario's scripted actions and the people's inputs (decisions,
actions, discussion answers, notes); of everything else only counts and labels. Background
arrivals' rows are never kept: their measures come from the scores.
"""

from __future__ import annotations

from collections import Counter

from ballotdrill.journal import (
    ActionTaken,
    DecisionMade,
    DecisionRequested,
    Event,
    IncidentStarted,
    InjectDelivered,
    Kind,
    Row,
)
from ballotdrill.journal.kinds import (
    ACTION_TAKEN,
    DECISION_MADE,
    DECISION_REQUESTED,
    INCIDENT_STARTED,
    INJECT_DELIVERED,
)
from ballotdrill.report.liveclock import KINDS as CLOCK_KINDS
from ballotdrill.report.narrative import incident_label
from ballotdrill.scenarios.scenario import Scenario
from ballotdrill.scoring.feed import event_of
from ballotdrill.scoring.incidents import is_background

_ACTIONS_KEPT = ("scenario", "player", "facilitator")
"""``action_taken`` rows kept whatever their incident: the scenario's scripted actions and the players'."""
_DECISIONS_KEPT = ("player", "facilitator", "timeout")
"""``decision_made`` rows kept whatever their incident: the players' answers and their timeouts."""
_ALWAYS = frozenset({Kind.RUN_ENDED, Kind.DISCUSSION_ANSWERED, Kind.NOTE, Kind.ANSWERED_LATE, *CLOCK_KINDS})
_READ = frozenset({INCIDENT_STARTED, DECISION_MADE, DECISION_REQUESTED, INJECT_DELIVERED, ACTION_TAKEN, *_ALWAYS})
"""Kinds whose rows are read here whatever their incident; any other row is kept only for an incident told in full."""


class ReportRows:
    """Rows, decision counts and incident labels for the report, fed every event once in ``seq`` order."""

    def __init__(self, scenario: Scenario) -> None:
        self.timed = {key for key, inject in zip(scenario.inject_ids(), scenario.injects, strict=True)
                      if inject.every is None}
        """Injects that are not background arrivals: their deliveries and incidents are told in full."""
        self.told: set[str] = set()
        self.rows: list[Event] = []
        self.labels: dict[str, str] = {}
        """Labels of the incidents that are not background arrivals (theirs follow from their scores)."""
        self.made: Counter[str] = Counter()
        self.waiting: dict[str | None, Event] = {}
        """Decisions asked for and not answered yet, with their ``decision_requested`` rows (kept whatever their
        incident while open: at the end they are the decisions nobody took)."""
        self.answered_early: set[str | None] = set()
        """Answers to a request not asked (yet): only in a journal out of order."""
        self.decoded: dict[int, IncidentStarted] = {}
        """``incident_started`` rows' fields as the scorer's dispatch decoded them (:meth:`started`), by seq, until
        read here in the rows' order."""

    def started(self, event: Event, started: IncidentStarted) -> None:
        """An ``incident_started`` row's fields, decoded once for every reader (the scorer's dispatch hands them on,
        :meth:`~ballotdrill.scoring.feed.Dispatch.add_decoded`, before :meth:`feed` or :meth:`take` reads the row)."""
        self.decoded[event.seq] = started

    def feed(self, event: Event) -> None:
        """Take the next event of the run."""
        kind, incident = event.kind, event.incident
        if kind not in _READ:  # most rows: kept for an incident told in full (``told`` holds no None)
            if incident in self.told:
                self.rows.append(event)
            return
        if kind == INCIDENT_STARTED and incident is not None:
            started = self.decoded.pop(event.seq, None) or event.fields(IncidentStarted)
            background = is_background(incident, started)
            if not background:
                self.labels[incident] = incident_label(started, incident)
            if not background or str(started.inject or "") in self.timed:
                self.told.add(incident)
        elif kind == DECISION_MADE:
            made = event.fields(DecisionMade)
            self.made[str(made.by or "default")] += 1
            if made.request in self.waiting:
                del self.waiting[made.request]
            else:
                self.answered_early.add(made.request)
        elif kind == DECISION_REQUESTED:
            request = event.fields(DecisionRequested).request
            if request not in self.answered_early:
                self.waiting[request] = event
        if self._kept(event):
            self.rows.append(event)

    def take(self, first_seq: int, rows: list[Row]) -> None:
        """Take the engine's next rows, numbered from ``first_seq``: an event is made only for a row read or kept."""
        read, told, kept = _READ, self.told, self.rows
        for seq, row in enumerate(rows, first_seq):
            if row[1] not in read:  # most rows: kept for an incident told in full (``told`` holds no None)
                if row[2] in told:
                    kept.append(event_of(seq, row))
            else:
                self.feed(event_of(seq, row))

    def _kept(self, event: Event) -> bool:
        kind = event.kind
        if (event.incident is not None and event.incident in self.told) or kind in _ALWAYS:
            return True
        if kind == INJECT_DELIVERED:
            delivered = event.fields(InjectDelivered)
            return bool(delivered.adhoc) or str(delivered.inject or "") in self.timed
        if kind == ACTION_TAKEN:
            return event.fields(ActionTaken).by in _ACTIONS_KEPT
        if kind == DECISION_MADE:
            return event.fields(DecisionMade).by in _DECISIONS_KEPT
        return False

    @property
    def pending(self) -> int:
        """Decisions asked for and never answered."""
        return len(self.waiting)

    def open_requests(self) -> list[Event]:
        """The ``decision_requested`` rows of the decisions never answered, in journal order."""
        return sorted(self.waiting.values(), key=lambda e: e.seq)
