"""Roles: one structure serving scenarios in which different actors play a part (the organiser of the election).

The structure names each role and the actor that plays it by default (``roles: {organiser:
fps-interior-elections}``); a step may name a role as its ``actor``; a scenario may give a role to
another actor (``roles: {organiser: regional-elections-administration}``). :func:`as_played` resolves
the roles once, when a scenario is picked to be played, into the file as that scenario plays it:
every step names an actor, and nothing downstream (engine, scoring, reports, live views, exports)
knows roles exist. A role may stand wherever the file names an actor who does or receives
something: a step's ``actor``, a trigger's ``owner`` (incidents owned by whoever plays it), and in
the scenarios an inject's ``detected_by``, a message's ``to``, an action's ``actor`` and an
incident's ``owner`` (:data:`ROLE_FIELDS`). A procedure whose ``owner`` (the organisation answering
for it in the improvement plan) is a role's name is owned by the organisation of the actor playing
the role. A run stores that resolved file, so its reports are rebuilt from the journal alone, and a
run made before roles existed reads as it always did.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from ballotdrill.scenarios.scenario import Inject, Scenario, ScenarioFile
from ballotdrill.scenarios.structure import OWNER, Actor, Procedure
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.yamlread import Path

Finding = tuple[Path, str]

ROLE_FIELDS = ("a step's 'actor'", "a trigger's 'owner'", "an inject's 'detected_by'", "a message's 'to'",
               "an action's 'actor'", "an incident's 'owner'")
"""Where a role may stand for the actor that plays it (for messages and documentation)."""


def cast_of(doc: ScenarioFile, scenario: str) -> dict[str, str]:
    """Each role of the structure and the actor that plays it in ``scenario`` (its own choice, else the default)."""
    return {**doc.structure.roles, **doc.scenarios[scenario].roles}


CAST_KEY = "cast"
"""Meta key of a run's journal: JSON ``{role: actor}``, the roles as its scenario gave them (absent: no roles)."""


def cast_meta(doc: ScenarioFile, scenario: str) -> dict[str, str]:
    """What a run's meta keeps of the roles (:data:`CAST_KEY`): the file stored is :func:`as_played`, which has
    none left, so the participants' roles are read from here. Empty for a file without roles (or one resolved)."""
    cast = cast_of(doc, scenario) if doc.structure.roles else {}
    return {CAST_KEY: json.dumps(cast, sort_keys=True)} if cast else {}


def cast_in(meta: Mapping[str, str]) -> dict[str, str]:
    """The roles a run's meta says its scenario gave out (``{role: actor}``; empty when it says none, or not well)."""
    try:
        cast = json.loads(meta.get(CAST_KEY) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in cast.items()} if isinstance(cast, dict) else {}


_CACHE_SIZE = 32
_cache: dict[tuple[int, str], tuple[ScenarioFile, ScenarioFile]] = {}
"""(id of a file, scenario) -> (that file, kept alive so its id is not reused; the file as the scenario plays it)."""
_cache_lock = threading.Lock()


def as_played(doc: ScenarioFile, scenario: str) -> ScenarioFile:
    """``doc`` as ``scenario`` plays it: each name of :data:`ROLE_FIELDS` that is a role names the actor the
    scenario gives that role (in every scenario of the file: nothing reads another scenario of a played file).

    The result holds no roles (the structure's and every scenario's are dropped), so it is its own
    resolution, and ``doc`` itself when it has none. Made once per file and scenario: the engine and
    the scorer may ask again for a file they were given unresolved and get the same object.
    """
    if not doc.structure.roles:
        return doc
    key = (id(doc), scenario)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] is doc:
        return hit[1]
    cast = cast_of(doc, scenario)
    owners = {role: _organisation(doc.structure.actors[actor], actor) for role, actor in cast.items()
              if actor in doc.structure.actors}
    procedures = {name: _cast(proc, cast, owners) for name, proc in doc.structure.procedures.items()}
    structure = doc.structure.model_copy(update={"roles": {}, "procedures": procedures})
    scenarios = {name: _cast_scenario(sc, cast) for name, sc in doc.scenarios.items()}
    resolved = doc.model_copy(update={"structure": structure, "scenarios": scenarios})
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            del _cache[next(iter(_cache))]
        hit = _cache.setdefault(key, (doc, resolved))  # a resolution made meanwhile by another thread wins
    return hit[1] if hit[0] is doc else resolved


def _cast(proc: Procedure, cast: Mapping[str, str], owners: Mapping[str, str]) -> Procedure:
    """``proc`` with each step naming a role given its actor, and an ``owner`` naming a role given its organisation."""
    changes: dict[str, object] = {}
    if any(step.actor in cast for step in proc.steps):
        changes["steps"] = [step.model_copy(update={"actor": cast[step.actor]}) if step.actor in cast else step
                            for step in proc.steps]
    if proc.owner in owners:
        changes["owner"] = owners[proc.owner]
    owner = proc.trigger.owner
    if owner is not None and owner in cast:
        changes["trigger"] = proc.trigger.model_copy(update={"owner": cast[owner]})
    return proc.model_copy(update=changes) if changes else proc


def _cast_scenario(scenario: Scenario, cast: Mapping[str, str]) -> Scenario:
    """``scenario`` without its roles, each inject naming a role given the actor that plays it."""
    injects = [_cast_inject(inject, cast) for inject in scenario.injects]
    changes: dict[str, object] = {"roles": {}} if scenario.roles else {}
    if any(new is not old for new, old in zip(injects, scenario.injects, strict=True)):
        changes["injects"] = injects
    return scenario.model_copy(update=changes) if changes else scenario


def _cast_inject(inject: Inject, cast: Mapping[str, str]) -> Inject:
    """``inject`` with a role in its ``detected_by``, message's ``to``, action's ``actor`` or incident's ``owner``
    given the actor that plays it."""
    changes: dict[str, object] = {}
    detection, message, action, incident = inject.detected_by, inject.message, inject.action, inject.incident
    if detection is not None and detection.actor in cast:
        changes["detected_by"] = detection.model_copy(update={"actor": cast[detection.actor]})
    if message is not None and message.to in cast:
        changes["message"] = message.model_copy(update={"to": cast[message.to]})
    if action is not None and action.actor in cast:
        changes["action"] = action.model_copy(update={"actor": cast[action.actor]})
    if incident is not None and incident.owner is not None and incident.owner in cast:
        changes["incident"] = incident.model_copy(update={"owner": cast[incident.owner]})
    return inject.model_copy(update=changes) if changes else inject


def resolvable(doc: ScenarioFile) -> bool:
    """Whether the file's roles resolve (:func:`check` finds nothing), so :func:`as_played` gives actors."""
    return next(check(doc), None) is None


def played_by(doc: ScenarioFile, scenario: str, name: str) -> str:
    """`` (role 'organiser' is played by 'region' in scenario 'local')`` when ``name`` is a role, else empty."""
    if name not in doc.structure.roles:
        return ""
    return Casting(cast_of(doc, scenario), (scenario,)).played_by(name)


def _organisation(actor: Actor, actor_id: str) -> str:
    """The organisation that answers for an actor's work: its ``organisation``, else its name, else its id."""
    return actor.organisation or actor.name or actor_id


class Casting(NamedTuple):
    """One way the file's scenarios give out the roles, and the scenarios that play it."""

    cast: dict[str, str]
    scenarios: tuple[str, ...]

    def played_by(self, role: str) -> str:
        """``(role 'organiser' is played by 'x' in scenario 'a')``: for a message about a step naming ``role``."""
        names = ", ".join(f"'{s}'" for s in self.scenarios)
        where = f"scenario {names}" if len(self.scenarios) == 1 else f"scenarios {names}"
        return f" (role '{role}' is played by '{self.cast[role]}' in {where})"


def castings(doc: ScenarioFile) -> list[Casting]:
    """The distinct assignments of roles to actors among the file's scenarios, in file order (one when no roles)."""
    found: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for name in doc.scenarios:
        found.setdefault(tuple(sorted(cast_of(doc, name).items())), []).append(name)
    return [Casting(dict(cast), tuple(names)) for cast, names in found.items()]


def check(doc: ScenarioFile) -> Iterator[Finding]:
    """Every problem with the roles themselves: their names, their default actors, each scenario's choices."""
    actors = doc.structure.actors
    roles = doc.structure.roles
    for role, actor in roles.items():
        path: Path = ("structure", "roles", role)
        if role == OWNER:
            yield path, (f"'{OWNER}' is reserved for steps done by the incident's owner (actor: {OWNER}); "
                         "give the role another name")
        elif role in actors:
            yield path, (f"role '{role}' has the name of an actor, so a step naming '{role}' would be ambiguous; "
                         "give the role another name")
        elif actor not in actors:
            yield path, _not_an_actor(f"role '{role}' is played by default by '{actor}'", actor, actors)
    for sname, scenario in doc.scenarios.items():
        for role, actor in scenario.roles.items():
            path = ("scenarios", sname, "roles", role)
            if role not in roles:
                yield path, _unknown_role(sname, role, roles)
            elif actor not in actors:
                yield path, _not_an_actor(f"scenario '{sname}' gives role '{role}' to '{actor}'", actor, actors)


def _not_an_actor(what: str, actor: str, actors: Iterable[str]) -> str:
    choices = sorted(set(actors))
    hint = did_you_mean(actor, choices) or (f" (defined: {', '.join(choices)})" if len(choices) <= 8 else "")
    return f"{what}, which is not a defined actor{hint}; a role is played by an actor of the structure"


def _unknown_role(scenario: str, role: str, roles: Iterable[str]) -> str:
    choices = sorted(set(roles))
    if not choices:
        return (f"scenario '{scenario}' gives out role '{role}', but the structure defines no roles; define it "
                f"under the structure's 'roles' with the actor that plays it by default")
    hint = did_you_mean(role, choices) or f" (defined: {', '.join(choices)})"
    return (f"scenario '{scenario}' gives out role '{role}', which the structure does not define{hint}; "
            "define it under the structure's 'roles' or fix the name")
