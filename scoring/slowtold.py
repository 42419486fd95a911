"""The words of a "Slow handoffs on C" finding about the handoff it names: the slowest on the channel, or, when the
finding explains objectives, the slowest on their incidents — the delay that explains them, never a handoff of
another incident that could change nothing of them (:func:`named_for`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scoring.advice import Advisor
from ballotdrill.scoring.digest import Slow
from ballotdrill.scoring.model import Handoff, ObjectiveResult, Scores
from ballotdrill.scoring.text import clock, minutes

__all__ = ["SlowWords", "named_for", "slow_words"]


class SlowWords(NamedTuple):
    """What the finding says of the handoff it names, and who sent it."""

    detail: str
    root_cause: str
    recommendation: str
    actor: str


def slow_words(chain: Handoff, slow: Slow, channel: str, scores: Scores, advice: Advisor, which: str) -> SlowWords:
    """The finding's words naming ``chain`` (``which``: how it is picked, e.g. "the slowest") among the ``slow``
    handoffs on ``channel``."""
    name = advice.who
    usual = advice.usual_latency(channel)
    return SlowWords(
        f"{slow.count} handoff(s) on {channel} arrived later than it usually takes ({minutes(usual)}, its "
        f"90th-percentile latency) without a failed attempt; {which}, '{chain.step}' from {name(chain.sender)} to "
        f"{name(chain.receiver)} ({chain.incident}), sent at {clock(scores.start, chain.sent_at)}, took "
        f"{minutes(chain.latency)}.{_on_hold(scores, channel)}",
        f"slow channel {channel}: '{chain.step}' from {name(chain.sender)} to {name(chain.receiver)} took "
        f"{minutes(chain.latency)} against a usual {minutes(usual)}", advice.slow_channel(chain), chain.sender)


def named_for(slow: Slow, objectives: Sequence[ObjectiveResult]) -> Handoff | None:
    """The slowest of ``slow``'s handoffs on the incidents ``objectives`` (those the finding explains) measure, when
    it is not the channel's slowest (None: the slowest already is, or none is on them)."""
    words = {w for obj in objectives for w in (obj.measured or obj.subject).split()}
    on_them = [kept for incident, kept in slow.longest_of.items() if incident in words]
    if not on_them or slow.longest is None:
        return None
    best = max(on_them, key=lambda kept: kept[0])[1]
    return None if best is slow.longest[1] else best


def _on_hold(scores: Scores, channel: str) -> str:
    """What a channel's slow deliveries include when attempts on it waited for a free line (its lines' finding)."""
    stats = next((c for c in scores.channels if c.channel == channel), None)
    if stats is None or not stats.waited:
        return ""
    return (f" {stats.waited} attempt(s) on {channel} waited for a free line (up to "
            f"{minutes(stats.longest_line_wait)}), which counts in the time a handoff took.")
