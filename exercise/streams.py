"""Named random streams derived from a run's seed by SHA-256.

One ``random.Random`` per source (an incident, an actor, a channel). Incident
streams never feed the structure and vice versa, so two structures run on the
same seed face the same incidents (common random numbers). Never the global
``random``, never ``hash()``: the same seed gives the same draws in any process.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(seed: int, name: str) -> int:
    """A 128-bit seed for stream ``name`` of run seed ``seed``."""
    digest = hashlib.sha256(f"ballotdrill\x00{seed}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


class Streams:
    """The run's random streams, created on first use."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def make(self, name: str) -> random.Random:
        """A new stream called ``name``, not kept: its owner holds it (one per incident keeps memory flat)."""
        return random.Random(derive_seed(self.seed, name))

    def get(self, name: str) -> random.Random:
        """The long-lived stream called ``name`` (e.g. ``actor/police``, ``channel/phone``)."""
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(derive_seed(self.seed, name))
        return stream
