"""OCEL 2.0 JSON straight from the journal's rows: the JSON form's lean pass.

One pass over the stored rows ``(seq, t, kind, incident, actor, step, data)`` in ``seq`` order writes each event's
line as it reads the row, and each object's line once nothing can change it, in the frame of
:class:`~ballotdrill.exports.ocel_json.FileSink`. The objects, their ids, values and relationships and the order they
close in are the walk's (:class:`~ballotdrill.exports.ocel.OcelWalker`, which stays the reference, and the SQLite
form's way for a journal its statements cannot take; tests compare the two files byte for byte). What differs is what
is made per row: no event record, no list of relationship pairs, no quoting of an id per event. Made once and kept
(each at most :data:`_KEPT`): each data text's decoded value and its attributes' text (typed again only when its kind's
types changed since), each incident's and each actor's relationship text, each object's quoted id; an object is held
as the text of its values and relationships as they come.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ballotdrill.exports.ocel import _ACTOR_ROLE, _HANDOFF_KINDS, _STEP_KINDS, _WORK_KINDS, REFERENCE_DATE
from ballotdrill.exports.ocel_json import _QUALIFIED, _SCALAR_TEXT, _TIME_NAMED, _TYPED, FileSink, _attributes, _encode
from ballotdrill.exports.ocel_json import _quote as quote
from ballotdrill.exports.ocel_values import SCALARS, EventTypes, decode_data, event_attributes, stored_value
from ballotdrill.journal.collector import collector_paused
from ballotdrill.scenarios.scenario import ScenarioFile

_KEPT = 4096
"""Texts kept for the rows that repeat them (each cache starts afresh when full): rows that share a data text are
near one another, so at 10,000 incidents 4,096 kept data texts decode 55,700 times where keeping all would decode
54,800 (of 214,670 rows)."""
_LINES = 4096
"""Lines gathered before they are written."""

_TYPE_TEXT = {otype: f',"type":"{otype}","attributes":[' for otype in ("incident", "actor", "step", "handoff",
                                                                         "decision")}


def _timed(name: str, time: str, value: Any) -> str:
    """An object's value (not None) at ``time`` (JSON text already), as its ``attributes`` member holds it."""
    if type(value) is str:
        return f'{_TIME_NAMED[name]}{time},"value":{quote(value)}}}'
    if type(value) not in SCALARS:
        value = stored_value(value)
    return f'{_TIME_NAMED[name]}{time},"value":{_SCALAR_TEXT.get(type(value), _encode)(value)}}}'


def _related(quoted: str, qualifier: str) -> str:
    """A relationship to the object whose id is ``quoted`` (JSON text)."""
    return f'{{"objectId":{quoted}{_QUALIFIED[qualifier]}'


class _Object:
    """An object not yet closed, as text: its id and type, its values and relationships so far; ``at``: the row
    that opened it (counted by a pass that keeps count, else 0)."""

    __slots__ = ("at", "attributes", "head", "relationships")

    def __init__(self, head: str, at: int) -> None:
        self.head, self.at = head, at
        self.attributes: list[str] = []
        self.relationships: list[str] = []

    def relate(self, quoted: str, qualifier: str) -> None:
        piece = _related(quoted, qualifier)
        if piece not in self.relationships:
            self.relationships.append(piece)

    def line(self) -> str:
        return f'{self.head}{",".join(self.attributes)}],"relationships":[{",".join(self.relationships)}]}}'


class _Work:
    """One incident's work in flight, as the walk keeps it; instances as ``(id, quoted id, the event's relation)``."""

    __slots__ = ("arrived", "handoff_counts", "handoffs", "owned", "step_counts", "steps", "waiting")

    def __init__(self) -> None:
        self.steps: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.step_counts: dict[tuple[str, str], int] = {}
        self.waiting: set[tuple[str, str]] = set()
        self.handoffs: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.handoff_counts: dict[tuple[str, str, str], int] = {}
        self.arrived: dict[tuple[str, str], tuple[str, str, str]] = {}
        self.owned: list[str] = []


class _Roles(dict[Any, str]):
    """An actor's relationship text in one role, made once per actor."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def __missing__(self, actor: Any) -> str:
        text = _related(quote(f"actor:{actor}"), self.role)
        if len(self) < _KEPT:
            self[actor] = text
        return text


class _Kinds(dict[str, _Roles]):
    """Each kind's actor role (``performer`` unless named otherwise), made once per kind."""

    def __missing__(self, kind: str) -> _Roles:
        roles = self[kind] = _Roles(_ACTOR_ROLE.get(kind, "performer"))
        return roles


class TextRows:
    """The OCEL log's lines made from stored rows, row by row: each row's event line (:attr:`lines`) and the lines of
    the objects it closes (:attr:`closed`), which its owner takes away; no file of its own. :meth:`begin` first."""

    def __init__(self, doc: ScenarioFile, scenario_name: str, day: str | None = None) -> None:
        self.doc, self.scenario = doc, scenario_name
        self.day_zero = datetime.combine(date.fromisoformat(day) if day else REFERENCE_DATE, datetime.min.time())
        self.start = 0.0
        self.t0 = ""
        self.objects: dict[str, _Object] = {}
        self.actors: set[Any] = set()
        """Actors whose object is open (an actor's closes only at the end)."""
        self.closed_incidents: set[str] = set()
        self.work: dict[str, _Work] = {}
        self.typing = EventTypes()
        self.data: dict[Any, list[Any]] = {}
        """A data text to ``[decoded, attributes text, kind, that kind's types' version, attributes]``."""
        self.incidents: dict[str, tuple[str, str, str]] = {}
        """An incident to its object's id, quoted id and subject relationship."""
        self.roles = _Kinds()
        """Per kind, each actor's relationship text as the kind's performer (detector, sender...)."""
        self.named = {"receiver": _Roles("receiver"), "sender": _Roles("sender")}
        """A handoff's receiver (``to``) and sender (``from``) as its data names them."""
        self.lines: list[str] = []
        self.closed: list[str] = []
        self.at = 0
        """The row being read, for a pass that keeps count (:class:`_Object`'s ``at``)."""
        self._clock, self._time = float("nan"), ""

    def begin(self, kind: str | None, data: Any) -> None:
        """Before the first row (``kind`` and ``data`` its own; None for no rows): the start from a ``run_started``
        row, and the structure's actors opened."""
        if kind == "run_started":
            self.start = float(decode_data(data).get("start") or 0.0)
        self.t0 = self.stamp(self.start)
        for key, actor in self.doc.structure.actors.items():
            self.obj(f"actor:{key}", "actor", self.t0, None, (("name", actor.name or key), ("staff", actor.staff)))
            self.actors.add(key)

    def stamp(self, clock: float) -> str:
        """The walk's time of ``clock`` minutes, as JSON text; the last one is kept."""
        if self._clock != clock:
            moment = self.day_zero + timedelta(minutes=clock)
            self._clock, self._time = clock, '"' + moment.isoformat(timespec="milliseconds") + 'Z"'
        return self._time

    def obj(self, oid: str, otype: str, time: str, owner: _Work | None, values: Iterable[tuple[str, Any]]) -> _Object:
        """Open ``oid`` if new, and add these values ``(name, value)`` (None: none) at ``time``."""
        item = self.objects.get(oid)
        if item is None:
            item = self.objects[oid] = _Object('{"id":' + quote(oid) + _TYPE_TEXT[otype], self.at)
            if owner is not None:
                owner.owned.append(oid)
        for name, value in values:
            if value is not None:
                item.attributes.append(_timed(name, time, value))
        return item

    def close(self, oid: str) -> None:
        item = self.objects.pop(oid, None)
        if item is not None:
            self.closed.append(item.line())

    def _actor(self, actor: Any) -> None:
        aid = f"actor:{actor}"
        if aid not in self.objects:
            self.obj(aid, "actor", self.t0, None, (("name", actor),))
        self.actors.add(actor)

    def _incident(self, incident: str) -> tuple[str, str, str]:
        iid = f"incident:{incident}"
        quoted = quote(iid)
        if len(self.incidents) >= _KEPT:
            self.incidents.clear()
        made = self.incidents[incident] = (iid, quoted, _related(quoted, "subject"))
        return made

    def _work(self, incident: str) -> _Work:
        work = self.work.get(incident)
        if work is None:
            work = self.work[incident] = _Work()
        return work

    def _typed(self, kind: str, data: Any) -> list[Any]:
        """A data text's entry (made and typed now if not kept), typed again under ``kind`` if the text was last typed
        under another kind or before a change of types (as typing every row on its own types it)."""
        made = self.data.get(data)
        typing = self.typing
        if made is None:
            d = decode_data(data)
            attributes = event_attributes(d)
            typing.note(kind, attributes)
            if len(self.data) >= _KEPT:
                self.data.clear()
            made = self.data[data] = [d, _attributes(attributes), kind, typing.changes, attributes]
        elif made[2] != kind or made[3] != typing.changes:
            typing.note(kind, made[4])
            made[2], made[3] = kind, typing.changes
        return made

    def _row(self, seq: Any, t: Any, kind: str, incident: Any, actor: Any, step: Any, data: Any) -> None:
        clock = self.start + t
        time = self._time if self._clock == clock else self.stamp(clock)
        if data:
            made = self.data.get(data)
            if made is None or made[2] != kind or made[3] != self.typing.changes:
                made = self._typed(kind, data)
            d, attributes = made[0], made[1]
        else:
            d, attributes = {}, ""
        pieces: list[str] = []
        if incident:
            iid, _, subject = self.incidents.get(incident) or self._incident(incident)
            if kind == "incident_started":  # nothing changes an incident afterwards: it closes at once
                get = d.get
                self.obj(iid, "incident", time, None, (
                    ("type", get("type")), ("severity", get("severity")), ("title", get("title") or None),
                    ("level", get("level")), ("scenario", self.scenario)))
                self.close(iid)
                self.closed_incidents.add(incident)
            elif incident not in self.closed_incidents and iid not in self.objects:
                self.obj(iid, "incident", time, None, (("scenario", self.scenario),))
            pieces.append(subject)
        else:
            incident = ""
        if actor:
            if actor not in self.actors:
                self._actor(actor)
            if kind == "staff_changed":
                staff = d.get("staff")
                if staff is not None:
                    self.objects[f"actor:{actor}"].attributes.append(_timed("staff", time, staff))
            pieces.append(self.roles[kind][actor])
        if kind in _WORK_KINDS:
            self._work_row(kind, incident, actor, step, d, time, pieces)
        ident = f'"e{seq}"' if type(seq) is int else quote(f"e{seq}")
        self.lines.append(f'{{"id":{ident}{_TYPED[kind]}{time},"attributes":[{attributes}],'
                          f'"relationships":[{",".join(pieces)}]}}')
        if kind == "resolved" and incident:
            work = self.work.pop(incident, None)
            for oid in work.owned if work is not None else ():
                self.close(oid)

    def _work_row(self, kind: str, incident: str, actor: Any, step: Any, d: dict[str, Any], time: str,
                  pieces: list[str]) -> None:
        procedure = str(d.get("procedure", ""))
        if kind in _HANDOFF_KINDS:
            for field, role in (("to", "receiver"), ("from", "sender")):
                other = d.get(field)
                if isinstance(other, str) and other:
                    if other not in self.actors:
                        self._actor(other)
                    pieces.append(self.named[role][other])
            if step:
                self._handoff(kind, incident, actor, step, d, self._work(incident), procedure, time, pieces)
            pieces[:] = dict.fromkeys(pieces)  # an actor named twice in one role (the sender as actor and `from`)
        elif kind in _STEP_KINDS:
            if step:
                self._step(kind, incident, actor, self._work(incident), (procedure, step), d, time, pieces)
        elif d.get("request") is not None:  # a decision
            did = f"decision:{d.get('request')}"
            work = self._work(incident)
            item = self.obj(did, "decision", time, work, (("procedure", procedure), ("step", step),
                                                          ("default", d.get("default")), ("option", d.get("option"))))
            asked = work.steps.get((procedure, step or ""))
            if asked is not None:
                item.relate(asked[1], "asked in")
            pieces.append(_related(quote(did), "decision"))

    def _step(self, kind: str, incident: str, actor: Any, work: _Work, skey: tuple[str, str], d: dict[str, Any],
              time: str, pieces: list[str]) -> None:
        # A new instance: queued, or started without having queued, or any row for a step not seen before.
        known = work.steps.get(skey)
        new_instance = kind == "step_queued" or known is None or (kind == "step_started" and skey not in work.waiting)
        work.waiting.discard(skey)
        if kind == "step_queued":
            work.waiting.add(skey)
        if known is None or new_instance:
            if known is not None:
                self.close(known[0])
            count = work.step_counts[skey] = work.step_counts.get(skey, 0) + 1
            sid = f"step:{incident}/{skey[0]}/{skey[1]}/{count}"
            item = self.obj(sid, "step", time, work, (("procedure", skey[0]), ("step", skey[1]), ("actor", actor)))
            quoted = quote(sid)
            known = work.steps[skey] = (sid, quoted, _related(quoted, "step"))
            if incident:
                item.relate((self.incidents.get(incident) or self._incident(incident))[1], "part of")
            via = work.arrived.pop(skey, None)
            if via is not None:
                item.relate(via[1], "handed over by")
        pieces.append(known[2])
        if kind == "step_completed":
            done = self.objects.get(known[0])
            if done is not None:
                target = d.get("target")
                if target is not None:
                    done.attributes.append(_timed("target", time, target))
                self.close(known[0])

    def _handoff(self, kind: str, incident: str, actor: Any, step: Any, d: dict[str, Any], work: _Work,
                 procedure: str, time: str, pieces: list[str]) -> None:
        received = kind == "handoff_received"
        receiver = str(actor if received else d.get("to"))
        hkey = (procedure, step, receiver)
        known = work.handoffs.get(hkey)
        if known is None:
            count = work.handoff_counts[hkey] = work.handoff_counts.get(hkey, 0) + 1
            hid = f"handoff:{incident}/{procedure}/{step}/{receiver}/{count}"
            item = self.obj(hid, "handoff", time, work, (
                ("procedure", procedure), ("step", step), ("sender", d.get("from") if received else actor),
                ("receiver", receiver)))
            quoted = quote(hid)
            known = work.handoffs[hkey] = (hid, quoted, _related(quoted, "handoff"))
            if incident:
                item.relate((self.incidents.get(incident) or self._incident(incident))[1], "carries")
        channel = d.get("channel")
        if channel is not None:
            self.objects[known[0]].attributes.append(_timed("channel", time, channel))
        pieces.append(known[2])
        if received or (kind == "handoff_failed" and d.get("next") is None):
            del work.handoffs[hkey]
            if received:
                work.arrived[(procedure, step)] = known
            self.close(known[0])


class TextPass(TextRows):
    """Writes the OCEL log of stored rows to a :class:`~ballotdrill.exports.ocel_json.FileSink`, in one pass."""

    def __init__(self, sink: FileSink, doc: ScenarioFile, scenario_name: str, day: str | None = None) -> None:
        super().__init__(doc, scenario_name, day)
        self.sink = sink

    def pass_over(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Write every row's event and every object, then the event types; return how many events."""
        with collector_paused():  # no reference cycles are made (as in the walk)
            count = 0
            row = self._row
            for seq, t, kind, incident, actor, step, data in rows:
                if not count:
                    self.begin(kind, data)
                count += 1
                row(seq, t, kind, incident, actor, step, data)
                if len(self.lines) >= _LINES:
                    self._flush()
            if not count:
                self.begin(None, None)
            for oid in list(self.objects):
                self.close(oid)
            self._flush()
            self.sink.finish(self.typing.types)
            return count

    def _flush(self) -> None:
        self.sink.event_lines(self.lines)
        self.sink.object_lines(self.closed)
        self.lines.clear()
        self.closed.clear()


def write_ocel_text(rows: Iterable[tuple[Any, ...]], path: Path, doc: ScenarioFile, scenario_name: str,
                    day: str | None = None) -> int:
    """Stream stored rows ``(seq, t, kind, incident, actor, step, data text)`` (in ``seq`` order) to an OCEL 2.0
    JSON file; return how many events."""
    with open(path, "w", encoding="utf-8", newline="\n") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=path.parent) as spool:
        return TextPass(FileSink(out, spool), doc, scenario_name, day).pass_over(rows)
