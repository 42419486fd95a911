"""Opening an SQLite file by a URI made from its path, whatever the path holds.

SQLite (as built for Python here) reads a name that starts with ``file:`` as a URI, and in a URI ``?`` starts its
parameters, ``#`` a fragment and ``%`` an escape: a URI written as ``f"file:{path}?mode=ro"`` opens another file,
or none, for a folder named ``run #3`` or ``50%``, and a plain name such as ``file:odd/journal.sqlite`` is not the
file meant. Every journal is opened by :meth:`pathlib.Path.as_uri` of its resolved path instead, which escapes
every such character.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def read_only_uri(path: Path | str) -> str:
    """The ``file:`` URI that opens ``path`` read-only."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def connect_read_only(path: Path | str, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection to the SQLite file at ``path`` (never creates it)."""
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=timeout)


def connect_file(path: Path | str, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-write connection to the SQLite file at ``path``, created if missing, in autocommit mode (no implicit
    transactions: ``isolation_level=None``), as every journal writer uses it."""
    return sqlite3.connect(Path(path).resolve().as_uri(), uri=True, isolation_level=None,
                           check_same_thread=check_same_thread)
