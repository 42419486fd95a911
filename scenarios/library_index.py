"""What ``list`` and ``validate`` show of the built-in library, shipped with the package.

The library's files are package data: after an install they do not change, so their summaries
(:mod:`.summary`) are worked out when the package is made and shipped in ``library_index.json``
beside this module. A cold ``list`` or ``validate`` of the library is then answered without YAML
or pydantic, as a warm one is from the user's cache. An answer is taken only when both keys match:
the SHA-256 of the file's bytes (any edit, or any other file, is a miss) and the fingerprint of the
format's sources, every ``scenarios/*.py`` (:func:`.cache.sources_fingerprint`; code that changed
since the index was made is a miss). On a miss the file is checked in full, exactly as without the
index. Warnings are kept without the file's name and shown under the name the file was given.

Unlike the user's cache, the key leaves out pydantic's and PyYAML's versions and the Python build,
which are not known when the package is built: the index is the project's own statement about its
own files, tested against a full check (tests/test_format_library_index.py fails when it is stale).
Made by :mod:`.make_library_index` (``make library-index``).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache as once
from pathlib import Path
from typing import Any

from ballotdrill.scenarios import cache

INDEX = Path(__file__).with_name("library_index.json")
LIBRARY_FILES = ("scenarios.yaml",)
"""The library's scenario files, beside the package's ``__init__.py``."""
FORMAT = 1
"""The index's layout; another layout is a miss."""
LABEL = "<library>"
"""The name the files are checked under when the index is made (replaced by the name a file is shown under)."""


def file_key(raw: bytes) -> str:
    """The key of a file's bytes in the index."""
    return hashlib.sha256(raw).hexdigest()


@once
def _entries() -> dict[str, Any]:
    """The index's entries when it was made by the sources in use; empty otherwise (or when it cannot be read)."""
    sources = cache.sources_fingerprint()
    try:
        index = json.loads(INDEX.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if sources is None or not isinstance(index, dict) or index.get("format") != FORMAT:
        return {}
    files = index.get("files")
    return files if index.get("sources") == sources.hex() and isinstance(files, dict) else {}


def lookup(raw: bytes) -> Any | None:
    """The stored summary (JSON, warnings under :data:`LABEL`) of a library file with bytes ``raw``; None for
    any other file, or when the index was made by other code."""
    return _entries().get(file_key(raw))
