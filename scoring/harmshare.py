"""Which lever's delay is behind how much of one incident's harm, per measure: its minutes of delay within the
stretch in which that harm was done (its *harm window*) over the stretch's length, when at least
:data:`~.ranking.MATERIAL_SHARE` of it. A wave's reach grows from its start to its containment, or until it reached
its cap; voter- and station-minutes count only while its polls were open (:mod:`.pollwindow`), so a wait before they
opened is behind none of them, and a channel's failures inside a short harm window weigh against that window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ballotdrill.scoring.delays import Span, delay_between
from ballotdrill.scoring.pollwindow import harm_stretch
from ballotdrill.scoring.ranking import MATERIAL_SHARE

__all__ = ["ScriptedHarm", "harm_shares"]


class ScriptedHarm(NamedTuple):
    """What the digest keeps of a scripted incident that did harm: when its wave reached its cap (None: it did not,
    or it is not known) and, per measure, each lever's share of its harm (:func:`harm_shares`)."""

    capped: float | None
    behind: Mapping[str, Mapping[str, float]]


def harm_shares(spans: Sequence[Span], start: float, end: float, capped: float | None,
                polls: tuple[float, float] | None) -> dict[str, dict[str, float]]:
    """Per measure, per lever whose delay is material in its harm window, its share of that harm: an incident that
    began at ``start`` and did harm until ``end`` (contained, or the run's end), its wave at its cap from ``capped``
    (None: never), its polls open over ``polls`` (None: not known, the whole stretch)."""
    stretches = {m: harm_stretch(m, start, end, polls, capped) for m in ("reach", "voter_minutes", "station_minutes")}
    behind = {stretch: _behind(spans, *stretch) for stretch in dict.fromkeys(stretches.values())}
    return {measure: behind[stretch] for measure, stretch in stretches.items()}


def _behind(spans: Sequence[Span], lo: float, hi: float) -> dict[str, float]:
    """Per lever whose delay between ``lo`` and ``hi`` is material, its share of that stretch's harm: its minutes of
    delay over the stretch (over all the delay, when the delays add up to more)."""
    lost = delay_between(spans, lo, hi)
    whole = max(sum(lost.values()), hi - lo)
    if whole <= 0:
        return {}
    least = MATERIAL_SHARE * (hi - lo)  # a delay too short to matter is nobody's harm
    return {lever: minutes / whole for lever, minutes in lost.items() if minutes >= least}
