"""A duration told beside clocks is the difference of the clocks as shown (a clock shows the minute a time falls in),
so a reader subtracting them gets the same figure: never "at 12:46, 2 h 47 min after it began" for 12:46:40 of an
incident begun at 10:00, nor "sent at 10:30 … received at 10:34, 5 min after it was sent". Worked by hand."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.text import between


def test_between_is_the_difference_of_the_clocks_shown() -> None:
    start = 10 * 60.0  # journal time 0 is 10:00
    assert between(start, 0.0, 166 + 40 / 60) == "2 h 46 min"  # 10:00 to 12:46:40 (rounded alone: 2 h 47 min)
    assert between(start, 30 + 20 / 60, 34 + 10 / 60) == "4 min"  # 10:30:20 to 10:34:10: 3 min 50 s, clocks 4 apart
    assert between(start, 30 + 50 / 60, 31 + 10 / 60) == "1 min"  # 10:30:50 to 10:31:10: the clocks differ by one
    assert between(start, 30 + 10 / 60, 30 + 50 / 60) == "40 s"  # within one minute: in seconds


def test_the_story_and_the_full_account_subtract_as_their_clocks_read() -> None:
    # X1 at 10:00 ends by itself at 12:46:40; 'a' (30 min) hands 'b' to b at 10:30 on a 4 min 40 s channel: received
    # 10:34:40
    data = file_of({"a": {"staff": 1}, "b": {"staff": 1}},
                   {"p": {"trigger": {"type": "fault"}, "steps": [
                       {"id": "a", "actor": "a", "duration": "30m"},
                       {"id": "b", "actor": "b", "duration": "10m", "via": "ch"}]}},
                   [incident("X1", "10:00", "fault", spec={"duration": "2h46m40s"})],
                   channels={"ch": {"latency": {"dist": "fixed", "value": "4m40s"}}}, end="18:00")
    report = assemble(checked(data), load(data), "s")
    story, account = " ".join(report.moments["X1"]), " ".join(report.narratives["X1"])
    assert "It ended by itself at 12:46, 2 h 46 min after it began" in story, story
    assert "It ended by itself at 12:46, 2 h 46 min after it began" in account, account
    assert "received 'b' from a at 10:34 via ch, 4 min after it was sent" in account, account
