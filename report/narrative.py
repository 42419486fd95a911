"""A plain-English account of each incident, generated from its journal rows.

Uses actor display names (``actor.name`` or the key) and clock times
(``run_started.data.start + t``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ballotdrill.journal import (
    ActionTaken,
    Contained,
    DecisionMade,
    EffectFailed,
    Escalated,
    Event,
    HandoffFailed,
    HandoffReceived,
    IncidentStarted,
    InjectDelivered,
    Kind,
    Mitigated,
    ProcedureEnded,
    ProcedureStarted,
    RunEnded,
    StepCompleted,
    StepQueued,
    StepStarted,
    StepTargets,
    VotingExtended,
    WaveSlowed,
)
from ballotdrill.scoring.text import between, chance_words, clock, minutes, number


def incident_label(started: IncidentStarted, incident: str) -> str:
    """``the 'stolen election' narrative``, ``incident D1 (Results site down)`` or ``cyber outage D1``."""
    return label_of(str(started.title or ""), str(started.type or ""), incident)


def label_of(title: str, kind: str, incident: str) -> str:
    """:func:`incident_label` from an incident's title and type."""
    title = title.strip()
    if title:
        return f"the {title}" if not title[0].isupper() else f"incident {incident} ({title})"
    return f"{(kind or 'incident').replace('_', ' ')} {incident}"


def detection_text(detector: str | None, when: str, later: str, after_end: bool) -> str:
    """``Ballot printer detected it at 11:10, 10 min later.``; one that came after the incident had ended by itself
    says so (``noticed it …, once it had already ended by itself``): nothing was left to respond to."""
    if detector and not after_end:
        return f"{_sentence(detector)} detected it at {when}, {later} later."
    noticed = f"{_sentence(detector)} noticed it" if detector else "It was noticed"
    return f"{noticed} at {when}, {later} later" + (", once it had already ended by itself." if after_end else ".")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def narratives(events: Sequence[Event], names: dict[str, str], start: float) -> dict[str, list[str]]:
    """Sentences per incident id, in the order the incidents started."""
    rows: dict[str, list[Event]] = {}  # in start order; each list begins with incident_started
    end: Event | None = None
    for event in events:
        if event.kind == Kind.RUN_ENDED:
            end = event
        if event.incident is None:
            continue
        if event.kind == Kind.INCIDENT_STARTED and event.incident not in rows:
            rows[event.incident] = [event]
        elif event.incident in rows:
            rows[event.incident].append(event)
    return {incident: _tell(incident, told, names, start, end) for incident, told in rows.items()}


def _tell(incident: str, rows: list[Event], names: dict[str, str], start: float, end: Event | None) -> list[str]:
    def who(key: object) -> str:
        return names.get(str(key or ""), str(key or "nobody in particular"))

    def at(t: float) -> str:
        return clock(start, t)

    first = rows[0]
    t0 = first.t
    started = first.fields(IncidentStarted)
    label = incident_label(started, incident)
    severity = started.severity
    kind = str(started.type or "").replace("_", " ")
    about = f"{kind}, severity {severity}" if started.title else f"severity {severity}"
    out = [f"At {at(t0)} {label} began ({about})."]
    waits: dict[tuple[str | None, str | None], float] = {}
    self_ended = closed = False  # ended by itself (a contained row, how: ended) / contained at all, before this row
    for e in rows[1:]:
        if e.kind == Kind.DETECTED:
            out.append(detection_text(who(e.actor) if e.actor else None, at(e.t), between(start, t0, e.t),
                                      self_ended))
        elif e.kind == Kind.PROCEDURE_STARTED:
            began = e.fields(ProcedureStarted)
            run = began.run
            out.append(f"The {began.procedure} procedure started at {at(e.t)}"
                       + (f" (run {run})." if run and run != 1 else "."))
        elif e.kind == Kind.HANDOFF_FAILED:
            failed = e.fields(HandoffFailed)
            nxt = failed.next
            out.append(f"The handoff of '{e.step}' from {who(e.actor)} to {who(failed.to)} failed on "
                       f"{failed.channel or 'a direct call'} at {at(e.t)}; "
                       + (f"it was retried on {nxt}." if nxt else "it was dropped and the procedure stopped."))
        elif e.kind == Kind.HANDOFF_RECEIVED:
            received = e.fields(HandoffReceived)
            tries = received.attempts or 1
            out.append(f"{who(e.actor)} received '{e.step}' from {who(received.from_)} at {at(e.t)} via "
                       f"{received.channel or 'a direct handover'}, "
                       f"{between(start, e.t - (_num(received.latency) or 0.0), e.t)} after it was sent"
                       + (f" ({tries} attempts)." if tries > 1 else "."))
        elif e.kind == Kind.STEP_QUEUED and e.fields(StepQueued).on_duty == 0:
            out.append(f"'{e.step}' waited at {who(e.actor)} from {at(e.t)} with nobody on duty.")
        elif e.kind == Kind.STEP_STARTED:
            waits[(e.actor, e.step)] = float(e.fields(StepStarted).wait or 0.0)
        elif e.kind == Kind.STEP_COMPLETED:
            wait = waits.pop((e.actor, e.step), 0.0)
            text = f"{who(e.actor)} completed '{e.step}' at {at(e.t)}"
            if wait >= 1:
                text += f" after waiting {minutes(wait)} in the queue"
            goals = e.fields(StepTargets)
            target, elapsed = goals.target, e.fields(StepCompleted).elapsed
            if target is not None and elapsed is not None:
                beside = [mark for mark in (target, goals.deadline) if mark is not None]
                text += (f", {minutes(elapsed, beside)} into the procedure (target {minutes(target)}: "
                         + ("on time)" if elapsed <= target else f"{minutes(elapsed - target, (0.0,))} late)"))
            deadline = goals.deadline
            if deadline is not None and elapsed is not None and elapsed > deadline:
                text += f"; the legal deadline of {minutes(deadline)} was missed"
            out.append(text + ".")
        elif e.kind == Kind.DECISION_MADE:
            made = e.fields(DecisionMade)
            by = made.by
            how = {"timeout": " (no answer in time: the default applied)", "default": " (the default)",
                   "player": " (a player's choice)", "facilitator": " (answered by the facilitator at the console)",
                   "recorded": " (a recorded choice)"}.get(str(by), "")
            out.append(f"{who(e.actor)} chose '{made.option}' at {at(e.t)}{how}.")
        elif e.kind == Kind.ESCALATED:
            raised = e.fields(Escalated)
            out.append(f"At {at(e.t)} {who(raised.by)} escalated it from the {raised.from_} to the "
                       f"{raised.to} level.")
        elif e.kind == Kind.INJECT_DELIVERED and (delivered := e.fields(InjectDelivered)).type == "message":
            out.append(f"At {at(e.t)} {who(e.actor)} received a message: \u201c{delivered.text}\u201d.")
        elif e.kind == Kind.ACTION_TAKEN:
            out.append(f"{who(e.actor)} took the action '{e.fields(ActionTaken).action}' at {at(e.t)}.")
        elif e.kind == Kind.CONTAINED:
            contained = e.fields(Contained)  # how: ended by itself, procedures completed, or a step's effect
            self_ended, closed = contained.how == "ended", True
            when = f"at {at(e.t)}, {between(start, t0, e.t)} after it began"
            out.append(f"It ended by itself {when}, before any response contained it{_harm_clause(contained)}."
                       if contained.how == "ended" else
                       f"Its procedures completed {when} (no step of theirs contains it){_harm_clause(contained)}."
                       if contained.how == "completed" else
                       f"{_sentence(who(e.actor) if e.actor else 'the response')} contained it {when}"
                       f"{_harm_clause(contained)}.")
        elif e.kind == Kind.EFFECT_FAILED:
            chance = e.fields(EffectFailed).contain
            out.append(f"'{e.step}' did not contain it" + (f" (it had {chance_words(chance)})." if chance else "."))
        elif e.kind == Kind.MITIGATED:
            mitigated = e.fields(Mitigated)
            taken = float(mitigated.taken_at or 0.0)
            out.append(f"The action '{mitigated.action}' {who(e.actor)} took at {at(taken)}, before it began, "
                       f"{mitigated_text(mitigated)}.")
        elif e.kind == Kind.WAVE_SLOWED:
            out.append(f"'{e.step}' {slowed_text(e.fields(WaveSlowed), started)} at {at(e.t)}.")
        elif e.kind == Kind.VOTING_EXTENDED:
            told = extended_text(e.fields(VotingExtended), e.t, at, lambda t0, t1: between(start, t0, t1))
            out.append(f"{_sentence(who(e.actor))} {told}, at {at(e.t)}.")
        elif e.kind == Kind.RESOLVED:
            out.append(f"It was resolved at {at(e.t)}, {between(start, t0, e.t)} after it began.")
        elif e.kind == Kind.PROCEDURE_ENDED and (ended := e.fields(ProcedureEnded)).outcome == "dropped":
            out.append(f"The {ended.procedure} procedure was dropped at {at(e.t)}.")
    final = end.fields(RunEnded) if end is not None else None
    if end is not None and final is not None and incident in (final.open_incidents or []):
        harm = (final.harm or {}).get(incident) or {}
        at_end = Contained("", harm.get("reach"), harm.get("voter_minutes"), harm.get("station_minutes"))
        out.append(f"At the end of the run ({at(end.t)}) it was not yet resolved (its response was still under way)."
                   if closed else f"At the end of the run ({at(end.t)}) it was still open{_harm_clause(at_end)}.")
    return out


def extended_text(extended: VotingExtended, t: float, at: Callable[[float], str],
                  since: Callable[[float, float], str]) -> str:
    """``kept its polling stations open until 18:00 (they were to close at 16:00)``, decided at ``t``; one decided
    after that close kept none open (:meth:`VotingExtended.keeps`): ``decided to keep its polling stations open until
    18:00 (they had closed at 16:00, 2 h 02 min before: it kept no voter)``."""
    if not extended.keeps(t):
        return (f"decided to keep its polling stations open until {at(extended.until)} (they had closed at "
                f"{at(extended.previous)}, {since(extended.previous, t)} before: it kept no voter)")
    return (f"kept its polling stations open until {at(extended.until)} (they were to close at "
            f"{at(extended.previous)})")


def mitigated_text(mitigated: Mitigated) -> str:
    """``cut its duration to 50 % and its detection delay to 25 %`` (or ``prevented it`` for a duration of 0)."""
    if mitigated.duration == 0:
        return "prevented it (it ended as it began)"
    parts = [f"its {what} to {share:.0%}" for share, what in (
        (mitigated.duration, "duration"), (mitigated.detection, "detection delay"), (mitigated.growth, "growth rate"))
        if share is not None]
    return "cut " + " and ".join(parts) if parts else "changed nothing"


def slowed_text(slowed: WaveSlowed, started: IncidentStarted) -> str:
    """``slowed its spread (4,000 people reached; doubling every 1h from then, was 30m)``; at the wave's cap (in
    ``started``, the incident's ``incident_started`` row) it changed nothing and says so."""
    cap = (started.reach or {}).get("cap")
    if cap is not None and slowed.reach >= cap:
        return f"did not slow it (its wave had already reached its cap of {number(slowed.reach)} people)"
    now = (f"doubling every {minutes(slowed.doubling)} from then" if slowed.doubling is not None
           else "no further growth")
    was = f", was {minutes(slowed.previous)}" if slowed.previous is not None else ""
    reach = f"{number(slowed.reach)} people reached; " if slowed.reach is not None else ""
    return f"slowed its spread ({reach}{now}{was})"


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _harm_clause(harm: Contained) -> str:
    parts: list[str] = []
    for value, words in ((harm.reach, "people reached"), (harm.voter_minutes, "voter-minutes lost"),
                         (harm.station_minutes, "station-minutes disrupted")):
        if isinstance(value, (int, float)) and value > 0:
            parts.append(f"{number(value)} {words}")
    return "; " + ", ".join(parts) if parts else ""
