"""Named random streams derived from a run's seed by SHA-256.

One ``random.Random`` per source (an incident, an actor, a channel). Incident
streams never feed the structure and vice versa, so two structures run on the
same seed face the same incidents (common random numbers). Never the global
``random``, never ``hash()``: the same seed gives the same draws in any process.

A stream is seeded when it is first asked for, so a source that never draws costs
nothing; its draws depend only on its name and the run's seed, never on when it was made.
"""

from __future__ import annotations

import _random
import hashlib
import random
from typing import Any

_new_random: Any = random.Random.__new__
_seed_random: Any = _random.Random.seed


def derive_seed(seed: int, name: str) -> int:
    """A 128-bit seed for stream ``name`` of run seed ``seed``."""
    digest = hashlib.sha256(f"ballotdrill\x00{seed}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


class Streams:
    """The run's random streams, created on first use."""

    __slots__ = ("_prefix", "_streams", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}
        self._prefix = hashlib.sha256(f"ballotdrill\x00{seed}\x00".encode())
        """The digest of every name's common start, copied for each stream (the same bytes as :func:`derive_seed`)."""

    def make(self, name: str) -> random.Random:
        """A new stream called ``name``, not kept: its owner holds it (one per incident keeps memory flat).

        ``random.Random(derive_seed(seed, name))``, without its Python-level ``__init__`` and ``seed`` wrappers."""
        digest = self._prefix.copy()
        digest.update(name.encode())
        stream: random.Random = _new_random(random.Random)
        _seed_random(stream, int.from_bytes(digest.digest()[:16], "big"))  # what Random.seed does with an int
        stream.gauss_next = None  # type: ignore[attr-defined]
        return stream

    def __contains__(self, name: object) -> bool:
        """Whether the long-lived stream ``name`` has been made (asked for) in this run."""
        return name in self._streams

    def get(self, name: str) -> random.Random:
        """The long-lived stream called ``name`` (e.g. ``actor/police``, ``channel/phone``)."""
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = self.make(name)
        return stream


class StreamsOf(dict[str, random.Random]):
    """The long-lived streams of one kind of source (``actor/NAME``, ``channel/NAME``) by name, each made the first
    time it is looked up (a plain dict lookup once it exists)."""

    __slots__ = ("_kind", "_streams")

    def __init__(self, streams: Streams, kind: str) -> None:
        super().__init__()
        self._streams = streams
        self._kind = kind

    def __missing__(self, name: str) -> random.Random:
        stream = self[name] = self._streams.get(f"{self._kind}/{name}")
        return stream
