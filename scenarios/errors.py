"""Errors raised while reading scenario files."""

from __future__ import annotations

from typing import NamedTuple


class BallotdrillError(Exception):
    """Base class of every error ballotdrill reports to a user."""


class CannotWrite(BallotdrillError):
    """An output could not be written (disk full, folder removed, writer process failed); nothing half-written
    is left in its place."""


class Problem(NamedTuple):
    """One located problem in an input: ``source:line:col: message``.

    A named tuple (not a dataclass: ``dataclasses`` loads ``inspect``, a tenth of a warm ``validate``'s start)."""

    source: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}:{self.col}: {self.message}"


class ScenarioError(BallotdrillError):
    """A scenario file (or an override of it) is malformed or inconsistent."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownScenarioError(BallotdrillError):
    """A scenario name that the file does not define."""
