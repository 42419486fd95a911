"""An objective's response that stopped: a handoff dropped with no fallback left, so its procedure went no further
(the cause of an objective whose end never came, or whose harm went on, on the lever of the channel's drop)."""

from __future__ import annotations

from ballotdrill.scoring.advice import Advisor, Cause, channel_lever
from ballotdrill.scoring.model import Handoff
from ballotdrill.scoring.text import clock
from ballotdrill.scoring.usual import DIRECT

__all__ = ["drop_cause", "dropped"]


def dropped(advice: Advisor, incident: str, before: float | None, procedure: str | None = None) -> Handoff | None:
    """The first handoff of ``incident``'s response (of ``procedure``, when given) dropped with no fallback left,
    sent before ``before`` (t when the objective's target was passed, when known): its procedure stopped there."""
    return next((h for h in advice.whole.handoffs if h.incident == incident and h.status == "dropped"
                 and (procedure is None or h.procedure == procedure) and (before is None or h.sent_at <= before)),
                None)


def drop_cause(advice: Advisor, chain: Handoff, then: str) -> Cause:
    """The cause of an objective whose response stopped when ``chain`` was dropped, on its channel's lever (the
    finding about the channel's failures and drop)."""
    channel = chain.channel or "a direct handover"
    return Cause("drop", f"the response stopped when '{chain.step}' from {advice.who(chain.sender)} to "
                 f"{advice.who(chain.receiver)} was dropped on {channel} (sent at "
                 f"{clock(advice.whole.start, chain.sent_at)}, {chain.failures} failed attempt(s), no fallback "
                 f"left): {chain.procedure} went no further{then}", list(chain.evidence),
                 advice.channel(chain.channel or DIRECT), chain.sender, channel_lever(chain.channel))
