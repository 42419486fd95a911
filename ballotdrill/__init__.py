"""ballotdrill: an election-risk exercise simulator.

The installed package. Its layers live at the repository's top level and are installed
under this name: ``scenarios`` (the format) <- ``journal`` (the record of a run) <-
``exercise`` (the engine) <- ``scoring`` (measures, ratings, findings) <- ``report`` and
``exports`` <- ``application`` (what every front end calls) <- ``cli``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed metadata when first asked for (a command that never shows it
    does not pay for ``importlib.metadata``)."""
    if name != "__version__":
        raise AttributeError(f"module 'ballotdrill' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("ballotdrill")
    except PackageNotFoundError:  # run from a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
