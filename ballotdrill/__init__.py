"""ballotdrill: an election-risk exercise simulator.

The installed package. Its layers live at the repository's top level and are installed
under this name: ``scenarios`` (the format) <- ``journal`` (the record of a run) <-
``exercise`` (the engine) <- ``scoring`` (measures, ratings, findings) <- ``report`` and
``exports`` <- ``application`` (what every front end calls) <- ``cli``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ballotdrill")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
