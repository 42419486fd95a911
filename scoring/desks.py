"""The desk whose queue a step waits in: its actor's staff, or one of its actor's posts (``actor/post``: one person
serving one step at a time, whatever the actor's staff, as the engine and the load table count it). A wait at a post
is the post's: its lever, its name and its fix are the post's, so a late step's root cause and the post's own queue
finding weigh the same waits on one lever, and neither advises staff the post's queue never drew on."""

from __future__ import annotations

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.model import StepResult

__all__ = ["desk_of", "post_fix", "post_of", "step_posts"]

_known: list[tuple[Structure, dict[tuple[str, str], str]]] = []
"""The last structure asked about, with its steps done at a post: (procedure, step) -> post."""


def step_posts(structure: Structure | None) -> dict[tuple[str, str], str]:
    """The structure's steps done at a post: (procedure, step) -> post (none without a structure)."""
    if structure is None:
        return {}
    for known, posts in _known:
        if known is structure:
            return posts
    posts = {(name, spec.id): spec.post for name, proc in structure.procedures.items() for spec in proc.steps
             if spec.post is not None}
    _known[:] = [(structure, posts)]
    return posts


def desk_of(structure: Structure | None, step: StepResult) -> str:
    """The desk ``step`` queued at: ``actor/post`` for a step its actor's post does, else its actor."""
    post = step_posts(structure).get((step.procedure, step.step))
    return step.actor if post is None else f"{step.actor}/{post}"


def post_of(structure: Structure | None, desk: str) -> tuple[str, str] | None:
    """``(actor, post)`` when ``desk`` is one of the structure's posts, else None."""
    actor, slash, post = desk.partition("/")
    spec = structure.actors.get(actor) if structure is not None and slash else None
    return (actor, post) if spec is not None and post in spec.posts else None


def post_fix(actor: str, post: str) -> str:
    """The fix of waits at ``post`` of ``actor`` (its display name): a second post or another actor, never staff."""
    return (f"Give {actor} a second '{post}' post, or let another actor take part of its work: '{post}' is one "
            f"person serving one step at a time, so more staff at {actor} would not shorten its queue")
