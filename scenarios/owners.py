"""Checks for steps done by the incident's owner (``actor: owner``) and for incidents that name an owner.

A procedure with such a step may only be started by incidents that name their ``owner``; an
incident "may start" a procedure when its type and severity match the trigger (its level is
left out: escalation can bring any incident to any level). A procedure started by an action
alone could be started for any incident, so it must name the incident types it serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ballotdrill.scenarios.scenario import Incident, ScenarioFile
from ballotdrill.scenarios.structure import OWNER, Procedure, Step
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.yamlread import Path

Finding = tuple[Path, str]


def owner_steps(proc: Procedure) -> list[Step]:
    """The steps of ``proc`` done by the incident's owner."""
    return [s for s in proc.steps if s.actor == OWNER]


def may_start(proc: Procedure, incident: Incident) -> bool:
    """Whether ``incident`` can start ``proc`` (type, severity, owner; any level can be reached by escalation)."""
    trig = proc.trigger
    return ((not trig.types or incident.type in trig.types) and incident.severity >= trig.min_severity
            and trig.owned(incident.owner))


def check(doc: ScenarioFile) -> Iterator[Finding]:
    """Every problem with owners in ``doc``, each with the data path it concerns."""
    actors = doc.structure.actors
    if OWNER in actors:
        yield (("structure", "actors", OWNER),
               f"'{OWNER}' is reserved for steps done by the incident's owner (actor: {OWNER}); rename this actor")
    needing = {name: steps for name, proc in doc.structure.procedures.items() if (steps := owner_steps(proc))}
    for name, proc in doc.structure.procedures.items():
        owner = proc.trigger.owner
        if owner is not None and owner not in actors:
            yield ("structure", "procedures", name, "trigger", "owner"), (
                f"procedure '{name}' is triggered for incidents owned by '{owner}', which is not a defined actor"
                f"{did_you_mean(owner, actors)}")
    for name, steps in needing.items():
        proc = doc.structure.procedures[name]
        ppath: Path = ("structure", "procedures", name)
        for step in steps:
            if step.post is not None:
                index = proc.steps.index(step)
                yield ((*ppath, "steps", index, "post"),
                       f"step '{step.id}' is done by the incident's owner, so it cannot name a post "
                       f"('{step.post}' belongs to one actor); drop 'post' or name the actor")
        if proc.trigger.action is not None and not proc.trigger.types:
            yield ((*ppath, "trigger"),
                   f"procedure '{name}' has a step done by the incident's owner ('{steps[0].id}') and is started "
                   f"by action '{proc.trigger.action}' for any incident; give its trigger the incident 'type's "
                   "it serves (incidents that name an 'owner')")
    for sname, scenario in doc.scenarios.items():
        for n, inject in enumerate(scenario.injects):
            if inject.incident is not None:
                ipath: Path = ("scenarios", sname, "injects", n, "incident")
                yield from _incident(doc, inject.incident, ipath, needing)


def _incident(doc: ScenarioFile, incident: Incident, ipath: Path,
              needing: dict[str, list[Step]]) -> Iterator[Finding]:
    actors = doc.structure.actors
    owner = incident.owner
    if owner is not None and owner not in actors:
        yield (*ipath, "owner"), _unknown(owner, actors)
        return
    procedures = doc.structure.procedures
    started = [(name, steps) for name, steps in needing.items() if may_start(procedures[name], incident)]
    if not started:
        return
    if owner is None:
        name, steps = started[0]
        yield ipath, (f"incident of type '{incident.type}' may start procedure '{name}', whose step "
                      f"'{steps[0].id}' is done by the incident's owner; give the incident an 'owner' "
                      "(the actor that runs what is attacked)")
        return
    most = actors[owner].most_staff
    for name, steps in started:
        for step in steps:
            if step.staff > 1 and step.staff > most:
                yield (*ipath, "owner"), (f"owner '{owner}' never has more than {most} on duty, but step "
                                          f"'{step.id}' of procedure '{name}' needs {step.staff}; it could never "
                                          "start")
                return


def _unknown(owner: str, actors: Iterable[str]) -> str:
    choices = sorted(actors)
    hint = did_you_mean(owner, choices) or (f" (defined: {', '.join(choices)})" if len(choices) <= 8 else "")
    return f"the incident's owner '{owner}' is not a defined actor{hint}"
