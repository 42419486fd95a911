"""What the handoff rows say of each channel's lines: peak occupancy, waits for a line, busy failures."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import ChannelStats, r3n
from ballotdrill.scoring.text import UNDER_LOAD, minutes


class ChannelLines:
    """What the ``occupancy``, ``waiting``, ``busy`` and ``line_wait`` fields say of each channel's lines.

    Memory is bounded by the open handoffs and the channels' capacities, as the streaming scorer needs.
    """

    def __init__(self) -> None:
        self.peak: dict[str, int] = {}
        self.last: dict[tuple[str | None, str | None, str], int] = {}
        """The occupancy of each handoff's latest attempt, by (incident, step, channel); dropped when it ends."""
        self.waited_n: dict[str, int] = defaultdict(int)
        self.longest: dict[str, float] = {}
        self.busy: dict[str, int] = defaultdict(int)
        self.failed_at: dict[str, Counter[int]] = defaultdict(Counter)
        """How many attempts failed at each occupancy with a line free to them (not every line busy), per channel."""

    def sent(self, incident: str | None, step: str | None, channel: str, occupancy: int | None) -> None:
        if occupancy is not None:
            self.peak[channel] = max(self.peak.get(channel, 0), int(occupancy))
            self.last[(incident, step, channel)] = int(occupancy)

    def waited(self, incident: str | None, step: str | None, channel: str, wait: float | None) -> None:
        self.last.pop((incident, step, channel), None)
        if wait:
            self.waited_n[channel] += 1
            self.longest[channel] = max(self.longest.get(channel, 0.0), float(wait))

    def failed(self, incident: str | None, step: str | None, channel: str, wait: float | None,
               busy: bool | None) -> None:
        occupancy = self.last.get((incident, step, channel))
        self.waited(incident, step, channel, wait)
        if busy:
            self.busy[channel] += 1
        elif occupancy is not None:
            self.failed_at[channel][occupancy] += 1

    def stats(self, channel: str, structure: Structure | None) -> dict[str, Any]:
        spec = structure.channels.get(channel) if structure is not None else None
        capacity = spec.capacity if spec is not None else None
        if channel not in self.peak and capacity is None:
            return {}
        # under load: every line busy, or more than half in use where that makes an attempt likelier to fail (a
        # falling reliability); a one-line channel's every attempt has its own line in use, which fails nothing more
        by_load = spec is not None and spec.reliability_at_capacity is not None \
            and spec.reliability_at_capacity < spec.reliability
        loaded = self.busy[channel] + (sum(n for k, n in self.failed_at[channel].items() if k > capacity / 2)
                                       if capacity and by_load else 0)
        return {"capacity": capacity, "peak_occupancy": self.peak.get(channel), "waited": self.waited_n[channel],
                "longest_line_wait": r3n(self.longest.get(channel)), "busy": self.busy[channel],
                "failures_under_load": loaded}


def add_lines(stats: ChannelStats) -> str:
    """A channel that ran out of lines: add lines (what it has and what running out did)."""
    effects = [f"{stats.busy} attempt(s) found every line busy" if stats.busy else "",
               f"{stats.waited} waited for a free line (up to {minutes(stats.longest_line_wait)})"
               if stats.waited else "",
               f"{stats.failures_under_load} of its {stats.failures} failure(s) came {UNDER_LOAD}"
               if stats.failures_under_load else ""]
    said = "; ".join(e for e in effects if e)
    return f"Add lines to {stats.channel} (it has {stats.capacity})" + (f": {said}" if said else "")


def lines_text(channel: ChannelStats) -> str:
    """What a channel with a capacity adds to its finding: how full it got and what that did."""
    if channel.capacity is None:
        return ""
    text = f" At its peak {channel.peak_occupancy or 0} of its {channel.capacity} line(s) were in use"
    if channel.busy:
        text += f"; {channel.busy} attempt(s) found every line busy"
    if channel.waited:
        text += f"; {channel.waited} waited for a line (up to {minutes(channel.longest_line_wait)})"
    if channel.failures_under_load:  # counted only where load makes a failure likelier
        text += f"; {channel.failures_under_load} failure(s) came {UNDER_LOAD}"
    return text + "."
