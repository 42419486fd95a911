"""An answer to a decision request that is no longer open: why it is refused, and an answer given after the request's
timeout kept as late (the ``late_answer`` input and its ``answered_late`` row), so the report can tell "answered
10 s late" from "never answered"."""

from __future__ import annotations

from typing import Any

from ballotdrill.live.inputs import InputError
from ballotdrill.scenarios.timefmt import seconds_words


class LateAnswer(InputError):
    """An answer refused because its request had timed out; ``recorded`` is the ``late_answer`` input kept for it."""

    def __init__(self, message: str, recorded: dict[str, Any]) -> None:
        super().__init__(message)
        self.recorded = recorded


def closed(core: Any, request: Any, option: str, by: str) -> InputError:
    """Why an answer to ``request`` (closed; ``core``: the LiveCore, which imports this module) is refused: timed out
    when (the answer then kept as late), answered by whom, or left undecided at the end."""
    done = next((d for d in reversed(core.decided.get(request.actor, [])) if d.request.key == request.key), None)
    head = f"request {request.number} ({request.key}) is no longer open: "
    if done is None:  # not a played actor's request (never shown): nothing more to say
        return InputError(head + "it was answered or timed out")
    at = core.clock(done.t)
    if done.by != "timeout":
        who = "by you" if by == "player" and done.by == "player" else f"by the {done.by}"
        return InputError(head + f"it was answered {who} at {at} ('{done.option}')")
    late = round((core.now - done.t) * 60.0)
    told = head + f"it timed out at {at} and the default '{done.option}' was taken"
    if option not in request.options:
        return InputError(told)
    earlier = core.answered_late.get(request.key)
    if earlier is not None:  # one late answer is kept for a request: a second says nothing the first did not
        return InputError(f"{told}; a late answer ('{earlier[1]}') was recorded at {core.clock(earlier[0])} already")
    return LateAnswer(f"{told}; your answer '{option}', {seconds_words(late)} after the timeout, is recorded as late",
                      {"request": request.key, "option": option, "by": by, "late": late,
                       "default": done.option})
