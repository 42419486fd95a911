"""Preventive actions: actions taken before an incident that change it when it comes.

An incident's ``mitigated_by`` names actions; each one taken before the incident starts — on no
incident, or on this incident's id — applies once, from its earliest taking: its factors scale the
incident's duration draw, its detection delay and its wave's growth rate (several multiply).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ballotdrill.scenarios.scenario import Incident, Mitigation


class Taken(NamedTuple):
    """An action taken in the run: when, by whom, on which incident (None: on none)."""

    t: float
    actor: str
    incident: str | None


class Applied(NamedTuple):
    """A mitigation that applies to an incident, and the taking of its action that made it apply."""

    mitigation: Mitigation
    taken: Taken

    def data(self) -> dict[str, Any]:
        """The ``mitigated`` row's fields: the action, when it was taken, and the factors it gives."""
        m = self.mitigation
        factors = {k: getattr(m, k) for k in ("duration", "detection", "growth") if getattr(m, k) is not None}
        return {"action": m.action, "taken_at": self.taken.t, **factors}


class Mitigations(NamedTuple):
    """What the mitigations of an incident do together."""

    applied: list[Applied]
    duration: float = 1.0
    detection: float = 1.0
    growth: float = 1.0


NONE = Mitigations([])


class ActionLog:
    """Every action taken so far in a run, by name, in the order taken."""

    def __init__(self) -> None:
        self.taken: dict[str, list[Taken]] = {}

    def add(self, action: str, taken: Taken) -> None:
        self.taken.setdefault(action, []).append(taken)

    def mitigations(self, spec: Incident, incident_id: str) -> Mitigations:
        """The mitigations of ``spec`` whose action was taken before now (on no incident, or on this one)."""
        if not spec.mitigated_by:
            return NONE
        applied = []
        duration = detection = growth = 1.0
        for m in spec.mitigated_by:
            taken = next((x for x in self.taken.get(m.action, ()) if x.incident in (None, incident_id)), None)
            if taken is None:
                continue
            applied.append(Applied(m, taken))
            duration *= 1.0 if m.duration is None else m.duration
            detection *= 1.0 if m.detection is None else m.detection
            growth *= 1.0 if m.growth is None else m.growth
        return Mitigations(applied, duration, detection, growth) if applied else NONE
