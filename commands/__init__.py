"""The command line's commands, one module per group: parse the arguments, call the application layer, print.

``cli.py`` holds the Typer app and registers these functions; each module imports what its
commands use when they run, so ``--help``, ``list`` and ``validate`` start with the scenario
format alone. No domain logic lives here.

These modules (and ``cli.py``) keep their annotations as real objects, without ``from __future__
import annotations``: typer reads every command's signature at each start, and string annotations
would be compiled and evaluated twice per command each time.
"""
