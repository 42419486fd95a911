"""Decision providers: who answers a decision step — the default, a record, or a live player."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scenarios.suggest import did_you_mean


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


def check_record(record: Mapping[str, str], structure: Structure) -> list[str]:
    """Problems with recorded decisions: each key ``incident:procedure:step:n`` must name a decision step,
    and each answer one of its options."""
    problems = []
    for key, option in record.items():
        parts = key.split(":")
        if len(parts) != 4 or not parts[3].isdigit():
            problems.append(f"decision key {key!r} must read incident:procedure:step:n, e.g. N1:disinfo:choose:1")
            continue
        _, procedure, step_id, _ = parts
        proc = structure.procedures.get(procedure)
        if proc is None:
            problems.append(f"decision key {key!r} names procedure '{procedure}', which is not defined"
                            f"{did_you_mean(procedure, structure.procedures)}")
            continue
        step = next((s for s in proc.steps if s.id == step_id), None)
        if step is None or step.decision is None:
            asking = [s.id for s in proc.steps if s.decision is not None]
            problems.append(f"decision key {key!r}: procedure '{procedure}' has no decision step '{step_id}'"
                            f"{did_you_mean(step_id, asking) or f' (its decision steps: {asking})'}")
        elif option not in step.decision.options:
            problems.append(f"decision {key!r}: {option!r} is not an option of step '{step_id}' "
                            f"({', '.join(step.decision.options)}){did_you_mean(option, step.decision.options)}")
    return problems


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
