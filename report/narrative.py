"""A plain-English account of each incident, generated from its journal rows.

Uses actor display names (``actor.name`` or the key) and clock times
(``run_started.data.start + t``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.journal import Event
from ballotdrill.scoring.text import clock, minutes, number


def incident_label(data: dict[str, object], incident: str) -> str:
    """``the 'stolen election' narrative``, ``incident D1 (Results site down)`` or ``cyber outage D1``."""
    title = str(data.get("title") or "").strip()
    if title:
        return f"the {title}" if not title[0].isupper() else f"incident {incident} ({title})"
    return f"{str(data.get('type') or 'incident').replace('_', ' ')} {incident}"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def narratives(events: Sequence[Event], names: dict[str, str], start: float) -> dict[str, list[str]]:
    """Sentences per incident id, in the order the incidents started."""
    rows: dict[str, list[Event]] = {}  # in start order; each list begins with incident_started
    end: Event | None = None
    for event in events:
        if event.kind == "run_ended":
            end = event
        if event.incident is None:
            continue
        if event.kind == "incident_started" and event.incident not in rows:
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
    label = incident_label(first.data, incident)
    severity = first.data.get("severity")
    kind = str(first.data.get("type") or "").replace("_", " ")
    about = f"{kind}, severity {severity}" if first.data.get("title") else f"severity {severity}"
    out = [f"At {at(t0)} {label} began ({about})."]
    waits: dict[tuple[str | None, str | None], float] = {}
    for e in rows[1:]:
        d = e.data
        if e.kind == "detected":
            out.append(_sentence(f"{who(e.actor)} detected it at {at(e.t)}, {minutes(e.t - t0)} later."
                                 if e.actor else f"It was noticed at {at(e.t)}, {minutes(e.t - t0)} later."))
        elif e.kind == "procedure_started":
            run = d.get("run")
            out.append(f"The {d.get('procedure')} procedure started at {at(e.t)}"
                       + (f" (run {run})." if run and run != 1 else "."))
        elif e.kind == "handoff_failed":
            nxt = d.get("next")
            out.append(f"The handoff of '{e.step}' from {who(e.actor)} to {who(d.get('to'))} failed on "
                       f"{d.get('channel') or 'a direct call'} at {at(e.t)}; "
                       + (f"it was retried on {nxt}." if nxt else "it was dropped and the procedure stopped."))
        elif e.kind == "handoff_received":
            tries = d.get("attempts") or 1
            out.append(f"{who(e.actor)} received '{e.step}' from {who(d.get('from'))} at {at(e.t)} via "
                       f"{d.get('channel') or 'a direct handover'}, {minutes(_num(d.get('latency')))} after it was sent"
                       + (f" ({tries} attempts)." if tries > 1 else "."))
        elif e.kind == "step_queued" and d.get("on_duty") == 0:
            out.append(f"'{e.step}' waited at {who(e.actor)} from {at(e.t)} with nobody on duty.")
        elif e.kind == "step_started":
            waits[(e.actor, e.step)] = float(d.get("wait") or 0.0)
        elif e.kind == "step_completed":
            wait = waits.pop((e.actor, e.step), 0.0)
            text = f"{who(e.actor)} completed '{e.step}' at {at(e.t)}"
            if wait >= 1:
                text += f" after waiting {minutes(wait)} in the queue"
            target, elapsed = d.get("target"), d.get("elapsed")
            if target is not None and elapsed is not None:
                text += (f", {minutes(elapsed)} into the procedure (target {minutes(target)}: "
                         + ("on time)" if elapsed <= target else f"{minutes(elapsed - target)} late)"))
            deadline = d.get("deadline")
            if deadline is not None and elapsed is not None and elapsed > deadline:
                text += f"; the legal deadline of {minutes(deadline)} was missed"
            out.append(text + ".")
        elif e.kind == "decision_made":
            by = d.get("by")
            how = {"timeout": " (no answer in time: the default applied)", "default": " (the default)",
                   "player": " (a player's choice)", "recorded": " (a recorded choice)"}.get(str(by), "")
            out.append(f"{who(e.actor)} chose '{d.get('option')}' at {at(e.t)}{how}.")
        elif e.kind == "escalated":
            out.append(f"At {at(e.t)} {who(d.get('by'))} escalated it from the {d.get('from')} to the "
                       f"{d.get('to')} level.")
        elif e.kind == "inject_delivered" and d.get("type") == "message":
            out.append(f"At {at(e.t)} {who(e.actor)} received a message: \u201c{d.get('text')}\u201d.")
        elif e.kind == "action_taken":
            out.append(f"{who(e.actor)} took the action '{d.get('action')}' at {at(e.t)}.")
        elif e.kind == "contained":
            how = (f"{who(e.actor)} contained it" if e.actor and d.get("how") != "ended"
                   else "It ended by itself")
            out.append(f"{_sentence(how)} at {at(e.t)}, {minutes(e.t - t0)} after it began{_harm_clause(d)}.")
        elif e.kind == "resolved":
            out.append(f"It was resolved at {at(e.t)}, {minutes(e.t - t0)} after it began.")
        elif e.kind == "procedure_ended" and d.get("outcome") == "dropped":
            out.append(f"The {d.get('procedure')} procedure was dropped at {at(e.t)}.")
    if end is not None and incident in (end.data.get("open_incidents") or []):
        harm = dict((end.data.get("harm") or {}).get(incident) or {})
        out.append(f"At the end of the run ({at(end.t)}) it was still open{_harm_clause(harm)}.")
    return out


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _harm_clause(data: dict[str, object]) -> str:
    parts: list[str] = []
    for key, words in (("reach", "people reached"), ("voter_minutes", "voter-minutes lost"),
                       ("station_minutes", "station-minutes disrupted")):
        value = data.get(key)
        if isinstance(value, (int, float)) and value > 0:
            parts.append(f"{number(value)} {words}")
    return "; " + ", ".join(parts) if parts else ""
