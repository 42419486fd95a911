"""The inject log: every MSEL inject, whether it was delivered, what was expected and what the journal shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import Field

from ballotdrill.journal import ActionTaken, Contained, Event, InjectDelivered, Kind
from ballotdrill.scenarios.msel import msel_rows
from ballotdrill.scenarios.scenario import Inject, Scenario
from ballotdrill.scoring.model import ArrivalStats, Frozen, Harm, IncidentTimes
from ballotdrill.scoring.text import clock, took_from

ADHOC = "ad-hoc inject"
"""The inject log's type of a facilitator's ad-hoc inject (not in the MSEL; listed after its injects)."""

_TYPES = {"timed": "inject", "background": "inject (repeating)", "contingency": "contingency inject"}
BACKGROUND = _TYPES["background"]
"""The inject log's type of a background inject (``every:``), whose arrivals it counts."""


class InjectEntry(Frozen):
    """One MSEL row against the run."""

    id: str
    time: str
    type: str
    to: str = ""
    event: str
    status: str
    delivered: bool
    expected: str = ""
    observed: str = ""
    evidence: list[int] = Field(default_factory=list)


def inject_log(scenario: Scenario, events: Sequence[Event], incidents: Sequence[IncidentTimes],
               harm: Sequence[Harm], names: dict[str, str], start: float, until: float | None,
               background: Sequence[ArrivalStats] = ()) -> list[InjectEntry]:
    """Each inject of ``scenario`` in MSEL order, with its delivery and what followed; a background inject's
    arrivals counted from ``background`` (every arrival, where ``incidents`` lists those kept one by one)."""
    counted = {stats.key: stats for stats in background}
    by_id = dict(zip(scenario.inject_ids(), scenario.injects, strict=True))
    delivered = {e.fields(InjectDelivered).inject: e for e in events if e.kind == Kind.INJECT_DELIVERED}
    actions = [(e, scripted.action) for e in events
               if e.kind == Kind.ACTION_TAKEN and (scripted := e.fields(ActionTaken)).by == "scenario"]
    per_inject: dict[str, list[IncidentTimes]] = {}
    for inc in incidents:
        per_inject.setdefault(inc.inject, []).append(inc)
    open_ids = {h.incident for h in harm if h.open}
    contained = {e.incident: e for e in events if e.kind == Kind.CONTAINED}
    how = {incident: e.fields(Contained).how for incident, e in contained.items()}
    started = {e.incident: e.seq for e in events if e.kind == Kind.INCIDENT_STARTED}

    def closing(found: IncidentTimes | None) -> list[int]:
        """The row that bears out how the incident's line ends: its contained row (also for "ended by itself"),
        else, still open, its last timed row."""
        if found is None:
            return []
        row = contained.get(found.incident)
        return [row.seq] if row is not None else found.evidence[-1:]

    def who(key: str | None) -> str:
        return names.get(key or "", key or "")

    def at(t: float | None) -> str:
        return clock(start, t)

    stopped = "" if until is None else f" (the run stopped at {at(until)})"
    cut = until is not None and until < scenario.end - scenario.start - 1e-9

    def not_released(inject: Inject) -> str:
        """Why an inject was not delivered: not reached before the run stopped, or its condition never held."""
        if inject.when is None or (cut and inject.at is not None and inject.at - scenario.start >= (until or 0.0)):
            return f"not reached{stopped}"
        if cut and inject.at is None:  # watched to the stop, not to the end
            return f"not released (its condition had not held when the run stopped at {at(until)})"
        return "not released (its condition did not hold)"

    out: list[InjectEntry] = []
    for row in msel_rows(scenario):
        inject = by_id[row.id]
        to = who(row.to) if row.to else ""
        base = {"id": row.id, "time": row.time, "type": _TYPES.get(row.kind, row.kind), "to": to, "event": row.event,
                "expected": row.expected}
        if inject.every is not None:
            arrivals = per_inject.get(row.id, [])
            stats = counted.get(row.id)
            count, handled, still = ((stats.arrivals, stats.worked_on, stats.open_at_end) if stats is not None else
                                     (len(arrivals), sum(a.to_first_action is not None for a in arrivals),
                                      sum(a.incident in open_ids for a in arrivals)))
            status, observed = arrivals_texts(count, handled, still)
            out.append(InjectEntry(**base, status=status, delivered=bool(count), observed=observed,
                                   evidence=[a.evidence[0] for a in arrivals[:1] if a.evidence]))
            continue
        if inject.action is not None:
            act = inject.action
            taken = next((e for e, name in actions if e.actor == act.actor and name == act.name
                          and e.incident == act.incident), None)
            if taken is not None:
                out.append(InjectEntry(**base, status=f"delivered {at(taken.t)}", delivered=True,
                                       observed=f"{who(act.actor)} took '{act.name}'", evidence=[taken.seq]))
            else:
                out.append(InjectEntry(**base, status=not_released(inject),
                                       delivered=False))
            continue
        row_event = delivered.get(row.id)
        if row_event is None:
            out.append(InjectEntry(**base, status=not_released(inject), delivered=False))
            continue
        status = _released(inject, row_event, at, started)
        if inject.message is not None:
            out.append(InjectEntry(**base, status=status, delivered=True,
                                   observed=f"message delivered to {who(row_event.actor)}", evidence=[row_event.seq]))
            continue
        found = next((i for i in per_inject.get(row.id, []) if i.incident == row_event.incident), None)
        observed = _incident_text(found, how.get(found.incident), who, start) if found else ""
        out.append(InjectEntry(**base, status=status, delivered=True, observed=observed,
                               evidence=[row_event.seq, *closing(found)]))
    for e in events:  # the facilitator's ad-hoc injects, after the MSEL's own, in the order given
        if e.kind != Kind.INJECT_DELIVERED or not (added := e.fields(InjectDelivered)).adhoc:
            continue
        found = next((i for i in per_inject.get(added.inject, []) if i.incident == e.incident), None)
        if added.type == "message":
            event = f"message{' from ' + who(added.from_) if added.from_ else ''}: {added.text}"
            observed = f"message delivered to {who(e.actor)}"
        else:
            event = f"incident {e.incident}" + (f": {added.text}" if added.text else "")
            observed = _incident_text(found, how.get(found.incident), who, start) if found else ""
        out.append(InjectEntry(id=added.inject, time=at(e.t), type=ADHOC, to=who(e.actor) if e.actor else "",
                               event=event, status=f"ad-hoc, by the facilitator at {at(e.t)}", delivered=True,
                               observed=observed, evidence=[e.seq, *closing(found)]))
    return out


def _released(inject: Inject, row: Event, at: Callable[[float | None], str], started: dict[str | None, int]) -> str:
    """How a scheduled inject was delivered: at its time (``delivered``), when its condition held (``released``),
    or sent now by the facilitator, saying (as the console did) whether a contingency's condition had held."""
    delivered = row.fields(InjectDelivered)
    if delivered.by is None:
        return f"{'released' if inject.when is not None else 'delivered'} {at(row.t)}"
    sent = f"sent now by the {delivered.by} at {at(row.t)}"
    when = inject.when
    if when is None or delivered.held is None:
        return sent
    if delivered.held:
        return f"{sent} (its condition on {when.incident} held)"
    begun = started.get(when.incident, row.seq) < row.seq
    return f"{sent}; its condition on {when.incident} had not held" + ("" if begun else
                                                                       f" ({when.incident} had not started)")


def adhoc_incidents(events: Sequence[Event]) -> set[str]:
    """Incidents started by a facilitator's ad-hoc inject (not the scenario's, so not scripted)."""
    return {e.incident for e in events if e.kind == Kind.INJECT_DELIVERED and e.incident is not None
            and e.fields(InjectDelivered).adhoc}


def _incident_text(inc: IncidentTimes, how: str | None, who: Callable[[str | None], str], start: float) -> str:
    """What the journal shows of a delivered incident (``start``: the run's clock at t = 0)."""
    def after(took: float | None) -> str:  # after its start, as the clocks read
        return took_from(start, inc.started_at, took)

    parts = []
    if inc.to_detect is None:
        parts.append("never detected")
    else:
        after_end = how == "ended" and inc.to_contain is not None and inc.to_detect > inc.to_contain
        parts.append(f"{'noticed' if after_end else 'detected'} after {after(inc.to_detect)}"
                     + (f" by {who(inc.detected_by)}" if inc.detected_by else "")
                     + (" (after its end)" if after_end else ""))
    parts.append("no response step" if inc.to_first_action is None
                 else f"first action after {after(inc.to_first_action)}")
    if inc.to_contain is None:
        parts.append("still open at the end")
    elif how == "ended":
        parts.append(f"ended by itself after {after(inc.to_contain)}")
    elif how == "completed":
        parts.append(f"procedures completed after {after(inc.to_contain)}")
    else:
        parts.append(f"contained after {after(inc.to_contain)}"
                     + (f" by {who(inc.contained_by)}" if inc.contained_by else ""))
    return "; ".join(parts)


def arrivals_texts(count: int, handled: int, still: int, spec: str = "") -> tuple[str, str]:
    """A background inject's status and what followed: ``1200 arrival(s)``, ``1200 of 1200 worked on; none open at
    the end`` (``spec`` ``","``: grouped, as the report's layout writes counts; ``scores.json`` keeps them plain)."""
    tail = f"{still:{spec}} still open at the end" if still else "none open at the end"
    return (f"{count:{spec}} arrival(s)",
            f"{handled:{spec}} of {count:{spec}} worked on; {tail}" if count else "")
