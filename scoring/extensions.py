"""The response's extensions of polling stations' hours, as the journal's ``voting_extended`` rows record them.

Kept apart from :mod:`.extended` (which words an objective's cause from them and needs the advisor), so the
advisor can hold them without importing its own user.
"""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.journal import Event, Kind, VotingExtended
from ballotdrill.scoring.feed import Handlers


class Extension(NamedTuple):
    """One ``voting_extended`` row: its seq, the step and actor that extended voting, the close before and after."""

    seq: int
    step: str
    actor: str
    procedure: str
    previous: float
    until: float


class ExtensionCollector:
    """The first extension of each incident's polling stations (incident -> :class:`Extension`)."""

    def __init__(self) -> None:
        self.made: dict[str, Extension] = {}

    def handlers(self) -> Handlers:
        return {Kind.VOTING_EXTENDED: self._extended}

    def _extended(self, event: Event) -> None:
        row = event.fields(VotingExtended)
        self.made.setdefault(event.incident or "", Extension(event.seq, event.step or "", event.actor or "",
                                                              row.procedure, row.previous, row.until))
