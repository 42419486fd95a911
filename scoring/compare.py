"""Two runs side by side: every measure and rating with its difference (B − A).

``better`` says which run did better on a row (``a``, ``b``, ``same`` or empty when the
measure has no direction or a side is missing). Ratings compare on P > S > M > U.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import Field

from ballotdrill.scoring.model import Frozen, Scores, dumps, r3

_RATING_ORDER = {"P": 0, "S": 1, "M": 2, "U": 3}


class ComparisonRow(Frozen):
    """One measure in both runs."""

    section: str
    item: str
    measure: str
    a: float | str | None
    b: float | str | None
    diff: float | None = None
    better: str = ""


class Comparison(Frozen):
    """All rows comparing run A with run B."""

    a: str
    b: str
    rows: list[ComparisonRow] = Field(default_factory=list)


def _better(a: float | None, b: float | None, lower_is_better: bool | None) -> str:
    if a is None or b is None or lower_is_better is None:
        return ""
    if a == b:
        return "same"
    return ("a" if a < b else "b") if lower_is_better else ("a" if a > b else "b")


def _num_row(section: str, item: str, measure: str, a: float | None, b: float | None,
             lower: bool | None = True) -> ComparisonRow:
    diff = None if a is None or b is None else r3(b - a)
    return ComparisonRow(section=section, item=item, measure=measure, a=a, b=b, diff=diff,
                         better=_better(a, b, lower))


def _pairs(a: Iterable[Any], b: Iterable[Any], key: Callable[[Any], str]) -> list[tuple[str, Any, Any]]:
    left, right = {key(x): x for x in a}, {key(x): x for x in b}
    order = list(left) + [k for k in right if k not in left]
    return [(k, left.get(k), right.get(k)) for k in order]


def compare(a: Scores, b: Scores, label_a: str = "A", label_b: str = "B") -> Comparison:
    """Every measure and rating of ``a`` and ``b`` side by side."""
    rows: list[ComparisonRow] = []
    for field, lower in (("incidents", None), ("open_incidents", True), ("steps_completed", None),
                         ("late_steps", True), ("deadlines_missed", True), ("handoffs", None),
                         ("handoff_failures", True), ("drops", True), ("reroutes", True), ("ping_pongs", True),
                         ("unstaffed_queued", True), ("decisions_defaulted", None), ("on_time", False),
                         ("reach", True), ("voter_minutes", True), ("station_minutes", True)):
        rows.append(_num_row("totals", "run", field, getattr(a.totals, field), getattr(b.totals, field), lower))
    for oid, x, y in _pairs(a.objectives, b.objectives, lambda o: o.id):
        rows.append(_num_row("objective", oid, "value", x.value if x else None, y.value if y else None,
                             (x or y).lower_is_better))
        ra, rb = (x.rating if x else None), (y.rating if y else None)
        better = "" if ra is None or rb is None else _better(_RATING_ORDER[ra], _RATING_ORDER[rb], True)
        rows.append(ComparisonRow(section="objective", item=oid, measure="rating", a=ra, b=rb, better=better))
    for inc, x, y in _pairs(a.incidents, b.incidents, lambda i: i.incident):
        for field in ("to_detect", "to_first_action", "to_contain", "to_resolve"):
            rows.append(_num_row("incident", inc, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None))
    for inc, x, y in _pairs(a.harm, b.harm, lambda h: h.incident):
        for field in ("reach", "voter_minutes", "station_minutes"):
            va, vb = (getattr(x, field) if x else None), (getattr(y, field) if y else None)
            if va or vb:
                rows.append(_num_row("harm", inc, field, va, vb))
    for actor, x, y in _pairs(a.load, b.load, lambda load: load.actor):
        for field, lower in (("utilisation", None), ("wait_mean", True), ("wait_p90", True), ("wait_max", True),
                             ("longest_queue", True), ("unstaffed_queued", True), ("steps", None)):
            rows.append(_num_row("load", actor, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower))
    for channel, x, y in _pairs(a.channels, b.channels, lambda c: c.channel):
        for field, lower in (("attempts", None), ("failures", True), ("drops", True), ("mean_latency", True)):
            rows.append(_num_row("channel", channel, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower))
    return Comparison(a=label_a, b=label_b, rows=rows)


def _cell(value: float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def changed(row: ComparisonRow) -> bool:
    """Whether the two runs differ on this row."""
    return row.a != row.b


def comparison_rows(comparison: Comparison, only_changed: bool = False) -> list[list[str]]:
    """Header + rows of strings, for a rich table: section, item, measure, A, B, B−A, better (A or B)."""
    header = ["section", "item", "measure", "A", "B", "B − A", "better"]
    body = [[r.section, r.item, r.measure, _cell(r.a), _cell(r.b),
             "" if r.diff is None else f"{r.diff:+g}",
             {"a": "A", "b": "B"}.get(r.better, r.better)]
            for r in comparison.rows if changed(r) or not only_changed]
    return [header, *body]


def comparison_json(comparison: Comparison) -> str:
    """The comparison as canonical JSON."""
    return dumps(comparison.model_dump(mode="json"))
