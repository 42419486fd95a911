"""Errors raised while reading scenario files."""

from __future__ import annotations

from dataclasses import dataclass


class BallotdrillError(Exception):
    """Base class of every error ballotdrill reports to a user."""


class CannotWrite(BallotdrillError):
    """An output could not be written (disk full, folder removed, writer process failed); nothing half-written
    is left in its place."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input: ``source:line:col: message``."""

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
