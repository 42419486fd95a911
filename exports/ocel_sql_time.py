"""The times of OCEL's SQLite form in SQL: a journal row's ``t`` to the walk's text, without ``strftime`` a row.

A time is worked out as microseconds since 1970 by integer arithmetic that repeats ``timedelta``'s rounding
(:func:`micro_sql`), then written by slicing texts made once in Python and bound to each statement
(:func:`time_params`): the day's date from the run's days (ten bytes each), ``THH:MM`` from the day's 1,440
minutes, ``:SS`` from the 60 seconds and ``.mmmZ`` from the 1,000 milliseconds (small: a statement keeps a copy of
what it was bound). Slicing a blob costs SQLite about half of what ``strftime`` and
``printf`` cost together (a text would be counted in characters from its start). A run spanning more days than
:data:`MAX_DAYS` has its dates written by ``strftime`` instead (the seconds and milliseconds are sliced alike).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1)

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000

MAX_DAYS = 100_000
"""The most days whose dates are bound as one text (a megabyte); a longer span writes its dates by ``strftime``."""

_LAST_DAY = (date.max - EPOCH.date()).days
_HOURS_MINUTES = "".join(f"T{h:02d}:{m:02d}" for h in range(24) for m in range(60)).encode()
_SECONDS = "".join(f":{s:02d}" for s in range(60)).encode()
_MILLIS = "".join(f".{ms:03d}Z" for ms in range(1000)).encode()


def micro_sql(minutes: str) -> str:
    """SQL for ``timedelta(minutes=x)`` in whole microseconds, ``x`` a float (the SQL ``minutes``).

    ``timedelta`` keeps ``trunc(x)`` minutes exactly, the fraction times 60,000,000 as a double, and rounds that
    to whole microseconds half to even on the total (a minute's count is even, so on the fraction's own
    whole part); elsewhere half away from zero is the same (SQLite's ``round`` for a double under 2**52).
    """
    ip = f"CAST({minutes} AS INTEGER)"
    fraction = f"(({minutes} - {ip}) * {float(_US_PER_MINUTE)!r})"
    whole = f"CAST({fraction} AS INTEGER)"
    return (f"({ip} * {_US_PER_MINUTE} + CASE WHEN abs({fraction} - {whole}) = 0.5 "
            f"THEN {whole} + (CASE WHEN {fraction} < 0 THEN -1 ELSE 1 END) * ({whole} & 1) "
            f"ELSE CAST(round({fraction}) AS INTEGER) END)")


def text_sql(unix_us: str, *, dates: bool = True) -> str:
    """SQL for a time in microseconds since 1970 (never negative) as the walk writes it: ISO 8601, milliseconds
    (the microseconds below cut off, as ``isoformat`` does), ``Z``. Bound: ``:hm``, ``:ss`` and ``:millis``, and with
    ``dates`` ``:dates`` and ``:day1`` (:func:`time_params`); without, the date is ``strftime``'s."""
    day = (f"substr(:dates, ({unix_us} / {_US_PER_DAY} - :day1) * 10 + 1, 10)" if dates
           else f"strftime('%Y-%m-%d', {unix_us} / 1000000, 'unixepoch')")
    return (f"{day} || substr(:hm, {unix_us} / 60000000 % 1440 * 6 + 1, 6) "
            f"|| substr(:ss, {unix_us} / 1000000 % 60 * 3 + 1, 3) "
            f"|| substr(:millis, {unix_us} / 1000 % 1000 * 5 + 1, 5)")


def time_params(day_zero: datetime, start: float, span: tuple[float, float]) -> tuple[dict[str, Any], bool]:
    """What :func:`time_sql` and :func:`timed` bind for rows with ``t`` within ``span`` (minutes after day D plus
    ``start``), and whether the dates are bound (``dates`` of :func:`text_sql`). ``span`` must give times from
    1970 to 9999 (``timedelta``'s own arithmetic raises otherwise)."""
    first, last = ((day_zero + timedelta(minutes=start + t) - EPOCH).days for t in span)
    first, last = max(first - 1, 0), min(last + 1, _LAST_DAY)  # a day either side: SQL rounds on its own
    params: dict[str, Any] = {"start": start, "day0us": int((day_zero - EPOCH).total_seconds()) * 1_000_000,
                              "hm": _HOURS_MINUTES, "ss": _SECONDS, "millis": _MILLIS}
    if last - first >= MAX_DAYS:
        return params, False
    first_date = EPOCH.date() + timedelta(days=first)
    params["dates"] = "".join((first_date + timedelta(days=n)).isoformat() for n in range(last - first + 1)).encode()
    params["day1"] = first
    return params, True


def time_sql(t: str, *, dates: bool = True) -> str:
    """SQL for the time of a journal row at ``t`` (:func:`time_params` bound): once per use."""
    return text_sql(f"(:day0us + {micro_sql(f'(:start + {t})')})", dates=dates)


def timed(select: str, t: str = "t") -> str:
    """``select`` (a query with column ``t``) with a column ``us``: each row's time in microseconds since 1970,
    worked out once per row (the ``OFFSET`` keeps SQLite from copying the expression into every use)."""
    return f"(SELECT *, :day0us + {micro_sql(f'(:start + {t})')} AS us FROM ({select}) LIMIT -1 OFFSET 0)"
