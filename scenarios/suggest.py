"""Nearest-name suggestions for typos."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string.

    The same name in another case wins, then a close spelling; failing that, the one choice that
    ``word`` abbreviates (``expo``).
    """
    import difflib  # only when a name is wrong: a file that loads never pays for it

    options = list(choices)
    same = [c for c in options if c.casefold() == word.casefold()]
    close = same or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        close = [c for c in options if c.startswith(word)]
    return f" (did you mean '{close[0]}'?)" if len(close) == 1 else ""
