"""What each role sees, as plain JSON data: a player only their own actor's traffic; facilitator and evaluator all.

Built by the exercise task from its own state (never by a request handler touching the exercise).
"""

from __future__ import annotations

from typing import Any

from ballotdrill.live.core import Decided, LiveCore, Request
from ballotdrill.live.describe import decision_phrase

PLAYER, FACILITATOR, EVALUATOR = "player", "facilitator", "evaluator"
ROLES = (PLAYER, FACILITATOR, EVALUATOR)


def _clock(core: LiveCore) -> dict[str, Any]:
    return {"scenario": core.name, "title": core.exercise.scenario.title, "clock": core.clock(), "t": core.now,
            "speed": core.speed, "paused": core.paused, "ended": core.ended}


def _request(core: LiveCore, r: Request) -> dict[str, Any]:
    left = max(0.0, r.deadline - core.now)
    return {"number": r.number, "key": r.key, "incident": r.incident, "actor": r.actor, "step": r.step,
            "options": list(r.options), "default": r.default, "deadline": core.clock(r.deadline),
            "minutes_left": round(left, 2), "seconds_left": round(left * 60.0 / core.speed, 1)}


def _decided(core: LiveCore, d: Decided, actor: str | None) -> dict[str, Any]:
    """A closed request and how it closed: ``text`` says it for the player (``answered by you``) or for all."""
    r = d.request
    text = decision_phrase(d.option, d.by, core.clock(d.t))
    if actor is not None and d.by == "player":
        text = text.replace("answered by the player", "answered by you", 1)
    return {"number": r.number, "key": r.key, "incident": r.incident, "actor": r.actor, "step": r.step,
            "option": d.option, "by": d.by, "clock": core.clock(d.t), "text": f"#{r.number} {r.key}: {text}"}


DECIDED_SHOWN = 20
"""How many of its latest closed decisions a view lists."""


def _incident(core: LiveCore, incident: str, actor: str | None = None) -> dict[str, Any]:
    """An incident as ``actor`` (a played actor; None: facilitator and evaluator) sees it: ``current`` is its own
    latest step on it (another agency's work on a shared incident is not shown), or the incident's latest."""
    current = core.steps.get(incident, "") if actor is None else core.own_steps[actor].get(incident, "")
    state = core.exercise.incidents.get(incident)
    if state is None:  # a background arrival already resolved and forgotten
        return {"id": incident, "status": "resolved"}
    status = ("resolved" if state.resolved_at is not None else "contained" if state.contained_at is not None
              else "detected" if state.detected_at is not None else "undetected")
    return {"id": incident, "type": state.spec.type, "severity": state.spec.severity, "title": state.spec.title or "",
            "status": status, "started": core.clock(state.started_at), "current": current}


def player_view(core: LiveCore, actor: str) -> dict[str, Any]:
    """One played actor's screen: its messages, questions, open decisions, incidents and actions."""
    shown = core.shown.get(actor, [])
    return {
        "role": PLAYER, "actor": actor, **_clock(core),
        "actions": list(core.doc.structure.actors[actor].actions),
        "messages": [{"clock": core.clock(s.t), "inject": s.inject, "from": s.sender, "text": s.text}
                     for s in shown if s.kind == "message"],
        "questions": [{"clock": core.clock(s.t), "inject": s.inject, "number": s.number, "text": s.text}
                      for s in shown if s.kind == "question"],
        "requests": [_request(core, r) for r in core.open_requests(actor)],
        "decided": [_decided(core, d, actor) for d in core.decided.get(actor, [])[-DECIDED_SHOWN:]],
        "incidents": [_incident(core, i, actor) for i in core.involved.get(actor, {})],
    }


def control_view(core: LiveCore, role: str, lines: int = 60) -> dict[str, Any]:
    """The facilitator's and the evaluator's screen: the whole exercise (the evaluator's read-only)."""
    exercise = core.exercise
    return {
        "role": role, **_clock(core), "inputs": core.count, "played": list(core.played),
        "incidents": [_incident(core, i) for i, state in exercise.incidents.items() if state.resolved_at is None],
        "desks": [{"actor": name, "on_duty": desk.staff, "busy": desk.busy, "waiting": len(desk.queue),
                   "played": name in core.played} for name, desk in exercise.desks.items()],
        "requests": [_request(core, r) for r in core.open_requests()],
        "decided": [_decided(core, d, None) for d in sorted((d for ds in core.decided.values() for d in ds),
                                                            key=lambda d: d.t)[-DECIDED_SHOWN:]],
        "injects": [{"id": i, "kind": "ad-hoc" if i in core.adhoc else inj.kind, "delivered": exercise.was_delivered(i)}
                    for i, inj in core.injects.items()],
        "journal": list(core.lines)[-lines:],
    }


def view(core: LiveCore, role: str, actor: str | None) -> dict[str, Any]:
    """The view of ``role`` (a player's for ``actor``)."""
    if role == PLAYER:
        assert actor is not None
        return player_view(core, actor)
    return control_view(core, role)
