"""What seeding a run's random streams costs, and whether a cheaper way gives the same streams.

Every incident has its own Mersenne Twister streams (``incident/ID``, and ``incident/ID/effects`` once a containing
effect is tried), so variants and grid points face the same incidents (common random numbers). A replication of
the combined election day makes about 500. This bench, in one process, on the streams one replication of it makes:

- counts them, and times making them as the engine does (``Streams``: SHA-256 of the name, then the C seeding)
  against the engine alone playing the same replication (the share of its CPU);
- times the other ways of reaching a stream's state, interleaved round by round with the engine's, and says
  whether each gives the **same draws** (the first 64 of every stream compared): ``random.Random(derive_seed(...))``
  (the reference), the C seeding alone on one object with the seed already derived (the floor of any way that seeds),
  ``setstate`` from a state kept from an earlier seeding of the same name and seed (a cache could hit
  only when one worker plays the same replication at several grid points or variants), and seeding from the
  seed's 16 bytes instead of the integer.

Only a way with the same draws could replace the engine's; the figures say whether any would pay.

    python bench/stream_seeding.py           # one replication's streams, 5 rounds
    python bench/stream_seeding.py --json
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ballotdrill import application  # noqa: E402
from ballotdrill.exercise.run import collector_paused, run_exercise  # noqa: E402
from ballotdrill.exercise.streams import Streams, derive_seed  # noqa: E402
from ballotdrill.journal import Row  # noqa: E402
from ballotdrill.sweep import make_tasks, replication_seed  # noqa: E402
from ballotdrill.sweep.worker import point_plan, point_setup  # noqa: E402

SCENARIO = "combined-hybrid-day"
DRAWS = 64


class _Ignore:
    reads_packed_optional = True  # the rows taken as a sweep's measurer takes them: the engine plays as in a sweep

    def take(self, first_seq: int, rows: list[Row]) -> None:
        return None


def streams_of_one_replication(seed: int) -> tuple[list[str], Callable[[], None]]:
    """The names of the streams one replication makes, in order, and a call playing it (the engine alone)."""
    plan = application.plan_sweep(None, SCENARIO)
    task = make_tasks(plan.points, plan.scenario, [seed], 1)[0]
    measure_plan, setup = point_plan(task.document, task.scenario), point_setup(task.document, task.scenario)
    names: list[str] = []
    seeded = Streams.make

    def counting(self: Streams, name: str) -> random.Random:
        names.append(name)
        return seeded(self, name)

    def play() -> None:
        with collector_paused():
            run_exercise(measure_plan.doc, SCENARIO, seed=seed, feed=_Ignore(), keep=False, setup=setup)
        gc.collect(0)

    Streams.make = counting  # type: ignore[method-assign]
    try:
        play()
    finally:
        Streams.make = seeded  # type: ignore[method-assign]
    return names, play


def _first_draws(rng: random.Random) -> list[float]:
    return [rng.random() for _ in range(DRAWS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seed = replication_seed(1, 0)
    names, play = streams_of_one_replication(seed)
    numbers = [derive_seed(seed, name) for name in names]
    streams = Streams(seed)
    kept = [random.Random(n).getstate() for n in numbers]
    reference = [_first_draws(random.Random(n)) for n in numbers]

    def restored(state: tuple[Any, ...]) -> random.Random:
        rng = random.Random()
        rng.setstate(state)
        return rng

    again = random.Random()

    def seeded_again(number: int) -> random.Random:
        again.seed(number)
        return again

    ways: dict[str, Callable[[int], random.Random]] = {
        "engine (Streams)": lambda i: streams.make(names[i]),
        "random.Random(derive_seed())": lambda i: random.Random(derive_seed(seed, names[i])),
        "C seeding alone (seed known)": lambda i: seeded_again(numbers[i]),
        "setstate from a kept state": lambda i: restored(kept[i]),
        "seed from 16 bytes": lambda i: random.Random(numbers[i].to_bytes(16, "big")),
    }
    same = {way: all(_first_draws(make(i)) == reference[i] for i in range(len(names))) for way, make in ways.items()}
    us: dict[str, list[float]] = {way: [] for way in ways}
    engine_ms: list[float] = []
    for _ in range(args.rounds):
        cpu = time.process_time()
        play()
        engine_ms.append(1000 * (time.process_time() - cpu))
        for way, make in ways.items():
            cpu = time.process_time()
            for i in range(len(names)):
                make(i)
            us[way].append(1e6 * (time.process_time() - cpu) / len(names))
    median = {way: statistics.median(values) for way, values in us.items()}
    engine = statistics.median(engine_ms)
    base = median["engine (Streams)"]
    figures = {"scenario": SCENARIO, "streams": len(names),
               "incident_streams": sum(name.startswith("incident/") for name in names),
               "engine_alone_ms": round(engine, 1),
               "seeding_share_of_engine": round(base * len(names) / 1000 / engine, 3),
               "ways": {way: {"us_per_stream": round(median[way], 2), "over_engine": round(median[way] / base, 2),
                              "same_draws": same[way]} for way in ways}}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{SCENARIO}, one replication: {figures['streams']} streams ({figures['incident_streams']} of incidents); "
          f"the engine alone {engine:.1f} ms of CPU, making its streams {base * len(names) / 1000:.1f} ms "
          f"({figures['seeding_share_of_engine']:.0%}); median of {args.rounds} interleaved rounds")
    for way, row in figures["ways"].items():
        print(f"  {way:30} {row['us_per_stream']:7.2f} us a stream  {row['over_engine']:5.2f}x  "
              f"same draws: {'yes' if row['same_draws'] else 'NO'}")


if __name__ == "__main__":
    main()
