"""A comparison of two runs laid out for reading: what differs in the inputs, a summary, then the detail.

Values are shown in their units (``21 min``, ``18:05``, ``87%``, ``12,000 people``) and
differences signed in the same unit (``+4 min``, ``-12 pts``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scoring.compare import Comparison, ComparisonRow, changed
from ballotdrill.scoring.comparewords import SWEEP_HINT as SWEEP_NOTE
from ballotdrill.scoring.findings import QUEUE_P90
from ballotdrill.scoring.text import minutes, number, percent, points, signed

HEADER = ["section", "item", "measure", "A", "B", "B − A", "better (this draw)"]
SUMMARY_TOTALS = {"incidents", "open_incidents", "late_steps", "deadlines_missed", "handoff_failures", "drops",
                  "on_time", "reach", "voter_minutes", "station_minutes"}
"""The run totals a summary always shows."""
SWEEP_HINT = ("One seed is one draw: to tell a real difference from luck, run 'ballotdrill sweep SCENARIO "
              "--variant FILE' (paired runs on the same seeds, with confidence intervals).")


class ComparisonView(NamedTuple):
    """Tables of strings (each a header, then rows) and counts, ready to print."""

    inputs: list[list[str]]
    summary: list[list[str]]
    detail: list[list[str]]
    differing: int
    total: int
    notes: list[str]
    """What one draw per side can say (the sweep hint is said apart, see :data:`SWEEP_HINT`)."""
    unsimulated: list[list[str]]
    """The inputs that differ but change nothing simulated (live notes, speed changes), a table apart."""


def value_text(unit: str, value: float | str | None) -> str:
    """A value in its unit."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "min":
        return minutes(value)
    if unit == "clock":
        return format_clock(value)
    if unit == "share":
        return percent(value)
    if unit in ("people", "voter-min", "station-min"):
        return f"{number(value)} {unit}"
    return number(value) if float(value).is_integer() else f"{value:g}"


def diff_text(unit: str, diff: float | None) -> str:
    """A signed difference in the row's unit (empty when there is none to show), never rounded to a zero it is
    not: ``+0.4 pts``, ``-12 s``."""
    if diff is None:
        return ""
    sign = "+" if diff > 0 else "-" if diff < 0 else ""
    size = abs(diff)
    if unit in ("min", "clock"):
        return f"{sign}{minutes(size)}" if size >= 1 else signed(diff * 60, " s")
    if unit == "share":
        return f"{points(diff)} pts"
    if size < 1:
        return signed(diff, "")
    if unit in ("people", "voter-min", "station-min"):
        return f"{sign}{number(size)}"
    return f"{sign}{number(size) if float(size).is_integer() else f'{size:g}'}"


MEASURE_WORDS = {"late share": "late, share of steps with a target", "steps_with_target": "steps with a target",
                 "open_incidents": "incidents not resolved at the end", "open_at_end": "not contained at the end",
                 "open share": "not contained at the end, share"}
"""Measures whose name alone would not say what they count."""


def measure_text(measure: str) -> str:
    """``to_detect p90`` → ``time to detect, p90``; ``deadlines_missed`` → ``deadlines missed``; ``late share`` →
    ``late, share of steps with a target`` and ``open_incidents`` → ``incidents not resolved at the end`` (what it
    counts: the report calls an incident open only while it is not contained) (:data:`MEASURE_WORDS`)."""
    if measure in MEASURE_WORDS:
        return MEASURE_WORDS[measure]
    name, _, stat = measure.partition(" ")
    text = name.replace("_", " ")
    if name.startswith("to_"):
        text = "time " + text
    return f"{text}, {stat}" if stat else text


def _better_text(r: ComparisonRow) -> str:
    if r.small:
        return "≈ small"
    return {"a": "A", "b": "B"}.get(r.better, r.better)


def _shown(unit: str, value: float) -> float | None:
    """``value`` as the table shows it, in its unit (None: not shown in whole units: a time under a minute, in
    seconds, or a unit shown as it is)."""
    if unit == "clock":
        return float(math.floor(value))  # seconds dropped (format_clock)
    if unit == "min":
        whole = round(value)
        if abs(value) < 1:
            return None
        return float(whole)
    if unit in ("people", "voter-min", "station-min"):
        return float(round(value))
    return None


def shown_diff(r: ComparisonRow) -> float | None:
    """The difference as a reader works it out from the two values shown: B's shown value less A's (35.1 and
    39.6 min are shown 35 and 40 min: +5 min, never +4; 10:00:10 and 10:00:50 are both 10:00; an incident's times as
    their clocks read, ``a_shown``), unless either is not shown in whole units (words of the report with no shown
    value) or the two are shown alike, when the exact difference is kept, never rounded to a zero it is not."""
    a, b, diff = r.a, r.b, r.diff
    if diff is None or isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return diff
    shown_a, shown_b = (shown if shown is not None else None if text else _shown(r.unit, value)
                        for value, text, shown in ((a, r.a_text, r.a_shown), (b, r.b_text, r.b_shown)))
    if r.unit == "min" and any(v is not None and abs(v) < 1 for v in (shown_a, shown_b)):
        return diff  # a time within a minute is told in seconds
    if shown_a is None or shown_b is None or shown_a == shown_b:
        return diff
    return shown_b - shown_a


def _row(r: ComparisonRow) -> list[str]:
    return [r.section, r.item, measure_text(r.measure), r.a_text or value_text(r.unit, r.a),
            r.b_text or value_text(r.unit, r.b), diff_text(r.unit, shown_diff(r)), _better_text(r)]


SUMMARY_BACKGROUND = {"arrivals", "open_at_end", "to_contain median", "to_contain p90", "late share"}
"""Each background inject's measures a summary shows when they changed."""


def in_summary(r: ComparisonRow) -> bool:
    """What changed that matters: the key findings (bottleneck, Fix first) and every objective (value and rating),
    changed or not; the main run totals, queues that matter,
    scripted incidents' containment and each background inject's distribution when they differ; a scripted
    incident that happened in one run only."""
    if r.section in ("key findings", "objective"):
        return True
    if r.section == "incident" and r.measure == "started":
        return (r.a is None) != (r.b is None)
    if not changed(r):
        return False
    if r.section == "totals":
        return r.measure in SUMMARY_TOTALS
    if r.section == "incident":
        return r.measure in ("to_contain", "to_resolve")
    if r.section == "load" and r.measure == "wait_p90":
        return any(isinstance(v, float | int) and v >= QUEUE_P90 for v in (r.a, r.b))
    if r.section == "background":
        return r.measure in SUMMARY_BACKGROUND
    return False


def comparison_view(comparison: Comparison, only_changed: bool = True) -> ComparisonView:
    """The inputs that differ, the summary rows, and the detail (the rows that differ, or all of them)."""
    inputs = [["input", "A", "B"], *([d.what, d.a, d.b] for d in comparison.inputs)]
    unsimulated = [["input (changes nothing simulated)", "A", "B"],
                   *([d.what, d.a, d.b] for d in comparison.unsimulated)]
    summary = [HEADER, *(_row(r) for r in comparison.rows if in_summary(r))]
    detail = [HEADER, *(_row(r) for r in comparison.rows if changed(r) or not only_changed)]
    notes = [n for n in comparison.notes if n != SWEEP_NOTE]
    return ComparisonView(inputs, summary, detail, sum(changed(r) for r in comparison.rows), len(comparison.rows),
                          notes, unsimulated)
