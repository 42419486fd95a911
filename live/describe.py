"""One line per journal event, for the console and the plain-lines mode (user text kept as written)."""

from __future__ import annotations

from typing import Any

from ballotdrill.journal import Event

_LEFT_OUT = frozenset({"procedure", "run", "contingency", "wall"})
"""Fields a facilitator's line leaves out (the dashboard shows procedures elsewhere; ``wall`` is the
Unix time a pause or resume happened, kept for the record, while the line shows the exercise clock)."""


def describe(clock: str, event: Event) -> str:
    """``[clock] kind incident actor step: field value, …`` (a list shown joined with '/')."""
    who = " ".join(x for x in (event.incident, event.actor, event.step) if x)
    detail = ", ".join(f"{key} {_show(value)}" for key, value in sorted(event.data.items())
                       if key not in _LEFT_OUT and value not in (None, "", [], {}))
    return f"[{clock}] {event.kind}" + (f" {who}" if who else "") + (f": {detail}" if detail else "")


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"
    if isinstance(value, list):
        return "/".join(str(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} {_show(v)}" for k, v in value.items()) + "}"
    return str(value)
