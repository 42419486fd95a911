"""One line per journal event, for the console and the plain-lines mode (user text kept as written)."""

from __future__ import annotations

from typing import Any

from ballotdrill.journal import Event, Kind
from ballotdrill.scenarios.timefmt import seconds_words

_LEFT_OUT = frozenset({"procedure", "run", "contingency", "wall"})
"""Fields a facilitator's line leaves out (the dashboard shows procedures elsewhere; ``wall`` is the
Unix time a pause or resume happened, kept for the record, while the line shows the exercise clock)."""


def decision_phrase(option: str, by: str, clock: str = "") -> str:
    """How a decision was taken, in words: ``timed out: the default 'X' was taken at 10:42:00``, ``answered by the
    facilitator: 'X'``, ``answered by the player: 'X'`` (``clock``: the time it was taken, said when given)."""
    at = f" at {clock}" if clock else ""
    if by == "ended":
        return f"not decided: the exercise ended{at}"
    if by == "timeout":
        return f"timed out: the default '{option}' was taken{at}"
    if by in ("player", "facilitator"):
        return f"answered by the {by}: '{option}'{at}"
    return f"'{option}', the {'recorded' if by == 'recorded' else 'default'} answer (no player){at}"


def describe(clock: str, event: Event) -> str:
    """``[clock] kind incident actor step: field value, …`` (a list shown joined with '/'); a decision taken says
    how (timed out to its default, answered by the player or the facilitator)."""
    who = " ".join(x for x in (event.incident, event.actor, event.step) if x)
    if event.kind == Kind.DECISION_MADE:
        data = event.data
        detail = f"request {data.get('request')}: {decision_phrase(str(data.get('option')), str(data.get('by')))}"
    elif event.kind == Kind.ANSWERED_LATE and isinstance(event.data.get("late"), int):
        data = event.data
        detail = (f"request {data.get('request')}: '{data.get('option')}' by the {data.get('by')}, "
                  f"{seconds_words(data['late'])} after the timeout (the default '{data.get('default')}' was taken)")
    else:
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
