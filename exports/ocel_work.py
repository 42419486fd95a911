"""The work objects of an OCEL log built in SQLite: step, handoff and decision instances, in one lean pass.

SQLite reads the work rows (step, handoff and decision rows, and each incident's resolution) with the
few values the instances depend on, in ``seq`` order; this pass numbers the instances as
:class:`~ballotdrill.exports.ocel.OcelWalker` does and hands back the rows of ``object``,
``object_step``, ``object_handoff``, ``object_decision``, ``object_object`` and ``event_object``
in batches. A new step instance at ``step_queued``, at a step's first row in the incident's work,
or at ``step_started`` not right after ``step_queued``; a new handoff instance (per receiver) at a
row after one that ended the last (received, or failed with nothing tried next); an incident's
work is forgotten when it is resolved, so what is counted starts afresh. Window functions say the
same in SQL, but each pass costs SQLite a sort of every work row (about 2.4 µs a row a pass here,
five passes); this pass holds only the work in flight and costs less than one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from ballotdrill.exports.ocel_values import Scalar, stored_value

INITIAL_TIME = "1970-01-01T00:00:00.000Z"


class Unsupported(Exception):
    """The journal holds something only the walk says exactly (the message says what)."""

Rows = list[tuple[Any, ...]]
Insert = Callable[[str, Rows], object]


def _odd(*names: str) -> bool:
    """A name with a ``/`` (two different steps could get one id), or JSON that is not text (the walk names a list
    or an object by Python's ``repr``)."""
    joined = "\x00".join(names)  # in C: this runs for every new step and handoff (a name holding "\x00{" is odd too)
    return "/" in joined or joined.startswith(("{", "[")) or "\x00{" in joined or "\x00[" in joined


class _Step:
    __slots__ = ("actor", "done", "last", "sid", "target")

    def __init__(self, sid: str, actor: str | None, kind: str) -> None:
        self.sid, self.actor, self.target, self.done = sid, actor, None, False
        self.last = kind
        """The kind of the last row of its procedure's step in the incident's work."""


class _Handoff:
    __slots__ = ("channel", "hid", "sender")

    def __init__(self, hid: str, sender: Scalar) -> None:
        self.hid, self.sender, self.channel = hid, sender, None


class _Work:
    """One incident's work since it started or was last resolved."""

    __slots__ = ("arrived", "handoff_counts", "handoffs", "incident", "odd", "step_counts", "steps")

    def __init__(self, inc: str) -> None:
        self.incident = f"incident:{inc}"
        self.odd = _odd(inc)
        """The incident's name is one the walk's ids could confuse (:func:`_odd`)."""
        self.steps: dict[tuple[str, str], _Step] = {}
        """(procedure, step) to its latest instance."""
        self.step_counts: dict[tuple[str, str], int] = {}
        self.handoffs: dict[tuple[str, str, str], _Handoff] = {}
        self.handoff_counts: dict[tuple[str, str, str], int] = {}
        self.arrived: dict[tuple[str, str], str] = {}


BATCH = 10_000
_PLAIN_NAMES = 4_096

_STEP_NAMES = ("procedure", "step", "actor", "target")
_HANDOFF_NAMES = ("procedure", "step", "sender", "receiver", "channel")
_DECISION_NAMES = ("procedure", "step", "default", "option")


WIDTHS = {"object": 2, "event_object": 3, "object_object": 3, "object_step": 7, "object_handoff": 8,
          "object_decision": 7}
"""The columns of each table the work pass fills."""


class WorkPass:
    """Numbers the instances of work rows ``(seq, kind, incident, actor, step, procedure, other, value, t)`` read in
    ``seq`` order (``other``: a handoff's receiver, or its sender when received, or a decision's default and
    option; ``value``: a completed step's target, a handoff's channel or a decision's request; kind
    ``handoff_dropped``: failed with nothing tried next; kind None: the row holds a value only the walk names
    exactly, :class:`Unsupported`), and inserts their rows (``insert(table, rows)``, each of :data:`WIDTHS`
    values; the pass clears its lists after). ``stamp(t)`` is the walk's time of a row.

    The rows are plain values (:class:`WorkRows` makes them), so the pass can run in another process than the
    one reading the journal (:mod:`ballotdrill.exports.ocel_sql_apart`)."""

    def __init__(self, insert: Insert, stamp: Callable[[float], str]) -> None:
        self.insert, self.stamp = insert, stamp
        self.work: dict[str, _Work] = {}
        self.out: dict[str, Rows] = {name: [] for name in (
            "object", "object_step", "object_handoff", "object_decision", "object_object", "event_object")}
        self.decisions: dict[str, dict[str, Scalar]] = {}
        self.asked: dict[str, list[str]] = {}
        self.pending = 0
        self.plain: set[str] = set()
        """Procedure, step and receiver names found plain (few: a scenario's; at most :data:`_PLAIN_NAMES`)."""

    def _plain(self, *names: str) -> bool:
        """Whether none of ``names`` is one the walk's ids could confuse (:func:`_odd`); if so, they are kept."""
        if any(map(_odd, names)):
            return False
        if len(self.plain) >= _PLAIN_NAMES:
            self.plain.clear()
        self.plain.update(names)
        return True

    def feed(self, rows: Iterable[tuple[Any, ...]]) -> None:
        objects, e2o, o2o = self.out["object"], self.out["event_object"], self.out["object_object"]
        work_of, plain = self.work, self.plain
        for seq, kind, inc, actor, step, proc, other, value, t in rows:
            if kind is None:
                raise Unsupported(f"journal row {seq} holds a value only the walk names exactly")
            if kind == "resolved":
                self._resolved(inc)
                continue
            work = work_of.get(inc)
            if work is None:
                work = work_of[inc] = _Work(inc)
            event = f"e{seq}"
            if kind[0] == "s":  # step_queued, step_started, step_completed
                skey = (proc, step)
                instance = work.steps.get(skey)
                if (kind == "step_queued" or instance is None
                        or (kind == "step_started" and instance.last != "step_queued")):
                    if instance is not None:
                        self._close_step(instance, proc, step)
                    if work.odd or not ((proc in plain and step in plain) or self._plain(proc, step)):
                        raise Unsupported(f"journal row {seq} names a step the walk's ids could confuse")
                    n = work.step_counts[skey] = work.step_counts.get(skey, 0) + 1
                    sid = f"step:{inc}/{proc}/{step}/{n}"
                    work.steps[skey] = instance = _Step(sid, actor, kind)
                    objects.append((sid, "step"))
                    if inc:
                        o2o.append((sid, work.incident, "part of"))
                    via = work.arrived.pop(skey, None)
                    if via is not None:
                        o2o.append((sid, via, "handed over by"))
                else:
                    instance.last = kind
                e2o.append((event, instance.sid, "step"))
                if kind == "step_completed" and not instance.done:
                    instance.target = value
                    self._close_step(instance, proc, step)
            elif kind[0] == "h":  # handoff_sent, handoff_received, handoff_failed, handoff_dropped
                received = kind == "handoff_received"
                rcv, sender, channel = (actor, other, value) if received else (other, actor, value)
                hkey = (proc, step, rcv)
                handoff = work.handoffs.get(hkey)
                if handoff is None:
                    if work.odd or not ((proc in plain and step in plain and rcv in plain)
                                        or self._plain(proc, step, rcv)):
                        raise Unsupported(f"journal row {seq} names a handoff the walk's ids could confuse")
                    n = work.handoff_counts[hkey] = work.handoff_counts.get(hkey, 0) + 1
                    hid = f"handoff:{inc}/{proc}/{step}/{rcv}/{n}"
                    work.handoffs[hkey] = handoff = _Handoff(hid, sender)
                    objects.append((hid, "handoff"))
                    if inc:
                        o2o.append((hid, work.incident, "carries"))
                if channel is not None:
                    if handoff.channel is None:
                        handoff.channel = channel
                    else:
                        self.out["object_handoff"].append(
                            (handoff.hid, self.stamp(t), "channel", None, None, None, None, channel))
                e2o.append((event, handoff.hid, "handoff"))
                if received or kind == "handoff_dropped":
                    del work.handoffs[hkey]
                    if received:
                        work.arrived[(proc, step)] = handoff.hid
                    self._close_handoff(handoff, proc, step, rcv)
            else:  # decision_requested, decision_made (with a request)
                if proc.startswith(("{", "[")):
                    raise Unsupported(f"journal row {seq} has a procedure that is not a name")
                default, option = other
                self._decision(work, event, t, f"decision:{value}", proc, step, default, option)
            self.pending += 1
            if self.pending >= BATCH:
                self.flush()

    def _close_step(self, instance: _Step, proc: str, step: str) -> None:
        if not instance.done:
            instance.done = True
            self.out["object_step"].append(
                (instance.sid, INITIAL_TIME, None, proc, step, instance.actor, instance.target))

    def _close_handoff(self, handoff: _Handoff, proc: str, step: str, rcv: str) -> None:
        self.out["object_handoff"].append(
            (handoff.hid, INITIAL_TIME, None, proc, step, handoff.sender, rcv, handoff.channel))

    def _decision(self, work: _Work, event: str, t: float, did: str, proc: str, step: str | None,
                  default: Scalar, option: Scalar) -> None:
        values = self.decisions.get(did)
        if values is None:
            values = self.decisions[did] = {}
            self.out["object"].append((did, "decision"))
        for name, value in (("procedure", proc), ("step", step), ("default", default), ("option", option)):
            if value is None:
                continue
            if name in values:
                self.out["object_decision"].append(
                    (did, self.stamp(t), name, *(value if n == name else None for n in _DECISION_NAMES)))
            else:
                values[name] = value
        asked = work.steps.get((proc, step or ""))
        if asked is not None:
            related = self.asked.setdefault(did, [])
            if asked.sid not in related:
                related.append(asked.sid)
                self.out["object_object"].append((did, asked.sid, "asked in"))
        self.out["event_object"].append((event, did, "decision"))

    def _resolved(self, inc: str) -> None:
        work = self.work.pop(inc, None)
        if work is not None:
            self._close_all(work)

    def _close_all(self, work: _Work) -> None:
        for (proc, step), instance in work.steps.items():
            self._close_step(instance, proc, step)
        for (proc, step, rcv), handoff in work.handoffs.items():
            self._close_handoff(handoff, proc, step, rcv)

    def finish(self) -> None:
        """Close what is still open (work of incidents never resolved, every decision) and insert the rest."""
        for work in self.work.values():
            self._close_all(work)
        self.work.clear()
        self.out["object_decision"] += [(did, INITIAL_TIME, None, *map(values.get, _DECISION_NAMES))
                                        for did, values in self.decisions.items()]
        self.flush()

    def flush(self) -> None:
        for table, rows in self.out.items():
            if rows:
                self.insert(table, rows)
                rows.clear()
        self.pending = 0


_STEP_KINDS = frozenset(("step_queued", "step_started", "step_completed"))
_HANDOFF_KINDS = frozenset(("handoff_sent", "handoff_received", "handoff_failed"))
_DECISION_KINDS = frozenset(("decision_requested", "decision_made"))
_WORK_KINDS = _STEP_KINDS | _HANDOFF_KINDS
_PLAIN = frozenset((str, int, float, bool))
_NAMES = frozenset((str, type(None)))


def _stored(value: Any) -> Scalar:
    """A value as the walk stores it: a scalar as it is, a list or an object as canonical JSON text."""
    return value if value is None or type(value) in _PLAIN else stored_value(value)


_PARSED = 65_536


class WorkRows:
    """The work rows of blocks of journal rows ``(seq, t, kind, incident, actor, step, data)``, as :class:`WorkPass`
    takes them, read from the rows the seal's check reads anyway (each distinct data text parsed once, by ``json``).

    Work rows: every step and handoff row of a step, every decision row with a request, each incident's
    resolutions. A row whose values the walk names in a way the pass does not (a procedure that is ``null`` or not
    text, a receiver that is not text, a request neither text nor an integer, data that is not a JSON object)
    raises :class:`Unsupported`.
    """

    def __init__(self) -> None:
        self.parsed: dict[Any, Any] = {}
        """Data texts to what ``json`` made of them, only read (at most :data:`_PARSED`, then started afresh)."""
        self.named: set[str] = set()
        """Every actor a handoff row names as its receiver (``to``) or sender (``from``), as text that is not empty."""

    def of(self, block: Iterable[tuple[Any, ...]]) -> Rows:
        out: Rows = []
        parsed = self.parsed
        for seq, t, kind, incident, actor, step, data in block:
            if kind == "resolved":
                if incident:
                    out.append((seq, kind, incident, actor, step, "", None, None, None))
                continue
            decision = kind in _DECISION_KINDS
            if not decision and (kind not in _WORK_KINDS or step is None or step == ""):
                if kind in _HANDOFF_KINDS:  # a handoff of no step still names its actors
                    d = self.parse(seq, data)
                    if type(d) is dict:
                        self._name(d)
                continue
            d = parsed.get(data) if data else {}
            if d is None:  # each distinct data text parsed once (handoffs and queued steps repeat theirs)
                d = self.parse(seq, data)
            if type(d) is not dict:
                raise Unsupported(f"journal row {seq} has data that is not a JSON object")
            if decision:
                request = d.get("request")
                if request is None:
                    continue
                if type(request) not in (str, int):
                    raise Unsupported(f"journal row {seq} has a request the walk names its own way")
            proc = d.get("procedure")
            if proc is None:
                if "procedure" in d:
                    raise Unsupported(f"journal row {seq} has a procedure that is null")
                proc = ""
            elif type(proc) is not str:
                raise Unsupported(f"journal row {seq} has a procedure that is not text")
            if type(incident) not in _NAMES or type(actor) not in _NAMES or type(step) not in _NAMES:
                raise Unsupported(f"journal row {seq} has a name that is not text")
            inc = incident or ""
            if decision:
                decided = (_stored(d.get("default")), _stored(d.get("option")))
                out.append((seq, kind, inc, actor, step, proc, decided, request, t))
            elif kind in _STEP_KINDS:
                target = _stored(d.get("target")) if kind == "step_completed" else None
                out.append((seq, kind, inc, actor, step, proc, None, target, None))
            else:
                self._name(d)
                if kind == "handoff_received":
                    if actor is None:
                        raise Unsupported(f"journal row {seq} is a handoff received by nobody")
                    other = _stored(d.get("from"))
                else:
                    other = d.get("to")
                    if type(other) is not str:
                        raise Unsupported(f"journal row {seq} has a receiver that is not text")
                    if kind == "handoff_failed" and d.get("next") is None:
                        kind = "handoff_dropped"
                channel = _stored(d.get("channel"))
                out.append((seq, kind, inc, actor, step, proc, other, channel, None if channel is None else t))
        return out

    def parse(self, seq: int, data: Any) -> Any:
        """What ``json`` makes of a row's data (``{}`` for none), parsed once per distinct text."""
        if not data:
            return {}
        d = self.parsed.get(data)
        if d is None:
            try:
                d = json.loads(data)
            except (ValueError, TypeError):
                raise Unsupported(f"journal row {seq} has data that is not JSON") from None
            if len(self.parsed) >= _PARSED:
                self.parsed.clear()
            self.parsed[data] = d
        return d

    def _name(self, d: dict[str, Any]) -> None:
        for name in (d.get("to"), d.get("from")):
            if type(name) is str and name:
                self.named.add(name)


def stamper(day_zero: datetime, start: float) -> Callable[[float], str]:
    """The walk's time of a row at ``t``: day D plus ``start + t`` minutes, ISO 8601 with milliseconds and ``Z``."""
    def stamp(t: float) -> str:
        return (day_zero + timedelta(minutes=start + t)).isoformat(timespec="milliseconds") + "Z"
    return stamp
