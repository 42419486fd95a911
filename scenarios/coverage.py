"""What a scenario file exercises, read from the file alone: which procedures each inject can start.

A static reading, not a run: a procedure *can* start for an incident when its trigger fits the
incident's type and severity, when the incident starts at (or a procedure that can start for it
escalates it to) the trigger's level, or when a scripted action inject takes the triggering action on
that incident. Whether a seed actually gets there (a contingency released, a decision's branch taken)
is for runs and sweeps to say.
"""

from __future__ import annotations

from collections.abc import Set
from typing import NamedTuple

from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import Incident, Scenario, ScenarioFile
from ballotdrill.scenarios.structure import Procedure

_LEVELS = {"municipal": 0, "provincial": 1, "federal": 2}


class InjectRef(NamedTuple):
    """One incident inject of one scenario, and the procedures it can start."""

    scenario: str
    inject: str
    incident: str
    type: str
    procedures: tuple[str, ...]
    owner: str | None = None
    """The incident's owner (the actor that runs what is attacked), if it names one."""

    @property
    def key(self) -> str:
        return f"{self.scenario}.{self.inject}"


def _fits(proc: Procedure, incident: Incident, level: int, actions: Set[str]) -> bool:
    trigger = proc.trigger
    if trigger.types and incident.type not in trigger.types:
        return False
    if incident.severity < trigger.min_severity or not trigger.owned(incident.owner):
        return False
    if trigger.level is not None and level < _LEVELS[trigger.level]:
        return False
    return trigger.action is None or trigger.action in actions


def procedures_for(file: ScenarioFile, incident: Incident, actions: Set[str] = frozenset()) -> tuple[str, ...]:
    """The procedures that can start for ``incident`` (``actions``: those scripted on it), in file order."""
    procedures = file.structure.procedures
    level = _LEVELS[incident.level]
    started: set[str] = set()
    while True:
        now = {name for name, proc in procedures.items() if _fits(proc, incident, level, actions)}
        reached = max([level, *(_LEVELS[s.escalate] for n in now for s in procedures[n].steps if s.escalate)])
        if now == started and reached == level:
            return tuple(name for name in procedures if name in started)
        started, level = now, reached


def _actions_on(scenario: Scenario, incident_id: str) -> set[str]:
    actions = [inj.action for inj in scenario.injects if inj.action is not None]
    return {action.name for action in actions if action.incident == incident_id}


def incident_injects(file: ScenarioFile) -> list[InjectRef]:
    """Every incident inject of every scenario (background arrivals included), with what it can start."""
    refs: list[InjectRef] = []
    for name in file.scenarios:
        played = as_played(file, name)  # its roles given to the actors it gives them (an owner may name a role)
        scenario = played.scenarios[name]
        for inject_id, inj in zip(scenario.inject_ids(), scenario.injects, strict=True):
            if inj.incident is None:
                continue
            incident_id = inj.incident.id or inject_id
            actions = _actions_on(scenario, incident_id)
            refs.append(InjectRef(name, inject_id, incident_id, inj.incident.type,
                                  procedures_for(played, inj.incident, actions), inj.incident.owner))
    return refs


def objective_subjects(scenario: Scenario) -> dict[str, tuple[set[str], set[str]]]:
    """Per objective id: the incidents its measure names and the procedures (``on_time``) or steps it names."""
    subjects: dict[str, tuple[set[str], set[str]]] = {}
    for obj in scenario.objectives:
        measure = obj.measure
        interval = measure.interval
        if interval is not None:
            incidents = {interval.start.incident, interval.end.incident}
            steps = {p.step for p in interval if p.step is not None}
            subjects[obj.id] = incidents, steps
        elif measure.kind == "on_time":
            subjects[obj.id] = set(), {measure.subject}
        else:
            subjects[obj.id] = {measure.subject}, set()
    return subjects


def untriggered_procedures(file: ScenarioFile) -> tuple[list[str], list[str]]:
    """Procedures no scenario's injects can start: (those a player's action could still start, the rest)."""
    triggered = {p for ref in incident_injects(file) for p in ref.procedures}
    missing = [name for name in file.structure.procedures if name not in triggered]
    by_action = [n for n in missing if file.structure.procedures[n].trigger.action is not None]
    return by_action, [n for n in missing if n not in by_action]
