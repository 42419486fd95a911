"""Seeds of a sweep's replications, derived from the sweep's seed by SHA-256 (never ``hash()``).

Replication ``i`` gets the same seed at every grid point and in every variant, so they all
face the same incidents (the engine draws incidents from their own streams): common random numbers.
"""

from __future__ import annotations

import hashlib


def replication_seed(sweep_seed: int, replication: int) -> int:
    """The run seed of replication ``replication`` (0-based): 48 bits, short enough to pass to ``run --seed``."""
    digest = hashlib.sha256(f"ballotdrill-sweep\x00{sweep_seed}\x00{replication}".encode()).digest()
    return int.from_bytes(digest[:6], "big")
