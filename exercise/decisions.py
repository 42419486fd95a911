"""Decision providers: who answers a decision step — the default, a record, or a live player."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple, Protocol

from ballotdrill.scenarios.scenario import Scenario
from ballotdrill.scenarios.structure import Procedure, Structure
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


def check_record(record: Mapping[str, str], structure: Structure, scenario: Scenario | None = None) -> list[str]:
    """Problems with recorded decisions: each key ``incident:procedure:step:n`` must name a decision step,
    and each answer one of its options. With ``scenario``, the incident must be one the scenario can start
    (a scripted id, or ``ID-N`` of a background arrival), the procedure one that can run for it, and ``n``
    an occurrence that can happen (1, unless the step can be reached again from itself)."""
    problems = []
    for key, option in record.items():  # each echoed cut to SHOWN_WIDTH (_cut): a file may hold anything
        parts = key.split(":")
        shown_key = repr(_cut(key))
        if len(parts) != 4 or not _OCCURRENCE.fullmatch(parts[3]):
            problems.append(f"decision key {shown_key} must read incident:procedure:step:n with n >= 1 (at most 9 "
                            "digits 0-9, no leading zero, as a run writes it), e.g. N1:disinfo:choose:1")
            continue
        incident, procedure, step_id, n = parts
        proc = structure.procedures.get(procedure)
        if proc is None:
            problems.append(f"decision key {shown_key} names procedure '{_cut(procedure)}', which is not defined"
                            f"{did_you_mean(procedure, structure.procedures)}")
            continue
        index = next((i for i, s in enumerate(proc.steps) if s.id == step_id), None)
        step = None if index is None else proc.steps[index]
        if index is None or step is None or step.decision is None:
            asking = [s.id for s in proc.steps if s.decision is not None]
            problems.append(f"decision key {shown_key}: procedure '{procedure}' has no decision step "
                            f"'{_cut(step_id)}'{did_you_mean(step_id, asking) or f' (its decision steps: {asking})'}")
            continue
        if option not in step.decision.options:
            problems.append(f"decision {shown_key}: {_cut(option)!r} is not an option of step '{step_id}' "
                            f"({', '.join(step.decision.options)}){did_you_mean(option, step.decision.options)}")
        if scenario is not None:
            problems.extend(_incident_problems(shown_key, incident, procedure, proc, scenario))
        if int(n) > 1 and not proc.loops_back(index):
            problems.append(f"decision key {shown_key}: step '{step_id}' asks at most once per incident "
                            f"(no path leads back to it), so there is no occurrence {_cut(n)}; use "
                            f"{_cut(incident)}:{procedure}:{step_id}:1")
    return problems


def _incident_problems(key: str, incident: str, procedure: str, proc: Procedure, scenario: Scenario) -> list[str]:
    """Whether ``incident`` can exist in ``scenario`` and start ``proc`` (``key``: the request key as shown)."""
    specs = {name: scenario.injects[i].incident for name, i in scenario.incident_ids().items()}
    spec = specs.get(incident)
    if spec is None:
        for inject_id, inject in zip(scenario.inject_ids(), scenario.injects, strict=True):
            if inject.every is None or inject.incident is None:
                continue
            prefix = inject.incident.id or inject_id
            head, dash, tail = incident.rpartition("-")
            if dash and head == prefix and tail.isdigit() and int(tail) >= 1 and not tail.startswith("0") and (
                    inject.limit is None or int(tail) <= inject.limit):
                spec = inject.incident
                break
    if spec is None:
        known = [*specs, *(f"{inj.incident.id or iid}-1" for iid, inj in zip(scenario.inject_ids(), scenario.injects,
                                                                         strict=True)
                           if inj.every is not None and inj.incident is not None)]
        series = [k for k in known if incident.rstrip("0123456789") == k.rstrip("0123456789") != k]  # N9: N1
        hint = (did_you_mean(incident, known) or (f" (did you mean '{series[0]}'?)" if len(series) == 1 else "")
                or (f" (its incidents: {', '.join(known)})" if known else ""))
        return [f"decision key {key} names incident '{_cut(incident)}', which this scenario never starts{hint}"]
    trig = proc.trigger
    if (trig.type is not None and spec.type not in trig.types) or spec.severity < trig.min_severity:
        return [f"decision key {key}: procedure '{procedure}' never runs for incident '{incident}' "
                f"(type {spec.type}, severity {spec.severity})"]
    return []


_OCCURRENCE = re.compile(r"[1-9][0-9]{0,8}")
"""An occurrence as request keys write it (``str(n)``); more than nine digits is no occurrence a run reaches."""
SHOWN_WIDTH = 80
"""Characters of a recorded key or option a problem echoes (a name of the format is at most 80); longer is cut."""
SHOWN_PROBLEMS = 5
"""Problems with a decisions file its one line names before it counts the rest."""


def _cut(text: str) -> str:
    """``text``, cut to :data:`SHOWN_WIDTH` characters with ``...`` when longer."""
    return text if len(text) <= SHOWN_WIDTH else text[:SHOWN_WIDTH - 3] + "..."


def problems_line(problems: list[str]) -> str:
    """The first :data:`SHOWN_PROBLEMS` problems of a decisions record, and how many more there are, on one line."""
    more = len(problems) - SHOWN_PROBLEMS
    return "; ".join(problems[:SHOWN_PROBLEMS]) + (f"; and {more} more problem(s) like these" if more > 0 else "")


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
