"""Durations (``90s``, ``15m``, ``2h``, ``3d``) and election-day clock times.

Durations and times are held as minutes (a float). Clock times count from
00:00 on election day (day D): ``"06:00"`` is 360, ``"D-2 18:00"`` is -1800.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_DURATION = re.compile(r"^(?:\d+(?:\.\d+)?\s*[smhd]\s*)+$")
_DAY = re.compile(r"^D\s*(?:([+-])\s*(\d+))?$")
_CLOCK = re.compile(r"^(?:D\s*(?:([+-])\s*(\d+))?\s+)?(\d{1,2}):(\d{2})$")
MAX_DAYS = 999
"""Farthest day from election day a time may name (D-999 to D+999)."""

DURATION_HINT = "write a number and a unit, e.g. 90s, 15m, 2h, 3d or 1h30m"
CLOCK_HINT = "write HH:MM on election day, or D-2 18:00 / D+1 09:00 for the days around it"


def parse_duration(text: object) -> float:
    """Minutes in a duration string such as ``90s``, ``15m``, ``1h30m``."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ValueError(f"a duration must be text such as 15m (got {text!r})")
    if not isinstance(text, str):
        if text == 0:
            return 0.0
        raise ValueError(f"a duration needs a unit (got {text!r}; {DURATION_HINT})")
    return _text_minutes(text)


@lru_cache(maxsize=1024)
def _text_minutes(text: str) -> float:
    """:func:`parse_duration` of a string (a file repeats the same few durations: each is read once)."""
    clean = text.strip()
    if not _DURATION.match(clean):
        raise ValueError(f"invalid duration {text!r} ({DURATION_HINT})")
    minutes = sum(float(n) * _UNIT_MINUTES[u] for n, u in _DURATION_PART.findall(clean))
    if not math.isfinite(minutes):
        raise ValueError(f"duration {clean[:20]}... is too long")
    return minutes


def format_duration(minutes: float) -> str:
    """The shortest duration string that reads back as exactly ``minutes``."""
    if minutes == 0:
        return "0m"
    if not math.isfinite(minutes):
        return f"{minutes!r}m"
    for unit, size in (("d", 1440.0), ("h", 60.0), ("m", 1.0), ("s", 1 / 60)):
        count = round(minutes / size)
        if count and count * _UNIT_MINUTES[unit] == minutes:
            return f"{count}{unit}"
    from decimal import Decimal  # rare: a duration no unit divides

    return f"{Decimal(repr(minutes)):f}m"  # positional (never 1e-05m), and exact for the float


def seconds_words(seconds: int) -> str:
    """``40 s``, ``2 min 5 s`` (exercise time)."""
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")


def parse_clock(text: object) -> float:
    """Minutes since 00:00 on day D for ``HH:MM``, ``D-2 18:00`` or ``D+1 09:00``."""
    if not isinstance(text, str):
        raise ValueError(f"a clock time must be text such as \"18:00\" (got {text!r}; {CLOCK_HINT})")
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"invalid clock time {text!r} ({CLOCK_HINT})")
    sign, days, hours, mins = match.groups()
    hour, minute = int(hours), int(mins)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ValueError(f"invalid clock time {text!r} (hours 00-23, minutes 00-59; 24:00 ends a day)")
    offset = _days(text, "clock time", days) * (-1 if sign == "-" else 1)
    return offset * 1440.0 + hour * 60.0 + minute


def _days(text: str, what: str, days: str | None) -> int:
    """The day count of ``D+N``/``D-N``, refused past :data:`MAX_DAYS` with the range."""
    too_many_digits = days is not None and len(days.lstrip("0")) > len(str(MAX_DAYS))  # int() of any length refuses
    count = 0 if too_many_digits else int(days or 0)                                   # past 4,300 digits
    if too_many_digits or count > MAX_DAYS:
        raise ValueError(f"invalid {what} {text!r}: days around election day run from D-{MAX_DAYS} to D+{MAX_DAYS}")
    return count


DAY_HINT = "write D for election day, D-7 or D+1 for the days around it"


def parse_day(text: object) -> int:
    """Days after election day for ``D``, ``D-7`` or ``D+1`` (negative before it)."""
    match = _DAY.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"invalid day {text!r} ({DAY_HINT})")
    sign, days = match.groups()
    return _days(str(text), "day", days) * (-1 if sign == "-" else 1)


def format_day(day: int) -> str:
    """``D``, ``D-7``, ``D+1``."""
    return "D" if day == 0 else f"D{day:+d}"


def format_clock(minutes: float) -> str:
    """The clock string for minutes since 00:00 on day D (seconds are dropped)."""
    whole = int(minutes // 1)
    day, rest = divmod(whole, 1440)
    clock = f"{rest // 60:02d}:{rest % 60:02d}"
    if day == 0:
        return clock
    return f"D{day:+d} {clock}"


def format_end(start: float, end: float) -> str:
    """``end``'s clock string, with day D written out (``D 16:00``) when ``start`` is on another day, so a window
    reads ``D-2 06:00`` to ``D 16:00`` rather than seem to end the day it began."""
    text = format_clock(end)
    if int(end // 1440) == 0 and int(start // 1440) != 0:
        return f"D {text}"
    return text


def format_clock_precise(minutes: float) -> str:
    """Like :func:`format_clock`, with seconds when the time is not on a minute."""
    seconds = round(minutes * 60)
    day, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
    if rest % 60:
        clock += f":{rest % 60:02d}"
    return clock if day == 0 else f"D{day:+d} {clock}"
