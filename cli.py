"""The ``ballotdrill`` command line's entry point: run a command line, turn every user error into one line
and an exit status.

The plain forms of ``list``, ``validate`` and ``export`` run without typer (``ballotdrill.commands.quick``);
everything else goes through the Typer app (``ballotdrill.commands.typer_app``), built only then.
The commands themselves live in ``ballotdrill.commands`` (one module per group); they parse, call
the application layer and print. No domain logic lives here.
"""

import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from ballotdrill import application, scenarios
from ballotdrill.commands import output, quick
from ballotdrill.commands.output import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED, OutputClosed, say

if TYPE_CHECKING:
    import typer

    from ballotdrill.commands.typer_app import COMMANDS, app

# A command imports what it uses, when it runs (the engine, scoring, reports, sweeps, progress
# bars): --help starts with typer and its help renderer alone, list and validate with the
# summary cache (and, on a miss, the scenario format) alone (bench/startup.py).

__all__ = ["COMMANDS", "EXIT_BAD_INPUT", "EXIT_INTERRUPTED", "app", "main"]


def __getattr__(name: str) -> Any:
    """``app`` and ``COMMANDS``: the Typer app and its commands, built on first use."""
    if name not in ("app", "COMMANDS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ballotdrill.commands import typer_app

    return getattr(typer_app, name)


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
    """The command has done its work, or handled its interrupt: a Ctrl-C from here to the process's exit changes
    nothing (it would otherwise end a finished command with an "interrupted" line, cut the line that says what an
    interrupted one left, or end the process by the signal itself)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _forget_unhandled_interrupt()


def _forget_unhandled_interrupt() -> None:
    """Clear CPython's mark of an unhandled Ctrl-C. A ``KeyboardInterrupt`` that leaves code run by ``exec`` or
    ``eval`` of a string (a dataclass or named tuple being made, as a module is imported on first use) marks the
    interpreter as interrupted even when a caller catches it; run as ``python -m ballotdrill``, the interpreter then
    kills itself with SIGINT once it has exited (status -2 instead of the command's, after its line). Every such
    evaluation clears the mark as it starts: one more clears it."""
    eval("None")  # a constant: evaluated for the interpreter's side effect alone


def _quiet_closed_streams() -> None:
    """Point stdout and stderr at the null device: what is still buffered for a reader gone (``| head``) is
    dropped at exit, rather than told as an error on a stream nobody reads."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stream.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):  # a stream without a descriptor (a test's capture)
            continue


def _command_path(args: list[str]) -> str:
    """``ballotdrill COMMAND`` for a usage error typer gives without its command (an option's missing value: "Option
    '--seed' requires an argument"), so the line names the command and its help; ``ballotdrill`` when there is none."""
    from ballotdrill.commands.typer_app import COMMANDS

    command = next((arg for arg in args if not arg.startswith("-")), "")
    return f"ballotdrill {command}" if command in dict(COMMANDS) else "ballotdrill"


def _typer_app(args: list[str]) -> "typer.Typer":
    """The Typer app for ``args``; when they ask for help, typer's help renderer imported first without what help
    never uses."""
    if not args or "--help" in args[: args.index("--") if "--" in args else None]:
        from ballotdrill.commands.help_renderer import import_renderer

        import_renderer()
    from ballotdrill.commands.typer_app import app

    return app


def main() -> None:
    """Entry point: user errors (bad files, flags, names) become one line on stderr and exit status 2."""
    try:
        args = _with_defaults(sys.argv[1:])
        status = quick.run(args)
        if status is None:
            status = _typer_app(args)(args=args, standalone_mode=False, prog_name="ballotdrill")
        _ignore_late_interrupts()
        if status == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt out of a command into this status
            say("interrupted")
    except (OutputClosed, BrokenPipeError):
        _ignore_late_interrupts()
        _quiet_closed_streams()
        status = EXIT_OUTPUT_CLOSED
    except application.RunInterrupted as exc:
        _ignore_late_interrupts()  # the interrupt is handled: another Ctrl-C cannot cut its line
        say(str(exc))
        status = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        _ignore_late_interrupts()
        say("interrupted")
        status = EXIT_INTERRUPTED
    except scenarios.BallotdrillError as exc:
        _ignore_late_interrupts()  # the command has ended: a Ctrl-C cannot cut its line, nor kill the process after it
        for line in str(exc).splitlines():
            say(line)
        status = EXIT_BAD_INPUT
    except Exception as exc:
        _ignore_late_interrupts()  # (as above; for a Ctrl-C a library reported as its own error too)
        from ballotdrill.journal.interrupts import is_interrupt

        if is_interrupt(exc):  # a Ctrl-C that a library reported as its own error
            say("interrupted")
            status = EXIT_INTERRUPTED
        elif _is(exc, "NoArgsIsHelpError"):
            output.err.print(exc.format_message(), markup=False, highlight=False)  # type: ignore[attr-defined]
            status = 0
        elif _is(exc, "UsageError"):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else _command_path(sys.argv[1:])
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
