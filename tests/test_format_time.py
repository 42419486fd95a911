"""Durations (90s 15m 2h 3d 1h30m) and clock times (HH:MM, D-2 18:00, D+1 09:00)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballotdrill.scenarios.timefmt import (
    format_clock,
    format_clock_precise,
    format_duration,
    parse_clock,
    parse_day,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90s", 1.5), ("15m", 15.0), ("2h", 120.0), ("3d", 4320.0), ("1h30m", 90.0), ("1h 30m", 90.0),
     ("0.5h", 30.0), (" 45m ", 45.0), ("1d2h3m30s", 1440 + 120 + 3 + 0.5), (0, 0.0)],
)
def test_duration_text_is_read_as_minutes(text: object, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["15", "15 minutes", "m", "-5m", "1.5.2h", "15M", "1w", "", "h1", "1e3m"])
def test_malformed_duration_names_the_text_and_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 90s, 15m, 2h, 3d or 1h30m") as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("value", [15, 2.5])
def test_a_bare_number_needs_a_unit(value: float) -> None:
    with pytest.raises(ValueError, match="needs a unit"):
        parse_duration(value)


@pytest.mark.parametrize("value", [True, None, [15], {"m": 15}])
def test_a_duration_must_be_text(value: object) -> None:
    with pytest.raises(ValueError, match="a duration must be text"):
        parse_duration(value)


def test_an_absurdly_long_duration_is_refused_not_infinite() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("9" * 400 + "m")


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0m"), (1.5, "90s"), (15, "15m"), (120, "2h"), (90, "90m"), (4320, "3d"), (7 / 60, "7s"), (2.5, "150s")],
)
def test_durations_are_written_in_their_shortest_form(minutes: float, text: str) -> None:
    assert format_duration(minutes) == text


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_every_written_duration_reads_back_exactly(minutes: float) -> None:
    text = format_duration(minutes)
    assert "e" not in text  # never 1e-05m, which the format cannot read
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("06:00", 360.0), ("17:53", 1073.0), ("0:05", 5.0), ("00:00", 0.0), ("24:00", 1440.0),
     ("D-2 18:00", -2 * 1440 + 1080.0), ("D+1 09:00", 1440 + 540.0), ("D 12:00", 720.0),
     ("D-14 08:30", -14 * 1440 + 510.0)],
)
def test_clock_times_count_minutes_from_midnight_on_election_day(text: str, minutes: float) -> None:
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "12:60", "24:01", "6pm", "D+1", "18h00", "1800", "D-2 18", "D+1234 01:00"])
def test_malformed_clock_time_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="invalid clock time") as info:
        parse_clock(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("value", [1073, 17.53, None, True])
def test_a_clock_time_must_be_text(value: object) -> None:
    with pytest.raises(ValueError, match="must be text such as"):
        parse_clock(value)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(360, "06:00"), (-1800, "D-2 18:00"), (1980, "D+1 09:00"), (1440, "D+1 00:00"), (-1, "D-1 23:59"),
     (359.9, "05:59")],
)
def test_clock_times_are_written_back(minutes: float, text: str) -> None:
    assert format_clock(minutes) == text


def test_precise_clock_keeps_seconds() -> None:
    assert format_clock_precise(360.5) == "06:00:30"
    assert format_clock_precise(360) == "06:00"
    assert format_clock_precise(-1800 + 0.25) == "D-2 18:00:15"


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=-999 * 1440, max_value=999 * 1440 + 1439))
def test_every_written_clock_time_reads_back(minutes: int) -> None:
    assert parse_clock(format_clock(minutes)) == minutes


@pytest.mark.parametrize("text", ["D+" + "9" * 5000, "D-" + "1" * 5000 + " 10:00", "D+0001000"])
def test_a_day_of_any_number_of_digits_past_the_range_says_the_range(text: str) -> None:
    parse = parse_clock if ":" in text else parse_day
    with pytest.raises(ValueError, match=r"run from D-999 to D\+999"):
        parse(text)
