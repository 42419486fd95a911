"""What the commands print with: the two consoles, the exit statuses and the printing helpers.

No typer here: ``list`` and ``validate`` print through these without loading the command-line framework.
"""

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from ballotdrill.scenarios.safetext import json_output, terminal_text

if TYPE_CHECKING:
    from rich.table import Table

EXIT_BAD_INPUT = 2
"""Exit status for any input the user can fix: a file, a flag, a name (also an output that could not be written)."""
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells expect."""

err = Console(stderr=True, emoji=False)
"""Talk, progress and errors."""
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 10_000, emoji=False)
"""The command's output (tables, JSON). Not a terminal: as wide as the content, so no name is cut.

Neither console replaces ``:name:`` codes with emoji: a title "Power :zap: cut" is shown as written."""


def say(text: str, *, markup: bool = False) -> None:
    """A plain line on stderr: never wrapped, never highlighted; user text stays as written unless ``markup``.

    Control characters are shown escaped: a file's text never moves the cursor or rewrites a line.
    """
    err.print(terminal_text(text), markup=markup, highlight=False, soft_wrap=True)


def new_table(title: str, columns: Sequence[str], keys: Iterable[str] = ()) -> "Table":
    """A table whose first column holds identifiers to type back: shown whole, never wrapped or cut; the other
    columns wrap in a narrow terminal, never cut short with an ellipsis (a cut ``(96%–100…`` misreads)."""
    from rich.table import Table  # only the commands that print a table pay for it

    table = Table(title=escape(terminal_text(title)), title_justify="left")
    table.add_column(columns[0], no_wrap=True, min_width=max([len(columns[0]), *(len(k) for k in keys)]))
    for column in columns[1:]:
        table.add_column(column, overflow="fold")
    return table


def add_row(table: "Table", *cells: object) -> None:
    """A table row of user text, shown as written (never read as rich markup)."""
    table.add_row(*(escape(terminal_text(cell)) for cell in cells))


def emit_json(data: Any) -> None:
    """JSON on stdout; controls beyond those JSON escapes itself (DEL, C1, bidi) written as ``\\u`` escapes."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    sys.stdout.write(json_output(text) + "\n")
