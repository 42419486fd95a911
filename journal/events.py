"""The journal contract: every event kind, the record of one event, and how rows are packed and encoded.

Nothing here writes or reads a file; the sinks (:mod:`ballotdrill.journal.store`) and the writer
process (:mod:`ballotdrill.journal.writer`) build on it, and scoring reads only these records.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

KINDS: tuple[str, ...] = (
    "run_started", "staff_changed", "incident_started", "detected", "procedure_started", "step_queued",
    "step_started", "step_completed", "handoff_sent", "handoff_received", "handoff_failed",
    "decision_requested", "decision_made", "inject_delivered", "escalated", "contained", "resolved",
    "procedure_ended", "action_taken", "paused", "resumed", "run_ended",
)
"""Every event kind, documented with its fields in docs/journal.md."""

COLUMNS = ("seq", "t", "kind", "incident", "actor", "step", "data")


class Event(NamedTuple):
    """One journal row. ``t`` is minutes since the scenario's start; ``data`` holds the kind's extra fields."""

    seq: int
    t: float
    kind: str
    incident: str | None
    actor: str | None
    step: str | None
    data: dict[str, Any]

    def to_json(self) -> str:
        """The event as one canonical JSON line (sorted keys, no spaces)."""
        return json.dumps(self._asdict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Event:
        seq, t, kind, incident, actor, step, data = row
        return cls(seq, t, kind, incident, actor, step, json.loads(data) if data else {})


Data = dict[str, Any] | tuple[Any, ...] | None
"""A row's data: a dict, or *packed* as a tuple of the values of the kind's :data:`SHAPES` keys."""

Row = tuple[float, str, "str | None", "str | None", "str | None", Data]
"""A journal row as the engine records it: ``(t, kind, incident, actor, step, data)``; numbered at flush."""

canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
"""Compact canonical JSON: sorted keys, no spaces, UTF-8 kept as written."""

SHAPES: dict[str, tuple[str, ...]] = {
    "step_started": ("procedure", "wait"),
    "step_queued": ("on_duty", "procedure", "queue"),
    "step_completed": ("elapsed", "procedure"),
    "handoff_sent": ("attempt", "channel", "procedure", "to"),
    "handoff_received": ("attempts", "channel", "from", "latency", "procedure"),
    "procedure_started": ("procedure", "run"),
    "procedure_ended": ("outcome", "procedure", "run"),
}
"""The data keys (sorted) of the most frequent kinds, which the engine records packed."""

_NAME_KEYS = frozenset({"procedure", "to", "from", "channel", "outcome"})
"""Keys whose packed values are identifiers (validated names or fixed words)."""

_PACKED_JSON = {kind: "{" + ",".join(f'"{k}":"%s"' if k in _NAME_KEYS else f'"{k}":%r' for k in keys) + "}"
                for kind, keys in SHAPES.items()}
"""Per kind, a format giving canonical JSON for packed values: identifiers need no escaping, numbers use repr."""


def unpack(kind: str, data: Data) -> dict[str, Any]:
    """A row's data as a dict."""
    if data is None:
        return {}
    if type(data) is tuple:
        return dict(zip(SHAPES[kind], data, strict=True))
    return data  # type: ignore[return-value]


def encode_data(kind: str, data: Data) -> str | None:
    """Compact canonical JSON for a row's data (sorted keys, no spaces), or None when empty.

    Packed data (made only by the engine: identifiers and finite numbers) takes one string
    format, the same bytes as ``json`` at a fraction of the cost; a None among the values
    (a direct handoff's channel) or any dict goes through ``json``.
    """
    if not data:
        return None
    if type(data) is tuple:
        if None in data:
            return canonical_json(unpack(kind, data))
        return _PACKED_JSON[kind] % data
    return canonical_json(data)
