"""Errors of running an exercise."""

from ballotdrill.scenarios.errors import BallotdrillError


class RunError(BallotdrillError):
    """A run cannot be done as asked (a bad --until, an unusable output folder, a bad decisions file)."""
