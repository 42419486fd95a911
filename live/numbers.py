"""Decision requests are numbered per played actor (its first is #1), so a player's first decision is never #52.

A reference to a request is its key, its number (a player's own; at the console the one open request of that
number, or the one request of it), or ``ACTOR#N``. The journal records the key, so numbering is presentation only:
replays never depend on it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol, TypeVar

from ballotdrill.live.inputs import InputError


class Numbered(Protocol):
    """What a request reference is resolved against (a :class:`~ballotdrill.live.core.Request`)."""

    @property
    def key(self) -> str: ...

    @property
    def actor(self) -> str: ...

    @property
    def number(self) -> int: ...


def label(request: Numbered) -> str:
    """A request as the facilitator names it among every played actor's: ``interior#3``."""
    return f"{request.actor}#{request.number}"


R = TypeVar("R", bound=Numbered)


def find_request(ref: str, player: str | None, requests: Mapping[str, R],
                 numbers: Mapping[tuple[str, int], str], pending: Collection[str]) -> R | None:
    """The request ``ref`` names for ``player`` (None: the facilitator, who may name any played actor's); None when
    it names none. A bare number the facilitator gives that several actors' requests bear is refused, naming them."""
    found = requests.get(ref)
    if found is not None:
        return found if player is None or found.actor == player else None
    actor, _, digits = ref.rpartition("#")
    if not digits.isdigit() or (actor and player is not None and actor != player):
        return None
    number = int(digits)
    if actor or player is not None:
        return requests.get(numbers.get((actor or str(player), number), ""))
    bearing = [requests[key] for (_, n), key in numbers.items() if n == number]
    open_ = [r for r in bearing if r.key in pending]
    chosen = open_ or bearing
    if len(chosen) > 1:
        named = " or ".join(label(r) for r in chosen)
        raise InputError(f"request {number} is {'open ' if open_ else ''}for {len(chosen)} actors: say which, "
                         f"{named} (e.g. 'answer {label(chosen[0])} OPTION')")
    return chosen[0] if chosen else None
