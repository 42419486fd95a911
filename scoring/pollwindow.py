"""When each incident could do voter- and station-minutes: while its polling stations were open, from the polls'
opening to the close of its way of voting (or the close an extension set), read from the journal's own rows
(``run_started``'s polls and closes, ``incident_started``'s voters, stations and voting, ``voting_extended``), as the
engine counts those minutes. A lever's share of such harm is a share of this stretch, not of the incident's whole
life (:mod:`.digest`): a wait before the polls opened kept nobody from voting."""

from __future__ import annotations

from ballotdrill.journal import Event, IncidentStarted, RunStarted, VotingExtended
from ballotdrill.journal.kinds import RUN_STARTED, VOTING_EXTENDED
from ballotdrill.scoring.feed import Handlers

__all__ = ["PollWindows", "no_polls"]


class PollWindows:
    """Per incident that keeps voters or stations from voting, when its polls were open, until it is asked for
    (:meth:`window`, once, as the incident is folded in)."""

    def __init__(self) -> None:
        self._opens: float | None = None
        self._last: float = 0.0
        self._closes: dict[str, float] = {}
        self._held: dict[str, tuple[float, float]] = {}

    def handlers(self) -> Handlers:
        return {RUN_STARTED: self._run_started, VOTING_EXTENDED: self._extended}

    def _run_started(self, event: Event) -> None:
        polls = event.fields(RunStarted).polls
        if polls and self._opens is None:
            self._opens, self._last = float(polls[0]), float(polls[1])
            self._closes = dict(event.fields(RunStarted).closes or {})

    def started(self, incident: str, spec: IncidentStarted) -> None:
        """Note ``incident``'s polls from its ``incident_started`` fields (decoded by the incidents' collector)."""
        if self._opens is not None and (spec.voters or spec.stations):
            close = self._closes.get(spec.voting, self._last) if spec.voting else self._last
            self._held[incident] = (self._opens, close)

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
