"""The Typer app: the root options and every command, registered in the order ``--help`` lists them.

Built when a command line needs it (anything but the plain forms of ``list`` and ``validate``,
which :mod:`.quick` runs without typer); ``cli.main`` runs it.
"""

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ballotdrill.commands import library, live_play, runs, sweeps


def _plain_flags() -> None:
    """Show an on/off option as the bare flag in ``--help``, as typer did before 0.2x: its newer help gives each
    flag a type column (``--json <bool>``) that reads as if it took a value, and ``--json true`` then names a
    scenario 'true'. Typer releases without that column are left as they are."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None or getattr(shown, "plain_flags", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if getattr(self, "is_bool_flag", False) else shown(self, ctx)

    display_type_rich.plain_flags = True  # type: ignore[attr-defined]
    option.display_type_rich = display_type_rich


_plain_flags()
app = typer.Typer(
    help="Election-risk exercise simulator: run scripted election-day incidents against a crisis-response structure.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from ballotdrill import __version__

        sys.stdout.write(f"ballotdrill {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """Election-risk exercise simulator: run scripted election-day incidents against a crisis-response structure."""


COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("list", library.list_scenarios),
    ("validate", library.validate),
    ("schema", library.schema),
    ("risks", library.risks),
    ("show", library.show),
    ("import-msel", library.import_msel),
    ("run", runs.run),
    ("report", runs.report),
    ("compare", runs.compare),
    ("sweep", sweeps.sweep),
    ("decisions", runs.decisions),
    ("export", runs.export),
    ("live", live_play.live),
    ("resume", live_play.resume),
    ("join", live_play.join),
    ("replay", live_play.replay),
]
"""Each command's name and function, in the order ``--help`` lists them."""

for _name, _command in COMMANDS:
    app.command(_name)(_command)
