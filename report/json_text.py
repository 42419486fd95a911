"""``scores.json``'s text made faster: the bytes of ``json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)``
and a newline (:func:`ballotdrill.scoring.model.dumps`).

With ``indent``, ``json`` leaves its C encoder for a Python one made of nested generators, a yield per token: about
0.55 s of CPU for a 100,000-incident run's 6 MB, the largest part of rendering the reports. This writes the same
tokens into one list, each scalar inline; strings go through ``json``'s own C escaping, numbers through the same
``repr``. Anything else ``json`` would reject or treat its own way goes to ``json`` itself, whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from json.encoder import encode_basestring
from typing import Any

from ballotdrill.scoring.model import dumps

_float_repr = float.__repr__
_int_repr = int.__repr__
_INF = float("inf")


class _Unusual(Exception):
    """A value this writer does not take as ``json`` does (a key that is not a string, a non-finite number)."""


def indented_json(data: Any) -> str:
    """``dumps(data)``: sorted keys, two spaces of indent, UTF-8 kept, a trailing newline."""
    out: list[str] = []
    try:
        _value(data, out, "\n")
    except (_Unusual, RecursionError):
        return dumps(data)
    out.append("\n")
    return "".join(out)


def _scalar(value: Any) -> str | None:
    """A scalar's token, as ``json`` writes it (None: a container, or a value left to ``json``)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise _Unusual
        return _float_repr(value)
    if kind is int:
        return _int_repr(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return None


def _value(value: Any, out: list[str], newline: str) -> None:
    token = _scalar(value)
    if token is not None:
        out.append(token)
    elif type(value) is list or type(value) is tuple:
        if value:
            _members(value, False, out, newline, "[]")
        else:
            out.append("[]")
    elif type(value) is dict:
        if value:
            _members(sorted(value.items()), True, out, newline, "{}")
        else:
            out.append("{}")
    else:
        raise _Unusual


def _members(items: Iterable[Any], keyed: bool, out: list[str], newline: str, brackets: str) -> None:
    """A non-empty array's items, or (``keyed``) an object's sorted ``(key, value)`` pairs, one a line. A string or a
    finite number is written inline, as nearly every value of a report is one (a call per value costs more)."""
    inner = newline + "  "
    separator = "," + inner
    append = out.append
    append(brackets[0] + inner)
    first = True
    for item in items:
        if first:
            first = False
        else:
            append(separator)
        if keyed:
            key, item = item
            if type(key) is not str:
                raise _Unusual
            append(encode_basestring(key))
            append(": ")
        kind = type(item)
        if kind is str:
            append(encode_basestring(item))
        elif kind is float and item - item == 0.0:  # finite
            append(_float_repr(item))
        elif kind is int:
            append(_int_repr(item))
        else:
            _value(item, out, inner)
    append(newline + brackets[1])


__all__ = ["indented_json"]
