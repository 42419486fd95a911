"""Two runs side by side: what differs in their inputs, and every measure and rating with its difference (B − A).

``better`` says which run did better on a row (``a``, ``b``, ``same`` or empty when the
measure has no direction or a side is missing). Ratings compare on P > S > M > U. Every row
carries its ``unit``: ``min`` (minutes), ``clock`` (minutes since 00:00 on day D),
``share`` (0..1), ``people``, ``voter-min``, ``station-min``, ``count`` or ``rating``.

Scripted incidents are compared by id: both runs face the same incident. Background arrivals
are not (``B1-3`` in one run and ``B1-3`` in the other are unrelated draws): each background
inject is compared as a distribution (arrivals, still open, median / p90 / max times, harm).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import Field

from ballotdrill.scoring.model import ArrivalStats, Frozen, Scores, dumps, r3

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
    unit: str = ""


class InputDifference(Frozen):
    """One way the two runs' inputs differ: a run setting, an override, or a value of the scenario file."""

    what: str
    a: str
    b: str


class Comparison(Frozen):
    """Run A against run B: their inputs' differences, then every measure."""

    a: str
    b: str
    inputs: list[InputDifference] = Field(default_factory=list)
    rows: list[ComparisonRow] = Field(default_factory=list)


def _better(a: float | None, b: float | None, lower_is_better: bool | None) -> str:
    if a is None or b is None or lower_is_better is None:
        return ""
    if a == b:
        return "same"
    return ("a" if a < b else "b") if lower_is_better else ("a" if a > b else "b")


def _num_row(section: str, item: str, measure: str, a: float | None, b: float | None,
             lower: bool | None = True, unit: str = "") -> ComparisonRow:
    diff = None if a is None or b is None else r3(b - a)
    return ComparisonRow(section=section, item=item, measure=measure, a=a, b=b, diff=diff,
                         better=_better(a, b, lower), unit=unit)


def _pairs(a: Iterable[Any], b: Iterable[Any], key: Callable[[Any], str]) -> list[tuple[str, Any, Any]]:
    left, right = {key(x): x for x in a}, {key(x): x for x in b}
    order = list(left) + [k for k in right if k not in left]
    return [(k, left.get(k), right.get(k)) for k in order]


_TOTALS: tuple[tuple[str, bool | None, str], ...] = (
    ("incidents", None, "count"), ("open_incidents", True, "count"), ("steps_completed", None, "count"),
    ("late_steps", True, "count"), ("deadlines_missed", True, "count"), ("handoffs", None, "count"),
    ("handoff_failures", True, "count"), ("drops", True, "count"), ("reroutes", True, "count"),
    ("ping_pongs", True, "count"), ("unstaffed_queued", True, "count"), ("decisions_defaulted", None, "count"),
    ("on_time", False, "share"), ("reach", True, "people"), ("voter_minutes", True, "voter-min"),
    ("station_minutes", True, "station-min"))
_HARM_UNITS = {"reach": "people", "voter_minutes": "voter-min", "station_minutes": "station-min"}
_LOAD: tuple[tuple[str, bool | None, str], ...] = (
    ("utilisation", None, "share"), ("wait_mean", True, "min"), ("wait_p90", True, "min"), ("wait_max", True, "min"),
    ("longest_queue", True, "count"), ("unstaffed_queued", True, "count"), ("steps", None, "count"))


def compare(a: Scores, b: Scores, label_a: str = "A", label_b: str = "B",
            inputs: Sequence[InputDifference] = ()) -> Comparison:
    """Every measure and rating of ``a`` and ``b`` side by side (``inputs``: how their inputs differ)."""
    rows: list[ComparisonRow] = []
    for field, lower, unit in _TOTALS:
        rows.append(_num_row("totals", "run", field, getattr(a.totals, field), getattr(b.totals, field), lower, unit))
    for oid, x, y in _pairs(a.objectives, b.objectives, lambda o: o.id):
        kind = (x or y).kind
        rows.append(_num_row("objective", oid, "value", x.value if x else None, y.value if y else None,
                             (x or y).lower_is_better, {"time": "min", "on_time": "share"}.get(kind, _HARM_UNITS.get(
                                 kind, ""))))
        ra, rb = (x.rating if x else None), (y.rating if y else None)
        better = ("" if ra not in _RATING_ORDER or rb not in _RATING_ORDER
                  else _better(_RATING_ORDER[str(ra)], _RATING_ORDER[str(rb)], True))
        rows.append(ComparisonRow(section="objective", item=oid, measure="rating", a=ra, b=rb, better=better,
                                  unit="rating"))
    harm_a, harm_b = {h.incident: h for h in a.harm}, {h.incident: h for h in b.harm}
    for inc, x, y in _pairs((i for i in a.incidents if not i.background),
                            (i for i in b.incidents if not i.background), lambda i: i.incident):
        rows.append(_num_row("incident", inc, "started", x.started_at + a.start if x else None,
                             y.started_at + b.start if y else None, None, "clock"))
        for field in ("to_detect", "to_first_action", "to_contain", "to_resolve"):
            rows.append(_num_row("incident", inc, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, True, "min"))
        for field, unit in _HARM_UNITS.items():
            va = getattr(harm_a[inc], field) if inc in harm_a else None
            vb = getattr(harm_b[inc], field) if inc in harm_b else None
            if va or vb:
                rows.append(_num_row("incident", inc, field, va, vb, True, unit))
    rows += _background(a, b)
    for actor, x, y in _pairs(a.load, b.load, lambda load: load.actor):
        for field, lower, unit in _LOAD:
            rows.append(_num_row("load", actor, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower, unit))
    for channel, x, y in _pairs(a.channels, b.channels, lambda c: c.channel):
        for field, lower, unit in (("attempts", None, "count"), ("failures", True, "count"), ("drops", True, "count"),
                                   ("mean_latency", True, "min")):
            rows.append(_num_row("channel", channel, field, getattr(x, field) if x else None,
                                 getattr(y, field) if y else None, lower, unit))
    return Comparison(a=label_a, b=label_b, inputs=list(inputs), rows=rows)


def _background(a: Scores, b: Scores) -> list[ComparisonRow]:
    """Each background inject's arrivals in A and in B, compared as distributions (never arrival by arrival),
    from the aggregates that count every arrival (the listed ones may be bounded)."""
    def stats(group: ArrivalStats | None) -> dict[str, tuple[float | None, bool | None, str]]:
        if group is None:
            return {}
        out: dict[str, tuple[float | None, bool | None, str]] = {
            "arrivals": (group.arrivals, None, "count"), "open_at_end": (group.open_at_end, True, "count")}
        for field, values in (("to_detect", group.detect), ("to_contain", group.contain),
                              ("to_resolve", group.resolve)):
            out[f"{field} median"] = (values.median, True, "min")
            out[f"{field} p90"] = (values.p90, True, "min")
            out[f"{field} max"] = (values.max, True, "min")
        for field, unit in _HARM_UNITS.items():
            out[field] = (getattr(group, field), True, unit)
        return out

    rows: list[ComparisonRow] = []
    ga, gb = {g.key: g for g in a.background.injects}, {g.key: g for g in b.background.injects}
    for inject in [*ga, *(k for k in gb if k not in ga)]:
        sa, sb = stats(ga.get(inject)), stats(gb.get(inject))
        for measure in [*sa, *(k for k in sb if k not in sa)]:
            va, lower, unit = sa.get(measure, (None, None, ""))
            vb, lower_b, unit_b = sb.get(measure, (None, lower, unit))
            if measure in _HARM_UNITS and not va and not vb:
                continue
            rows.append(_num_row("background", inject, measure, va, vb, lower if va is not None else lower_b,
                                 unit or unit_b))
    return rows


def changed(row: ComparisonRow) -> bool:
    """Whether the two runs differ on this row."""
    return row.a != row.b


def input_differences(meta_a: Mapping[str, str], meta_b: Mapping[str, str], document_a: Any, document_b: Any,
                      limit: int = 200) -> list[InputDifference]:
    """How two runs' inputs differ: scenario, seed, overrides, tool version, then the scenario files' values.

    ``document_*`` are the stored scenario files as plain data (after their overrides). Values
    differ at a path such as ``structure.actors.national-cert.staff``; at most ``limit`` are listed.
    """
    out = [InputDifference(what=key, a=str(meta_a.get(key, "—")), b=str(meta_b.get(key, "—")))
           for key in ("scenario", "seed", "overrides", "decisions", "version", "source")
           if meta_a.get(key) != meta_b.get(key)]
    found: list[InputDifference] = []
    _diff(document_a, document_b, "", found, limit)
    return out + found


def _diff(a: Any, b: Any, path: str, out: list[InputDifference], limit: int) -> None:
    if len(out) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in b:
                out.append(InputDifference(what=sub, a=_short(a[key]), b="(absent)"))
            elif key not in a:
                out.append(InputDifference(what=sub, a="(absent)", b=_short(b[key])))
            else:
                _diff(a[key], b[key], sub, out, limit)
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{n}]", out, limit)
        return
    out.append(InputDifference(what=path or "(the whole file)", a=_short(a), b=_short(b)))


def _short(value: Any, width: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[:width - 1] + "…"


def comparison_json(comparison: Comparison) -> str:
    """The comparison as canonical JSON."""
    return dumps(comparison.model_dump(mode="json"))
