"""What runs share is shared without changing a run: the set-up built once, streams made on first use, samplers."""

from __future__ import annotations

import random

import pytest
from engine_helpers import file_of, library, load

from ballotdrill.exercise import run_exercise, sampling
from ballotdrill.exercise.engine import Exercise
from ballotdrill.exercise.sampling import sampler
from ballotdrill.exercise.setup import Setup
from ballotdrill.exercise.streams import Streams
from ballotdrill.journal import Journal, MemorySink
from ballotdrill.journal.events import Row
from ballotdrill.scenarios import as_played, load_text

LIBRARY = library()


def _rows(name: str, seed: int, setup: Setup | None = None) -> list[Row]:
    memory = run_exercise(LIBRARY, name, seed=seed, setup=setup).memory
    assert memory is not None
    return memory.rows


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
def test_runs_sharing_one_setup_journal_what_runs_of_their_own_do(name: str) -> None:
    setup = Setup(LIBRARY, name)
    shared = [_rows(name, seed, setup) for seed in (3, 1, 2, 1)]  # a seed again, after others filled the caches
    assert Exercise(LIBRARY, name, Journal(MemorySink()), setup=setup).setup is setup  # shared, roles and all
    alone = [_rows(name, seed) for seed in (3, 1, 2, 1)]
    assert shared == alone
    assert shared[1] == shared[3] and shared[0] != shared[1]


def test_a_setup_of_another_file_or_scenario_is_not_used() -> None:
    other = load_text(LIBRARY.model_dump_json(by_alias=True), "copy.json")
    name, second = list(LIBRARY.scenarios)[:2]
    for wrong in (Setup(other, name), Setup(LIBRARY, second)):
        exercise = Exercise(LIBRARY, name, Journal(MemorySink()), seed=1, setup=wrong)
        assert exercise.setup is not wrong and exercise.setup.name == name
        assert exercise.setup.doc is as_played(LIBRARY, name)  # the library as the scenario plays it, made once
    assert _rows(name, 1, Setup(other, name)) == _rows(name, 1)


def test_a_stream_is_made_only_for_a_source_that_draws() -> None:
    doc = load(file_of(
        {"desk": {"staff": 1}, "idle": {"staff": 1}, "back": {"staff": 1}},
        {"p": {"trigger": {"type": "outage"}, "steps": [
            {"id": "a", "actor": "desk", "duration": {"dist": "exponential", "mean": "10m"}},
            {"id": "b", "actor": "back", "duration": "5m", "via": "phone"}]}},
        [{"id": "X1", "at": "08:00", "incident": {"type": "outage"}}],
        channels={"phone": {"latency": "1m"}, "radio": {"latency": "2m"}}))
    exercise = Exercise(doc, "s", Journal(MemorySink()), seed=4)
    exercise.run(exercise.horizon)
    exercise.finish()
    made = {name for name in ("actor/desk", "actor/back", "actor/idle", "channel/phone", "channel/radio")
            if name in exercise.streams}
    assert made == {"actor/desk", "actor/back", "channel/phone"}  # fixed durations still ask for their stream


def test_a_stream_draws_the_same_whenever_it_is_made() -> None:
    early, late = Streams(9), Streams(9)
    first = [early.get("actor/a").random() for _ in range(3)]
    for name in ("channel/x", "actor/b", "incident/N1"):
        late.make(name).random()
        late.get(name).random()
    assert [late.get("actor/a").random() for _ in range(3)] == first
    assert "actor/a" in late and "actor/zzz" not in late


DISTRIBUTIONS = [
    "7m", {"dist": "uniform", "min": "1m", "max": "9m"},
    {"dist": "triangular", "min": "1m", "mode": "2m", "max": "30m"},
    {"dist": "triangular", "min": "5m", "mode": "5m", "max": "5m"},  # no width: one draw, then min
    {"dist": "triangular", "min": "1m", "mode": "9m", "max": "9m"},
    {"dist": "exponential", "mean": "13m"}, {"dist": "lognormal", "median": "4m", "p90": "40m"},
    {"dist": "lognormal", "median": "2h", "p90": "2h10m"},
    {"dist": "empirical", "values": ["1m", "5m", "1h"]},
    {"dist": "empirical", "values": ["1m", "5m"], "weights": [0.3, 0.7]},
]


@pytest.mark.parametrize("spec", DISTRIBUTIONS, ids=lambda s: s if isinstance(s, str) else s["dist"])
def test_a_sampler_draws_exactly_what_the_distribution_draws(spec: object) -> None:
    doc = load(file_of({"desk": {"staff": 1}}, {"p": {"trigger": {"type": "t"}, "steps": [
        {"id": "a", "actor": "desk", "duration": spec}]}}, [{"id": "X1", "at": "08:00", "incident": {"type": "t"}}]))
    dist = doc.structure.procedures["p"].steps[0].duration
    mine, theirs = random.Random(11), random.Random(11)  # a test's own streams
    draw = sampler(dist)
    ours = [draw(mine) for _ in range(2000)]
    assert ours == [dist.sample(theirs) for _ in range(2000)]
    assert mine.getstate() == theirs.getstate()


def test_the_written_out_draws_are_in_use_on_this_python() -> None:
    """Lognormal and triangular draws are written out as CPython's ``random`` computes them (the test above checks
    them draw for draw); a Python computing them otherwise would fall back to ``random``'s methods, exact but slower:
    this says when that happens."""
    assert sampling._same_draws()
