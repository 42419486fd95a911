"""The plain forms of ``list`` and ``validate``, run without typer.

Typer builds a pydantic converter for every option it parses, so a command line it parses loads
pydantic before any file is read; with the summary cache (:mod:`ballotdrill.scenarios.summary`)
these two commands need neither pydantic nor YAML otherwise. This module recognises only the
forms it parses exactly as typer would — the flags each command has, ``--file PATH``,
``-f PATH``, ``--file=PATH``, file names that do not start with ``-``, each option once — and
runs the same functions the Typer commands call. Anything else (``--help``, a typo, a
missing value, ``--``) is left to typer, which prints its own help and errors.
"""

import os
from collections.abc import Sequence
from pathlib import Path

from ballotdrill.commands import listing


def run(args: Sequence[str]) -> int | None:
    """Run ``args`` (the command line after the program's name) if it is a plain ``list`` or ``validate``: the
    exit status; None when typer must parse it."""
    if not args or "_BALLOTDRILL_COMPLETE" in os.environ or not all(map(_plain, args)):
        return None
    command, rest = args[0], args[1:]
    if command == "list":
        return _list(rest)
    if command == "validate":
        return _validate(rest)
    return None


def _plain(arg: str) -> bool:
    """Not empty, and printable text (no control characters, no undecodable bytes, which typer's converters may
    treat differently)."""
    return arg != "" and arg.isprintable()


def _list(rest: Sequence[str]) -> int | None:
    json_out, file = False, None
    tokens = iter(rest)
    for token in tokens:
        if token == "--json" and not json_out:
            json_out = True
        elif token in ("--file", "-f") and file is None:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            file = Path(value)
        elif token.startswith("--file=") and file is None and len(token) > len("--file=") and token[7] != "-":
            file = Path(token.removeprefix("--file="))
        else:
            return None
    listing.print_list(file, json_out)
    return 0


def _validate(rest: Sequence[str]) -> int | None:
    strict = json_out = False
    files: list[Path] = []
    for token in rest:
        if token == "--strict" and not strict:
            strict = True
        elif token == "--json" and not json_out:
            json_out = True
        elif token.startswith("-"):
            return None
        else:
            files.append(Path(token))
    if not files:
        return None
    return listing.print_validation(files, strict, json_out)
