"""Small formatters shared by the narrative and the renderers (plain text, no markup)."""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.scenarios.timefmt import format_clock

HARM_MEASURES = ("reach", "voter_minutes", "station_minutes")
"""The measures of the harm an incident did (lower is better)."""
HARM_NOUNS = {"reach": "reach", "voter_minutes": "voter-minutes", "station_minutes": "station-minutes"}
"""Each harm measure's name in a sentence."""
UNITS = {"time": "min", "on_time": "share", "reach": "people", "voter_minutes": "voter-min",
         "station_minutes": "station-min", "votes_lost": "votes"}
"""Each measure's unit, as an objective's ``unit`` and a comparison's rows give it (``share``: 0..1)."""


def minutes(value: float | None, against: Sequence[float] = ()) -> str:
    """``21 min``, ``1 h 05 min``, ``2 d 3 h 20 min`` (a day or more keeps its minutes: 72 h 20 min is never read
    as the 3 d of a deadline); an em dash for None. ``against``: the marks it is told beside (a target, a band's
    bound; 0 for a lateness), kept on their sides (:func:`told_against`)."""
    if value is None:
        return "—"
    if against:
        shown = round(value) if abs(value) >= 1 else round(value * 60) / 60
        return told_against(shown, value, against) or minutes(value)
    total = round(value)
    if abs(value) < 1 and value != 0:
        seconds = round(value * 60)
        return f"{seconds} s" if seconds else "0 s"  # never "-0 s" for a tiny negative from float sums
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total < 60:
        return f"{sign}{total} min"
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h {mins:02d} min"
    return f"{sign}{hours} h {mins:02d} min"


def clock(start: float, t: float | None) -> str:
    """The clock time of journal time ``t`` (``start`` is ``run_started.data.start``)."""
    return "—" if t is None else format_clock(start + t)


def between(start: float, t0: float, t1: float, against: Sequence[float] = ()) -> str:
    """The time from journal time ``t0`` to ``t1`` as their clocks read (:func:`clock` shows the minute a time falls
    in): the difference of those minutes, so a reader subtracting the clocks gets the same ("at 14:46, 2 h 46 min
    after it began" at 12:00, for 14:46:40, never "2 h 47 min"); within one minute, in seconds. ``against``: the
    marks it is told beside (a target), kept on their sides (:func:`told_against`)."""
    whole = as_clocks_read(start, t0, t1)
    if against:
        shown = whole if abs(whole) >= 1 else round(whole * 60) / 60
        told = told_against(shown, t1 - t0, against)
        if told:
            return told
    return minutes(whole)


def as_clocks_read(start: float, t0: float, t1: float) -> float:
    """The minutes from journal time ``t0`` to ``t1`` that :func:`between` tells: the difference of the minutes their
    clocks show (a whole number), or the exact difference when both fall in one minute (told in seconds)."""
    whole = (start + t1) // 1 - (start + t0) // 1
    return whole if whole else t1 - t0


def took_from(start: float, t0: float, took: float | None, against: Sequence[float] = ()) -> str:
    """``took`` minutes after journal time ``t0`` (an incident's start to its detection, containment …) told as
    :func:`between` tells it, as the clocks of the two times read; an em dash for None. The one way a duration
    between two journal times is told, so a table and a narrative never round it two ways."""
    return "—" if took is None else between(start, t0, t0 + took, against)


def _side(value: float, mark: float) -> int:
    """-1, 0 or 1: ``value`` below, on (within float noise) or above ``mark``."""
    return 0 if abs(value - mark) <= 1e-9 else (1 if value > mark else -1)


def same_sides(shown: float, value: float, against: Sequence[float]) -> bool:
    """Whether ``shown`` (a figure as told) is on the same side of every mark of ``against`` as ``value``."""
    return all(_side(shown, mark) == _side(value, mark) for mark in against)


def told_against(shown: float, value: float, against: Sequence[float]) -> str:
    """A duration of ``value`` minutes told beside marks (a target, a band's bound, 0 for a lateness), whose words
    would show ``shown``: empty when ``shown`` is on the same side of every mark as ``value`` (below, on or above),
    else ``value`` with its seconds ("1 h 00 min 39 s" for 60.65 against 60, where "1 h 00 min" reads as on the
    target beside a rating past it), with tenths or more of a second when whole seconds would still read on a mark.
    The one rule by which a page never contradicts its own rating."""
    if same_sides(shown, value, against):
        return ""
    for digits in range(4):
        seconds = round(value * 60, digits)
        if same_sides(seconds / 60, value, against):
            break
    return _with_seconds(seconds, digits)


def _with_seconds(seconds: float, digits: int) -> str:
    """``1 h 00 min 39 s``, ``59 min 59.6 s``, ``0.2 s``: a duration in seconds (``digits`` decimals) with its
    minutes as :func:`minutes` tells them."""
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    whole_minutes, rest = divmod(seconds, 60)
    if not whole_minutes:
        return f"{sign}{rest:.{digits}f} s"
    return f"{sign}{minutes(whole_minutes)} {rest:0{3 + digits if digits else 2}.{digits}f} s"


def number(value: float | None, against: Sequence[float] = ()) -> str:
    """``12,345`` (rounded); an em dash for None. ``against``: the marks it is told beside (a target, a band's
    bound), kept on their sides as :func:`told_against` keeps a duration: ``20,000.4`` beside a 20,000 target,
    never ``20,000``, which reads as on it beside a rating past it."""
    if value is None:
        return "—"
    if not against:
        return f"{round(value):,}"
    for digits in range(4):  # the text shown is what must stay on its side of every mark
        text = f"{value:,.{digits}f}"
        if same_sides(float(text.replace(",", "")), value, against):
            break
    return text


_MAX_DIGITS = 10
"""Decimals :func:`percent` tries before it gives up keeping a share off a mark (float noise is 1e-9 of a share)."""


def percent(value: float | None, against: Sequence[float] = ()) -> str:
    """``87%``; an em dash for None. ``against``: the shares it is told beside (a target, a band's edge), kept on
    their sides as :func:`told_against` keeps a duration: ``79.6%`` beside an 80 % target, never ``80%``."""
    if value is None:
        return "—"
    for digits in range(_MAX_DIGITS if against else 1):  # the text shown must stay on its side ("0.5" of 0.005)
        text = f"{value * 100:.{digits}f}"
        if same_sides(float(text) / 100, value, against):
            break
    return f"{text}%"


def chance_words(value: float, article: str = "a") -> str:
    """A step's chance to contain its incident as the report tells it: ``a 75% chance`` (``article``: ``the 75%
    chance``), its percent with the digits that keep it off 0 % and 100 % unless it is one of them (``a 99.5%
    chance`` for 0.995, never ``a 100% chance`` beside a draw that failed; ``a 0.0001% chance`` for 0.000001)."""
    return f"{article} {percent(value, (0.0, 1.0))} chance"


def signed(value: float, suffix: str) -> str:
    """``value`` signed: whole from 10 up (``+84``) or when whole, else one decimal (``+0.6``, ``+1.4``: never
    rounded to a whole that doubles it), and as many more as it takes not to show a change as zero (``+0.004``)."""
    if value == 0:
        return f"0{suffix}"
    first = 0 if abs(value) >= 10 or value == round(value) else 1
    for digits in range(first, 4):
        text = f"{value:+,.{digits}f}"
        if text.strip("+-0.,"):
            return f"{text}{suffix}"
    return f"{value:+.1g}{suffix}"


def points(share_change: float | None) -> str:
    """A change of a share in percentage points, signed: ``+1.5``, ``-0.2``, ``0`` (a bound never reads as zero
    when it is not)."""
    if share_change is None:
        return "—"
    points = share_change * 100
    return signed(points, "") if abs(points) < 1 else f"{points:+.1f}"


def hour_label(hour: int) -> str:
    """``18:00–19:00`` for clock hour 18 (``D+1 01:00–02:00`` past midnight)."""
    return f"{format_clock(hour * 60)}–{format_clock(hour * 60 + 60)[-5:]}"


def measure_value(kind: str, value: float | None, against: Sequence[float] = ()) -> str:
    """An objective's value in its unit; ``against``: the marks it is told beside, kept on their sides."""
    if kind == "time":
        return minutes(value, against)
    if kind == "on_time":
        return percent(value, against)
    return number(value, against)


MAX_EVIDENCE = 12
"""Evidence rows listed per item before an ellipsis (the JSON report has them all)."""


def evidence_rows(seqs: Sequence[int]) -> str:
    """``#16, #17, #18`` (at most :data:`MAX_EVIDENCE`, then ``…``)."""
    shown = ", ".join(f"#{s}" for s in seqs[:MAX_EVIDENCE])
    return shown + (f" … (+{len(seqs) - MAX_EVIDENCE})" if len(seqs) > MAX_EVIDENCE else "")


def failed_on(failures: int, first: str, received: str | None) -> str:
    """Where a handoff's failures were, as far as its record tells (it counts them, not by channel): "on X" when it
    got through on the channel it was first sent on, or failed only once; else "(sent first on X)"."""
    return f"on {first}" if received in (None, first) or failures == 1 else f"(sent first on {first})"


UNDER_LOAD = "under load (every line busy, or more than half in use on a channel whose reliability falls as they fill)"
"""When a channel's failure counts as one load made likelier (``ChannelStats.failures_under_load``)."""
