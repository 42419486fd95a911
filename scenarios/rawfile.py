"""A scenario file's bytes and text, with the size limit and located errors every reader shares.

Imports nothing heavy: the summary cache hashes these bytes before it knows whether YAML is needed.
"""

from __future__ import annotations

from ballotdrill.scenarios.errors import Problem, ScenarioError

MAX_BYTES = 1024 * 1024


def read_bytes(path: str, label: str, what: str = "the file", advice: str = "split it or trim it") -> bytes:
    """The bytes of the file at ``path``, refusing files over :data:`MAX_BYTES` (errors name ``label``; an oversize
    file is called ``what`` and given ``advice``)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([Problem(label, 0, 0, f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([Problem(label, 0, 0,
                                     f"{what} is over {MAX_BYTES // 1024} KiB; {advice}")])
    return raw


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text of ``raw`` (a leading BOM dropped), or a located error."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError([Problem(source, line, col,
                                     f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")]) from None
    return text.removeprefix("\ufeff")
