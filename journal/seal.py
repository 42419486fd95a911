"""The seal of a finished run: its row count and a digest of its rows and meta (stored scenario, seed…).

A run that ends writes the seal into its journal's meta. A journal without one did not finish
(interrupted, killed, still running); one whose rows or meta no longer match it was changed
after the run (rows deleted or duplicated, an edited scenario, a hand-typed value).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

SEAL_KEY = "seal"
"""The meta key holding the seal: JSON ``{"rows": N, "digest": HEX, "meta": [covered keys]}``."""

_ROWS = "SELECT seq, t, kind, incident, actor, step, data FROM events ORDER BY seq"


class Verdict(NamedTuple):
    """What a journal's seal says: ``sealed`` (intact), ``unfinished`` (no seal) or ``changed``."""

    state: Literal["sealed", "unfinished", "changed"]
    rows: int
    """Rows found in the journal."""
    detail: str
    """For ``changed``: what differs; for ``unfinished``, why it holds nothing when it was never set up."""


class Sealed(NamedTuple):
    """A journal's seal as its meta records it, and a digest of the meta entries it covers alone.

    ``meta_digest`` can be checked without reading a row: a copy of the seal kept elsewhere (a run's
    ``scores.json``) says which sealed journal, with which stored scenario and seed, it was made from.
    """

    rows: int
    digest: str
    meta_digest: str


def _meta_hash(meta: Mapping[str, str], keys: Sequence[str]) -> hashlib._Hash:
    digest = hashlib.sha256()
    for key in keys:
        digest.update(repr((key, meta.get(key))).encode("utf-8", "surrogatepass") + b"\n")
    return digest


def sealed(meta: Mapping[str, str]) -> Sealed | None:
    """The seal recorded in a journal's meta (None: no seal, or not readable), read without touching a row."""
    try:
        found = json.loads(meta[SEAL_KEY])
        rows, digest, keys = int(found["rows"]), str(found["digest"]), [str(k) for k in found["meta"]]
    except (KeyError, ValueError, TypeError):
        return None
    return Sealed(rows, digest, _meta_hash(meta, keys).hexdigest())


def _digest(db: sqlite3.Connection, meta: dict[str, str], keys: list[str]) -> tuple[int, str]:
    """Rows counted, and the SHA-256 of the named meta entries and every row in ``seq`` order."""
    digest = _meta_hash(meta, keys)
    count = 0
    cursor = db.execute(_ROWS)
    while rows := cursor.fetchmany(8192):
        count += len(rows)
        digest.update("\n".join(map(repr, rows)).encode("utf-8", "surrogatepass") + b"\n")
    return count, digest.hexdigest()


def seal(path: Path) -> int:
    """Seal the finished journal at ``path`` over its rows and every meta entry; return the row count."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        meta.pop(SEAL_KEY, None)
        keys = sorted(meta)
        count, digest = _digest(db, meta, keys)
        value = json.dumps({"rows": count, "digest": digest, "meta": keys}, sort_keys=True)
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (SEAL_KEY, value))
    return count


def settle(path: Path) -> None:
    """Bring a journal left by a killed run back to one consistent file (SQLite's own recovery: committed
    transactions kept, the rest rolled back). A no-op for a journal closed properly; never while a run writes it."""
    if not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=DELETE")


def verify(path: Path) -> Verdict:
    """Check the journal at ``path`` against its seal (read-only)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "events"} <= tables:  # stopped between creating the file and its first commit
            return Verdict("unfinished", 0, "it was stopped before its journal was set up")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        raw = meta.get(SEAL_KEY)
        if raw is None:
            (count,) = db.execute("SELECT count(*) FROM events").fetchone()
            return Verdict("unfinished", count, "")
        try:
            sealed = json.loads(raw)
            rows, digest, keys = int(sealed["rows"]), str(sealed["digest"]), [str(k) for k in sealed["meta"]]
        except (ValueError, TypeError, KeyError):
            (count,) = db.execute("SELECT count(*) FROM events").fetchone()
            return Verdict("changed", count, "its seal is not readable")
        missing = [k for k in keys if k not in meta]
        count, found = _digest(db, meta, keys)
    if count != rows:
        return Verdict("changed", count, f"it was sealed with {rows:,} journal rows and now holds {count:,}")
    if missing:
        return Verdict("changed", count, f"its meta lost {', '.join(missing)}")
    if found != digest:
        return Verdict("changed", count, "its rows or its meta (stored scenario, seed, decisions) differ from "
                                         "what was sealed")
    return Verdict("sealed", count, "")
