"""Checks for steps done by the incident's owner (``actor: owner``) and for incidents that name an owner.

A procedure with such a step may only be started by incidents that name their ``owner``; an
incident "may start" a procedure when its type and severity match the trigger (its level is
left out: escalation can bring any incident to any level). A procedure started by an action
alone could be started for any incident, so it must name the incident types it serves.

An incident's ``owner`` and a trigger's ``owner`` may name a role (:mod:`.roles`): each scenario's
incidents are checked with the actor that scenario gives the role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ballotdrill.scenarios import roles
from ballotdrill.scenarios.scenario import Incident, ScenarioFile
from ballotdrill.scenarios.structure import OWNER, Procedure, Step
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.yamlread import Path

Finding = tuple[Path, str]


def owner_steps(proc: Procedure) -> list[Step]:
    """The steps of ``proc`` done by the incident's owner."""
    return [s for s in proc.steps if s.actor == OWNER]


def may_start(proc: Procedure, incident: Incident, cast: Mapping[str, str] | None = None) -> bool:
    """Whether ``incident`` can start ``proc`` (type, severity, owner; any level can be reached by escalation);
    ``cast``: the actor playing each role, in the incident's scenario (an owner may name a role)."""
    trig, cast = proc.trigger, cast or {}
    owner = cast.get(incident.owner, incident.owner) if incident.owner is not None else None
    return ((not trig.types or incident.type in trig.types) and incident.severity >= trig.min_severity
            and (trig.owner is None or cast.get(trig.owner, trig.owner) == owner))


def check(doc: ScenarioFile) -> Iterator[Finding]:
    """Every problem with owners in ``doc``, each with the data path it concerns."""
    actors = doc.structure.actors
    if OWNER in actors:
        yield (("structure", "actors", OWNER),
               f"'{OWNER}' is reserved for steps done by the incident's owner (actor: {OWNER}); rename this actor")
    needing = {name: steps for name, proc in doc.structure.procedures.items() if (steps := owner_steps(proc))}
    role_names = doc.structure.roles
    for name, proc in doc.structure.procedures.items():
        owner = proc.trigger.owner
        if owner is not None and owner not in actors and owner not in role_names:
            yield ("structure", "procedures", name, "trigger", "owner"), (
                f"procedure '{name}' is triggered for incidents owned by '{owner}', which is not a defined actor"
                f"{' or role' if role_names else ''}{_hint(owner, [*actors, *role_names])}")
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
    resolvable = roles.resolvable(doc)  # else the roles' own problems are reported, owners naming one unchecked
    for sname, scenario in doc.scenarios.items():
        cast = roles.cast_of(doc, sname) if resolvable else {}
        for n, inject in enumerate(scenario.injects):
            if inject.incident is not None:
                ipath: Path = ("scenarios", sname, "injects", n, "incident")
                yield from _incident(doc, inject.incident, ipath, needing, cast, sname)


def _incident(doc: ScenarioFile, incident: Incident, ipath: Path, needing: dict[str, list[Step]],
              cast: Mapping[str, str], scenario: str) -> Iterator[Finding]:
    actors, role_names = doc.structure.actors, doc.structure.roles
    named = incident.owner
    if named is not None and named in role_names and named not in cast:
        return  # a role that does not resolve: reported by roles.check
    if named is not None and named not in actors and named not in role_names:
        yield (*ipath, "owner"), _unknown(named, [*actors, *role_names], bool(role_names))
        return
    owner = cast.get(named, named) if named is not None else None
    procedures = doc.structure.procedures
    started = [(name, steps) for name, steps in needing.items() if may_start(procedures[name], incident, cast)]
    if not started:
        return
    if owner is None:
        name, steps = started[0]
        yield ipath, (f"incident of type '{incident.type}' may start procedure '{name}', whose step "
                      f"'{steps[0].id}' is done by the incident's owner; give the incident an 'owner' "
                      "(the actor that runs what is attacked)")
        return
    most = actors[owner].most_staff
    played = roles.played_by(doc, scenario, named) if named is not None else ""
    for name, steps in started:
        for step in steps:
            if step.staff > 1 and step.staff > most:
                yield (*ipath, "owner"), (f"owner '{owner}'{played} never has more than {most} on duty, but step "
                                          f"'{step.id}' of procedure '{name}' needs {step.staff}; it could never "
                                          "start")
                return


def _unknown(owner: str, names: Iterable[str], with_roles: bool) -> str:
    kind = "actor or role" if with_roles else "actor"
    return f"the incident's owner '{owner}' is not a defined {kind}{_hint(owner, names)}"


def _hint(name: str, names: Iterable[str]) -> str:
    choices = sorted(set(names))
    return did_you_mean(name, choices) or (f" (defined: {', '.join(choices)})" if len(choices) <= 8 else "")
