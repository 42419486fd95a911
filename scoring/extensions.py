"""The response's extensions of polling stations' hours, as the journal's ``voting_extended`` rows record them.

Kept apart from :mod:`.extended` (which words an objective's cause from them and needs the advisor), so the
advisor can hold them without importing its own user.
"""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.journal import Event, Kind, VotingExtended
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.text import between, clock


class Extension(NamedTuple):
    """An incident's extension of its polling stations' hours: the ``voting_extended`` row that set their latest
    close (its seq, when it was decided, the step and actor), the usual close before any extension and that latest
    close."""

    seq: int
    t: float
    step: str
    actor: str
    procedure: str
    previous: float
    until: float

    def decided_after(self, at: float) -> str:
        """``, decided at 16:19, 19 min after that close`` when it was decided after the usual close; else empty."""
        if self.t <= self.previous + 1e-9:
            return ""
        return f", decided at {clock(at, self.t)}, {between(at, self.previous, self.t)} after that close"


def kept_no_voter(at: float, t: float, previous: float, verb: str = "decided") -> str:
    """How an extension decided after the close it was to extend is told (:meth:`VotingExtended.keeps`):
    ``decided at 16:02, 3 h 02 min after the 13:00 close it was to extend: the stations had closed; it kept no
    voter``."""
    return (f"{verb} at {clock(at, t)}, {between(at, previous, t)} after the {clock(at, previous)} close it was to "
            "extend: the stations had closed; it kept no voter")


class ExtensionCollector:
    """Each incident's extension of its polling stations (incident -> :class:`Extension`): the row that set the
    latest close, with the close before the first (one decided after the close it was to extend kept nothing
    open, and is left out)."""

    def __init__(self) -> None:
        self.made: dict[str, Extension] = {}

    def handlers(self) -> Handlers:
        return {Kind.VOTING_EXTENDED: self._extended}

    def _extended(self, event: Event) -> None:
        row = event.fields(VotingExtended)
        incident = event.incident or ""
        first = self.made.get(incident)
        if row.keeps(event.t) and (first is None or row.until > first.until):
            self.made[incident] = Extension(event.seq, event.t, event.step or "", event.actor or "", row.procedure,
                                            row.previous if first is None else first.previous, row.until)
