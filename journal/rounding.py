"""Rounding to 3 decimals: the same float as ``round(value, 3)``, in a fraction of its instructions.

Scores are rounded to thousandths several times per step instance and handoff, and the engine's harm figures once per
row that carries them (so it lives below both). CPython's ``round(x, 3)`` is
correct but dear (about 3,000 machine instructions a call: it prints the decimal digits and parses them back),
a twelfth of a sweep's replication. Here the product ``y = x * 1000`` is rounded to an integer ``k`` with two
float additions (``1.5 * 2**52`` added and taken away leaves ``y`` rounded to the nearest integer, ties to
even, for ``|y| < 2**51``) and the result is ``k / 1000``:

- ``k / 1000`` is the double nearest the decimal ``k / 1000`` (an IEEE division is correctly rounded, and ``k``
  is exact), which is what ``round`` returns for the digits it chose;
- ``k`` is the integer nearest the *exact* ``x * 1000``, as ``round`` chooses it, whenever ``y`` is within 0.49
  of ``k`` (not within 0.01 of a half-integer): ``y`` is within ``2**-53 * |y|`` (at most 0.004 below
  ``2**45``) of the exact product.

Any other value (near a half-integer, huge, infinite or NaN) takes ``round`` itself, so every result is the
same float, tested against ``round`` on millions of values and on the edges.
"""

from __future__ import annotations

_TO_INTEGER = 6755399441055744.0
"""``1.5 * 2**52``: added to and taken from a float below ``2**51`` in magnitude, rounds it to an integer."""
_LIMIT = 3.5e13
"""``|x * 1000|`` below this (under ``2**45``): the product is within 0.004 of the exact one."""


def r3(value: float) -> float:
    """Round to 3 decimals, as ``round(float(value), 3)`` (avoids -0.0: a rounded zero of either sign is falsy)."""
    try:
        y = value * 1000.0  # a float's product, an integer's as float(value)'s: no call to float() on the way
    except TypeError:  # a number as text
        return r3(float(value))
    if -_LIMIT < y < _LIMIT:
        k = (y + _TO_INTEGER) - _TO_INTEGER
        if -0.49 < y - k < 0.49:
            return k / 1000.0 or 0.0
    return round(float(value), 3) or 0.0


def r3n(value: float | None) -> float | None:
    """:func:`r3` passing None through."""
    return None if value is None else r3(value)
