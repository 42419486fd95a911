"""The plain forms of ``list``, ``validate`` and ``export``, run without typer.

Typer builds a pydantic converter for every option it parses, so a command line it parses loads
pydantic before any file is read (about 0.3 s of CPU with typer itself); with the summary cache
(:mod:`ballotdrill.scenarios.summary`) ``list`` and ``validate`` need neither pydantic nor YAML
otherwise, and a JSON Lines or CSV export of a sealed run needs neither at all. This module recognises only the
forms it parses exactly as typer would — the flags each command has, ``--file PATH``,
``-f PATH``, ``--file=PATH``, export's ``--jsonl PATH``, ``--csv PATH`` and ``--ocel PATH``, file names that
do not start with ``-``, each option once — and
runs the same functions the Typer commands call. Anything else (``--help``, a typo, a
missing value, ``--``) is left to typer, which prints its own help and errors.
"""

import os
from collections.abc import Sequence
from pathlib import Path

from ballotdrill.commands import exporting, listing


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
    if command == "export":
        return _export(rest)
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


_EXPORT_FILES = ("--jsonl", "--csv", "--ocel")


def _export(rest: Sequence[str]) -> int | None:
    files: dict[str, Path] = {}
    force = False
    folders: list[Path] = []
    tokens = iter(rest)
    for token in tokens:
        if token in _EXPORT_FILES and token not in files:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            files[token] = Path(value)
        elif token == "--force" and not force:
            force = True
        elif token.startswith("-"):
            return None
        else:
            folders.append(Path(token))
    if len(folders) != 1:
        return None
    exporting.export(folders[0], jsonl=files.get("--jsonl"), csv=files.get("--csv"), ocel=files.get("--ocel"),
                     force=force)
    return 0
