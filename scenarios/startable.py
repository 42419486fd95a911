"""A structure cut to what a file's own scenarios can start: for a file made from a shared structure and one
scenario (``import-msel``), so it carries no playbook that can never run in it.

A procedure no incident of the file can start (:func:`deadconfig.unstartable`) is dropped, unless an objective or
a condition of a scenario names it or one of its steps; then the actions only the dropped procedures listened to
(and no inject takes, no mitigation names); a trigger's list of types keeps those some incident of the file has.
The file is then for its own scenario: an ad-hoc live inject of a type left out finds no procedure (and says so).
Dropping never changes a run: a procedure that never starts draws nothing, and every random stream is named by its
source, never by its place (a test plays every library scenario both ways).
"""

from __future__ import annotations

from typing import Any

from ballotdrill.scenarios import crossref
from ballotdrill.scenarios.deadconfig import unstartable
from ballotdrill.scenarios.scenario import ScenarioFile


def startable_only(data: dict[str, Any], model: ScenarioFile) -> tuple[dict[str, Any], ScenarioFile]:
    """``data`` (a scenario file as plain data, ``model`` read from it) without the procedures its scenarios can
    never start and the actions only they heard; ``data`` and ``model`` as they are when nothing can go, or when
    what is left would not check (a reference this module does not know of)."""
    kept_data, kept = data, model
    while True:
        dropped = unstartable(kept) - _named(kept)
        types = {i.type for sc in kept.scenarios.values() for inj in sc.injects if (i := inj.incident) is not None}
        structure = kept_data["structure"]
        procedures = {name: _trimmed(proc, types) for name, proc in structure["procedures"].items()
                      if name not in dropped}
        if procedures == structure["procedures"]:
            break
        fewer = {**kept_data, "structure": {**structure, "procedures": procedures}}
        fewer["structure"]["actors"] = _actors(structure["actors"], _unheard(kept, dropped))
        try:
            cut = ScenarioFile.model_validate(fewer)
        except ValueError:
            return data, model
        if any(True for _ in crossref.check(cut)):
            return data, model
        kept_data, kept = fewer, cut
    return kept_data, kept


def _trimmed(procedure: dict[str, Any], types: set[str]) -> dict[str, Any]:
    """``procedure`` (plain data) with only the trigger types some incident of the file has, when it lists several
    and some are none's (a procedure this keeps has one that is some incident's)."""
    trigger = procedure.get("trigger", {})
    listed = trigger.get("type")
    if not isinstance(listed, list) or set(listed) <= types:
        return procedure
    return {**procedure, "trigger": {**trigger, "type": [t for t in listed if t in types]}}


def _named(doc: ScenarioFile) -> set[str]:
    """The procedures an objective names, or whose step an objective or a condition names."""
    steps = {point.step for sc in doc.scenarios.values() for o in sc.objectives
             for point in (o.measure.interval or ()) if point.step is not None}
    steps |= {step for sc in doc.scenarios.values() for inj in sc.injects if inj.when is not None
              for step in (inj.when.before, inj.when.ended_before) if step is not None}
    named = {o.measure.subject for sc in doc.scenarios.values() for o in sc.objectives
             if o.measure.kind == "on_time"}
    return named | {name for name, proc in doc.structure.procedures.items() if any(s.id in steps for s in proc.steps)}


def _unheard(doc: ScenarioFile, dropped: set[str]) -> set[str]:
    """The actions only ``dropped`` procedures listened to, that no inject takes and no mitigation names."""
    procedures = doc.structure.procedures
    heard = {p.trigger.action for name, p in procedures.items() if name not in dropped}
    used = {inj.action.name for sc in doc.scenarios.values() for inj in sc.injects if inj.action is not None}
    used |= {m.action for sc in doc.scenarios.values() for inj in sc.injects if inj.incident is not None
             for m in inj.incident.mitigated_by}
    return {p.trigger.action for name, p in procedures.items()
            if name in dropped and p.trigger.action is not None} - heard - used


def _actors(actors: dict[str, Any], unheard: set[str]) -> dict[str, Any]:
    """``actors`` (plain data) without the ``unheard`` actions in their lists."""
    if not unheard:
        return actors
    return {name: ({**actor, "actions": [a for a in actor["actions"] if a not in unheard]}
                   if isinstance(actor, dict) and "actions" in actor else actor)
            for name, actor in actors.items()}
