"""A sweep's shares are told on their side of none and all: 1 run of 200 never reads as "0%", 199 never as "100%"."""

from __future__ import annotations

import pytest

from ballotdrill.scoring.text import percent
from ballotdrill.sweep.aggregate import share
from ballotdrill.sweep.render import share_text


@pytest.mark.parametrize(("count", "runs", "shown"), [
    (1, 200, "0.5% ("), (199, 200, "99.5% ("), (0, 200, "0% ("), (200, 200, "100% ("), (51, 200, "26% ("),
])
def test_a_share_shows_its_side_of_none_and_all(count: int, runs: int, shown: str) -> None:
    text = share_text(share(count, runs))
    assert text.startswith(shown), text
    low, high = text[text.index("(") + 1:-1].split("–")
    assert (low == "0%") == (count == 0) and (high == "100%") == (count == runs), text


def test_a_percent_beside_a_mark_is_the_text_shown_on_its_side() -> None:
    """0.005 formats as "0" at no decimals (half to even): the check is on the text, so it gets a decimal."""
    assert percent(0.005, (0.0,)) == "0.5%"
    assert percent(0.005) == "0%"  # told beside nothing, as before
