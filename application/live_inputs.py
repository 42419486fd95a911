"""How two runs' live inputs differ: the answers, actions, discussion answers, ad-hoc injects, send-nows, notes and
speed changes people gave a live exercise, read from its journal's ``inputs`` table (a batch run has none).

Inputs are compared kind by kind, at their simulated clock time (in any order within one time shown), a decision
nobody answered with the answers as its timeout gave it: two runs with the same seed and the same live inputs at the
same times played the same exercise; any other difference is named as an input difference.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

from ballotdrill.journal import DecisionMade, Event, Kind
from ballotdrill.journal.sqlite_uri import connect_read_only
from ballotdrill.scoring.comparewords import LIVE_INPUTS, InputDifference
from ballotdrill.scoring.text import clock


class LiveInput(NamedTuple):
    """One committed live input: its simulation time, its kind and its fields."""

    t: float
    kind: str
    data: dict[str, Any]


SHOWN = 3
"""How many inputs of one kind a difference names before it counts the rest."""


def read_live_inputs(journal: Path) -> list[LiveInput]:
    """The committed inputs of a journal, in order, with each decision nobody answered as the answer its timeout
    gave (an ``answer`` by ``timeout``: a journal event, not an input, but what the people left to the clock); none
    for a batch run's journal, or a run kept as JSON Lines with no SQLite journal."""
    if not journal.is_file():
        return []
    db = connect_read_only(journal)
    try:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'inputs'").fetchone():
            return []
        given = [LiveInput(t, kind, json.loads(data))
                 for t, kind, data in db.execute("SELECT t, kind, data FROM inputs ORDER BY n")]
        made = [(row[1], Event.from_row(row).fields(DecisionMade)) for row in db.execute(
            "SELECT seq, t, kind, incident, actor, step, data FROM events WHERE kind = ? ORDER BY seq",
            (Kind.DECISION_MADE,))]
        timed_out = [LiveInput(t, "answer", {"request": m.request, "option": m.option, "by": "timeout"})
                     for t, m in made if m.by == "timeout"]
    finally:
        db.close()
    return sorted([*given, *timed_out], key=lambda item: item.t)  # stable: the inputs of one time keep their order


def live_input_differences(a: Sequence[LiveInput], b: Sequence[LiveInput], start_a: float,
                           start_b: float) -> list[InputDifference]:
    """One difference per kind of live input whose inputs (what, and at which moment of the clock) differ between A
    and B; inputs given at one moment (to the journal's millisecond) in another order are the same inputs, where
    two given at other seconds of one minute are not (the engine saw them in another order)."""
    out: list[InputDifference] = []
    for kind, what in LIVE_INPUTS.items():
        mine_a, mine_b = [item for item in a if item.kind == kind], [item for item in b if item.kind == kind]
        if _at_each_moment(mine_a, start_a) != _at_each_moment(mine_b, start_b):
            out.append(InputDifference(what=what, a=_listed([(clock(start_a, i.t), _describe(i)) for i in mine_a]),
                                       b=_listed([(clock(start_b, i.t), _describe(i)) for i in mine_b])))
    return out


def _at_each_moment(given: Sequence[LiveInput], start: float) -> list[tuple[float, list[str]]]:
    """Each moment of the clock in turn (to the millisecond) with the inputs given at it, in any order (sorted)."""
    return [(at, sorted(_describe(item) for item in group))
            for at, group in groupby(given, key=lambda item: round(start + item.t, 3))]


def _describe(item: LiveInput) -> str:
    """An input in a few words (its text shortened): what a comparison's reader needs to tell two apart."""
    data = item.data
    by = f" (by {data['by']})" if data.get("by") else ""
    if item.kind == "answer":
        if data.get("by") == "timeout":
            return f"request {data.get('request')}: no answer by the timeout, default {data.get('option')}"
        return f"request {data.get('request')}: {data.get('option')}{by}"
    if item.kind == "action":
        on = f" on {data['incident']}" if data.get("incident") else ""
        return f"{data.get('actor')} {data.get('action')}{on}{by}"
    if item.kind == "discuss":
        said = _cut(data.get("text"))
        return f"{data.get('actor')} on {data.get('inject')} question {data.get('question')}: {said}{by}"
    if item.kind == "send_now":
        return str(data.get("inject"))
    if item.kind == "speed":
        return f"×{data.get('speed'):g}" if isinstance(data.get("speed"), (int, float)) else "?"
    return _cut(data.get("text")) + by


def _cut(text: object, width: int = 60) -> str:
    shown = str(text or "")
    return repr(shown if len(shown) <= width else shown[:width - 1] + "…")


def _listed(items: list[tuple[str, str]]) -> str:
    """``none``, or the count and the first :data:`SHOWN` inputs, each after its clock time."""
    if not items:
        return "none"
    more = f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return f"{len(items)}: " + "; ".join(f"{at} {text}" for at, text in items[:SHOWN]) + more
