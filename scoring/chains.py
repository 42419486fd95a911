"""What a chain of channels does to a handoff, as designed: how often it gets through and how long it takes.

A handoff sent on a channel tries it ``retries + 1`` times, each attempt taking the channel's latency (a failed
attempt too) and getting through with its ``reliability``; then it moves to the channel's fallback, and so on,
until it gets through or no channel is left (dropped). These figures, from the structure alone, are what the
advice weighs before it proposes a channel as a first choice or as a fallback.
"""

from __future__ import annotations

from typing import NamedTuple

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.text import minutes

SAME_DELIVERY = 0.01
"""A chain that would drop fewer than this share more of the handoffs (one in a hundred) than another drops about as
many: proposed first, a fallback's chain is never more deliverable than the chain it ends (that one tries the failing
channel first), so only a material difference counts against it."""


class ChainFigures(NamedTuple):
    """A chain of channels from its first: the chance a handoff gets through, and the mean minutes until it gets
    through or is dropped."""

    channels: tuple[str, ...]
    delivered: float
    minutes: float


def chain_of(structure: Structure, channel: str) -> tuple[str, ...]:
    """``channel`` and its fallbacks in order (stops before a channel seen already: the validator refuses cycles)."""
    chain: list[str] = []
    current: str | None = channel
    while current is not None and current in structure.channels and current not in chain:
        chain.append(current)
        current = structure.channels[current].fallback
    return tuple(chain)


def figures(structure: Structure, channel: str) -> ChainFigures:
    """How a handoff sent first on ``channel`` fares through its chain of fallbacks, as designed."""
    chain = chain_of(structure, channel)
    failing, mean = 1.0, 0.0  # the chance every attempt so far failed; the mean minutes spent so far
    for name in chain:
        spec = structure.channels[name]
        for _ in range(spec.retries + 1):
            mean += failing * spec.latency.mean
            failing *= 1.0 - spec.reliability
    return ChainFigures(chain, 1.0 - failing, mean)


def more_dropped(structure: Structure, channel: str, fallback: str) -> str:
    """Why sending first on ``fallback`` (and its own fallbacks) would drop more handoffs than sending on
    ``channel`` as now (a fallback with none of its own behind a channel that falls back to it); empty if not."""
    now, then = figures(structure, channel), figures(structure, fallback)
    if then.delivered >= now.delivered - SAME_DELIVERY:
        return ""
    return f"first, it would drop {_share(1 - then.delivered)} of handoffs against {_share(1 - now.delivered)} now"


def onward(structure: Structure, channel: str) -> str:
    """What a handoff sent first on ``channel`` falls back to, in words (for advice making it the first choice):
    ``phone then falls back to courier``, or ``phone has no fallback of its own; it is set 100% reliable``, with
    the share of handoffs its chain would drop as designed when some would."""
    chain = chain_of(structure, channel)
    lost = 1.0 - figures(structure, channel).delivered
    dropped = f"it would drop {_share(lost)} of handoffs as designed" if lost > 0 else ""
    if len(chain) > 1:
        return f"{channel} then falls back to {', then '.join(chain[1:])}" + (f"; {dropped}" if dropped else "")
    if not dropped:
        return f"{channel} has no fallback of its own; it is set {structure.channels[channel].reliability:.0%} reliable"
    return f"{channel} has no fallback of its own: {dropped}"


def fallback_candidates(structure: Structure, channel: str) -> list[ChainFigures]:
    """The channels ``channel`` could fall back to, best first: neither ``channel`` nor any channel whose own
    chain leads back to it (a cycle), and only channels whose chain gets handoffs through more often than
    ``channel``'s does now, or as often and faster (so proposals for two channels never point at each other)."""
    now = figures(structure, channel)
    found = []
    for name in structure.channels:
        if name == channel:
            continue
        chain = figures(structure, name)
        if channel in chain.channels:
            continue
        if (-chain.delivered, chain.minutes, name) < (-now.delivered, now.minutes, channel):
            found.append(chain)
    return sorted(found, key=lambda c: (-c.delivered, c.minutes, c.channels[0]))


def _share(value: float) -> str:
    """A small share readably: ``20%``, ``0.64%``, ``0.04%``, ``under 0.01%``, ``0%``."""
    if value <= 0:
        return "0%"
    if value < 0.0001:
        return "under 0.01%"
    return f"{value:.0%}" if value >= 0.01 else f"{value * 100:.2g}%"


def resend_fix(step: str, channel: str, fallback: str | None, usual: float, fallback_usual: float,
               took: float | None) -> str:
    """The fix of a handoff of ``step`` slow on ``channel`` (it took ``took`` minutes): a re-send on its
    ``fallback`` once the channel's ``usual`` latency has passed, only if that would arrive sooner (the fallback's
    ``fallback_usual`` latency after it, within the time it took); else a faster channel."""
    faster = f"Send '{step}' on a faster channel than {channel}, or confirm its receipt"
    if fallback is None:
        return faster
    if took is None or usual + fallback_usual < took:
        return f"Set a time after which '{step}' is re-sent on {fallback} when {channel} has not delivered"
    return (f"{faster}: a re-send on its fallback {fallback} would arrive no sooner (it usually takes up to "
            f"{minutes(fallback_usual)}, after the {minutes(usual)} {channel} usually takes; this one took "
            f"{minutes(took)})")
