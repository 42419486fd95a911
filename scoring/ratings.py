"""Objectives: each measured from the journal and rated on the HSEEP scale.

Rating thresholds (T = the objective's target, v = the measured value):

Lower is better (``time``, ``reach``, ``voter_minutes``, ``station_minutes``):

- **P** (performed without challenges): v ≤ T
- **S** (performed with some challenges): T < v ≤ 1.25 × T
- **M** (performed with major challenges): v > 1.25 × T, but achieved in the run
  (the reason says when v is more than 2 × T)
- **U** (unable to be performed): never achieved in the run — a time measure whose end
  point never happened, a harm measure whose incident was never contained, or an
  objective whose incident never occurred (not exercised).

Higher is better (``on_time``: the share of completed steps with a target, of one
procedure or ``all``, that met it):

- **P**: v ≥ T;  **S**: v ≥ T / 1.25 (= 0.8 × T);  **M**: v ≥ T / 2;
- **U**: v < T / 2, or no step with a target completed (nothing to measure).
"""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.journal import Event, Kind
from ballotdrill.scenarios.measures import Point
from ballotdrill.scenarios.scenario import Objective
from ballotdrill.scoring.model import Harm, ObjectiveResult, Rating, StepResult, r3
from ballotdrill.scoring.text import measure_value

S_FACTOR = 1.25
"""S band: up to this multiple of the target (lower is better) or down to target / this."""
M_FACTOR = 2.0
"""M band for higher-is-better: down to target / this; for lower-is-better, noted in the reason."""

RATING_NAMES: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}

THRESHOLDS: list[tuple[str, str, str]] = [
    ("P", "value ≤ target", "value ≥ target"),
    ("S", "target < value ≤ 1.25 × target", "0.8 × target ≤ value < target"),
    ("M", "value > 1.25 × target, but achieved in the run", "0.5 × target ≤ value < 0.8 × target"),
    ("U", "never achieved in the run (end point missing, incident never contained or never occurred)",
     "value < 0.5 × target, or no step with a target completed"),
]
"""(rating, lower-is-better rule, higher-is-better rule): the table shown in reports."""


def rate(value: float | None, target: float, lower_is_better: bool) -> tuple[Rating, str]:
    """The HSEEP rating of ``value`` against ``target`` and a one-line reason."""
    if value is None:
        return "U", "never achieved in the run"
    if lower_is_better:
        if value <= target:
            return "P", "met the target"
        if value <= S_FACTOR * target:
            return "S", f"missed the target by at most {S_FACTOR - 1:.0%}"
        if value <= M_FACTOR * target:
            return "M", f"missed the target by more than {S_FACTOR - 1:.0%}"
        return "M", f"achieved, but more than {M_FACTOR:g} × the target"
    if value >= target:
        return "P", "met the target"
    if value >= target / S_FACTOR:
        return "S", f"within {1 / S_FACTOR:.0%} of the target"
    if value >= target / M_FACTOR:
        return "M", f"below {1 / S_FACTOR:.0%} of the target"
    return "U", f"below {1 / M_FACTOR:.0%} of the target"


_INCIDENT_KINDS = {"started": Kind.INCIDENT_STARTED, "detected": Kind.DETECTED, "escalated": Kind.ESCALATED,
                   "contained": Kind.CONTAINED, "resolved": Kind.RESOLVED}


def find_point(events: Sequence[Event], point: Point) -> Event | None:
    """The first journal row where ``point`` happened, or None."""
    if point.step is None:
        kind = _INCIDENT_KINDS[point.event]
        return next((e for e in events if e.kind == kind and e.incident == point.incident), None)
    kind = Kind.STEP_STARTED if point.event == "started" else Kind.STEP_COMPLETED
    return next((e for e in events if e.kind == kind and e.incident == point.incident and e.step == point.step),
                None)


def on_time_share(steps: Sequence[StepResult], procedure: str) -> tuple[float | None, list[int]]:
    """Share of completed steps with a target (of ``procedure``, or ``all``) that met it, and their rows."""
    chosen = [s for s in steps if s.on_time is not None and procedure in ("all", s.procedure)]
    if not chosen:
        return None, []
    share = sum(bool(s.on_time) for s in chosen) / len(chosen)
    return r3(share), sorted(s.evidence[-1] for s in chosen)


def measure_objective(objective: Objective, events: Sequence[Event], steps: Sequence[StepResult],
                      harms: Sequence[Harm]) -> ObjectiveResult:
    """Measure one objective from the journal and rate it."""
    kind, target, lower = objective.measure.kind, objective.target_value, objective.lower_is_better
    value: float | None = None
    evidence: list[int] = []
    reason_prefix = ""
    open_text = ""
    interval = objective.measure.interval
    if interval is not None:
        first, last = find_point(events, interval.start), find_point(events, interval.end)
        evidence = [e.seq for e in (first, last) if e is not None]
        if first is None:
            reason_prefix = f"{interval.start.describe()} never happened; "
        elif last is None:
            reason_prefix = f"{interval.end.describe()} never happened; "
        else:
            value = r3(last.t - first.t)
    elif kind == "on_time":
        value, evidence = on_time_share(steps, objective.measure.subject)
        if value is None:
            reason_prefix = "no step with a target completed; "
    else:
        incident = objective.measure.subject
        row = next((h for h in harms if h.incident == incident), None)
        if row is None:
            reason_prefix = f"incident {incident} did not occur (not exercised); "
        else:
            evidence = list(row.evidence)
            measured = float(getattr(row, kind))
            if row.open:
                at_end = measure_value(kind, measured)
                reason_prefix = f"incident {incident} was never contained ({at_end} at the end); "
                open_text = f"{at_end} at the end, not contained"
            else:
                value = measured
    rating, reason = rate(value, target, lower)
    target_text = objective.target if isinstance(objective.target, str) else measure_value(kind, target)
    return ObjectiveResult(
        id=objective.id, capability=objective.capability, description=objective.description, kind=kind,
        subject=objective.measure.subject, target=r3(target), target_text=str(target_text), value=value,
        value_text=open_text or measure_value(kind, value), lower_is_better=lower, rating=rating,
        reason=reason_prefix + reason, evidence=sorted(evidence),
    )
