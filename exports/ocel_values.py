"""OCEL values from the journal's data: decoding a row's data, its attributes, their types.

Shared by the walk (:mod:`ballotdrill.exports.ocel`) and the JSON form's lean pass
(:mod:`ballotdrill.exports.ocel_text`), so that both read and type every value alike.
"""

from __future__ import annotations

import json
from typing import Any

from ballotdrill.journal import KINDS

Scalar = str | int | float | bool | None



def value_type(value: Any) -> str:
    """The OCEL attribute type of a value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "string"


SCALARS = frozenset({str, int, float, bool})
"""The types of value an attribute holds as it is (a subclass, a list or an object through :func:`stored_value`)."""


def stored_value(value: Any) -> Scalar:
    """Scalars as they are; lists and objects as canonical JSON text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)



_decode = json.JSONDecoder().raw_decode


def decode_data(data: Any) -> Any:
    """A row's stored data text decoded as :func:`~ballotdrill.journal.store.events_of` does (``{}`` for none)."""
    if not data:
        return {}
    try:
        value, end = _decode(data)
    except (ValueError, TypeError):
        end = -1
    if end != len(data):
        value = json.loads(data)  # leading or trailing text, not JSON: as json.loads says
    return value



def event_attributes(d: dict[str, Any]) -> list[tuple[str, Scalar]]:
    """An event's attributes ``(name, value)``: its data's values but None, by name (a list or an object as text)."""
    return [(k, v if type(v) in SCALARS else stored_value(v)) for k, v in sorted(d.items()) if v is not None]


_RANK = {"string": 0, "boolean": 1, "integer": 2, "float": 3}
"""The attribute types from the lowest to the highest: an attribute's type is the highest of its values' types."""


def joined_type(had: str | None, vtype: str) -> str:
    """The type of an attribute typed ``had`` (None: not yet) once a value of type ``vtype`` comes."""
    return vtype if had is None or _RANK[vtype] > _RANK[had] else had


class EventTypes:
    """Each event type's attribute types: an attribute's type is the highest of its values' types (string < boolean
    < integer < float), so it does not depend on the order the events come in, and the types of two parts of a
    journal typed apart join into the whole's (:func:`joined_types`). ``versions``: per kind, how many times its types
    changed (an event typed at the same version again would change nothing, so its typing can be skipped)."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self.seen: dict[str, dict[str, type]] = {}
        """Per kind and attribute, the Python type of the last value (so the type rule runs on changes only)."""
        self.versions: dict[str, int] = {}
        self.changes = 0
        """How many times any kind's types changed (typing again at the same count would change nothing)."""

    def note(self, kind: str, attributes: list[tuple[str, Scalar]]) -> None:
        seen = self.seen.get(kind)
        if seen is None:
            seen = self.seen[kind] = {}
        for name, value in attributes:
            if seen.get(name) is not type(value):  # the type rule gives the same answer for the same type again
                seen[name] = type(value)
                self._note(kind, name, value)

    def _note(self, kind: str, name: str, value: Scalar) -> None:
        known = self.types.setdefault(kind, {})
        had = known.get(name)
        vtype = joined_type(had, value_type(value))
        if vtype != had:
            known[name] = vtype
            self.versions[kind] = self.versions.get(kind, 0) + 1
            self.changes += 1


def joined_types(first: dict[str, dict[str, str]], second: dict[str, dict[str, str]],
                 order: list[str]) -> dict[str, dict[str, str]]:
    """The types of a journal whose rows were typed in two parts (:attr:`EventTypes.types` of each): per kind (in
    ``order``, the kinds as one pass over the whole journal would have met them), each attribute's higher type."""
    joined: dict[str, dict[str, str]] = {}
    for kind in order:
        attributes = dict(first.get(kind, {}))
        for name, vtype in second.get(kind, {}).items():
            attributes[name] = joined_type(attributes.get(name), vtype)
        joined[kind] = attributes
    return joined
