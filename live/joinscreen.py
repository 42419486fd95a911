"""What ``ballotdrill join`` shows a player: one styled line per new item, a status table, decision reminders.

Every text from the server is escaped for the terminal (no control sequences, no markup). A
decision's time left counts down on the player's own clock from the server's last word, and
stands still while the facilitator has paused the exercise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ballotdrill.scenarios.safetext import terminal_text

REMIND_AT = (60.0, 15.0)
"""Seconds left on a pending decision at which the player is reminded (each once, unless the time left rises above
it again: the facilitator slowed the clock)."""

REARM = 5.0
"""Seconds above a mark the time left must rise to re-arm it (a view a little behind the countdown does not)."""


class Screen:
    """The player's terminal: new items as lines, ``status`` as a table, reminders before a decision's default."""

    def __init__(self, out: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)
        self.clock = clock
        self.lock = threading.Lock()
        self.seen: set[str] = set()
        self.view: dict[str, Any] = {}
        self.received = clock()
        self.reminded: set[tuple[str, float]] = set()
        self.asked: set[str] = set()
        self.answered: set[str] = set()
        """Requests this player answered, by key or number (their closing needs no word)."""

    def say(self, line: str, style: str | None = None) -> None:
        """One line, escaped for the terminal."""
        with self.lock:
            self.console.print(terminal_text(line), style=style, markup=False)
            self.console.file.flush()

    def show(self, view: dict[str, Any]) -> None:
        """Take a new view from the server; print what is new in it (and a pause, a resume, a decision closed)."""
        with self.lock:
            before, self.view, self.received = self.view, view, self.clock()
        if before and bool(before.get("paused")) != bool(view.get("paused")) and not view.get("ended"):
            self.say(f"the facilitator {'paused' if view.get('paused') else 'resumed'} the exercise at "
                     f"{view.get('clock', '')}", "bold")
        for d in view.get("decided", []):  # how each closed: timed out to its default, or answered by whom
            if f"done:{d['key']}" not in self.seen:
                self.seen.add(f"done:{d['key']}")
                if d["by"] != "player" or not {d["key"], str(d["number"])} & self.answered:
                    self.say(d["text"], "yellow")
        for key, line, style in _items(view):
            if key not in self.seen:
                self.seen.add(key)
                self.say(line, style)
        for request in view.get("requests", []):
            left = float(request["seconds_left"])
            # the facilitator slowed the clock: a mark the time left has risen above comes again
            self.reminded -= {(str(request["key"]), mark) for mark in REMIND_AT if left > mark + REARM}
            if request["key"] not in self.asked:  # marks already passed when it arrived: its line said so
                self.asked.add(request["key"])
                self.reminded |= {(str(request["key"]), mark) for mark in REMIND_AT if left <= mark}

    def seconds_left(self, request: dict[str, Any]) -> float:
        """A pending decision's seconds left now (frozen while paused)."""
        if self.view.get("paused"):
            return float(request["seconds_left"])
        return max(0.0, float(request["seconds_left"]) - (self.clock() - self.received))

    def remind(self) -> None:
        """Print one reminder for each pending decision that has just crossed a mark of :data:`REMIND_AT`."""
        for request in self.view.get("requests", []):
            left = self.seconds_left(request)
            crossed = {(str(request["key"]), mark) for mark in REMIND_AT if left <= mark}
            if crossed - self.reminded:
                self.reminded |= crossed
                self.say(f"reminder: #{request['number']} {request['key']} has ~{left:.0f} s left; "
                         f"then the default {request['default']} applies", "bold red")

    def status(self) -> None:
        """The role's whole state as tables: decisions with time left, messages, questions, actions, incidents."""
        view = self.view
        decisions = Table(title="Decisions waiting for you", title_justify="left")
        for column in ("#", "decision", "options", "default", "answer by", "time left"):
            decisions.add_column(column)
        for r in view.get("requests", []):
            left = "paused" if view.get("paused") else f"~{self.seconds_left(r):.0f} s"
            decisions.add_row(*(_plain(v) for v in (r["number"], r["key"], "/".join(r["options"]),
                                                    r["default"], r["deadline"], left)))
        other = Table(title=_plain(f"{view.get('title', '')} at {view.get('clock', '')}"
                                   + (" (paused)" if view.get("paused") else "")), title_justify="left",
                      show_header=False)
        other.add_column("what")
        other.add_column("items")
        other.add_row("messages", _plain(_messages(view.get("messages", []))))
        other.add_row("questions", _plain("\n".join(terminal_text(f"{q['inject']} {q['number']}: {q['text']}")
                                                    for q in view.get("questions", [])) or "none"))
        other.add_row("actions", _plain(", ".join(view.get("actions", [])) or "none"))
        other.add_row("incidents", _plain("\n".join(terminal_text(f"{i['id']} {i.get('title') or i.get('type', '')}: "
                                                                  f"{i['status']}") for i in view.get("incidents", []))
                                          or "none"))
        with self.lock:
            self.console.print(decisions)
            self.console.print(other)
            self.console.file.flush()


MESSAGES_SHOWN = 10
"""How many of its latest messages ``status`` lists (the earlier ones are counted)."""


def _messages(messages: list[dict[str, Any]]) -> str:
    """The latest messages, oldest first, each ``09:05 M1 from cert: text`` (escaped); ``none``."""
    shown = messages[-MESSAGES_SHOWN:]
    lines = [terminal_text(f"{m['clock']} {m['inject']}{' from ' + m['from'] if m['from'] else ''}: {m['text']}")
             for m in shown]
    earlier = len(messages) - len(shown)
    return "\n".join(([f"({earlier} earlier)"] if earlier else []) + lines) or "none"


def _plain(value: object) -> Text:
    """A table cell or title from the server: control characters escaped, markup shown as written."""
    return Text(terminal_text(value, newlines=True))


def _items(view: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(key, line, style) of every item of a view; a key is printed once."""
    items: list[tuple[str, str, str | None]] = []
    for r in view.get("requests", []):
        items.append((f"ask:{r['key']}", f"ask #{r['number']} {r['actor']}: {r['key']} options "
                                         f"{'/'.join(r['options'])} (default {r['default']}, answer by "
                                         f"{r['deadline']}, ~{r['seconds_left']:.0f} s)", "bold yellow"))
    for m in view.get("messages", []):
        sender = f" from {m['from']}" if m["from"] else ""  # no sender: exercise control's, said by nobody in play
        items.append((f"msg:{m['inject']}:{m['clock']}", f"message {m['inject']}{sender}: {m['text']}", "cyan"))
    for q in view.get("questions", []):
        items.append((f"q:{q['inject']}:{q['number']}", f"question {q['inject']} {q['number']}: {q['text']}",
                      "magenta"))
    for i in view.get("incidents", []):
        items.append((f"inc:{i['id']}:{i['status']}",
                      f"incident {i['id']} {i.get('title') or i.get('type', '')}: {i['status']}", None))
    return items
