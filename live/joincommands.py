"""The commands ``ballotdrill join`` takes, by the token's role: each role's own, as the server allows them.

A player answers, acts and discusses; the evaluator adds notes; the facilitator has the console's controls (note,
pause, resume, speed, inject, send-now, end). Every role has ``status``, ``help`` and ``quit``, the client's own.
"""

from __future__ import annotations

import shlex
from typing import Any

from ballotdrill.scenarios.suggest import did_you_mean

PLAYER = {
    "answer": "answer N OPTION",
    "action": "action ACTION [INCIDENT]",
    "discuss": "discuss INJECT QUESTION TEXT…",
}
EVALUATOR = {"note": "note TEXT…"}
FACILITATOR = {
    **EVALUATOR,
    "pause": "pause",
    "resume": "resume",
    "speed": "speed X   (1 = real time, 60 = a simulated minute a second)",
    "inject": "inject {message: {to: ACTOR, text: …}}   or   inject {incident: {id: X1, type: …, severity: 2}}",
    "send-now": "send-now INJECT",
    "end": "end",
}
ROLE_COMMANDS: dict[str, dict[str, str]] = {"player": PLAYER, "evaluator": EVALUATOR, "facilitator": FACILITATOR}
"""Each role's commands and their usage lines."""

OWN = {"status": "status", "help": "help", "quit": "quit"}
"""The client's own commands, every role's."""

ENDPOINTS = {"answer": "/api/answer", "action": "/api/action", "discuss": "/api/discuss", "note": "/api/note",
             "pause": "/api/control", "resume": "/api/control", "end": "/api/control", "speed": "/api/speed",
             "inject": "/api/inject", "send-now": "/api/send-now"}
"""The API endpoint each command posts to."""


def commands_of(role: str) -> dict[str, str]:
    """``role``'s commands (its own, then the client's) and their usage lines."""
    return {**ROLE_COMMANDS.get(role, {}), **OWN}


def usage(role: str) -> str:
    """The line listing ``role``'s commands."""
    return "commands: " + "; ".join(commands_of(role).values())


def command_body(line: str, role: str = "player") -> tuple[str, dict[str, Any]] | None:
    """A command line of ``role``'s as (endpoint, body); None for a blank line or one of the client's own commands.
    Raises ValueError with one line: the unknown command named (and the nearest one), or the command's usage."""
    line = line.strip()
    if not line:
        return None
    word, _, rest = line.partition(" ")
    word, rest = word.lower(), rest.strip()
    own = ROLE_COMMANDS.get(role, {})
    if word in OWN:
        return None
    if word not in own:
        shown = f"{word[:40]!r}{'…' if len(word) > 40 else ''}"
        others = [r for r, commands in ROLE_COMMANDS.items() if word in commands]
        if others:
            raise ValueError(f"{_a(role)} {role} may not {shown} (only: {', '.join(others)}); {usage(role)}")
        raise ValueError(f"unknown command {shown}{did_you_mean(word, commands_of(role))}; {usage(role)}")
    body = _body(word, rest)
    if body is None:
        raise ValueError(f"usage: {own[word]}")
    return ENDPOINTS[word], body


def _body(word: str, rest: str) -> dict[str, Any] | None:
    """The API body of a known command, or None when its arguments do not fit its usage."""
    if word in ("note", "inject"):
        return {"text": rest} if rest else None
    if word == "discuss":
        parts = rest.split(None, 2)
        ok = len(parts) == 3 and parts[1].isdigit()
        return {"inject": parts[0], "question": int(parts[1]), "text": parts[2]} if ok else None
    try:
        args = shlex.split(rest)
    except ValueError:
        return None
    if word in ("pause", "resume", "end"):
        return None if args else {"command": word}
    if word == "speed":
        try:
            return {"speed": float(args[0])} if len(args) == 1 and "_" not in args[0] else None
        except ValueError:
            return None
    if word == "send-now":
        return {"inject": args[0]} if len(args) == 1 else None
    if word == "answer":
        return {"request": args[0], "option": args[1]} if len(args) == 2 else None
    # action ACTION [INCIDENT]
    return {"action": args[0], "incident": args[1] if len(args) == 2 else None} if len(args) in (1, 2) else None


def _a(role: str) -> str:
    return "an" if role[:1] in "aeiou" else "a"
