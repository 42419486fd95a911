"""Live play: input-to-journal latency, from an input's submission to its acknowledgement after COMMIT.

Plays the built-in combined election day (the library's busiest scenario: every kind of
incident, background arrivals, two played roles) at speed 60 in one asyncio loop, submits
notes and player actions at about 50 a second, and times each one until it is committed
(WAL, synchronous=FULL) and acknowledged. The baseline, in the same process and on the same
disk, is one durable single-row transaction: the floor any write-through acknowledgement pays.

    python bench/live_latency.py              # 500 inputs (about 10 s)
    python bench/live_latency.py --inputs 60  # reduced form, for CI
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ballotdrill.application import load_scenarios  # noqa: E402
from ballotdrill.journal import JOURNAL_FILE  # noqa: E402
from ballotdrill.live import inputs  # noqa: E402
from ballotdrill.live.rebuild import start_live  # noqa: E402
from ballotdrill.live.session import Session  # noqa: E402
from ballotdrill.live.store import read_inputs  # noqa: E402

SCENARIO = "combined-hybrid-day"
PLAYED = ("fps-interior-elections", "nccn-monitoring")


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def baseline(folder: Path, count: int) -> list[float]:
    """Seconds for one durable single-row transaction (WAL, synchronous=FULL), ``count`` times."""
    db = sqlite3.connect(folder / "baseline.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)")
    times = []
    for n in range(count):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?)", (n, "x" * 100))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return times


async def drive(session: Session, count: int, rate: float, seed: int) -> list[float]:
    """Submit ``count`` inputs at about ``rate`` a second; the seconds each took to be acknowledged."""
    rng = random.Random(seed)
    latencies: list[float] = []

    async def one(item: inputs.Input) -> None:
        start = time.perf_counter()
        outcome = await session.submit(item)
        latencies.append(time.perf_counter() - start)
        assert outcome.ok, outcome.message

    pending = []
    for n in range(count):
        item = (inputs.note(f"observation {n}") if n % 4 else
                inputs.action("nccn-monitoring", "convene-platform"))
        pending.append(asyncio.create_task(one(item)))
        await asyncio.sleep(rng.expovariate(rate))
    await asyncio.gather(*pending)
    return latencies


def live(folder: Path, count: int, speed: float, rate: float) -> tuple[list[float], int, int]:
    doc = load_scenarios()
    core = start_live(folder, doc, SCENARIO, seed=1, played=PLAYED, speed=speed)

    async def main() -> list[float]:
        session = Session(core)
        runner = asyncio.create_task(session.run())
        latencies = await drive(session, count, rate, seed=7)
        await session.submit(inputs.Input("end", {}))
        await runner
        return latencies

    latencies = asyncio.run(main())
    core.store.close()
    recorded = len(read_inputs(folder / JOURNAL_FILE))
    return latencies, recorded, core.journal.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=500)
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=50.0, help="inputs a second")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline(Path(tmp), max(100, args.inputs))
        latencies, recorded, events = live(Path(tmp) / "live", args.inputs, args.speed, args.rate)
    ms = [x * 1000 for x in latencies]
    base_ms = [x * 1000 for x in base]
    figures = {
        "scenario": SCENARIO, "speed": args.speed, "inputs": args.inputs, "recorded": recorded,
        "lost": args.inputs + 1 - recorded, "events": events,
        "p50_ms": round(percentile(ms, 50), 2), "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "baseline_commit_p50_ms": round(percentile(base_ms, 50), 2),
        "baseline_commit_p99_ms": round(percentile(base_ms, 99), 2),
    }
    figures["ratio_p50"] = round(figures["p50_ms"] / max(figures["baseline_commit_p50_ms"], 1e-6), 2)
    figures["ratio_p99"] = round(figures["p99_ms"] / max(figures["baseline_commit_p99_ms"], 1e-6), 2)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"live {SCENARIO} at speed {args.speed:g}: {args.inputs} inputs at ~{args.rate:g}/s, "
          f"{figures['lost']} lost, {events} journal events")
    print(f"  input -> acknowledged after COMMIT: p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms "
          f"(target p99 <= 50 ms), max {figures['max_ms']} ms")
    print(f"  baseline durable 1-row commit: p50 {figures['baseline_commit_p50_ms']} ms, "
          f"p99 {figures['baseline_commit_p99_ms']} ms; ratio p50 {figures['ratio_p50']}x, p99 {figures['ratio_p99']}x")


if __name__ == "__main__":
    main()
