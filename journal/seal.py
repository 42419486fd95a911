"""The seal of a finished run: its row count and a digest of its rows and meta (stored scenario, seed…).

A run that ends writes the seal into its journal's meta. A journal without one did not finish
(interrupted, killed, still running); one whose rows or meta no longer match it was changed
after the run (rows deleted or duplicated, an edited scenario, a hand-typed value).

The digest is a SHA-256 over the covered meta entries, then over the rows as stored, in ``seq``
order. Version 2 (written now) takes the rows in blocks of :data:`BLOCK`, each block as
``marshal`` format 2 of the list of row tuples: exact for every SQLite value (integers, floats
bit for bit, text, NULL, blobs; a value of another type is another byte string), in C, about a
fifth of the cost of reading the rows into Python. A command that reads every row anyway (an
export) checks the digest in its own pass (:class:`RowDigest`). A run's writer makes the digest as it commits
each batch (:class:`RunningDigest`), so sealing a run needs no pass over its rows. Version 1 (a seal without
``version``) hashed each row's ``repr``; such seals are still checked that way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple, cast

from ballotdrill.journal.sqlite_uri import connect_file, connect_read_only

SEAL_KEY = "seal"
"""The meta key holding the seal: JSON ``{"version": 2, "rows": N, "digest": HEX, "meta": [covered keys]}``."""

SEAL_VERSION = 2
"""The digest a new seal is made with (a seal without ``version`` is version 1)."""

BLOCK = 8192
"""Rows per block of a version 2 digest (part of the format)."""

def rows_sql(table: str = "events") -> str:
    """The rows a seal covers, as stored, in the order it covers them (``table``: e.g. ``j.events`` of an attached
    journal)."""
    return f"SELECT seq, t, kind, incident, actor, step, data FROM {table} ORDER BY seq"


ROWS_SQL = rows_sql()

StoredValue = int | float | str | bytes | None
RawRow = tuple[StoredValue, ...]
"""A journal row exactly as SQLite returns it (:data:`ROWS_SQL`), before any check of its values."""


class Verdict(NamedTuple):
    """What a journal's seal says: ``sealed`` (intact), ``unfinished`` (no seal) or ``changed``."""

    state: Literal["sealed", "unfinished", "changed"]
    rows: int
    """Rows found in the journal."""
    detail: str
    """For ``changed``: what differs; for ``unfinished``, why it holds nothing when it was never set up."""


CHANGED_ROWS = "its rows or its meta (stored scenario, seed, decisions) differ from what was sealed"
"""A ``changed`` verdict's detail when the digest differs."""


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


class _Seal(NamedTuple):
    version: int
    rows: int
    digest: str
    keys: list[str]


def _read_seal(raw: str) -> _Seal | None:
    try:
        found = json.loads(raw)
        version = int(found.get("version", 1))
        seal = _Seal(version, int(found["rows"]), str(found["digest"]), [str(k) for k in found["meta"]])
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return seal if version in (1, SEAL_VERSION) else None


def sealed(meta: Mapping[str, str]) -> Sealed | None:
    """The seal recorded in a journal's meta (None: no seal, or not readable), read without touching a row."""
    found = _read_seal(meta[SEAL_KEY]) if SEAL_KEY in meta else None
    if found is None:
        return None
    return Sealed(found.rows, found.digest, _meta_hash(meta, found.keys).hexdigest())


class RowDigest:
    """The digest of a journal's meta entries and rows, fed one block of rows at a time (in ``seq`` order).

    Version 2 takes blocks of exactly :data:`BLOCK` rows (the last one shorter), as ``fetchmany(BLOCK)``
    gives them; version 1 takes blocks of any size.
    """

    __slots__ = ("_hash", "_update", "rows", "version")

    def __init__(self, meta: Mapping[str, str], keys: Sequence[str], version: int = SEAL_VERSION) -> None:
        self.version = version
        self._hash = _meta_hash(meta, keys)
        self._update = self._hash.update
        self.rows = 0

    def update(self, block: Sequence[tuple[StoredValue, ...]]) -> None:
        self.rows += len(block)
        if self.version == 1:
            self._update("\n".join(map(repr, block)).encode("utf-8", "surrogatepass") + b"\n")
        else:
            data = marshal.dumps(block if type(block) is list else list(block), 2)
            _LAST[:] = (block, data)
            self._update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


_LAST: list[object] = [None, b""]
"""The block a version 2 digest hashed last and its bytes (held, so that its identity is not reused)."""


def marshalled(block: Sequence[tuple[StoredValue, ...]]) -> bytes:
    """``marshal`` format 2 of ``block`` (a list of row tuples): the bytes a digest made of this very block when it
    was the last one hashed, so an export that hands each block on (:mod:`ballotdrill.exports.apart`) does not
    encode it a second time."""
    if _LAST[0] is block:  # once: the block is let go, and never matched again after it changed
        data = cast("bytes", _LAST[1])
        _LAST[:] = (None, b"")
        return data
    return marshal.dumps(block if type(block) is list else list(block), 2)


def blocks(db: sqlite3.Connection) -> Iterator[list[RawRow]]:
    """A journal's rows as stored (:data:`ROWS_SQL`), in blocks of :data:`BLOCK`."""
    cursor = db.execute(ROWS_SQL)
    while block := cursor.fetchmany(BLOCK):
        yield block


def _digest(db: sqlite3.Connection, meta: dict[str, str], keys: list[str], version: int) -> tuple[int, str]:
    """Rows counted, and the digest of the named meta entries and every row in ``seq`` order."""
    digest = RowDigest(meta, keys, version)
    for block in blocks(db):
        digest.update(block)
    return digest.rows, digest.hexdigest()


class RunningDigest:
    """The digest of a journal as it is written: its meta (read when the first rows come), then each batch of rows
    exactly as inserted, in ``seq`` order, so that :func:`seal` needs no pass over the rows of its own.

    A batch is hashed as the tuples handed to SQLite, which SQLite returns unchanged only when ``seq`` is an int,
    ``t`` a float other than ``-0.0`` (the writer inserts ``t + 0.0``: an int ``t`` becomes a float, ``-0.0`` the
    ``0.0`` SQLite gives back, as it stores an integral REAL as an integer) and the other values text or None; a batch
    with text columns of any other type, or out of ``seq`` order, leaves the digest unusable and :func:`seal`
    makes its own pass.
    """

    __slots__ = ("_digest", "_pending", "meta", "usable")

    def __init__(self) -> None:
        self._digest: RowDigest | None = None
        self._pending: list[RawRow] = []
        self.meta: dict[str, str] = {}
        self.usable = True

    def add(self, db: sqlite3.Connection, first_seq: int, rows: Sequence[RawRow], plain: bool | None = None) -> None:
        """Hash ``rows`` (numbered from ``first_seq``) just committed to ``db``; rows committed before the first
        batch hashed here (by another process) are read back from ``db`` first. ``plain``: whether their text columns
        are plain (:func:`plain_laid`), when the caller knows; checked here otherwise."""
        if not self.usable:
            return
        digest = self._digest
        if digest is None:
            self.meta = _meta_of(db)
            digest = self._digest = RowDigest(self.meta, sorted(self.meta))
            if first_seq:
                self._pending = list(db.execute(
                    "SELECT seq, t, kind, incident, actor, step, data FROM events WHERE seq < ? ORDER BY seq",
                    (first_seq,)))
        pending = self._pending
        if first_seq != digest.rows + len(pending) or not (_plain(rows) if plain is None else plain):
            self.usable = False
            return
        try:
            if not pending and len(rows) == BLOCK:
                digest.update(rows)
                return
            pending.extend(rows)
            while len(pending) >= BLOCK:
                digest.update(pending[:BLOCK])
                del pending[:BLOCK]
        except ValueError:  # a value marshal refuses (see _plain): the seal's pass
            self.usable = False

    def result(self) -> tuple[int, str] | None:
        """Rows hashed and the digest, once the last batch is in (None: unusable)."""
        if not self.usable or self._digest is None:
            return None
        if self._pending:
            try:
                self._digest.update(self._pending)
            except ValueError:  # as in add
                self.usable = False
                return None
            self._pending = []
        return self._digest.rows, self._digest.hexdigest()


_TEXT_TYPES = frozenset((str, type(None)))


def _plain(rows: Sequence[RawRow]) -> bool:
    """Whether SQLite returns the text columns of ``rows`` as they are (each value text or NULL; ``seq`` and ``t``
    are the writer's own int and ``t + 0.0``).

    The identifier columns (kind, incident, actor, step) hold few distinct values, so the types checked are those of
    their distinct values: half the work of typing every cell. A value dropped as equal to a text kept is a ``str``
    subclass or a type with an ``__eq__`` of its own, which ``marshal`` refuses (the digest is then left to the seal's
    pass: :meth:`RunningDigest.add`) unless it is bytes-like, which SQLite stores and returns as the same bytes and
    ``marshal`` writes alike, so the digest still holds. Data (nearly every text distinct) is typed cell by cell.
    """
    try:
        _, _, kinds, incidents, actors, steps, data = zip(*rows, strict=True)
        return (set(map(type, set(kinds).union(incidents, actors, steps))) <= _TEXT_TYPES
                and set(map(type, data)) <= _TEXT_TYPES)
    except Exception:  # no rows, rows not all of seven values, a value that cannot be hashed or compared
        return False


def plain_laid(values: list[StoredValue], width: int, rest: Sequence[RawRow]) -> bool:
    """:func:`_plain` for rows of seven values whose first ones were laid end to end in ``values``, ``width`` values a
    row ending with the five text columns (``seq`` left out or not), and the ``rest`` of them as rows: the columns
    sliced in C rather than transposed row by row."""
    if rest and not _plain(rest):
        return False
    if not values:
        return bool(rest)
    try:
        kinds, incidents, actors, steps, data = (values[start::width] for start in range(width - 5, width))
        return (set(map(type, set(kinds).union(incidents, actors, steps))) <= _TEXT_TYPES
                and set(map(type, data)) <= _TEXT_TYPES)
    except Exception:  # a value that cannot be hashed or compared
        return False


def _meta_of(db: sqlite3.Connection) -> dict[str, str]:
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    meta.pop(SEAL_KEY, None)
    return meta


def seal(path: Path, running: RunningDigest | None = None) -> int:
    """Seal the finished journal at ``path`` over its rows and every meta entry; return the row count.

    ``running``: the digest its writer made as it inserted every row, used when it covers the journal as it is now
    (the same meta, as many rows); otherwise, and without it, a pass over every row makes the digest."""
    with contextlib.closing(connect_file(path)) as db:
        meta = _meta_of(db)
        keys = sorted(meta)
        made = running.result() if running is not None and running.meta == meta else None
        if made is not None:
            (last,) = db.execute("SELECT max(seq) FROM events").fetchone()
            made = made if made[0] == (-1 if last is None else last) + 1 else None
        count, digest = made if made is not None else _digest(db, meta, keys, SEAL_VERSION)
        value = json.dumps({"version": SEAL_VERSION, "rows": count, "digest": digest, "meta": keys}, sort_keys=True)
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (SEAL_KEY, value))
    return count


def settle(path: Path) -> None:
    """Bring a journal left by a killed run back to one consistent file (SQLite's own recovery: committed
    transactions kept, the rest rolled back). A no-op for a journal closed properly; never while a run writes it.

    While another program holds the journal open (a database browser, a script watching for the seal), a journal in
    WAL mode cannot leave it: it stays so, and is read as it stands (every commit is in its WAL, which SQLite reads
    as part of the file); a later settle folds it back."""
    if not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return
    with contextlib.closing(connect_file(path)) as db:
        try:
            db.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError as exc:
            held = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not (held and Path(f"{path}-wal").exists()):
                raise


class RowsToCheck(NamedTuple):
    """What is left of checking a journal against its seal once everything but its rows' digest matched."""

    meta: dict[str, str]
    keys: list[str]
    version: int
    rows: int
    digest: str

    def start(self) -> RowDigest:
        """A digest to feed every row of one pass to."""
        return RowDigest(self.meta, self.keys, self.version)

    def verdict(self, found: RowDigest) -> Verdict:
        """The verdict once every row of the pass went into ``found``."""
        if found.rows != self.rows:
            return Verdict("changed", found.rows, _count_changed(self.rows, found.rows))
        if found.hexdigest() != self.digest:
            return Verdict("changed", found.rows, CHANGED_ROWS)
        return Verdict("sealed", found.rows, "")


def _count_changed(sealed_rows: int, rows: int) -> str:
    return f"it was sealed with {sealed_rows:,} journal rows and now holds {rows:,}"


def verify_all_but_rows(path: Path) -> Verdict | RowsToCheck:
    """Check the journal at ``path`` against its seal (read-only) as far as that needs no pass over its rows:
    its verdict when that settles it, else the digest of its rows still to check."""
    with contextlib.closing(connect_read_only(path)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "events"} <= tables:  # stopped between creating the file and its first commit
            return Verdict("unfinished", 0, "it was stopped before its journal was set up")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        (count,) = db.execute("SELECT count(*) FROM events").fetchone()
    raw = meta.get(SEAL_KEY)
    if raw is None:
        return Verdict("unfinished", count, "")
    found = _read_seal(raw)
    if found is None:
        return Verdict("changed", count, "its seal is not readable")
    if count != found.rows:
        return Verdict("changed", count, _count_changed(found.rows, count))
    missing = [k for k in found.keys if k not in meta]
    if missing:
        return Verdict("changed", count, f"its meta lost {', '.join(missing)}")
    return RowsToCheck(meta, found.keys, found.version, found.rows, found.digest)


def verify(path: Path, check: RowsToCheck | None = None) -> Verdict:
    """Check the journal at ``path`` against its seal (read-only): its meta, then a pass over every row
    (only the pass when ``check`` is what :func:`verify_all_but_rows` left of it)."""
    found = verify_all_but_rows(path) if check is None else check
    if isinstance(found, Verdict):
        return found
    digest = found.start()
    with contextlib.closing(connect_read_only(path)) as db:
        for block in blocks(db):
            digest.update(block)
    return found.verdict(digest)
