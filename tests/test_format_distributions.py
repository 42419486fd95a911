"""Distributions of durations: the six kinds, the bare-duration shorthand, and their checks."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from format_helpers import BASE, only_problem, replace_once
from pydantic import TypeAdapter, ValidationError

from ballotdrill.scenarios.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Lognormal,
    Triangular,
    Uniform,
)

ADAPTER: TypeAdapter[object] = TypeAdapter(Distribution)


def dist(data: object) -> object:
    return ADAPTER.validate_python(data)


def test_a_bare_duration_is_a_fixed_distribution() -> None:
    fixed = dist("15m")
    assert fixed == Fixed(dist="fixed", value="15m")
    assert isinstance(fixed, Fixed)
    assert fixed.sample(random.Random(1)) == 15.0
    assert fixed.mean == 15.0


@pytest.mark.parametrize(
    ("data", "kind", "mean"),
    [
        ({"dist": "fixed", "value": "2h"}, Fixed, 120.0),
        ({"dist": "uniform", "min": "10m", "max": "20m"}, Uniform, 15.0),
        ({"dist": "triangular", "min": "5m", "mode": "15m", "max": "40m"}, Triangular, 20.0),
        ({"dist": "exponential", "mean": "20m"}, Exponential, 20.0),
        ({"dist": "empirical", "values": ["10m", "20m"]}, Empirical, 15.0),
        ({"dist": "empirical", "values": ["10m", "20m"], "weights": [3, 1]}, Empirical, 12.5),
    ],
)
def test_each_kind_is_read_with_its_mean(data: dict[str, object], kind: type, mean: float) -> None:
    parsed = dist(data)
    assert isinstance(parsed, kind)
    assert parsed.mean == pytest.approx(mean)


def test_samples_stay_within_bounds_and_are_deterministic_per_seed() -> None:
    cases = [
        (dist({"dist": "uniform", "min": "10m", "max": "20m"}), 10.0, 20.0),
        (dist({"dist": "triangular", "min": "5m", "mode": "15m", "max": "40m"}), 5.0, 40.0),
        (dist({"dist": "empirical", "values": ["10m", "20m"], "weights": [0, 1]}), 20.0, 20.0),
    ]
    for d, low, high in cases:
        draws = [d.sample(random.Random(seed)) for seed in range(200)]
        assert all(low <= x <= high for x in draws)
        assert draws == [d.sample(random.Random(seed)) for seed in range(200)]


def test_lognormal_is_set_by_its_median_and_p90() -> None:
    logn = dist({"dist": "lognormal", "median": "1h", "p90": "3h"})
    assert isinstance(logn, Lognormal)
    rng = random.Random(42)
    draws = sorted(logn.sample(rng) for _ in range(20000))
    assert statistics.median(draws) == pytest.approx(60.0, rel=0.05)
    assert draws[int(0.9 * len(draws))] == pytest.approx(180.0, rel=0.07)
    assert logn.mean == pytest.approx(60.0 * math.exp(logn.sigma**2 / 2))


def test_exponential_sample_mean_matches() -> None:
    expo = dist({"dist": "exponential", "mean": "20m"})
    rng = random.Random(7)
    assert statistics.fmean(expo.sample(rng) for _ in range(20000)) == pytest.approx(20.0, rel=0.05)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"dist": "uniform", "min": "20m", "max": "10m"}, "'max' (10m) must not be below 'min' (20m)"),
        ({"dist": "triangular", "min": "5m", "mode": "1h", "max": "40m"}, "triangular needs min <= mode <= max"),
        ({"dist": "lognormal", "median": "1h", "p90": "30m"}, "'p90' (30m) must be above 'median' (60m)"),
        ({"dist": "empirical", "values": ["1m"], "weights": [1, 2]}, "one weight per value"),
        ({"dist": "empirical", "values": ["1m", "2m"], "weights": [0, 0]}, "not all zero"),
    ],
)
def test_inconsistent_parameters_are_refused(data: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError, match=words.replace("(", r"\(").replace(")", r"\)")):
        dist(data)


# Through the loader: each refusal is one located line in the user's terms.
CHANNEL_LINE = 7  # "phone: {latency: 3m}" in BASE


@pytest.mark.parametrize(
    ("latency", "message"),
    [
        ("{dist: expo, mean: 3m}",
         "'dist' must be one of fixed, uniform, triangular, exponential, lognormal, empirical (got 'expo') "
         "(did you mean 'exponential'?)"),
        ("{mean: 3m}",
         "'latency' needs a 'dist' key (fixed, uniform, triangular, exponential, lognormal or empirical)"),
        ("3", "a duration needs a unit (got 3; write a number and a unit, e.g. 90s, 15m, 2h, 3d or 1h30m)"),
        ("[3m]", "'latency' must be a mapping of keys to values (got ['3m'])"),
        ("{dist: lognormal, median: 5m, p90: 2m}", "'p90' (2m) must be above 'median' (5m)"),
    ],
)
def test_bad_latency_is_reported_at_the_latency(latency: str, message: str) -> None:
    text = replace_once(BASE, "phone: {latency: 3m}", f"phone: {{latency: {latency}}}")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (CHANNEL_LINE, text.splitlines()[6].index(latency) + 1)
    assert problem.message == message


def test_bad_parameter_of_a_tagged_distribution_names_the_parameter_not_the_kind() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}", "phone: {latency: {dist: exponential, mean: 0m}}")
    problem = only_problem(text)
    assert problem.message == "'mean' must be > 0.0 (got 0.0)"
    assert problem.col == text.splitlines()[6].index("0m") + 1


def test_unknown_parameter_gets_a_suggestion_at_its_key() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}", "phone: {latency: {dist: lognormal, median: 5m, p09: 20m}}")
    problem = only_problem(text)
    assert problem.message == "unknown key 'p09' (did you mean 'p90'?)"
    assert (problem.line, problem.col) == (CHANNEL_LINE, text.splitlines()[6].index("p09") + 1)


def test_missing_parameters_are_each_named() -> None:
    from format_helpers import problems

    text = replace_once(BASE, "phone: {latency: 3m}", "phone: {latency: {dist: lognormal}}")
    assert [p.message for p in problems(text)] == [
        "'median' is required here; add it",
        "'p90' is required here; add it",
    ]


def test_the_zero_default_is_what_validating_a_zero_duration_gives() -> None:
    """``ZERO`` is made without validation (no validator built at import): it must be the validated value."""
    from ballotdrill.scenarios.distributions import ZERO, Fixed

    validated = Fixed.model_validate({"dist": "fixed", "value": "0m"})
    assert validated == ZERO and ZERO.model_fields_set == validated.model_fields_set
    assert type(ZERO.value) is type(validated.value) is float
    assert ZERO.model_dump(mode="json") == validated.model_dump(mode="json")
