"""The options the run's decisions chose, each with its ``decision_made`` row: what a branch taken is read from.

A decision step's completion follows its ``decision_made`` row; the option is in that row, not in the steps
played after it (an option may lead straight to the procedure's end, or the run may stop before its next step).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from ballotdrill.journal import DecisionMade, Event, Kind
from ballotdrill.scoring.feed import Handlers, feed_all

__all__ = ["Choice", "ChoiceCollector", "Choices", "choices_of"]


class Choice(NamedTuple):
    """One decision made: its ``decision_made`` row, when, and the option chosen."""

    seq: int
    t: float
    option: str


Choices = Mapping[tuple[str, str, str], Sequence[Choice]]
"""(incident, procedure, decision step) -> the decisions made there, in journal order."""


class ChoiceCollector:
    """Every ``decision_made`` row of the run, by incident, procedure and step."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str, str], list[Choice]] = {}

    def handlers(self) -> Handlers:
        return {Kind.DECISION_MADE: self._made}

    def _made(self, event: Event) -> None:
        made = event.fields(DecisionMade)
        key = (event.incident or "", str(made.procedure or ""), event.step or "")
        self.made.setdefault(key, []).append(Choice(event.seq, event.t, str(made.option)))


def choices_of(events: Iterable[Event]) -> dict[tuple[str, str, str], list[Choice]]:
    """The decisions made in ``events`` (in ``seq`` order), as :class:`ChoiceCollector` gathers them."""
    collector = ChoiceCollector()
    feed_all(collector, events)
    return collector.made
