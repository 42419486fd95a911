"""Decision providers: who answers a decision step — the default, a record, or a live player."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol


class DecisionRequest(NamedTuple):
    """A decision put to an actor during a run."""

    key: str
    """Stable id: ``incident:procedure:step:n`` (the n-th time that step asks in that incident)."""
    incident: str
    procedure: str
    step: str
    actor: str
    options: tuple[str, ...]
    default: str
    timeout: float
    t: float


class Answer(NamedTuple):
    """An option chosen, and by whom (``default``, ``recorded``, ``player`` or ``timeout``)."""

    option: str
    by: str


class DecisionProvider(Protocol):
    """Answers a request now, or returns None to have the engine wait (up to the timeout) for a player."""

    def decide(self, request: DecisionRequest) -> Answer | None: ...


class DefaultDecisions:
    """Batch play: every decision takes the scenario's default."""

    def decide(self, request: DecisionRequest) -> Answer | None:
        return Answer(request.default, "default")


class RecordedDecisions:
    """Replay: answers from a record keyed by request key; the default where the record is silent."""

    def __init__(self, record: Mapping[str, str]) -> None:
        self.record = dict(record)

    def decide(self, request: DecisionRequest) -> Answer | None:
        option = self.record.get(request.key)
        if option is None or option not in request.options:
            return Answer(request.default, "default")
        return Answer(option, "recorded")


class LiveDecisions:
    """Live play: the listed actors' decisions wait for a player; others take the default."""

    def __init__(self, played: set[str]) -> None:
        self.played = played

    def decide(self, request: DecisionRequest) -> Answer | None:
        if request.actor in self.played:
            return None
        return Answer(request.default, "default")
