"""The scores' rounding to thousandths gives exactly the float ``round(value, 3) or 0.0`` gives, for every value."""

from __future__ import annotations

import math
import random
import struct

from hypothesis import given
from hypothesis import strategies as st

from ballotdrill.journal.rounding import r3, r3n


def _builtin(value: float) -> float:
    return round(float(value), 3) or 0.0


def _same(a: float, b: float) -> bool:
    """The same float: equal with the same sign, or both NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b) and type(a) is type(b)


EDGES = [
    0.0, -0.0, 0.0625, -0.0625, 0.1875, 0.0005, -0.0005, 0.0015, 0.0025, 1.0005, 2.675, 1e-320, -1e-320,
    5e-324, math.inf, -math.inf, math.nan, 1e300, -1e300, 3.5e10, -3.5e10, 3.4999999e10, 2 ** 45 / 1000,
    123456789.0625, 1e15 + 0.5, 0.49999999999999994, 0.4995, 0.0004999, -0.0004999, 7, -3, True, 10 ** 20, "2.675",
    "-0.0004",
]


def test_edges_round_as_builtin() -> None:
    """Exact ties (0.0625 is 62.5 thousandths: to even), near-ties, signed zeros, tiny, huge, inf, NaN, integers."""
    for value in EDGES:
        assert _same(r3(value), _builtin(value)), value


def test_many_values_round_as_builtin() -> None:
    """Half a million values of every kind a score holds, and of none: uniform minutes, halves of thousandths (ties and
    their neighbours), arbitrary bit patterns, counts of thousandths nudged by less than a half."""
    rng = random.Random(20261203)
    for i in range(500_000):
        kind = i % 5
        if kind == 0:
            value = rng.uniform(-3000.0, 3000.0)
        elif kind == 1:
            value = rng.randint(-10 ** 7, 10 ** 7) / 2000
        elif kind == 2:
            value = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
        elif kind == 3:
            value = rng.randint(-10 ** 9, 10 ** 9) / 1000 + rng.choice((0.0, 1e-12, -1e-12, 4.9e-4, -4.9e-4))
        else:
            value = rng.expovariate(0.01)
        assert _same(r3(value), _builtin(value)), value


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_rounds_as_builtin(value: float) -> None:
    assert _same(r3(value), _builtin(value))


def test_none_passes_through() -> None:
    assert r3n(None) is None
    rounded = r3n(-0.0001)
    assert rounded is not None and _same(rounded, 0.0)  # never -0.0
    assert r3n(1.23456) == 1.235
