"""Export a journal as an OCEL 2.0 JSON event log, for process-mining tools.

Object types: ``incident``, ``actor``, ``step`` (one object per step instance), ``handoff``
(one per handoff, across its attempts) and ``decision`` (one per request). Event types are
the journal kinds; each event's ``relationships`` qualify its objects: incident
``subject``; actor ``performer`` (or ``sender``/``receiver`` for handoffs, ``detector``
for detection); ``step``; ``handoff``; ``decision``. Object-to-object relationships: a
step is ``part of`` its incident, a handoff ``carries`` work of its incident, a decision is
``asked in`` its step, a step is ``handed over by`` the handoff that brought it.

Timestamps: day D is the date in the run's meta (``date``, ``YYYY-MM-DD``) when given,
else :data:`REFERENCE_DATE` (2026-01-01); an event's time is 00:00 UTC on day D plus
``run_started.data.start + t`` minutes, written ISO 8601 with milliseconds and ``Z``.
Staff changes are timed ``staff`` attribute values of the actor objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ballotdrill.journal import KINDS, Event, IncidentStarted, Kind, RunStarted, StaffChanged, StepTargets
from ballotdrill.scenarios.scenario import ScenarioFile

REFERENCE_DATE = date(2026, 1, 1)
"""Day D when the run's meta names no date."""

OBJECT_TYPES: dict[str, dict[str, str]] = {
    "incident": {"type": "string", "severity": "integer", "title": "string", "level": "string", "scenario": "string"},
    "actor": {"name": "string", "staff": "integer"},
    "step": {"procedure": "string", "step": "string", "actor": "string", "target": "float"},
    "handoff": {"procedure": "string", "step": "string", "sender": "string", "receiver": "string",
                "channel": "string"},
    "decision": {"procedure": "string", "step": "string", "default": "string", "option": "string"},
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "string"


def _value(value: Any) -> Any:
    """Scalars as they are; lists and objects as canonical JSON text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class _Log:
    """Objects being collected while the events are walked."""

    def __init__(self, day_zero: datetime) -> None:
        self.day_zero = day_zero
        self.objects: dict[str, dict[str, Any]] = {}

    def stamp(self, clock_minutes: float) -> str:
        moment = self.day_zero + timedelta(minutes=clock_minutes)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def obj(self, oid: str, otype: str, time: str, **attrs: Any) -> str:
        self.objects.setdefault(oid, {"id": oid, "type": otype, "attributes": [], "relationships": []})
        self.set(oid, time, **attrs)
        return oid

    def set(self, oid: str, time: str, **attrs: Any) -> None:
        for name, value in attrs.items():
            if value is not None:
                self.objects[oid]["attributes"].append({"name": name, "time": time, "value": _value(value)})

    def relate(self, oid: str, target: str, qualifier: str) -> None:
        rel = {"objectId": target, "qualifier": qualifier}
        if target in self.objects and rel not in self.objects[oid]["relationships"]:
            self.objects[oid]["relationships"].append(rel)


_ACTOR_ROLE = {"detected": "detector", "handoff_sent": "sender", "handoff_failed": "sender",
               "handoff_received": "receiver", "inject_delivered": "recipient"}


def to_ocel(events: Sequence[Event], doc: ScenarioFile, scenario_name: str, day: str | None = None) -> dict[str, Any]:
    """The journal as an OCEL 2.0 JSON document (``objectTypes``, ``eventTypes``, ``objects``, ``events``)."""
    events = sorted(events, key=lambda e: e.seq)
    start = next((float(e.fields(RunStarted).start or 0.0) for e in events if e.kind == Kind.RUN_STARTED), 0.0)
    day_zero = datetime.combine(date.fromisoformat(day) if day else REFERENCE_DATE, datetime.min.time(), UTC)
    log = _Log(day_zero)
    t0 = log.stamp(start)
    for key, actor in doc.structure.actors.items():
        log.obj(f"actor:{key}", "actor", t0, name=actor.name or key, staff=actor.staff)
    steps: dict[tuple[str, str, str], str] = {}
    step_counts: dict[tuple[str, str, str], int] = {}
    waiting: set[tuple[str, str, str]] = set()
    """Steps whose latest instance is queued and not yet started."""
    handoff_counts: dict[tuple[str, str, str, str], int] = {}
    handoffs: dict[tuple[str, str, str, str], str] = {}
    arrived: dict[tuple[str, str, str], str] = {}
    out_events: list[dict[str, Any]] = []
    event_attrs: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for e in events:
        time = log.stamp(start + e.t)
        d = e.data
        incident, procedure = e.incident or "", str(d.get("procedure", ""))
        rels: list[dict[str, str]] = []

        def link(oid: str, qualifier: str, rels: list[dict[str, str]] = rels) -> None:
            rels.append({"objectId": oid, "qualifier": qualifier})

        if e.incident:
            if e.kind == Kind.INCIDENT_STARTED:
                began = e.fields(IncidentStarted)
                log.obj(f"incident:{incident}", "incident", time, type=began.type, severity=began.severity,
                        title=began.title or None, level=began.level, scenario=scenario_name)
            elif f"incident:{incident}" not in log.objects:
                log.obj(f"incident:{incident}", "incident", time, scenario=scenario_name)
            link(f"incident:{incident}", "subject")
        if e.actor:
            aid = f"actor:{e.actor}"
            if aid not in log.objects:
                log.obj(aid, "actor", t0, name=e.actor)
            if e.kind == Kind.STAFF_CHANGED:
                log.set(aid, time, staff=e.fields(StaffChanged).staff)
            link(aid, _ACTOR_ROLE.get(e.kind, "performer"))
        for field, role in (("to", "receiver"), ("from", "sender")):
            other = d.get(field)
            if e.kind.startswith("handoff_") and isinstance(other, str) and other:
                if f"actor:{other}" not in log.objects:
                    log.obj(f"actor:{other}", "actor", t0, name=other)
                link(f"actor:{other}", role)
        if e.kind.startswith("step_") and e.step:
            skey = (incident, procedure, e.step)
            # A new instance: queued, or started without having queued (work that starts at once has no
            # step_queued row), or any row for a step not seen before.
            new_instance = (e.kind == Kind.STEP_QUEUED or skey not in steps
                            or (e.kind == Kind.STEP_STARTED and skey not in waiting))
            waiting.discard(skey)
            if e.kind == Kind.STEP_QUEUED:
                waiting.add(skey)
            if new_instance:
                step_counts[skey] = step_counts.get(skey, 0) + 1
                sid = f"step:{incident}/{procedure}/{e.step}/{step_counts[skey]}"
                steps[skey] = log.obj(sid, "step", time, procedure=procedure, step=e.step, actor=e.actor)
                log.relate(sid, f"incident:{incident}", "part of")
                via = arrived.pop(skey, None)
                if via:
                    log.relate(sid, via, "handed over by")
            if e.kind == Kind.STEP_COMPLETED:
                log.set(steps[skey], time, target=e.fields(StepTargets).target)
            link(steps[skey], "step")
        if e.kind.startswith("handoff_") and e.step:
            receiver = str(d.get("to") if e.kind != Kind.HANDOFF_RECEIVED else e.actor)
            hkey = (incident, procedure, e.step, receiver)
            if hkey not in handoffs:
                handoff_counts[hkey] = handoff_counts.get(hkey, 0) + 1
                hid = f"handoff:{incident}/{procedure}/{e.step}/{receiver}/{handoff_counts[hkey]}"
                handoffs[hkey] = log.obj(hid, "handoff", time, procedure=procedure, step=e.step,
                                         sender=e.actor if e.kind != Kind.HANDOFF_RECEIVED else d.get("from"),
                                         receiver=receiver)
                log.relate(hid, f"incident:{incident}", "carries")
            hid = handoffs[hkey]
            log.set(hid, time, channel=d.get("channel"))
            link(hid, "handoff")
            if e.kind == Kind.HANDOFF_RECEIVED or (e.kind == Kind.HANDOFF_FAILED and d.get("next") is None):
                del handoffs[hkey]
                if e.kind == Kind.HANDOFF_RECEIVED:
                    arrived[(incident, procedure, e.step)] = hid
        if e.kind.startswith("decision_") and d.get("request") is not None:
            did = f"decision:{d.get('request')}"
            log.obj(did, "decision", time, procedure=procedure, step=e.step,
                    default=d.get("default"), option=d.get("option"))
            dkey = (incident, procedure, e.step or "")
            if dkey in steps:
                log.relate(did, steps[dkey], "asked in")
            link(did, "decision")
        attrs = [{"name": k, "value": _value(v)} for k, v in sorted(d.items()) if v is not None]
        for item in attrs:
            known = event_attrs.setdefault(e.kind, {})
            vtype = _type_of(item["value"])
            if known.get(item["name"]) in ("integer", "float") and vtype in ("integer", "float"):
                vtype = "float" if "float" in (vtype, known[item["name"]]) else "integer"
            known[item["name"]] = vtype if item["name"] not in known or vtype != "string" else known[item["name"]]
        unique = list({(r["objectId"], r["qualifier"]): r for r in rels}.values())
        out_events.append({"id": f"e{e.seq}", "type": e.kind, "time": time, "attributes": attrs,
                           "relationships": unique})
    return {
        "objectTypes": [{"name": name, "attributes": [{"name": k, "type": v} for k, v in attrs.items()]}
                        for name, attrs in OBJECT_TYPES.items()],
        "eventTypes": [{"name": kind, "attributes": [{"name": k, "type": v} for k, v in sorted(attrs.items())]}
                       for kind, attrs in event_attrs.items()],
        "objects": list(log.objects.values()),
        "events": out_events,
    }


def ocel_json(events: Sequence[Event], doc: ScenarioFile, scenario_name: str, day: str | None = None) -> str:
    """:func:`to_ocel` as JSON text (stable, two-space indent)."""
    return json.dumps(to_ocel(events, doc, scenario_name, day), indent=2, ensure_ascii=False) + "\n"
