"""OCEL 2.0 as JSON: streamed to a file (one event or object a line), or as a dict for small logs.

The file is one JSON document with the four members of OCEL 2.0, in this order:
``objectTypes``, ``events`` (in journal order), ``objects`` (as they closed; gathered in a
temporary file beside the output while the events are written) and ``eventTypes`` (known
once every event is seen). Readers take the members by name, so the order is free.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

from ballotdrill.exports.ocel import OBJECT_TYPES, OcelEvent, OcelObject, OcelWalker, Scalar
from ballotdrill.journal import Event
from ballotdrill.scenarios.scenario import ScenarioFile

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def event_json(event: OcelEvent) -> dict[str, Any]:
    return {"id": event.id, "type": event.type, "time": event.time,
            "attributes": [{"name": k, "value": v} for k, v in event.attributes],
            "relationships": [{"objectId": o, "qualifier": q} for o, q in event.relationships]}


def object_json(obj: OcelObject) -> dict[str, Any]:
    return {"id": obj.id, "type": obj.type,
            "attributes": [{"name": k, "time": t, "value": v} for k, t, v in obj.attributes],
            "relationships": [{"objectId": o, "qualifier": q} for o, q in obj.relationships]}


def object_types_json() -> list[dict[str, Any]]:
    return [{"name": name, "attributes": [{"name": k, "type": v} for k, v in attrs.items()]}
            for name, attrs in OBJECT_TYPES.items()]


def event_types_json(event_types: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    return [{"name": kind, "attributes": [{"name": k, "type": v} for k, v in sorted(attrs.items())]}
            for kind, attrs in event_types.items()]


class DictSink:
    """Collects the log as one OCEL 2.0 JSON document (a dict), for small logs and tests."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.objects: list[dict[str, Any]] = []
        self.document: dict[str, Any] = {}

    def event(self, event: OcelEvent) -> None:
        self.events.append(event_json(event))

    def object(self, obj: OcelObject) -> None:
        self.objects.append(object_json(obj))

    def finish(self, event_types: dict[str, dict[str, str]]) -> None:
        self.document = {"objectTypes": object_types_json(), "eventTypes": event_types_json(event_types),
                         "objects": self.objects, "events": self.events}


_quote = encode_basestring
_float = float.__repr__


def _scalar(value: Scalar) -> str:
    """A scalar as JSON (what ``json.dumps`` gives), quickly for the usual types."""
    return _SCALAR_TEXT.get(type(value), _encode)(value)


def _float_text(value: float) -> str:
    return _float(value) if math.isfinite(value) else _encode(value)


_SCALAR_TEXT: dict[type, Callable[[Any], str]] = {str: _quote, int: int.__repr__, float: _float_text}
"""A scalar of each usual type as JSON (any other type, a subclass included, through the encoder: the same text)."""


class _Quoted(dict[str, str]):
    """Text written before a value many times over (an attribute's name, a qualifier), made once and kept (at most
    :data:`_KEPT` of them, so a journal of many distinct names cannot make it grow)."""

    def __init__(self, before: str, after: str) -> None:
        super().__init__()
        self.before, self.after = before, after

    def __missing__(self, key: str) -> str:
        text = self.before + _quote(key) + self.after
        if len(self) < _KEPT:
            self[key] = text
        return text


_KEPT = 4096
_KEPT_ATTRIBUTES = 16_384
"""Attribute texts kept for the events that share their data (the commonest repeat within a few thousand rows)."""
_VALUE_NAMED = _Quoted('{"name":', ',"value":')
_TIME_NAMED = _Quoted('{"name":', ',"time":')
_QUALIFIED = _Quoted(',"qualifier":', "}")
_TYPED = _Quoted(',"type":', ',"time":')


def _relationships(relationships: list[tuple[str, str]]) -> str:
    return ",".join([f'{{"objectId":{_quote(o)}{_QUALIFIED[q]}' for o, q in relationships])


def _attributes(attributes: list[tuple[str, Scalar]]) -> str:
    text = _SCALAR_TEXT.get
    return ",".join([f"{_VALUE_NAMED[k]}{text(type(v), _encode)(v)}}}" for k, v in attributes])


def event_line(event: OcelEvent, attributes: str | None = None) -> str:
    """One event as compact JSON (the members of :func:`event_json`); ``attributes``: its attributes' text made
    already."""
    if attributes is None:
        attributes = _attributes(event.attributes)
    return (f'{{"id":{_quote(event.id)}{_TYPED[event.type]}{_quote(event.time)},'
            f'"attributes":[{attributes}],"relationships":[{_relationships(event.relationships)}]}}')


def object_line(obj: OcelObject) -> str:
    """One object as compact JSON (the members of :func:`object_json`)."""
    text = _SCALAR_TEXT.get
    attributes = ",".join([f'{_TIME_NAMED[k]}{_quote(t)},"value":{text(type(v), _encode)(v)}}}'
                           for k, t, v in obj.attributes])
    return (f'{{"id":{_quote(obj.id)},"type":{_quote(obj.type)},"attributes":[{attributes}],'
            f'"relationships":[{_relationships(obj.relationships)}]}}')


class FileSink:
    """Writes the log to an open text file as it comes: events straight in, objects by way of a spool."""

    def __init__(self, out: IO[str], spool: IO[str]) -> None:
        self.out, self.spool = out, spool
        self.events = self.objects = 0
        self.attributes: dict[int, tuple[list[tuple[str, Scalar]], str]] = {}
        """An attributes list's id to that list and its text: the walk hands the same list again for events with
        the same data (keeping the list keeps its id from being reused)."""
        out.write('{"objectTypes":' + _encode(object_types_json()) + ',\n"events":[')

    def event(self, event: OcelEvent) -> None:
        attributes = event.attributes
        made = self.attributes.get(id(attributes))
        if made is not None and made[0] is attributes:
            text = made[1]
        else:
            text = _attributes(attributes)
            if len(self.attributes) >= _KEPT_ATTRIBUTES:
                self.attributes.clear()
            self.attributes[id(attributes)] = (attributes, text)
        self.event_lines([event_line(event, text)])

    def object(self, obj: OcelObject) -> None:
        self.object_lines([object_line(obj)])

    def event_lines(self, lines: list[str]) -> None:
        """Events' lines, in journal order (each one a compact JSON object)."""
        if lines:
            self.out.write(("\n" if not self.events else ",\n") + ",\n".join(lines))
            self.events += len(lines)

    def object_lines(self, lines: list[str]) -> None:
        """Closed objects' lines, in the order they closed."""
        if lines:
            self.spool.write(("\n" if not self.objects else ",\n") + ",\n".join(lines))
            self.objects += len(lines)

    def finish(self, event_types: dict[str, dict[str, str]]) -> None:
        self.out.write('\n],\n"objects":[')
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, self.out, 1 << 20)
        self.out.write('\n],\n"eventTypes":' + _encode(event_types_json(event_types)) + "}\n")


def write_ocel_json(events: Iterable[tuple[Any, ...]], path: Path, doc: ScenarioFile, scenario_name: str,
                    day: str | None = None) -> int:
    """Stream the journal's events (in ``seq`` order) to an OCEL 2.0 JSON file; return how many events."""
    with open(path, "w", encoding="utf-8", newline="\n") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=path.parent) as spool:
        return OcelWalker(FileSink(out, spool), doc, scenario_name, day).walk(events)


def to_ocel(events: Iterable[Event], doc: ScenarioFile, scenario_name: str, day: str | None = None) -> dict[str, Any]:
    """The journal as an OCEL 2.0 JSON document (``objectTypes``, ``eventTypes``, ``objects``, ``events``)."""
    sink = DictSink()
    OcelWalker(sink, doc, scenario_name, day).walk(sorted(events, key=lambda e: e[0]))
    return sink.document
