"""Make the library's shipped summaries (:mod:`.library_index`): check each library file in full.

    python -m ballotdrill.scenarios.make_library_index     # make library-index

Run it after any change to ``scenarios.yaml`` or to a ``scenarios/*.py``; tests/test_format_library_index.py
fails until then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ballotdrill.scenarios import cache
from ballotdrill.scenarios.library_index import FORMAT, INDEX, LABEL, LIBRARY_FILES, file_key
from ballotdrill.scenarios.loader import check_document
from ballotdrill.scenarios.rawfile import decode, read_bytes
from ballotdrill.scenarios.summary import as_json, summarize
from ballotdrill.scenarios.yamlread import parse


def library_files() -> list[Path]:
    """Where the library's files are (beside the package's ``__init__.py``)."""
    import ballotdrill

    return [Path(ballotdrill.__file__).with_name(name) for name in LIBRARY_FILES]


def build(files: Sequence[Path] | None = None) -> dict[str, Any]:
    """The index of ``files`` (the library's) for the sources as they are now: each file checked in full."""
    sources = cache.sources_fingerprint()
    if sources is None:
        raise SystemExit("the format's sources cannot be read: no index can be made")
    entries = {}
    for path in library_files() if files is None else files:
        raw = read_bytes(str(path), str(path))
        entries[file_key(raw)] = as_json(summarize(check_document(parse(decode(raw, LABEL), LABEL))))
    return {"format": FORMAT, "sources": sources.hex(), "files": entries}


def text(index: dict[str, Any]) -> str:
    """The index as it is written to :data:`INDEX`."""
    return json.dumps(index, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    INDEX.write_text(text(build()), encoding="utf-8")
    print(f"wrote {INDEX}")
