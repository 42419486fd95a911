"""The ``ballotdrill`` command line: the Typer app, its commands registered in the order ``--help`` lists them,
and the entry point that turns every user error into one line and an exit status.

The commands themselves live in ``ballotdrill.commands`` (one module per group); they parse, call
the application layer and print. No domain logic lives here.
"""

import signal
import sys
import threading
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ballotdrill import application, scenarios
from ballotdrill.commands import library, live_play, runs, sweeps
from ballotdrill.commands.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, err, say

# A command imports what it uses, when it runs (the engine, scoring, reports, sweeps, progress
# bars): --help, list and validate start with the scenario format alone (bench/startup.py).

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "app", "main"]

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


def _is(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is a click-style ``name`` (typer vendors click in newer releases, so match by class name)."""
    return any(klass.__name__ == name for klass in type(exc).__mro__)


OPTIONAL_VALUES = {"--serve": "127.0.0.1:0"}
"""Options whose value may be left out, and the value they then take."""


def _with_defaults(args: list[str]) -> list[str]:
    """``--serve`` given without HOST:PORT (last, or before another option) gets its default value."""
    out: list[str] = []
    for n, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            return out + args[n + 1:]
        if arg in OPTIONAL_VALUES and (n + 1 == len(args) or args[n + 1].startswith("-")):
            out.append(OPTIONAL_VALUES[arg])
    return out


def _ignore_late_interrupts() -> None:
    """The command has done its work and said so: a Ctrl-C from here to the process's exit changes nothing (it
    would otherwise end a finished command with an "interrupted" line or by the signal itself)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def main() -> None:
    """Entry point: user errors (bad files, flags, names) become one line on stderr and exit status 2."""
    try:
        status = app(args=_with_defaults(sys.argv[1:]), standalone_mode=False, prog_name="ballotdrill")
        _ignore_late_interrupts()
        if status == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt out of a command into this status
            say("interrupted")
    except application.RunInterrupted as exc:
        say(str(exc))
        status = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        say("interrupted")
        status = EXIT_INTERRUPTED
    except scenarios.BallotdrillError as exc:
        for line in str(exc).splitlines():
            say(line)
        status = EXIT_BAD_INPUT
    except Exception as exc:
        if _is(exc, "NoArgsIsHelpError"):
            err.print(exc.format_message(), markup=False, highlight=False)  # type: ignore[attr-defined]
            status = 0
        elif _is(exc, "UsageError"):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "ballotdrill"
            say(f"{where}: {exc.format_message()} (see '{where} --help')")  # type: ignore[attr-defined]
            status = EXIT_BAD_INPUT
        elif _is(exc, "Abort"):
            say("interrupted")
            status = EXIT_INTERRUPTED
        else:
            raise
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
