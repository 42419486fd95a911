"""A journal as an OCEL 2.0 event log, for process-mining tools, walked in one streaming pass.

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

Streaming: :class:`OcelWalker` reads the events once and hands each event, and each object
once it can change no more, to a sink (:mod:`ballotdrill.exports.ocel_json`,
:mod:`ballotdrill.exports.ocel_sqlite`). An incident closes when it starts (nothing changes it
afterwards), a step when it completes, a handoff when it is received or dropped, a decision
with its incident's work; what the walk keeps of an incident's work goes when the incident is resolved,
and what is still open at the end closes then. So memory holds the work in flight, plus the id
of each incident seen (about 60 bytes each, so that a later event refers back to it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from ballotdrill.exports.ocel_values import SCALARS, EventTypes, decode_data, event_attributes, stored_value
from ballotdrill.exports.ocel_values import Scalar as Scalar  # re-exported: the sinks' value type
from ballotdrill.exports.ocel_values import value_type as value_type  # re-exported: its old home
from ballotdrill.journal import KINDS
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.kinds import (
    HANDOFF_FAILED,
    HANDOFF_RECEIVED,
    INCIDENT_STARTED,
    RESOLVED,
    RUN_STARTED,
    STAFF_CHANGED,
    STEP_COMPLETED,
    STEP_QUEUED,
    STEP_STARTED,
)
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

class OcelEvent(NamedTuple):
    """One event: its attributes ``(name, value)`` and qualified objects ``(object id, qualifier)``."""

    id: str
    type: str
    time: str
    attributes: list[tuple[str, Scalar]]
    relationships: list[tuple[str, str]]


class OcelObject(NamedTuple):
    """One object, complete: timed attribute values ``(name, time, value)`` and related objects."""

    id: str
    type: str
    created: str
    attributes: list[tuple[str, str, Scalar]]
    relationships: list[tuple[str, str]]


class OcelSink(Protocol):
    """Where a walk puts the log: events in journal order, objects as they close, then the event types."""

    def event(self, event: OcelEvent) -> None: ...

    def object(self, obj: OcelObject) -> None: ...

    def finish(self, event_types: dict[str, dict[str, str]]) -> None: ...


def _add(attributes: list[tuple[str, str, Scalar]], time: str, values: Iterable[tuple[str, Any]]) -> None:
    """Each value that is not None, timed ``time`` (a list or an object as JSON text)."""
    for name, value in values:
        if value is not None:
            attributes.append((name, time, value if type(value) in SCALARS else stored_value(value)))


class _Open:
    """An object not yet closed: its attribute values and relationships so far."""

    __slots__ = ("attributes", "created", "oid", "otype", "relationships")

    def __init__(self, oid: str, otype: str, created: str) -> None:
        self.oid, self.otype, self.created = oid, otype, created
        self.attributes: list[tuple[str, str, Scalar]] = []
        self.relationships: list[tuple[str, str]] = []


class _Work:
    """What the walk keeps for one incident until it is resolved: its steps and handoffs in flight."""

    __slots__ = ("arrived", "handoff_counts", "handoffs", "owned", "step_counts", "steps", "waiting")

    def __init__(self) -> None:
        self.steps: dict[tuple[str, str], str] = {}
        """(procedure, step) to the id of its latest instance."""
        self.step_counts: dict[tuple[str, str], int] = {}
        self.waiting: set[tuple[str, str]] = set()
        """Steps whose latest instance is queued and not yet started."""
        self.handoffs: dict[tuple[str, str, str], str] = {}
        """(procedure, step, receiver) to the handoff in flight."""
        self.handoff_counts: dict[tuple[str, str, str], int] = {}
        self.arrived: dict[tuple[str, str], str] = {}
        """(procedure, step) to the handoff that brought it, until its instance opens."""
        self.owned: list[str] = []
        """Objects opened for this incident (closed with it if still open)."""


# The kinds compared per event, bound once: looking a member up on the enumeration costs ~0.4 µs each time.

_STEP_KINDS = frozenset(kind for kind in KINDS if kind.startswith("step_"))
_HANDOFF_KINDS = frozenset(kind for kind in KINDS if kind.startswith("handoff_"))
_DECISION_KINDS = frozenset(kind for kind in KINDS if kind.startswith("decision_"))
_WORK_KINDS = _STEP_KINDS | _HANDOFF_KINDS | _DECISION_KINDS

_ACTOR_ROLE = {"detected": "detector", "handoff_sent": "sender", "handoff_failed": "sender",
               "handoff_received": "receiver", "inject_delivered": "recipient"}


_KEPT = 65_536
"""Data texts (and their attributes) kept for the events that repeat them."""

def shared_events(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Stored rows ``(seq, t, kind, incident, actor, step, data)`` as the walk reads them, the data decoded: each
    distinct data text once (:func:`decode_data`, at most :data:`_KEPT` kept), and rows with the same text share
    the one dict."""
    parsed: dict[Any, Any] = {}
    for row in rows:
        data = row[6]
        if not data:
            yield (*row[:6], {})
            continue
        value = parsed.get(data)
        if value is None:
            value = decode_data(data)
            if len(parsed) >= _KEPT:
                parsed.clear()
            parsed[data] = value
        yield (*row[:6], value)


class OcelWalker:
    """Walks journal events (in ``seq`` order) once and hands the OCEL log to a sink as it goes."""

    def __init__(self, sink: OcelSink, doc: ScenarioFile, scenario_name: str, day: str | None = None) -> None:
        self.sink = sink
        self.doc = doc
        self.scenario = scenario_name
        self.day_zero = datetime.combine(date.fromisoformat(day) if day else REFERENCE_DATE, datetime.min.time())
        self.start = 0.0
        self.t0 = ""
        """When the log begins (actors' initial values)."""
        self.objects: dict[str, _Open] = {}
        self.closed_incidents: set[str] = set()
        self.work: dict[str, _Work] = {}
        self.typing = EventTypes()
        self.event_types = self.typing.types
        self._last: tuple[float, str] = (float("nan"), "")
        self._attributes: dict[int, tuple[dict[str, Any], str, int, list[tuple[str, Scalar]]]] = {}
        """An event data's id to that data, its kind, the kind's types' version and its attributes: events that share
        one data (rows with the same text, :func:`shared_events`) are typed once; keeping the data keeps its id from
        being reused."""

    # -- objects ------------------------------------------------------------------------------------------------

    def stamp(self, clock_minutes: float) -> str:
        """ISO 8601 UTC with milliseconds; the last one is kept (consecutive events often share a time)."""
        if self._last[0] != clock_minutes:
            moment = self.day_zero + timedelta(minutes=clock_minutes)
            self._last = (clock_minutes, moment.isoformat(timespec="milliseconds") + "Z")
        return self._last[1]

    def obj(self, oid: str, otype: str, time: str, owner: _Work | None = None,
            values: Iterable[tuple[str, Any]] = ()) -> str:
        """Open ``oid`` if new (its initial values timed ``time``), else add these values ``(name, value)`` to it."""
        item = self.objects.get(oid)
        if item is None:
            item = self.objects[oid] = _Open(oid, otype, time)
            if owner is not None:
                owner.owned.append(oid)
        _add(item.attributes, time, values)
        return oid

    def set(self, oid: str, time: str, values: Iterable[tuple[str, Any]]) -> None:
        _add(self.objects[oid].attributes, time, values)

    def relate(self, oid: str, target: str, qualifier: str) -> None:
        rels = self.objects[oid].relationships
        if (target, qualifier) not in rels:
            rels.append((target, qualifier))

    def close(self, oid: str) -> None:
        """Hand a finished object to the sink (nothing if it is closed already)."""
        item = self.objects.pop(oid, None)
        if item is not None:
            self.sink.object(OcelObject(item.oid, item.otype, item.created, item.attributes, item.relationships))

    # -- the walk -----------------------------------------------------------------------------------------------

    def walk(self, events: Iterable[tuple[Any, ...]]) -> int:
        """Hand every event and object to the sink, then the event types; return how many events.

        The events (:class:`~ballotdrill.journal.Event`, or tuples of its fields) must come in ``seq`` order.
        The walk makes no reference cycles, so Python's cyclic collector is paused through it: its collections
        found nothing and walked the objects kept alive (the open work, the decoded data kept for its repeats)
        over and over, a fifth of an export's CPU at 10,000 incidents and growing with the run.
        """
        with collector_paused():
            return self._walk(events)

    def _walk(self, events: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        event = self._event
        for e in events:
            if not count:
                if e[2] == RUN_STARTED:
                    self.start = float(e[6].get("start") or 0.0)
                self._actors()
            count += 1
            event(e)
        if not count:
            self._actors()
        for oid in list(self.objects):
            self.close(oid)
        self.sink.finish(self.event_types)
        return count

    def _actors(self) -> None:
        self.t0 = self.stamp(self.start)
        for key, actor in self.doc.structure.actors.items():
            self.obj(f"actor:{key}", "actor", self.t0, values=(("name", actor.name or key), ("staff", actor.staff)))

    def _work(self, incident: str) -> _Work:
        work = self.work.get(incident)
        if work is None:
            work = self.work[incident] = _Work()
        return work

    def _event(self, e: tuple[Any, ...]) -> None:
        seq, t, kind, incident, actor, step, d = e
        clock = self.start + t
        time = self.stamp(clock) if self._last[0] != clock else self._last[1]
        objects = self.objects
        rels: list[tuple[str, str]] = []
        if incident:
            iid = f"incident:{incident}"
            if kind == INCIDENT_STARTED:  # nothing changes an incident afterwards: it closes at once
                get = d.get
                title = get("title")
                self.obj(iid, "incident", time, values=(
                    ("type", get("type")), ("severity", get("severity")), ("title", title or None),
                    ("level", get("level")), ("scenario", self.scenario)))
                self.close(iid)
                self.closed_incidents.add(incident)
            elif iid not in objects and incident not in self.closed_incidents:
                self.obj(iid, "incident", time, values=(("scenario", self.scenario),))
            rels.append((iid, "subject"))
        else:
            incident = ""
        if actor:
            aid = f"actor:{actor}"
            if aid not in objects:
                self.obj(aid, "actor", self.t0, values=(("name", actor),))
            if kind == STAFF_CHANGED:
                self.set(aid, time, (("staff", d.get("staff")),))
            rels.append((aid, _ACTOR_ROLE.get(kind, "performer")))
        if kind in _WORK_KINDS:
            procedure = str(d.get("procedure", ""))
            if kind in _HANDOFF_KINDS:
                for field, role in (("to", "receiver"), ("from", "sender")):
                    other = d.get(field)
                    if isinstance(other, str) and other:
                        oid = f"actor:{other}"
                        if oid not in objects:
                            self.obj(oid, "actor", self.t0, values=(("name", other),))
                        rels.append((oid, role))
                if step:
                    self._handoff(kind, incident, actor, step, d, self._work(incident), procedure, time, rels)
            elif kind in _STEP_KINDS:
                if step:
                    self._step(kind, incident, actor, self._work(incident), (procedure, step), d, time, rels)
            elif d.get("request") is not None:  # a decision
                did = f"decision:{d.get('request')}"
                work = self._work(incident)
                self.obj(did, "decision", time, work, (("procedure", procedure), ("step", step),
                                                       ("default", d.get("default")), ("option", d.get("option"))))
                asked = work.steps.get((procedure, step or ""))
                if asked is not None:
                    self.relate(did, asked, "asked in")
                rels.append((did, "decision"))
        self.sink.event(OcelEvent(f"e{seq}", kind, time, self._attributes_of(kind, d),
                                  rels if len(rels) < 2 else list(dict.fromkeys(rels))))
        if kind == RESOLVED and incident:
            self._resolved(incident)

    def _attributes_of(self, kind: str, d: dict[str, Any]) -> list[tuple[str, Scalar]]:
        """An event's attributes ``(name, value)``: its data's values but None, by name; the same list again for the
        same data of the same kind as long as the kind's attribute types have not changed since (rows with one data
        text share one dict, :func:`shared_events`), so that a sink can keep what it made of them."""
        made = self._attributes.get(id(d))
        versions = self.typing.versions
        if made is not None and made[0] is d and made[1] == kind and made[2] == versions.get(kind, 0):
            return made[3]
        attrs = event_attributes(d)
        self.typing.note(kind, attrs)
        if len(self._attributes) >= _KEPT:
            self._attributes.clear()
        self._attributes[id(d)] = (d, kind, versions.get(kind, 0), attrs)
        return attrs

    def _step(self, kind: str, incident: str, actor: str | None, work: _Work, skey: tuple[str, str],
              d: dict[str, Any], time: str, rels: list[tuple[str, str]]) -> None:
        # A new instance: queued, or started without having queued (work that starts at once has no
        # step_queued row), or any row for a step not seen before.
        new_instance = kind == STEP_QUEUED or skey not in work.steps or (
            kind == STEP_STARTED and skey not in work.waiting)
        work.waiting.discard(skey)
        if kind == STEP_QUEUED:
            work.waiting.add(skey)
        if new_instance:
            if skey in work.steps:
                self.close(work.steps[skey])
            count = work.step_counts[skey] = work.step_counts.get(skey, 0) + 1
            sid = f"step:{incident}/{skey[0]}/{skey[1]}/{count}"
            work.steps[skey] = self.obj(sid, "step", time, work,
                                        (("procedure", skey[0]), ("step", skey[1]), ("actor", actor)))
            if incident:
                self.relate(sid, f"incident:{incident}", "part of")
            via = work.arrived.pop(skey, None)
            if via:
                self.relate(sid, via, "handed over by")
        sid = work.steps[skey]
        rels.append((sid, "step"))
        if kind == STEP_COMPLETED and sid in self.objects:
            self.set(sid, time, (("target", d.get("target")),))
            self.close(sid)

    def _handoff(self, kind: str, incident: str, actor: str | None, step: str, d: dict[str, Any], work: _Work,
                 procedure: str, time: str, rels: list[tuple[str, str]]) -> None:
        receiver = str(d.get("to") if kind != HANDOFF_RECEIVED else actor)
        hkey = (procedure, step, receiver)
        hid = work.handoffs.get(hkey)
        if hid is None:
            count = work.handoff_counts[hkey] = work.handoff_counts.get(hkey, 0) + 1
            hid = f"handoff:{incident}/{procedure}/{step}/{receiver}/{count}"
            work.handoffs[hkey] = self.obj(hid, "handoff", time, work, (
                ("procedure", procedure), ("step", step),
                ("sender", actor if kind != HANDOFF_RECEIVED else d.get("from")), ("receiver", receiver)))
            if incident:
                self.relate(hid, f"incident:{incident}", "carries")
        channel = d.get("channel")
        if channel is not None:
            self.set(hid, time, (("channel", channel),))
        rels.append((hid, "handoff"))
        if kind == HANDOFF_RECEIVED or (kind == HANDOFF_FAILED and d.get("next") is None):
            del work.handoffs[hkey]
            if kind == HANDOFF_RECEIVED:
                work.arrived[(procedure, step)] = hid
            self.close(hid)

    def _resolved(self, incident: str) -> None:
        """Every procedure run of the incident has ended: close what is still open of it and forget its work."""
        work = self.work.pop(incident, None)
        for oid in work.owned if work is not None else ():
            self.close(oid)
