"""A small on-disk cache of what checking a scenario file found, in the user's cache directory.

An entry is keyed on everything its answer depends on: the file's bytes, the name it is shown
under, and the code that reads and checks it (every source file of this package, the Python
build, pydantic's and PyYAML's versions). Any change is a different key, so an entry can be
missing but never stale. The cache is an optimisation only: a directory that cannot be made or
written is skipped without a word, and an entry that does not read back whole (truncated,
edited, from another format) is ignored and written again.

Imports nothing heavy: a hit costs a hash of the file and of this package's sources, and one read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1
"""The layout of an entry; a new layout is a new key."""
MAX_ENTRIES = 64
"""Entries kept; writing one more removes the oldest."""
SUBDIR = "ballotdrill"


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/ballotdrill``, or ``~/.cache/ballotdrill`` (a relative ``XDG_CACHE_HOME`` is ignored,
    as the XDG specification says); None when there is no home directory to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base, SUBDIR)


def _package_dir(name: str) -> Path | None:
    """Where an installed top-level package lives, found without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def source_files() -> list[Path]:
    """Every source file of this package (the format: its models, reader, checks and summaries)."""
    return sorted(Path(__file__).parent.glob("*.py"))


def code_files() -> list[Path] | None:
    """The files whose bytes stand for the code behind an answer: every source file of this package,
    pydantic's ``version.py`` (which also pins pydantic-core's version, checked when pydantic loads) and
    PyYAML's ``__init__.py``; None when one cannot be found (sources not installed, say)."""
    sources = source_files()
    pydantic, yaml = _package_dir("pydantic"), _package_dir("yaml")
    if not sources or pydantic is None or yaml is None:
        return None
    return [*sources, pydantic / "version.py", yaml / "__init__.py"]


def fingerprint(files: list[Path], extra: str) -> bytes | None:
    """A digest of ``files``' names and bytes and of ``extra``; None if a file cannot be read."""
    digest = hashlib.sha256(f"format {FORMAT}\0{extra}\0".encode("utf-8", "surrogateescape"))
    try:
        for path in files:
            data = path.read_bytes()
            digest.update(f"{path.name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            digest.update(data)
    except OSError:
        return None
    return digest.digest()


@cache
def code_fingerprint() -> bytes | None:
    """The fingerprint of the code behind an answer (:func:`code_files`), the Python build, and whether PyYAML's
    C parser is installed; None when it cannot be made, and then nothing is cached."""
    files = code_files()
    if files is None:
        return None
    try:
        parsers = sorted(os.listdir(files[-1].parent))  # the C parser is a file beside PyYAML's __init__.py
    except OSError:
        return None
    return fingerprint(files, "\0".join([sys.version, sys.implementation.cache_tag, *parsers]))


@cache
def sources_fingerprint() -> bytes | None:
    """The fingerprint of this package's sources alone (:func:`source_files`); None when they cannot be read or
    are not installed. Keys the library's shipped summaries (:mod:`.library_index`)."""
    sources = source_files()
    return fingerprint(sources, "sources") if sources else None


def entry_key(raw: bytes, source: str, code: bytes) -> str:
    """The key of the answer for file bytes ``raw`` shown as ``source``, checked by code ``code``."""
    digest = hashlib.sha256(code)
    label = source.encode("utf-8", "surrogatepass")
    digest.update(f"{len(label)}\0".encode())
    digest.update(label)
    digest.update(raw)
    return digest.hexdigest()


def load(key: str, where: Path | None = None) -> Any | None:
    """The JSON stored under ``key``, or None: no entry, or one that does not read back whole."""
    folder = where or cache_dir()
    if folder is None:
        return None
    try:
        text = (folder / f"{key}.json").read_text(encoding="utf-8")
        check, _, body = text.partition("\n")
        if check != hashlib.sha256(body.encode()).hexdigest():
            return None
        entry = json.loads(body)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    return entry.get("value")


def store(key: str, value: Any, where: Path | None = None) -> None:
    """Keep ``value`` (JSON) under ``key``; silently nothing if the cache cannot be written."""
    folder = where or cache_dir()
    if folder is None:
        return
    body = json.dumps({"format": FORMAT, "key": key, "value": value}, ensure_ascii=False)
    text = f"{hashlib.sha256(body.encode()).hexdigest()}\n{body}"
    temporary = folder / f"{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, folder / f"{key}.json")  # whole or not at all, for a reader at the same time
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond :data:`MAX_ENTRIES`."""
    entries = list(folder.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    aged = sorted(entries, key=lambda path: path.stat().st_mtime_ns)
    for path in aged[: len(entries) - MAX_ENTRIES]:
        path.unlink(missing_ok=True)
