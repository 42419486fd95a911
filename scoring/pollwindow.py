"""When each incident could do voter- and station-minutes: while its polling stations were open, from the polls'
opening to the close of its way of voting (or the close an extension set), read from the journal's own rows
(``run_started``'s polls and closes, ``incident_started``'s voters, stations and voting, ``voting_extended``), as the
engine counts those minutes. A lever's share of such harm is a share of this stretch, not of the incident's whole
life (:mod:`.digest`): a wait before the polls opened kept nobody from voting."""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.journal import Event, IncidentStarted, RunStarted, VotingExtended
from ballotdrill.journal.kinds import RUN_STARTED, VOTING_EXTENDED
from ballotdrill.scoring.feed import Handlers

__all__ = ["PollWindows", "Polls", "no_polls"]


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
            self._held[incident] = (polls.opens, float(polls.usual_close(spec) or 0.0))

    def _extended(self, event: Event) -> None:
        held = self._held.get(event.incident or "")
        if held is not None:
            self._held[str(event.incident)] = (held[0], float(event.fields(VotingExtended).until))

    def window(self, incident: str) -> tuple[float, float] | None:
        """When ``incident``'s polls opened and closed (None: it costs no voter- or station-minutes, or the journal
        does not say); let go once asked."""
        return self._held.pop(incident, None)


def no_polls(incident: str) -> tuple[float, float] | None:
    """No poll times known (complete scores alone do not carry them)."""
    return None
