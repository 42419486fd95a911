"""Polling stations kept open by the response (``voting_extended``), read for the objectives that count their
minutes as harm.

A voter- or station-minutes measure counts every minute an incident's polling stations are open while it lasts,
so a step that extends voting (``effect: {extend_voting: …}``) adds the minutes of the extension to the harm: the
voters still voting at stations the response kept open for them. An objective whose harm passed its target only
in those minutes is not explained by a containing step that came too late: its cause says what the extension
added and what the harm was at the stations' usual close (at the incident's constant rate, started before it).
"""

from __future__ import annotations

from collections.abc import Mapping

from ballotdrill.scoring.advice import Advisor, Cause, step_lever
from ballotdrill.scoring.extensions import Extension
from ballotdrill.scoring.model import ObjectiveResult
from ballotdrill.scoring.text import HARM_NOUNS, clock, measure_value

__all__ = ["extension_cause"]


def extension_cause(advice: Advisor, obj: ObjectiveResult, extensions: Mapping[str, Extension]) -> Cause | None:
    """The cause of a voter- or station-minutes objective rated S, M or U whose harm passed its target only after
    its polling stations' usual close, in the minutes the response's own extension kept them open (None: no such
    extension, or the harm had passed the target by the usual close)."""
    ext = extensions.get(obj.subject)
    inc = next((i for i in advice.whole.incidents if i.incident == obj.subject), None)
    harm = next((h for h in advice.whole.harm if h.incident == obj.subject), None)
    if obj.kind not in ("voter_minutes", "station_minutes") or ext is None or inc is None or harm is None:
        return None
    done = float(getattr(harm, obj.kind))  # the harm it did (a U's value is none: it was never contained)
    contained = inc.started_at + inc.to_contain if inc.to_contain is not None else float(advice.whole.until or 0.0)
    end = min(contained, ext.until)
    if end <= ext.previous or end <= inc.started_at:
        return None
    at_close = done * max(0.0, ext.previous - inc.started_at) / (end - inc.started_at)
    if at_close > obj.target + 1e-9:
        return None
    noun, at = HARM_NOUNS[obj.kind], advice.whole.start
    return Cause("objective", f"its polling stations were kept open past their {clock(at, ext.previous)} close, to "
                 f"{clock(at, ext.until)}, by '{ext.step}' (row #{ext.seq}): the {noun} counted after "
                 f"{clock(at, ext.previous)} ({measure_value(obj.kind, done - at_close)}) are voters still voting "
                 "at stations the response kept open for them; at the usual close its "
                 f"{noun} were {measure_value(obj.kind, at_close)}, within the {obj.target_text} target",
                 [ext.seq], f"Count {obj.id}'s {noun} to the stations' usual close, or weigh the extension at "
                 f"'{ext.step}' against the {noun} it adds: the measure counts minutes at stations kept open as harm",
                 ext.actor, step_lever(ext.procedure, ext.step))
