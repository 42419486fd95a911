"""Inputs to a live exercise: typed records, and the console's command lines that make them.

An input is what a person did (a player's answer, action or discussion answer; a facilitator's
command; an evaluator's observation). Each is applied by the exercise task at a simulation
time and journalled with it, so a replay applies the same inputs at the same times.
"""

from __future__ import annotations

import json
import math
import shlex
from typing import Any, NamedTuple

from ballotdrill.journal import canonical_json
from ballotdrill.scenarios.errors import BallotdrillError

KINDS = ("answer", "action", "discuss", "note", "inject", "send_now", "pause", "resume", "speed", "end", "stop",
         "restart", "late_answer")
"""Every input kind a journal's ``inputs`` table holds: ``stop`` (a Ctrl-C) and ``restart`` (``ballotdrill resume``)
are the program's, recorded so a replay journals them again; the others are people's."""

MAX_TEXT = 4000
"""Longest free text accepted (a note, a discussion answer, an ad-hoc inject)."""

MIN_SPEED = 0.01
"""Slowest speed a person can set (a simulated minute in 100 real minutes): slower is a frozen clock that claims to
run (``1e-300`` was accepted). Journals that recorded a slower speed replay as they were."""
MAX_SPEED = 100_000.0


class InputError(BallotdrillError, ValueError):
    """An input refused before it reaches the exercise: one line saying what and how to fix."""


class Input(NamedTuple):
    """One input: its kind and its fields (JSON values only)."""

    kind: str
    data: dict[str, Any]

    def encoded(self) -> str:
        return str(canonical_json(self.data))

    @classmethod
    def decode(cls, kind: str, text: str) -> Input:
        return cls(kind, json.loads(text))


def answer(request: str, option: str, player: str | None = None) -> Input:
    """Answer a pending decision: a player's (confined to that actor's own requests) or, without ``player``, the
    facilitator's at the console (journalled ``by: facilitator``)."""
    return Input("answer", {"request": request, "option": option, "player": player,
                            "by": "facilitator" if player is None else "player"})


def action(actor: str, name: str, incident: str | None = None, *, player: bool = False) -> Input:
    """An action of a played actor: its player's (on an incident in its view) or the facilitator's for it."""
    return Input("action", {"actor": actor, "action": name, "incident": incident,
                            "by": "player" if player else "facilitator"})


def discuss(actor: str, inject: str, question: int, text: str, *, player: bool = False) -> Input:
    """A discussion answer for a played actor: its player's, or the facilitator's typed at the console for it."""
    return Input("discuss", {"actor": actor, "inject": inject, "question": question, "text": _text(text),
                             "by": "player" if player else "facilitator"})


def note(text: str, by: str = "facilitator") -> Input:
    return Input("note", {"text": _text(text), "by": by})


def send_now(inject: str) -> Input:
    """Release a scheduled inject now (the facilitator's, journalled so on its row)."""
    return Input("send_now", {"inject": inject, "by": "facilitator"})


def adhoc_inject(text: str) -> Input:
    return Input("inject", {"text": _text(text)})


def speed(value: float, where: str = "speed") -> Input:
    """A speed change; ``where``: what the refusal names (the console's ``speed``, the command line's ``--speed``)."""
    if not (math.isfinite(value) and MIN_SPEED <= value <= MAX_SPEED):
        raise InputError(f"{where} must be a number from {MIN_SPEED:g} to {MAX_SPEED:g} (got {value:g}); 1 is real "
                         "time, 60 a simulated minute a second")
    return Input("speed", {"speed": value, "wall": None})  # ``wall``: stamped when applied, and journalled


def end() -> Input:
    """The facilitator ends the exercise now (``wall`` stamped when applied; journalled ``ended_early``)."""
    return Input("end", {"wall": None, "by": "facilitator"})


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InputError("the text is empty")
    if len(text) > MAX_TEXT:
        raise InputError(f"the text is {len(text)} characters long; at most {MAX_TEXT}")
    return text


COMMANDS = {
    "answer": "answer REQUEST OPTION   (REQUEST: the number shown, e.g. 2; ACTOR#N where several played actors' "
              "requests bear it, e.g. interior#2; or the full request key)",
    "action": "action ACTOR ACTION [INCIDENT]",
    "discuss": "discuss ACTOR INJECT QUESTION TEXT…   (QUESTION: its number, 1, 2, …)",
    "note": "note TEXT…",
    "inject": "inject {message: {to: ACTOR, text: …}}   or   inject {incident: {id: X1, type: …, severity: 2}}",
    "send-now": "send-now INJECT",
    "pause": "pause",
    "resume": "resume",
    "speed": "speed X   (1 = real time, 60 = a simulated minute a second)",
    "end": "end",
}
"""The console's commands and their usage lines."""

HELP = "commands: " + "; ".join(COMMANDS.values()) + "; who   (which played roles have joined, since when)"
"""What ``help`` shows at the console."""


def is_help(line: str) -> bool:
    """Whether a console line asks for the list of commands."""
    return line.strip().lower() in ("help", "?")


def is_who(line: str) -> bool:
    """Whether a console line asks who has joined (the console answers it; it is not an input)."""
    return line.strip().lower() == "who"


def parse_command(line: str) -> Input | None:
    """A console line as an input; None for a blank line. Raises :class:`InputError` with the usage."""
    line = line.strip()
    if not line:
        return None
    word, _, rest = line.partition(" ")
    word, rest = word.lower(), rest.strip()
    if word not in COMMANDS:
        shown = f"{word[:40]!r}{'…' if len(word) > 40 else ''}"
        raise InputError(f"unknown command {shown}; commands: {', '.join(COMMANDS)} (type 'help' for usage)")
    usage = f"usage: {COMMANDS[word]}"
    if word in ("note",):
        return note(rest) if rest else _fail(usage)
    if word == "inject":
        return adhoc_inject(rest) if rest else _fail(usage)
    try:
        args = shlex.split(rest)
    except ValueError as exc:
        raise InputError(f"{exc}; {usage}") from None
    if word in ("pause", "resume", "end"):
        return (end() if word == "end" else Input(word, {})) if not args else _fail(usage)
    if word == "speed":
        if len(args) != 1:
            _fail(usage)
        try:
            if "_" in args[0]:  # float() reads "1_000" as 1000
                raise ValueError(args[0])
            return speed(float(args[0]))
        except ValueError as exc:
            raise InputError(f"{exc}" if isinstance(exc, InputError) else f"speed {args[0]!r} is not a number; "
                             f"{usage}") from None
    if word == "send-now":
        return send_now(args[0]) if len(args) == 1 else _fail(usage)
    if word == "answer":
        return answer(args[0], args[1]) if len(args) == 2 else _fail(usage)
    if word == "action":
        return action(args[0], args[1], args[2] if len(args) == 3 else None) if len(args) in (2, 3) else _fail(usage)
    # discuss ACTOR INJECT QUESTION TEXT…
    parts = rest.split(None, 3)
    if len(parts) != 4 or not parts[2].isdigit():
        _fail(usage)
    return discuss(parts[0], parts[1], int(parts[2]), parts[3])


def _fail(usage: str) -> Input:
    raise InputError(usage)
