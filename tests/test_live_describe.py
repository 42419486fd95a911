"""The facilitator's one-line description of a journal event."""

from __future__ import annotations

from ballotdrill.journal import Event, Kind
from ballotdrill.live.describe import describe


def _event(kind: str, **data: object) -> Event:
    return Event(seq=1, t=12.0, kind=kind, incident="N1", actor="cert", step=None, data=data)


def test_a_pause_line_shows_the_clock_not_the_unix_time() -> None:
    line = describe("08:12", _event(Kind.PAUSED, wall=1_796_000_000.5))
    assert line == "[08:12] paused N1 cert"


def test_large_figures_read_as_numbers_and_small_ones_keep_their_precision() -> None:
    line = describe("08:12", _event(Kind.CONTAINED, reach=123_456.7, voter_minutes=12.3456, how="effect"))
    assert line == "[08:12] contained N1 cert: how effect, reach 123,457, voter_minutes 12.35"
