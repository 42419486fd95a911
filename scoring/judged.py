"""The value an objective's rating judged, for the figures that set runs side by side (a sweep, a comparison).

An objective carries the value its rating judged (``ObjectiveResult.value``), a harm objective rated U included (its
incident never contained, or ended by itself past the target: the harm done by the end, its subject's or that of the
incident carrying it on). A record without one (made by hand) is given that harm here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ballotdrill.scoring.model import Harm, ObjectiveResult
from ballotdrill.scoring.text import HARM_MEASURES

__all__ = ["judged_value"]


def judged_value(objective: ObjectiveResult, harms: Sequence[Harm],
                 continuations: Mapping[str, Sequence[str]] | None = None) -> float | None:
    """``objective``'s value, or for a harm objective rated U without one the harm it judged (``continuations``:
    the scenario's, ``Scenario.continuations()``; None: no incident carries another on)."""
    if objective.value is not None or objective.rating != "U" or objective.kind not in HARM_MEASURES:
        return objective.value
    rows = {h.incident: h for h in harms}
    chains = continuations or {}
    incident: str | None = objective.subject
    seen: set[str] = set()
    while incident is not None and incident not in seen:
        seen.add(incident)
        row = rows.get(incident)
        if row is not None and (row.open or float(getattr(row, objective.kind)) > objective.target):
            return float(getattr(row, objective.kind))
        incident = next((i for i in chains.get(incident, ()) if i in rows), None)
    return None
