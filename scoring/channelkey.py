"""The key findings' handoff line: the channel that lost the most handoffs, and the least reliable one if another.

The line names its ranking: "dropped the most handoffs" (drops first), else "had the most failed attempts"
(failures, then the failure rate, then the name). "Worst" is not said: a channel with 5 of 21 attempts failed has
more failures than one with 2 of 2, yet the second never worked, so when the highest failure rate is another
channel's, the line names it too, with both figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scoring.model import ChannelStats
from ballotdrill.scoring.text import percent


def _rate(channel: ChannelStats) -> float:
    return channel.failures / max(1, channel.attempts)


def _failed(channel: ChannelStats) -> str:
    return f"{channel.failures} of {channel.attempts} attempt(s) failed ({percent(_rate(channel))})"


class ChannelLine(NamedTuple):
    """The key findings' handoff line."""

    lead: ChannelStats | None
    """The channel it leads with: most drops, then most failures (None when no handoff failed)."""
    text: str
    evidence: list[int]
    """The failure rows of the channels it names."""


def channel_line(channels: Sequence[ChannelStats]) -> ChannelLine:
    """The channel that lost the most handoffs and, when another failed a larger share of its attempts, that one."""
    failing = [c for c in channels if c.failures]
    lead = max(failing, key=lambda c: (c.drops, c.failures, _rate(c), c.channel), default=None)
    if lead is None:
        return ChannelLine(None, "No handoff failed on any channel.", [])
    if lead.drops:
        text = (f"{lead.channel} dropped the most handoffs: {lead.drops} dropped on it (no channel left to try); "
                f"{_failed(lead)}.")
    else:
        text = f"{lead.channel} had the most failed attempts: {_failed(lead)}, no handoff dropped."
    least = max(failing, key=lambda c: (_rate(c), c.failures, c.channel))
    if _rate(least) <= _rate(lead):
        return ChannelLine(lead, text, list(lead.evidence))
    text += f" The highest failure rate was {least.channel}'s: {_failed(least)}."
    return ChannelLine(lead, text, [*lead.evidence, *least.evidence])
