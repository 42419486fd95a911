"""The few moments of an incident a director reads: detection, first action, handoffs that failed
or waited, decisions, escalations, containment or why not.

Built from the incident's scores (times, steps, handoffs, harm) and, for what the scores do not
keep (decisions, escalations, messages, failed containment effects), its journal rows. The full account,
one sentence per row, is :func:`ballotdrill.report.narrative.narratives`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.journal import (
    ActionTaken,
    Contained,
    DecisionMade,
    Escalated,
    Event,
    IncidentStarted,
    InjectDelivered,
    Kind,
    Mitigated,
    ProcedureEnded,
    VotingExtended,
    WaveSlowed,
)
from ballotdrill.journal.events import EffectFailed
from ballotdrill.report.narrative import detection_text, extended_text, incident_label, mitigated_text, slowed_text
from ballotdrill.scoring.findings import QUEUE_P90
from ballotdrill.scoring.model import Handoff, Harm, IncidentTimes, StepResult
from ballotdrill.scoring.neverdone import not_yet_due
from ballotdrill.scoring.text import between, chance_words, clock, failed_on, minutes, number
from ballotdrill.scoring.unreached import Unreached

SLOW_HANDOFF = 10.0
"""Minutes from a handoff's first attempt to receipt from which the story says it waited."""
MAX_MOMENTS_OF_A_KIND = 4
"""Late steps, slow handoffs or queue waits told one by one before the rest are counted."""

_BY = {"default": "the scenario's default", "timeout": "the default, no answer in time",
       "recorded": "a recorded choice", "player": "a player's choice",
       "facilitator": "answered by the facilitator at the console"}


class _Told:
    """Sentences of one incident, with the helpers they share."""

    def __init__(self, names: dict[str, str], start: float, t0: float) -> None:
        self.names, self.start, self.t0 = names, start, t0
        self.moments: list[tuple[float, bool, int, str]] = []

    def who(self, key: object) -> str:
        return self.names.get(str(key or ""), str(key or "nobody in particular"))

    def at(self, t: float | None) -> str:
        return clock(self.start, t)

    def since(self, t: float) -> str:
        """The time from the incident's start to ``t``, as their clocks read."""
        return between(self.start, self.t0, t)

    def between(self, t0: float, t1: float | None) -> str:
        return minutes(None) if t1 is None else between(self.start, t0, t1)

    def say(self, t: float, text: str, *, sent: bool = False) -> None:
        """A moment at journal time ``t`` (the story is told in time order, ties in the order said; a handoff told at
        the moment it was ``sent`` after every other moment then, as the step whose completion sent it)."""
        self.moments.append((t, sent, len(self.moments), text))

    @property
    def lines(self) -> list[str]:
        return [text for *_, text in sorted(self.moments)]


def key_moments(inc: IncidentTimes, rows: Sequence[Event], steps: Sequence[StepResult],
                handoffs: Sequence[Handoff], harm: Harm | None, names: dict[str, str], start: float,
                run_end: float | None, deadlines: Sequence[Unreached] = ()) -> list[str]:
    """The moments of incident ``inc`` that matter, as sentences in time order of their kind (``deadlines``: the
    legal deadlines of steps its response never reached, :mod:`~ballotdrill.scoring.unreached`)."""
    t0 = inc.started_at
    told = _Told(names, start, t0)
    first = next((e for e in rows if e.kind == Kind.INCIDENT_STARTED), None)
    started_row = (first.fields(IncidentStarted) if first is not None else
                   IncidentStarted(type=inc.type, severity=inc.severity, level="", inject=inc.inject, title=inc.title))
    label = incident_label(started_row, inc.incident)
    kind = inc.type.replace("_", " ")
    told.say(t0, f"At {told.at(t0)} {label} began ({kind}, severity {inc.severity}).")
    detected_at = None if inc.to_detect is None else t0 + inc.to_detect
    if detected_at is None:
        told.say(t0, "It was never detected.")
    else:
        after_end = inc.contained_how == "ended" and inc.to_contain is not None and detected_at > t0 + inc.to_contain
        told.say(detected_at, detection_text(told.who(inc.detected_by) if inc.detected_by else None,
                                             told.at(detected_at), told.since(detected_at), after_end))
    started = sorted((s for s in steps if s.started_at is not None), key=lambda s: (s.started_at or 0.0, s.step))
    if started:
        s = started[0]
        told.say(s.started_at or t0, f"{told.who(s.actor)} took the first action, '{s.step}' ({s.procedure}), at "
                 f"{told.at(s.started_at)}, {told.since(s.started_at or t0)} after it began.")
    elif detected_at is not None:
        told.say(detected_at, "No procedure step started for it.")
    for e in rows:
        if e.kind == Kind.INJECT_DELIVERED and (message := e.fields(InjectDelivered)).type == "message":
            told.say(e.t, f"At {told.at(e.t)} {told.who(e.actor)} received a message: \u201c{message.text}\u201d.")
    for e in rows:  # before the handoffs: a handoff a decision sent, in the same minute, is told after it
        if e.kind == Kind.DECISION_MADE:
            made = e.fields(DecisionMade)
            how = _BY.get(str(made.by), str(made.by or ""))
            told.say(e.t, f"{told.who(e.actor)} chose '{made.option}' at '{e.step}' at {told.at(e.t)} ({how}).")
    _handoffs(told, handoffs)
    _steps(told, steps)
    for e in rows:
        if e.kind == Kind.ESCALATED:
            up = e.fields(Escalated)
            told.say(e.t, f"At {told.at(e.t)} {told.who(up.by)} escalated it from the {up.from_} to the {up.to} level.")
        elif e.kind == Kind.ACTION_TAKEN:
            told.say(e.t, f"{told.who(e.actor)} took the action '{e.fields(ActionTaken).action}' at {told.at(e.t)}.")
        elif e.kind == Kind.EFFECT_FAILED:
            chance = e.fields(EffectFailed).contain
            told.say(e.t, f"At {told.at(e.t)} '{e.step}' by {told.who(e.actor)} did not contain it (its containment "
                     f"effect had {chance_words(chance)} and failed).")
        elif e.kind == Kind.MITIGATED:
            mitigated = e.fields(Mitigated)
            taken = float(mitigated.taken_at or 0.0)
            told.say(e.t, f"It was mitigated by the action '{mitigated.action}' {told.who(e.actor)} took at "
                     f"{told.at(taken)}, {told.between(taken, e.t)} before: it {mitigated_text(mitigated)}.")
        elif e.kind == Kind.WAVE_SLOWED:
            slowed = slowed_text(e.fields(WaveSlowed), started_row)
            told.say(e.t, f"At {told.at(e.t)} '{e.step}' by {told.who(e.actor)} {slowed}.")
        elif e.kind == Kind.VOTING_EXTENDED:
            extended = extended_text(e.fields(VotingExtended), e.t, told.at, told.between)
            told.say(e.t, f"At {told.at(e.t)} {told.who(e.actor)} {extended}.")
        elif e.kind == Kind.PROCEDURE_ENDED and (ended := e.fields(ProcedureEnded)).outcome == "dropped":
            told.say(e.t, f"The {ended.procedure} procedure stopped at {told.at(e.t)}: a handoff was dropped.")
    for item in deadlines:
        if item.missed:
            told.say(item.due_at, f"The {minutes(item.deadline)} legal deadline of '{item.step}' ({item.procedure}) "
                     f"passed at {told.at(item.due_at)} with the step never done.")
    _ending(told, inc, rows, steps, harm, detected_at, started, run_end,
            [h for h in handoffs if h.status == "in_transit"])
    for item in deadlines:
        if not item.missed:  # after the run's end: not yet due, and said so
            told.say(float("inf"), not_yet_due(item, start))
    return told.lines


def _handoffs(told: _Told, handoffs: Sequence[Handoff]) -> None:
    slow: list[Handoff] = []
    handoffs = sorted(handoffs, key=lambda x: (x.sent_at, x.step))
    for h in handoffs:
        route = f"The handoff of '{h.step}' from {told.who(h.sender)} to {told.who(h.receiver)}"
        if h.status == "dropped":
            told.say(h.sent_at, f"{route} failed {_times(h.failures)} from {told.at(h.sent_at)} and was dropped: "
                     "no channel was left.", sent=True)
        elif h.status == "in_transit":
            late = f", longer than the {minutes(h.usual_latency)} it usually takes" if h.overdue else ""
            told.say(h.sent_at, f"{route}, sent at {told.at(h.sent_at)}, was still in transit when the run "
                     f"ended{late}.", sent=True)
        elif h.failures:
            first = h.first_channel or "a direct call"
            via = "on a retry" if h.channel == h.first_channel else f"via {h.channel or 'a direct handover'}"
            got = first if h.channel == h.first_channel else h.channel or "a direct handover"
            told.say(h.received_at or h.sent_at, f"{route} failed {_times(h.failures)} "
                     f"{failed_on(h.failures, first, got)} and arrived {via} at "
                     f"{told.at(h.received_at)}, {told.between(h.sent_at, h.received_at)} after it was "
                     "first sent.")
        elif (h.latency or 0.0) >= SLOW_HANDOFF:
            slow.append(h)
    for h in slow[:MAX_MOMENTS_OF_A_KIND]:
        told.say(h.received_at or h.sent_at,
                 f"The handoff of '{h.step}' to {told.who(h.receiver)} took {minutes(h.latency)} on "
                 f"{h.channel or 'a direct handover'}.")
    for h in handoffs:  # after how it travelled, in the same minute: it reached them when it arrived
        if h.unstaffed:
            told.say(h.received_at or h.sent_at, f"'{h.step}' reached {told.who(h.receiver)} with nobody on duty.")
    if len(slow) > MAX_MOMENTS_OF_A_KIND:
        told.say(slow[-1].sent_at,
                 f"{len(slow) - MAX_MOMENTS_OF_A_KIND} more handoff(s) took {minutes(SLOW_HANDOFF)} or longer.")


def _steps(told: _Told, steps: Sequence[StepResult]) -> None:
    waited = [s for s in steps if (s.wait or 0.0) >= QUEUE_P90]
    for s in waited[:MAX_MOMENTS_OF_A_KIND]:
        told.say(s.started_at or s.queued_at or 0.0,
                 (f"'{s.step}' waited {minutes(s.wait)} at {told.who(s.actor)} before it started"
                  + (" (it arrived with nobody on duty)." if s.unstaffed else ".") if s.started_at is not None else
                  f"'{s.step}' was still waiting at {told.who(s.actor)} when the run stopped, {minutes(s.wait)} after "
                  f"it arrived{' with nobody on duty' if s.unstaffed else ''}."))  # how its wait began, not all of it
    if len(waited) > MAX_MOMENTS_OF_A_KIND:
        told.say(_when(waited[-1]),
                 f"{len(waited) - MAX_MOMENTS_OF_A_KIND} more step(s) waited {minutes(QUEUE_P90)} or longer.")
    late = [s for s in steps if s.on_time is False or s.deadline_met is False]
    for s in late[:MAX_MOMENTS_OF_A_KIND]:
        if s.completed_at is not None:
            text = f"{told.who(s.actor)} completed '{s.step}' at {told.at(s.completed_at)}"
            if s.late_by:
                text += f", {minutes(s.late_by, (0.0,))} past its {minutes(s.target)} target"
        else:
            where = "still waiting in the queue" if s.status == "queued" else "still in progress"
            text = f"'{s.step}' at {told.who(s.actor)} was {where} when the run stopped" + (
                f", {minutes(s.late_by, (0.0,))} past its {minutes(s.target)} target" if s.on_time is False else "")
        if s.deadline_met is False:
            text += f"; the legal deadline of {minutes(s.deadline)} was missed"
        told.say(s.completed_at or s.started_at or s.queued_at or 0.0, text + ".")
    if len(late) > MAX_MOMENTS_OF_A_KIND:
        told.say(_when(late[-1]), f"{len(late) - MAX_MOMENTS_OF_A_KIND} more step(s) were late.")


def _when(step: StepResult) -> float:
    """Where a line about ``step`` goes in the story: its completion, else its start, else its arrival (a step still
    open at the end is never placed at the start of the run)."""
    return next((t for t in (step.completed_at, step.started_at, step.queued_at) if t is not None), 0.0)


def _ending(told: _Told, inc: IncidentTimes, rows: Sequence[Event], steps: Sequence[StepResult],
            harm: Harm | None, detected_at: float | None, started: list[StepResult], run_end: float | None,
            travelling: Sequence[Handoff] = ()) -> None:
    done = _harm_clause(harm)
    contained = next((e for e in rows if e.kind == Kind.CONTAINED), None)
    if contained is not None:
        how = contained.fields(Contained).how
        if how == "ended":
            first_action = started[0].started_at if started else None
            runs = [e for e in rows if e.kind == Kind.PROCEDURE_STARTED and e.t <= contained.t]
            over = [e for e in rows if e.kind == Kind.PROCEDURE_ENDED and e.t <= contained.t]
            dropped = any(e.fields(ProcedureEnded).outcome == "dropped" for e in over)
            before = ("before it was detected" if detected_at is None or detected_at > contained.t
                      else "before any response step started" if first_action is None or first_action > contained.t
                      else ("after its response had stopped (a handoff dropped)" if dropped
                            else "after its procedures had ended") if runs and len(over) >= len(runs)
                      else "while the response was under way")
            told.say(contained.t,
                     f"It ended by itself at {told.at(contained.t)}, {told.since(contained.t)} after it began, "
                     f"{before}{done}.")
        elif how == "completed":
            told.say(contained.t,
                     f"Its procedures completed at {told.at(contained.t)}, {told.since(contained.t)} after it began "
                     f"(no step of theirs contains it){done}.")
        else:
            told.say(contained.t, f"{told.who(contained.actor)} contained it at {told.at(contained.t)}, "
                     f"{told.since(contained.t)} after it began{done}.")
        resolved = next((e for e in rows if e.kind == Kind.RESOLVED), None)
        if resolved is not None and resolved.t > contained.t:
            told.say(resolved.t, f"It was resolved at {told.at(resolved.t)}.")
        return
    why = _why_open(rows, steps, detected_at, started, travelling)
    told.say(float("inf"), f"At the end of the run ({told.at(run_end)}) it was still open{done}: {why}.")


def _why_open(rows: Sequence[Event], steps: Sequence[StepResult], detected_at: float | None,
              started: list[StepResult], travelling: Sequence[Handoff] = ()) -> str:
    if detected_at is None:
        return "it was never detected"
    if any(e.kind == Kind.PROCEDURE_ENDED and e.fields(ProcedureEnded).outcome == "dropped" for e in rows):
        return "its response stopped when a handoff was dropped"
    if any(e.kind == Kind.EFFECT_FAILED for e in rows):
        return "its containment attempt failed"
    slowed = any(e.kind == Kind.WAVE_SLOWED for e in rows)
    if slowed and not travelling and not any(s.completed_at is None for s in steps):
        return "its response slowed the wave but nothing contained it"
    running = [s for s in steps if s.completed_at is None]
    if running:
        s = running[0]
        state = "in progress" if s.started_at is not None else "waiting"
        return f"its response was still under way ('{s.step}' {state})"
    if travelling:
        h = travelling[0]
        return (f"its response {'had slowed the wave and ' if slowed else ''}was still under way (the handoff of "
                f"'{h.step}' still travelling, on {h.channel or 'direct'})")
    if not started:
        return "no procedure responded to it"
    return "its procedures ended without containing it"


def _harm_clause(harm: Harm | None) -> str:
    if harm is None:
        return ""
    parts = [f"{number(v)} {words}" for v, words in ((harm.reach, "people reached"),
                                                       (harm.voter_minutes, "voter-minutes lost"),
                                                       (harm.station_minutes, "station-minutes disrupted")) if v]
    return "; " + ", ".join(parts) if parts else ""


def _times(n: int) -> str:
    """``once``, ``twice``, ``3 times``."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")
