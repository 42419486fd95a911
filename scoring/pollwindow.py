"""When each incident could do voter- and station-minutes: while its polling stations were open, from the polls'
opening to the close of its way of voting (or the close an extension set), read from the journal's own rows
(``run_started``'s polls and closes, ``incident_started``'s voters, stations and voting, ``voting_extended``), as the
engine counts those minutes. A lever's share of such harm is a share of this stretch, not of the incident's whole
life (:mod:`.digest`): a wait before the polls opened kept nobody from voting."""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.journal import Event, IncidentStarted, RunStarted, VotingExtended
from ballotdrill.journal.kinds import RUN_STARTED, VOTING_EXTENDED
from ballotdrill.journal.rounding import r3
from ballotdrill.scoring.feed import Handlers

__all__ = ["PollWindows", "Polls", "harm_stretch"]


class Polls(NamedTuple):
    """A run's polling hours as its ``run_started`` row gives them (journal ``t``): one rule for an incident's usual
    close, read by every collector that needs it."""

    opens: float | None = None
    last: float | None = None
    """The last close of any way of voting."""
    closes: dict[str, float] = {}  # noqa: RUF012 - a named tuple's default, never mutated
    """Each way of voting's close."""

    @classmethod
    def of(cls, event: Event) -> Polls:
        started = event.fields(RunStarted)
        polls = started.polls
        return cls(float(polls[0]), float(polls[1]), dict(started.closes or {})) if polls else cls()

    def usual_close(self, spec: IncidentStarted) -> float | None:
        """When an incident's polling stations close before any extension: its way of voting's, else the last."""
        return self.closes.get(spec.voting, self.last) if spec.voting else self.last


class PollWindows:
    """Per incident that keeps voters or stations from voting, when its polls were open, until it is asked for
    (:meth:`window`, once, as the incident is folded in)."""

    def __init__(self) -> None:
        self._polls: Polls | None = None
        self._held: dict[str, tuple[float, float]] = {}

    def handlers(self) -> Handlers:
        return {RUN_STARTED: self._run_started, VOTING_EXTENDED: self._extended}

    def _run_started(self, event: Event) -> None:
        polls = Polls.of(event)
        if polls.opens is not None and self._polls is None:
            self._polls = polls

    def started(self, incident: str, spec: IncidentStarted) -> None:
        """Note ``incident``'s polls from its ``incident_started`` fields (decoded by the incidents' collector)."""
        polls = self._polls
        if polls is not None and polls.opens is not None and (spec.voters or spec.stations):
            self._held[incident] = (r3(polls.opens), r3(float(polls.usual_close(spec) or 0.0)))

    def _extended(self, event: Event) -> None:
        held, row = self._held.get(event.incident or ""), event.fields(VotingExtended)
        if held is not None and row.keeps(event.t):
            self._held[str(event.incident)] = (held[0], r3(float(row.until)))

    def window(self, incident: str) -> tuple[float, float] | None:
        """When ``incident``'s polls opened and closed (None: it costs no voter- or station-minutes, or the journal
        does not say); let go once asked."""
        return self._held.pop(incident, None)


def harm_stretch(measure: str, start: float, end: float, polls: tuple[float, float] | None,
                 capped: float | None = None) -> tuple[float, float]:
    """The stretch in which an incident that began at ``start`` and did harm until ``end`` (contained, or the run's
    end) did ``measure``'s harm: the one rule the harm behind each lever and an objective's own stretch read. A
    wave's reach grows from its start until ``end``, or until it reached its cap at ``capped``; voter- and
    station-minutes count only while its polls were open (``polls``: None, not known or none: the whole stretch)."""
    if measure in ("voter_minutes", "station_minutes"):
        return (start, end) if polls is None else (max(start, polls[0]), min(end, polls[1]))
    if measure == "reach" and capped is not None:
        return start, min(end, capped)
    return start, end
