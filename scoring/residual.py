"""How much of a step's work is still to do, on average, once it has run a while: the mean of its duration's
distribution beyond what has elapsed, given the draw is longer (its mean residual life, ``E[D - e | D > e]``).

For work not begun (``e = 0``) this is the distribution's mean, the figure the designed path counts; for work under
way it is that same mean told what the run has shown: a step begun 12 min ago whose work usually takes about 30 still
has, on average, what a draw longer than 12 min has left — never nothing. Exact for each distribution the format
has: a fixed duration has its value less the elapsed time left; an exponential its mean whatever has elapsed
(memoryless); a uniform, a triangular and an empirical one what their draws above ``e`` have left; a lognormal its
closed form. 0 when no draw is longer than ``e`` (a fixed or bounded duration already run through).
"""

from __future__ import annotations

import math

from ballotdrill.scenarios.distributions import Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform

__all__ = ["mean_left"]

Duration = Fixed | Uniform | Triangular | Exponential | Lognormal | Empirical


def mean_left(dist: Duration, elapsed: float) -> float:
    """The mean minutes of work left of a draw of ``dist`` that has run ``elapsed`` minutes without ending."""
    e = max(0.0, elapsed)
    if isinstance(dist, Fixed):
        return max(0.0, float(dist.value) - e)
    if isinstance(dist, Exponential):
        return float(dist.mean)
    if isinstance(dist, Uniform):
        lo, hi = float(dist.min), float(dist.max)
        return (lo + hi) / 2 - e if e <= lo else max(0.0, (hi - e) / 2)
    if isinstance(dist, Triangular):
        return _triangular_left(float(dist.min), float(dist.mode), float(dist.max), e)
    if isinstance(dist, Empirical):
        weights = dist.weights or [1.0] * len(dist.values)
        longer = [(float(v), w) for v, w in zip(dist.values, weights, strict=True) if v > e and w > 0]
        total = sum(w for _, w in longer)
        return sum((v - e) * w for v, w in longer) / total if total > 0 else 0.0
    return _lognormal_left(dist, e)


def _triangular_left(lo: float, mode: float, hi: float, e: float) -> float:
    """:func:`mean_left` of a triangular: the integral of its survival beyond ``e`` over the survival at ``e``."""
    if e >= hi:
        return 0.0
    if e <= lo:
        return (lo + mode + hi) / 3 - e
    span = hi - lo
    upper = (hi - mode) ** 2 / (3 * span)  # the integral of the survival over [mode, hi]
    if e >= mode:
        return (hi - e) / 3  # the survival is (hi - x)² / (span (hi - mode)) there
    rise = mode - lo
    survival = 1 - (e - lo) ** 2 / (span * rise)
    integral = (mode - e) - ((mode - lo) ** 3 - (e - lo) ** 3) / (3 * span * rise) + upper
    return integral / survival


def _normal_tail(x: float) -> float:
    """P(Z > x) for a standard normal Z."""
    return 0.5 * math.erfc(x / math.sqrt(2))


def _lognormal_left(dist: Lognormal, e: float) -> float:
    """:func:`mean_left` of a lognormal: ``mean · P(Z > (ln e − μ − σ²)/σ) / P(Z > (ln e − μ)/σ) − e``; far in its
    tail, where both vanish, their ratio's limit ``σ² e / (ln e − μ)``."""
    if e <= 0:
        return float(dist.mean)
    mu, sigma = math.log(dist.median), dist.sigma
    z = (math.log(e) - mu) / sigma
    tail = _normal_tail(z)
    if tail < 1e-300:
        return sigma * sigma * e / (math.log(e) - mu)
    return max(0.0, float(dist.mean) * _normal_tail(z - sigma) / tail - e)
