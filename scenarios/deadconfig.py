"""Warnings for configuration that can never take effect: valid, but dead.

A procedure whose trigger type no incident has (``cyber_outrage`` for ``cyber_outage``) never
runs, and an objective on it reads 100 % on time; an incident whose type no procedure's trigger names
(``equipment_failur``) starts and is never answered. These are warnings, not errors: a shared
structure may hold playbooks for incidents a given file does not script. ``validate --strict``
makes them errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ballotdrill.scenarios.roles import cast_of
from ballotdrill.scenarios.scenario import Incident, ScenarioFile
from ballotdrill.scenarios.structure import Procedure
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scenarios.types import LEVELS
from ballotdrill.scenarios.yamlread import Path

Finding = tuple[Path, str]


class Dead(NamedTuple):
    """One piece of dead configuration: where, what, and whether it changes what a batch run does."""

    path: Path
    message: str
    batch: bool
    """False for what only a live player could reach (an action no procedure listens to)."""


def warnings(doc: ScenarioFile) -> list[Dead]:
    """Every piece of dead configuration in ``doc``, each with the data path it concerns."""
    incidents = [inj.incident for sc in doc.scenarios.values() for inj in sc.injects if inj.incident is not None]
    owned = _owned(doc)
    scripted = {inj.action.name for sc in doc.scenarios.values() for inj in sc.injects if inj.action is not None}
    found = [Dead(path, message, True) for path, message in _procedures(doc, incidents, owned)]
    found += [Dead(path, message, True) for path, message in _unanswered(doc)]
    found += [Dead(path, message, action in scripted) for path, message, action in _unheard_actions(doc)]
    found += [Dead(path, message, False) for path, message in _unscripted_mitigations(doc)]
    found += [Dead(path, message, True) for path, message in _early_extensions(doc)]
    return list(dict.fromkeys(found))


def unanswered(doc: ScenarioFile, kind: str) -> str:
    """Why no procedure starts by itself for an incident of type ``kind``, with the nearest trigger type (empty if
    one does: its trigger names the type, or names no type and no action). A procedure an action starts, whatever
    the type, is said to remain."""
    triggers = [p.trigger for p in doc.structure.procedures.values()]
    named = {t for trig in triggers for t in trig.types}
    if kind in named or any(trig.type is None and trig.action is None for trig in triggers):
        return ""
    hint = did_you_mean(kind, named) or (f" (trigger types: {', '.join(sorted(named))})" if named else "")
    unless = " unless an action starts one" if any(trig.type is None for trig in triggers) else ""
    return f"no procedure's trigger names type '{kind}', so none starts for it{unless}{hint}"


def _unanswered(doc: ScenarioFile) -> Iterator[Finding]:
    """Incidents whose type no procedure answers (``equipment_failur`` for ``equipment_failure``): they start, are
    detected, and nothing ever responds. A type one edit from a trigger type no incident has is left to that
    procedure's warning (``outrage`` for ``outage``: one typo, told once, on the side that has it)."""
    incidents = [i for sc in doc.scenarios.values() for i in (inj.incident for inj in sc.injects) if i is not None]
    dead = {t for p in doc.structure.procedures.values() for t in p.trigger.types} - {i.type for i in incidents}
    for sname, scenario in doc.scenarios.items():
        for n, inj in enumerate(scenario.injects):
            incident = inj.incident
            reason = unanswered(doc, incident.type) if incident is not None else ""
            if incident is not None and reason and not did_you_mean(incident.type, dead):
                yield (("scenarios", sname, "injects", n, "incident", "type"),
                       f"inject '{inj.id}' starts incident '{incident.id}': {reason}")


def _mitigating(doc: ScenarioFile) -> set[str]:
    """Actions some incident of the file is mitigated by."""
    return {m.action for sc in doc.scenarios.values() for inj in sc.injects if inj.incident is not None
            for m in inj.incident.mitigated_by}


def _unscripted_mitigations(doc: ScenarioFile) -> Iterator[Finding]:
    """Mitigations whose action no inject of their scenario takes: only a live player's action can apply them."""
    for sname, scenario in doc.scenarios.items():
        taken = {inj.action.name for inj in scenario.injects if inj.action is not None}
        for n, inj in enumerate(scenario.injects):
            for k, m in enumerate(inj.incident.mitigated_by if inj.incident is not None else []):
                if m.action not in taken:
                    yield (("scenarios", sname, "injects", n, "incident", "mitigated_by", k, "action"),
                           f"the incident is mitigated by action '{m.action}', which no inject of scenario "
                           f"'{sname}' takes: only a live player taking it can apply the mitigation")


def _early_extensions(doc: ScenarioFile) -> Iterator[Finding]:
    """Steps extending voting to a time no close of any scenario comes before: an extension never brings a close
    forward, so it can never keep a station open."""
    closes = [c for sc in doc.scenarios.values() for c in (*sc.closes.values(), sc.polls_window[1])]
    if not closes:
        return
    first = min(closes)
    for pname, proc in doc.structure.procedures.items():
        for n, step in enumerate(proc.steps):
            until = step.effect.extend_voting if step.effect is not None else None
            if until is not None and until <= first:
                yield (("structure", "procedures", pname, "steps", n, "effect", "extend_voting"),
                       f"step '{step.id}' extends voting to {format_clock(until)}, not after the earliest close "
                       f"({format_clock(first)}): an extension never brings a close forward, so it can never keep "
                       "a station open; give a time after the close it is to extend")


def _owned(doc: ScenarioFile) -> set[str]:
    """The procedures whose trigger's ``owner`` owns some incident of the file, each scenario's roles given to the
    actors it gives them (an owner may name a role)."""
    found: set[str] = set()
    for sname, scenario in doc.scenarios.items():
        cast = cast_of(doc, sname)
        owners = {cast.get(i.owner, i.owner) for i in (inj.incident for inj in scenario.injects)
                  if i is not None and i.owner is not None}
        found.update(name for name, proc in doc.structure.procedures.items()
                     if proc.trigger.owner is not None and cast.get(proc.trigger.owner, proc.trigger.owner) in owners)
    return found


def _top_level(doc: ScenarioFile, incidents: list[Incident]) -> int:
    """The highest level an incident of the file starts at or a step escalates to (-1: none)."""
    return max([LEVELS.index(i.level) for i in incidents]
               + [LEVELS.index(s.escalate) for p in doc.structure.procedures.values()
                  for s in p.steps if s.escalate is not None], default=-1)


def unstartable(doc: ScenarioFile) -> set[str]:
    """The procedures no incident of the file can start: every type their trigger names is no incident's, or
    :func:`_never_starts` says why not (the procedures the warnings say never run)."""
    incidents = [inj.incident for sc in doc.scenarios.values() for inj in sc.injects if inj.incident is not None]
    types, owned, top_level = {i.type for i in incidents}, _owned(doc), _top_level(doc, incidents)
    return {name for name, proc in doc.structure.procedures.items()
            if (proc.trigger.types and not types.intersection(proc.trigger.types))
            or _never_starts(proc, incidents, top_level, name in owned)}


def _procedures(doc: ScenarioFile, incidents: list[Incident], owned: set[str]) -> Iterator[Finding]:
    types = sorted({i.type for i in incidents})
    top_level = _top_level(doc, incidents)
    for name, proc in doc.structure.procedures.items():
        path: Path = ("structure", "procedures", name, "trigger")
        trig = proc.trigger
        dead = [t for t in trig.types if t not in types]
        for t in dead:
            where = (*path, "type") if isinstance(trig.type, str) else (*path, "type", trig.types.index(t))
            hint = did_you_mean(t, types) or (f" (incident types in this file: {', '.join(types)})" if types else "")
            yield where, f"procedure '{name}' is triggered by type '{t}', which no incident in this file has{hint}"
        if dead and len(dead) == len(trig.types):
            continue
        reason = _never_starts(proc, incidents, top_level, name in owned)
        if reason:
            yield path, f"procedure '{name}' never starts: {reason}"


def _never_starts(proc: Procedure, incidents: list[Incident], top_level: int, owned: bool) -> str:
    """Why no incident of the file can start ``proc`` (empty if one can; ``owned``: an incident is owned by its
    trigger's ``owner``)."""
    trig = proc.trigger
    if trig.types:
        matching = [i for i in incidents if i.type in trig.types]
        if not any(i.severity >= trig.min_severity for i in matching):
            return (f"no incident of type {'/'.join(trig.types)} has severity {trig.min_severity} or more "
                    f"(highest: {max(i.severity for i in matching)})")
    if trig.owner is not None and not owned:
        return f"no incident names '{trig.owner}' as its owner"
    if trig.level is not None and LEVELS.index(trig.level) > top_level:
        return f"no incident starts at or is escalated to level '{trig.level}'"
    return ""


def _unheard_actions(doc: ScenarioFile) -> Iterator[tuple[Path, str, str]]:
    heard = sorted({p.trigger.action for p in doc.structure.procedures.values() if p.trigger.action is not None}
                   | _mitigating(doc))
    for aname, actor in doc.structure.actors.items():
        for n, action in enumerate(actor.actions):
            if action not in heard:
                hint = did_you_mean(action, heard)
                yield (("structure", "actors", aname, "actions", n),
                       f"actor '{aname}' lists action '{action}', which no procedure's trigger names, so taking it "
                       f"starts nothing{hint}", action)
