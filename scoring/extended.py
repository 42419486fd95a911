"""Polling stations kept open by the response (``voting_extended``), read for the objectives that count their
minutes as harm, and for those that count the votes lost at their close.

A voter- or station-minutes measure counts every minute an incident's polling stations are open while it lasts,
so a step that extends voting (``effect: {extend_voting: …}``) adds the minutes of the extension to the harm: the
voters still voting at stations the response kept open for them. An objective whose harm passed its target only
in those minutes is not explained by a containing step that came too late: its cause says what the extension
added and what the harm was at the stations' usual close (at the incident's constant rate, started before it).

A ``votes_lost`` measure is what an extension lowers: the voters still held up at the close are lost, so one that
lost them is told by the extension that was not long enough, or by the step that would have extended voting and
completed only after the close it was to extend (or not at all), before the generic "contain it sooner".
"""

from __future__ import annotations

from collections.abc import Mapping

from ballotdrill.scoring.advice import Advisor, Cause, step_lever
from ballotdrill.scoring.extensions import Extension, kept_no_voter
from ballotdrill.scoring.model import IncidentTimes, ObjectiveResult, StepResult
from ballotdrill.scoring.text import HARM_NOUNS, clock, measure_value, number

__all__ = ["extension_cause"]


def extension_cause(advice: Advisor, obj: ObjectiveResult, extensions: Mapping[str, Extension],
                    passed_at: float | None = None) -> Cause | None:
    """The cause of a voter- or station-minutes objective rated S, M or U whose harm passed its target only after
    its polling stations' usual close, in the minutes the response's own extension kept them open; or of a
    ``votes_lost`` objective rated U (``passed_at``: its stations' close) whose votes an extension was to save
    (None: no such extension, or the harm had passed the target by the usual close)."""
    ext = extensions.get(obj.subject)
    inc = next((i for i in advice.whole.incidents if i.incident == obj.subject), None)
    if obj.kind == "votes_lost":
        return _lost_cause(advice, obj, ext, inc, passed_at) if inc is not None and passed_at is not None else None
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
                 f"{clock(at, ext.until)}, by '{ext.step}' (row #{ext.seq}{ext.decided_after(at)}): the {noun} "
                 f"counted after {clock(at, ext.previous)} ({measure_value(obj.kind, done - at_close)}) are voters "
                 "still voting at stations the response kept open for them; at the usual close its "
                 f"{noun} were {measure_value(obj.kind, at_close, (obj.target,))}, within the {obj.target_text} target",
                 [ext.seq], f"Count {obj.id}'s {noun} to the stations' usual close, or weigh the extension at "
                 f"'{ext.step}' against the {noun} it adds: the measure counts minutes at stations kept open as harm",
                 ext.actor, step_lever(ext.procedure, ext.step))


def _lost_cause(advice: Advisor, obj: ObjectiveResult, ext: Extension | None, inc: IncidentTimes,
                close: float) -> Cause | None:
    """A ``votes_lost`` objective that lost its incident's voters at ``close``: the extension not long enough, or
    the step that would have extended voting and did not in time (None: the response had no such step)."""
    at, incident = advice.whole.start, obj.subject
    going = ("never contained" if inc.to_contain is None else
             f"it ended by itself at {clock(at, inc.started_at + inc.to_contain)}" if inc.contained_how == "ended"
             else f"contained at {clock(at, inc.started_at + inc.to_contain)}")
    lost = f"its {number(obj.value)} voters still held up were turned away"
    sooner = f"or clear incident {incident} before the close"
    if ext is not None:
        return Cause("objective", f"its polling stations were kept open past their {clock(at, ext.previous)} close, "
                     f"to {clock(at, close)}, by '{ext.step}' (row #{ext.seq}{ext.decided_after(at)}), not long "
                     f"enough: incident {incident} "
                     f"was still going then ({going}), so {lost}", [ext.seq],
                     f"Keep the stations open at '{ext.step}' until incident {incident}'s voters have voted, {sooner}: "
                     "an extension that outlasts the queue loses no vote", ext.actor,
                     step_lever(ext.procedure, ext.step))
    late = _late_extension(advice, incident, close)
    if late is None:
        return None
    step, named, when = late
    return Cause("objective", f"'{step.step}' would have kept its polling stations open until {clock(at, named)}, but "
                 f"{when}: nothing kept them open, and incident {incident} was still going at their "
                 f"{clock(at, close)} close ({going}), so {lost}", list(step.evidence[-1:]),
                 f"Complete '{step.step}' ({step.procedure}) by the {clock(at, close)} close it extends (one decided "
                 f"later finds the stations closed), {sooner}", step.actor,
                 step_lever(step.procedure, step.step))


def _late_extension(advice: Advisor, incident: str, close: float) -> tuple[StepResult, float, str] | None:
    """The incident's step instance that would have extended voting past ``close`` and did not complete by then
    (:meth:`~ballotdrill.journal.VotingExtended.keeps`): the step, the time it names and what became of it (None: no
    such step was played for it)."""
    structure, at = advice.structure, advice.whole.start
    if structure is None:
        return None
    for step in advice.whole.steps:
        proc = structure.procedures.get(step.procedure) if step.incident == incident else None
        spec = next((s for s in proc.steps if s.id == step.step), None) if proc is not None else None
        named = spec.effect.extend_voting if spec is not None and spec.effect is not None else None
        if named is None or named - at <= close + 1e-9:
            continue
        if step.completed_at is None:
            return step, named - at, f"it had not completed when the run stopped ({step.status.replace('_', ' ')})"
        if step.completed_at > close + 1e-9:
            return step, named - at, "it " + kept_no_voter(at, step.completed_at, close, "completed")
    return None
