"""Distributions of durations, each able to draw from a ``random.Random``.

Written as ``{dist: exponential, mean: 20m}``; a bare duration such as ``15m`` is
shorthand for ``{dist: fixed, value: 15m}``.
"""

import math
import random
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, model_validator

from ballotdrill.scenarios.types import Duration, Model

Z90 = 1.2815515655446004
"""The standard normal's 0.9 quantile, linking a lognormal's median and p90."""


class Fixed(Model):
    """Always the same duration."""

    dist: Literal["fixed"]
    value: Duration

    def sample(self, rng: random.Random) -> float:
        return self.value

    @property
    def mean(self) -> float:
        return self.value


class Uniform(Model):
    """Any duration between ``min`` and ``max``, equally likely."""

    dist: Literal["uniform"]
    min: Duration
    max: Duration

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if self.max < self.min:
            raise ValueError(f"'max' ({self.max:g}m) must not be below 'min' ({self.min:g}m)")
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.uniform(self.min, self.max)

    @property
    def mean(self) -> float:
        return (self.min + self.max) / 2


class Triangular(Model):
    """Between ``min`` and ``max``, most often near ``mode``."""

    dist: Literal["triangular"]
    min: Duration
    mode: Duration
    max: Duration

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not self.min <= self.mode <= self.max:
            raise ValueError(
                f"triangular needs min <= mode <= max (got {self.min:g}m, {self.mode:g}m, {self.max:g}m)"
            )
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.triangular(self.min, self.max, self.mode)

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3


class Exponential(Model):
    """Memoryless, with the given mean (Poisson arrivals have exponential gaps)."""

    dist: Literal["exponential"]
    mean_: Duration = Field(alias="mean", gt=0)

    def sample(self, rng: random.Random) -> float:
        return rng.expovariate(1.0 / self.mean_)

    @property
    def mean(self) -> float:
        return self.mean_


MAX_P90_RATIO = 1000.0
"""A lognormal's p90 at most this many times its median (beyond, draws overflow or dwarf any scenario)."""


class Lognormal(Model):
    """Right-skewed, set by its median and 90th percentile."""

    dist: Literal["lognormal"]
    median: Duration = Field(gt=0)
    p90: Duration

    @model_validator(mode="after")
    def _ordered(self) -> "Lognormal":
        if self.p90 <= self.median:
            raise ValueError(f"'p90' ({self.p90:g}m) must be above 'median' ({self.median:g}m)")
        if self.p90 > MAX_P90_RATIO * self.median:
            raise ValueError(f"'p90' ({self.p90:g}m) is more than {MAX_P90_RATIO:g} times 'median' "
                             f"({self.median:g}m): the mean and the longest draws would be absurd; use a smaller p90")
        return self

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / Z90

    def sample(self, rng: random.Random) -> float:
        return rng.lognormvariate(math.log(self.median), self.sigma)

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)


MIN_WEIGHT_SHARE = 1e-6
"""A nonzero empirical weight is at least this share of the total (smaller ones are typos or traps)."""


class Empirical(Model):
    """One of the listed durations, optionally weighted."""

    dist: Literal["empirical"]
    values: list[Duration] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> "Empirical":
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"'weights' needs one weight per value ({len(self.values)}), got {len(self.weights)}"
                )
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("'weights' must be non-negative and not all zero")
            total = sum(self.weights)
            tiny = [w for w in self.weights if 0 < w < MIN_WEIGHT_SHARE * total]
            if tiny:
                raise ValueError(f"weight {tiny[0]:g} is a vanishing share of the total ({total:g}); "
                                 f"use 0 to leave a value out, or at least {MIN_WEIGHT_SHARE:g} of the total")
        return self

    def sample(self, rng: random.Random) -> float:
        if self.weights is None:
            return self.values[rng.randrange(len(self.values))]
        return rng.choices(self.values, weights=self.weights)[0]

    @property
    def mean(self) -> float:
        if self.weights is None:
            return sum(self.values) / len(self.values)
        return sum(v * w for v, w in zip(self.values, self.weights, strict=True)) / sum(self.weights)


def _shorthand(value: Any) -> Any:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


Distribution = Annotated[
    Union[Fixed, Uniform, Triangular, Exponential, Lognormal, Empirical],
    Field(discriminator="dist"),
    # The JSON Schema must admit the shorthand too: a duration, or one of the tagged forms.
    BeforeValidator(_shorthand, json_schema_input_type=Union[
        Duration, Annotated[Union[Fixed, Uniform, Triangular, Exponential, Lognormal, Empirical],
                            Field(discriminator="dist")]]),
]
"""Any distribution of a duration; a bare duration string means a fixed one."""

ZERO = Fixed.model_construct(dist="fixed", value=0.0)
"""No duration: the default of every optional distribution. Made without validation (the same object
``Fixed(dist="fixed", value="0m")`` gives, tested): validating it here would build ``Fixed``'s own
validator and serializer at import, and load pydantic's plugin machinery, for every command that
imports the format, before a file is read."""
