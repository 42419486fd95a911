"""Who does each step of a procedure run: the step's actor, or the incident's owner for ``actor: owner``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ballotdrill.scenarios.structure import OWNER, Step


class Assignment(NamedTuple):
    """Each step's actor and the desk that serves it (the actor's, or ``actor/post``), by step index."""

    actors: tuple[str, ...]
    desks: tuple[str, ...]


def desk_of(actor: str, step: Step) -> str:
    """The desk that serves ``step`` done by ``actor``: the actor's own, or its post's (``actor/post``)."""
    return actor if step.post is None else f"{actor}/{step.post}"


class Owners:
    """The assignments of one procedure's steps, one per incident owner (made once, then reused)."""

    __slots__ = ("_by_owner", "_fixed", "_steps", "needs_owner")

    def __init__(self, steps: Sequence[Step]) -> None:
        self._steps = steps
        self.needs_owner = any(s.actor == OWNER for s in steps)
        """Whether some step is done by the incident's owner."""
        self._fixed = Assignment(tuple(s.actor for s in steps), tuple(desk_of(s.actor, s) for s in steps))
        self._by_owner: dict[str, Assignment] = {}

    def assign(self, owner: str | None) -> Assignment:
        """The steps' actors and desks for an incident owned by ``owner``.

        A procedure with an owner's step is only started for incidents that name an owner (the
        loader checks it); here a missing owner is a programming error.
        """
        if not self.needs_owner:
            return self._fixed
        if owner is None:
            raise ValueError("a step is done by the incident's owner, but the incident names no 'owner'")
        found = self._by_owner.get(owner)
        if found is None:
            actors = tuple(owner if s.actor == OWNER else s.actor for s in self._steps)
            found = self._by_owner[owner] = Assignment(actors, tuple(desk_of(a, s) for a, s in
                                                                     zip(actors, self._steps, strict=True)))
        return found
