"""Section 8's decision times read as the console and the players' pages showed them (one rounding of a clock)."""

from __future__ import annotations

from types import SimpleNamespace

from ballotdrill.report.played import PlayedInput
from ballotdrill.report.sections_live import played_section
from ballotdrill.report.view import Context, Table


def test_a_timeout_just_before_the_minute_reads_as_the_deadline_shown() -> None:
    start = 14 * 60.0  # 14:00
    timed_out = PlayedInput(seq=901, t=449.9965, what="decision", who="fps", subject="X9:r:choose:1",
                            text="no answer by the timeout: default paper")  # 21:29:59.8, shown "answer by 21:30"
    note = PlayedInput(seq=902, t=449.9965, what="note", who="facilitator", subject="", text="seen")
    section = played_section(SimpleNamespace(played=[timed_out, note], live=None), Context({}, start))  # type: ignore[arg-type]
    assert section is not None
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert [row[0].text for row in table.rows] == ["21:30", "21:29"]  # before: the timeout read 21:29
