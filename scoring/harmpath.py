"""Which steps of a response could change an incident's harm.

A delay explains harm (an objective about reach, voter- or station-minutes, a time to containment, or a
share of the run's harm) only when the delayed step could have changed it: the step, or a step after it on
its procedure's path (by ``next``, decisions and order), contains, slows or mitigates the incident, or
escalates it to a level where a procedure for incidents of its type and severity starts that could in turn
(one with such a step). A queue before a step of a procedure with no such step explains nothing about the
harm: finishing that procedure sooner would not have stopped any of it; nor does an escalation that starts
no such procedure.

One exception: an incident none of whose procedures has an effect and that has no natural end (its
incident has no ``duration``: the engine then contains it when its procedures complete) — every step of
them counts. One with a natural end is never contained by its procedures completing, so, still open when
the run stopped or ended by itself, none of their steps counts. Whether it has one is read from the
scenario (the inject of each incident); without it, an incident still open is taken to have none.

Likewise a delay explains a time to a step (``to step S``) only when the delayed step leads to ``S``
(:meth:`HarmPaths.leads_to`): ``S`` follows it on its procedure's path, or it (or a step after it)
escalates the incident and ``S``'s procedure starts on a level. A delay in a parallel procedure
that does not lead to ``S`` did not hold ``S`` up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ballotdrill.scenarios.scenario import Scenario
from ballotdrill.scenarios.structure import END, Structure
from ballotdrill.scenarios.types import LEVELS
from ballotdrill.scoring.model import IncidentTimes

__all__ = ["HarmPaths", "IncidentPath"]


class IncidentPath(NamedTuple):
    """What decides, for one incident, which of its steps could change its harm."""

    every: bool
    """Every step counts (:meth:`HarmPaths.for_incident`)."""
    type: str
    severity: int


class HarmPaths:
    """Per procedure step of ``structure``: whether completing it sooner could change its incident's harm
    (everything could, without a structure); ``scenario``: where to read which incidents have a natural end."""

    def __init__(self, structure: Structure | None, scenario: Scenario | None = None) -> None:
        self.structure = structure
        self._moves: dict[tuple[str, str, str | None, int], bool] = {}
        self.self_ending = frozenset(
            inject_id for inject_id, inject in zip(scenario.inject_ids(), scenario.injects, strict=True)
            if inject.incident is not None and inject.incident.duration is not None) if scenario else frozenset()
        """Injects whose incidents end by themselves after a drawn ``duration``."""

    def contains(self, procedure: str) -> bool:
        """Whether some step of ``procedure`` has an effect on its incident."""
        proc = self.structure.procedures.get(procedure) if self.structure else None
        return proc is not None and any(step.effect is not None for step in proc.steps)

    def on_path(self, procedure: str, step: str, kind: str | None = None, severity: int = 0) -> bool:
        """Whether ``step`` or a step after it on ``procedure``'s path has an effect, or escalates an incident of
        type ``kind`` and ``severity`` to a level where a procedure starts that could change its harm (any
        escalation, when ``kind`` is not given)."""
        key = (procedure, step, kind, severity)
        found = self._moves.get(key)
        if found is None:
            found = self._moves[key] = self._search(procedure, step, kind, severity)
        return found

    def leads_to(self, procedure: str, step: str, target: str) -> bool:
        """Whether completing ``step`` of ``procedure`` sooner could bring step ``target`` sooner: ``target`` is it
        or follows it on the procedure's path, or it or a step after it escalates the incident and a procedure
        with a step ``target`` starts on a level (everything could, without a structure or for a step unknown
        to it)."""
        structure = self.structure
        if structure is None or procedure not in structure.procedures:
            return True
        after = self._after(procedure, step)
        if after is None:
            return True
        proc = structure.procedures[procedure]
        if any(proc.steps[i].id == target for i in after):
            return True
        escalates = any(proc.steps[i].escalate is not None for i in after)
        return escalates and any(p.trigger.level is not None and any(s.id == target for s in p.steps)
                                 for name, p in structure.procedures.items() if name != procedure)

    def _after(self, procedure: str, step: str) -> set[int] | None:
        """The indexes of ``step`` and every step after it on ``procedure``'s path (None: unknown)."""
        proc = self.structure.procedures.get(procedure) if self.structure else None
        if proc is None:
            return None
        index = {s.id: i for i, s in enumerate(proc.steps)}
        start = index.get(step)
        if start is None:
            return None
        seen, todo = {start}, [start]
        while todo:
            for name in proc.successors(todo.pop()):
                following = index.get(name) if name != END else None
                if following is not None and following not in seen:
                    seen.add(following)
                    todo.append(following)
        return seen

    def _search(self, procedure: str, step: str, kind: str | None, severity: int) -> bool:
        after = self._after(procedure, step)
        if after is None:
            return True  # unknown to the structure: it cannot be ruled out
        proc = self.structure.procedures[procedure] if self.structure else None
        assert proc is not None
        return any(proc.steps[i].effect is not None for i in after) or any(
            level is not None and (kind is None or self._escalation_moves(level, kind, severity, {procedure}))
            for level in (proc.steps[i].escalate for i in after))

    def _escalation_moves(self, level: str, kind: str, severity: int, seen: set[str]) -> bool:
        """Whether escalating an incident of type ``kind`` and ``severity`` to ``level`` may start a procedure (on a
        level at most that one, for its type and severity; not one already weighed, ``seen``) with a step that has
        an effect, or that escalates it in turn to where one starts."""
        assert self.structure is not None
        reached = LEVELS.index(level)
        for name, proc in self.structure.procedures.items():
            trig = proc.trigger
            if name in seen or trig.level is None or LEVELS.index(trig.level) > reached or trig.action is not None \
                    or (trig.types and kind not in trig.types) or severity < trig.min_severity:
                continue
            seen.add(name)
            if any(s.effect is not None for s in proc.steps) or any(
                    s.escalate is not None and LEVELS.index(s.escalate) > reached
                    and self._escalation_moves(s.escalate, kind, severity, seen) for s in proc.steps):
                return True
        return False

    def for_incident(self, times: IncidentTimes | None, procedures: Iterable[str]) -> IncidentPath:
        """Which of the incident's steps count: every one when nothing in its response (``procedures``, those run
        for it) has an effect and it has no natural end, so completing its procedures is what contains it; else
        those on a path to an effect (:meth:`on_path`)."""
        kind, severity = (times.type, times.severity) if times is not None else ("", 0)
        if self.structure is None:
            return IncidentPath(True, kind, severity)
        if times is not None and (times.contained_how == "ended" or times.inject in self.self_ending):
            return IncidentPath(False, kind, severity)
        return IncidentPath(not any(self.contains(name) for name in set(procedures)), kind, severity)

    def moves(self, procedure: str, step: str, every: bool | IncidentPath) -> bool:
        """Whether a delay to ``step`` of ``procedure`` could change its incident's harm (``every``: from
        :meth:`for_incident`; a bare True or False when the incident is not known)."""
        if isinstance(every, IncidentPath):
            return every.every or self.structure is None or self.on_path(procedure, step, every.type or None,
                                                                         every.severity)
        return every or self.structure is None or self.on_path(procedure, step)
