"""A sweep tells a time under 10 minutes with its seconds, on its page, in the terminal and in its JSON's texts: an
interval of a quantity of a minute or so never loses up to 30 s to rounding to whole minutes (-1.2299 min, 73.8 s,
was "-1 min"). Answers worked out by hand."""

from __future__ import annotations

from ballotdrill.sweep import difference_text
from ballotdrill.sweep.charts import difference_value, value_text
from ballotdrill.sweep.model import Difference


def test_a_paired_difference_under_ten_minutes_keeps_its_seconds() -> None:
    assert difference_value(-1.2299, "minutes") == "-1 min 14 s"   # 73.79 s
    assert difference_value(-1.52, "minutes") == "-1 min 31 s"     # 91.2 s, was "-2 min"
    assert difference_value(-0.7494, "minutes") == "-45 s"
    assert difference_value(1.0, "minutes") == "+1 min 00 s"
    assert difference_value(0.004, "minutes") == "+0.2 s"          # never a false zero
    assert difference_value(12.4, "minutes") == "+12 min"          # from 10 min on, as the report tells times
    assert difference_value(9.995, "minutes") == "+10 min"         # 599.7 s is 600 s: not "9 min 60 s"
    assert value_text(-74 / 60, "minutes") == "-1 min 14 s" and value_text(65.5, "minutes") == "1 h 06 min"


def test_the_text_of_a_paired_time_shows_the_interval_in_seconds() -> None:
    d = Difference(section="objective", item="O1", field="value", unit="minutes", lower_is_better=True, pairs=149,
                   mean=-0.7494, ci_low=-1.2299, ci_high=-0.2688, verdict="better")
    assert difference_text(d) == "-45 s (95 % CI -1 min 14 s to -16 s) over 149 paired runs: better"
