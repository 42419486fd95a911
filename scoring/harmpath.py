"""Which steps of a response could change an incident's harm.

A delay explains harm (an objective about reach, voter- or station-minutes, a time to containment, or a
share of the run's harm) only when the delayed step could have changed it: the step, or a step after it on
its procedure's path (by ``next``, decisions and order), contains, slows or mitigates the incident, or
escalates it (which may start a procedure that does). A queue before a step of a procedure with no such
step explains nothing about the harm: finishing that procedure sooner would not have stopped any of it.

One exception: an incident none of whose procedures has an effect, and that did not end by itself, is
contained when its procedures complete; then every step of them counts.

Likewise a delay explains a time to a step (``to step S``) only when the delayed step leads to ``S``
(:meth:`HarmPaths.leads_to`): ``S`` follows it on its procedure's path, or it (or a step after it)
escalates the incident and ``S``'s procedure starts on a level. A delay in a parallel procedure
that does not lead to ``S`` did not hold ``S`` up.
"""

from __future__ import annotations

from collections.abc import Iterable

from ballotdrill.scenarios.structure import END, Structure
from ballotdrill.scoring.model import IncidentTimes

__all__ = ["HarmPaths"]


class HarmPaths:
    """Per procedure step of ``structure``: whether completing it sooner could change its incident's harm
    (everything could, without a structure)."""

    def __init__(self, structure: Structure | None) -> None:
        self.structure = structure
        self._moves: dict[tuple[str, str], bool] = {}

    def contains(self, procedure: str) -> bool:
        """Whether some step of ``procedure`` has an effect on its incident."""
        proc = self.structure.procedures.get(procedure) if self.structure else None
        return proc is not None and any(step.effect is not None for step in proc.steps)

    def on_path(self, procedure: str, step: str) -> bool:
        """Whether ``step`` or a step after it on ``procedure``'s path has an effect or escalates."""
        key = (procedure, step)
        found = self._moves.get(key)
        if found is None:
            found = self._moves[key] = self._search(procedure, step)
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

    def _search(self, procedure: str, step: str) -> bool:
        after = self._after(procedure, step)
        if after is None:
            return True  # unknown to the structure: it cannot be ruled out
        proc = self.structure.procedures[procedure] if self.structure else None
        assert proc is not None
        return any(proc.steps[i].effect is not None or proc.steps[i].escalate is not None for i in after)

    def for_incident(self, times: IncidentTimes | None, procedures: Iterable[str]) -> bool:
        """Whether every step of the incident counts: nothing in its response (``procedures``, those run for it)
        has an effect and it did not end by itself, so completing its procedures is what contains it."""
        if self.structure is None:
            return True
        if times is not None and times.contained_how == "ended":
            return False
        return not any(self.contains(name) for name in set(procedures))

    def moves(self, procedure: str, step: str, every: bool) -> bool:
        """Whether a delay to ``step`` of ``procedure`` could change its incident's harm (``every``: from
        :meth:`for_incident`)."""
        return every or self.structure is None or self.on_path(procedure, step)
