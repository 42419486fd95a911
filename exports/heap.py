"""Freed memory kept for reuse while an export streams a journal block by block (glibc's ``malloc`` only).

Each block of an export makes a few buffers of one to two megabytes (the rows' ``marshal`` bytes for the seal,
the block's text and its UTF-8 bytes) and frees them before the next block. glibc returns such memory to the
system as soon as its free top passes a threshold (about twice the largest buffer freed so far) and takes
it back, page by page, for the next block: at 100,000 incidents (263 blocks) about 200,000 page faults, some
0.4 s of system time and as much of user time. With the thresholds raised, the same pages serve every block;
the peak memory is the same, since what is kept is what the previous block freed.
"""

from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
"""``mallopt`` parameters (glibc's ``malloc.h``)."""

LARGEST_KEPT = 64 << 20
"""Buffers up to this size come from the heap (beyond it, their own mapping, returned when freed)."""


def keep_freed_memory() -> bool:
    """Have ``malloc`` keep freed memory (up to a few times :data:`LARGEST_KEPT` at the heap's top) instead of
    returning it to the system; for a process about to stream a journal. Whether it took effect (False: not
    glibc, which leaves everything as it was)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, LARGEST_KEPT)) and bool(mallopt(_M_TRIM_THRESHOLD, 4 * LARGEST_KEPT))
