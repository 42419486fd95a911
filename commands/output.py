"""What the commands print with: the two consoles, the exit statuses and the printing helpers.

No typer here: ``list`` and ``validate`` print through these without loading the command-line framework.
Nor rich, until something needs it: a line on stderr that is not a terminal is written as rich would write
it (:func:`say`), so ``validate``, and any command's error, print without loading rich when the output goes
to a file or a pipe (a CI job, a pre-commit hook); the consoles are made on first use.
"""

import builtins
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ballotdrill import application
from ballotdrill.scenarios.safetext import json_output, terminal_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    err: Console
    """Talk, progress and errors. Not a terminal and no ``COLUMNS``: as wide as the content (a table's rows whole)."""
    out: Console
    """The command's output (tables, JSON). Not a terminal: as wide as the content, so no name is cut.

    Neither console replaces ``:name:`` codes with emoji: a title "Power :zap: cut" is shown as written."""

EXIT_BAD_INPUT = 2
"""Exit status for any input the user can fix: a file, a flag, a name (also an output that could not be written)."""
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells expect."""
EXIT_OUTPUT_CLOSED = 141
"""Exit status when the reader of the output went away before it was all written (``| head``): 128 + SIGPIPE, what
a shell reports for any program a closed pipe stops. Nothing more is said: the reader had what it wanted."""


class OutputClosed(Exception):
    """stdout or stderr was closed by its reader. Not an ``OSError``, so that the command-line framework does not
    turn it into an exit of its own (click makes a broken pipe exit status 1)."""


def _closed() -> None:
    raise OutputClosed


def write(stream: IO[str], text: str) -> None:
    """``text`` on ``stream`` (stdout or stderr); a reader gone (``| head``) is :class:`OutputClosed`."""
    try:
        stream.write(text)
    except BrokenPipeError:
        raise OutputClosed from None

_consoles: dict[str, "Console"] = {}
_made_for: list[object] = []
"""What the consoles were made for: the streams and the ``COLUMNS`` they read when made."""


def __getattr__(name: str) -> "Console":
    """``err`` and ``out``, the two rich consoles, made on first use, and again when the streams or ``COLUMNS``
    change (a console keeps the width and terminal it saw when made: a command run in the same process after
    another, as the tests do, would otherwise print at the first one's width)."""
    if name not in ("err", "out"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    now = [sys.stdout, sys.stderr, os.environ.get("COLUMNS")]
    if _made_for != now or name not in _consoles:
        from rich.console import Console

        _consoles["err"] = Console(stderr=True, emoji=False, width=_stderr_width())
        _consoles["out"] = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 10_000, emoji=False)
        for console in _consoles.values():  # rich's own answer to a closed pipe is exit status 1
            console.on_broken_pipe = _closed  # type: ignore[method-assign]
        _made_for[:] = now
    return _consoles[name]


def _stderr_width() -> int | None:
    """The talk console's width: a terminal's (or ``COLUMNS``, when set); else as wide as the content, so a table
    written to a file or a pipe (a CI log) keeps each row on one line, never a cell such as ``(54%–73%)`` split
    at rich's default of 80 columns."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return None if terminal or os.environ.get("COLUMNS") else 10_000


_RICH_DECIDES = ("TTY_COMPATIBLE", "FORCE_COLOR")
"""Variables with which rich may treat a stream that is not a terminal as one (then rich writes the line)."""


def plain_stream(stream: IO[str]) -> bool:
    """Whether rich would write to ``stream`` as to a file, not a terminal: no styles, no colours, so a line is
    its text and a newline. Anything rich might judge otherwise (a terminal, a variable that forces one, a
    stream rich has taken over for a progress display, a notebook) is False, and rich writes it."""
    if any(name in os.environ for name in _RICH_DECIDES) or hasattr(stream, "rich_proxied_file"):
        return False
    if hasattr(builtins, "get_ipython"):  # IPython or a notebook: rich looks closer
        return False
    try:
        return stream.isatty() is False
    except (AttributeError, ValueError):
        return False


def say(text: str, *, markup: bool = False) -> None:
    """A plain line on stderr: never wrapped, never highlighted; user text stays as written unless ``markup``.

    Control characters are shown escaped: a file's text never moves the cursor or rewrites a line.
    """
    if not markup and plain_stream(sys.stderr):
        write(sys.stderr, terminal_text(text) + "\n")
        return
    __getattr__("err").print(terminal_text(text), markup=markup, highlight=False, soft_wrap=True)


def forced(force: bool, *folders: Path) -> None:
    """With --force, say on stderr what is wrong with each run used anyway."""
    if force:
        for folder in folders:
            problem = application.check_run(folder, force=True)
            if problem:
                say(f"warning: {folder}: {problem}; used anyway (--force)")


def say_marked(mark: str, style: str, text: str) -> None:
    """A line on stderr that starts with the word ``mark`` in ``style`` (in a terminal), then user text as written:
    ``say_marked("ok", "green", "scenarios.yaml (4 scenarios)")``."""
    line = f"{mark} {terminal_text(text)}"
    if plain_stream(sys.stderr):
        write(sys.stderr, line + "\n")
        return
    from rich.text import Text

    styled = Text(line, end="")  # no markup read: text ending in a backslash is shown as written
    styled.stylize(style, 0, len(mark))
    __getattr__("err").print(styled, highlight=False, soft_wrap=True)


def new_table(title: str, columns: Sequence[str], keys: Iterable[str] = ()) -> "Table":
    """A table whose first column holds identifiers to type back: shown whole, never wrapped or cut; the other
    columns wrap in a narrow terminal, never cut short with an ellipsis (a cut ``(96%–100…`` misreads)."""
    from rich.markup import escape
    from rich.table import Table  # only the commands that print a table pay for it

    table = Table(title=escape(terminal_text(title)), title_justify="left")
    table.add_column(columns[0], no_wrap=True, min_width=max([len(columns[0]), *(len(k) for k in keys)]))
    for column in columns[1:]:
        table.add_column(column, overflow="fold")
    return table


def add_row(table: "Table", *cells: object) -> None:
    """A table row of user text, shown as written (never read as rich markup)."""
    from rich.markup import escape

    table.add_row(*(escape(terminal_text(cell)) for cell in cells))


def emit_json(data: Any) -> None:
    """JSON on stdout; controls beyond those JSON escapes itself (DEL, C1, bidi) written as ``\\u`` escapes."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    write(sys.stdout, json_output(text) + "\n")
