"""How hard does a scenario push the structure? Over many seeds: which actor is the bottleneck, how objectives rate.

    python bench/library_stress.py [SCENARIO] [--seeds 100] [--threshold 15] [--file FILE] [--set PATH=VALUE]...

For each seed it plays the scenario in memory, scores it, and records the run's bottleneck by the rule of the
report and the sweep (``scoring/bottleneck.py``: an actor whose waits make a queue, its 90th-percentile wait at
least 15 minutes, more than one piece of work waiting and two at once; among them, where work waited longest in
all), counted only when its p90 wait is at least ``--threshold`` minutes (the rule's own 15 by default), and every
actor whose waits made such a queue, bottleneck or not. It prints, as Markdown, how often each actor was the
bottleneck and a queue, and how often each objective was rated P, S, M, U or not exercised, so the library's docs
can quote the figures and anyone can reproduce them (docs/library.md's tables for the default day are
``combined-hybrid-day --seeds 100``).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from ballotdrill import application
from ballotdrill.exercise import run_exercise
from ballotdrill.scoring import score
from ballotdrill.scoring.summary import bottlenecks

NONE = "(none)"
"""The bottleneck row of the runs without one."""
MAX_LISTED = 10
"""The seeds of the runs without a bottleneck are listed when there are at most this many."""


class Measured(NamedTuple):
    """What :func:`measure` counted over the seeds."""

    scenario: str
    bottleneck: Counter[str]
    """Runs each actor was the bottleneck in (``(none)``: runs without one)."""
    queued: Counter[str]
    """Runs each actor's waits made a queue in, the bottleneck's included."""
    without: list[int]
    """The seeds of the runs without a bottleneck."""
    ratings: dict[str, Counter[str]]
    capabilities: list[str]


def measure(file: Path | None, scenario: str | None, seeds: int, threshold: float,
            overrides: list[str]) -> Measured:
    """Play ``seeds`` seeds; count bottleneck actors, queues and objective ratings."""
    doc = application.load_scenarios(file, overrides)
    name = scenario or doc.default_scenario
    worst: Counter[str] = Counter()
    queued: Counter[str] = Counter()
    without: list[int] = []
    ratings: dict[str, Counter[str]] = {o.id: Counter() for o in doc.scenarios[name].objectives}
    for seed in range(1, seeds + 1):
        scores = score(run_exercise(doc, name, seed=seed).events, doc, name)
        queues = bottlenecks(scores, top=len(scores.load))
        worst[queues[0][0] if queues and queues[0][1] >= threshold else NONE] += 1
        if not queues or queues[0][1] < threshold:
            without.append(seed)
        queued.update(actor for actor, _, _ in queues)
        for obj in scores.objectives:
            rating = str(obj.rating)
            exercised = rating in ("P", "S", "M", "U") and "not exercised" not in obj.reason
            ratings[obj.id][rating if exercised else "not exercised"] += 1
    capabilities = [f"{o.id} ({o.capability})" for o in doc.scenarios[name].objectives]
    return Measured(name, worst, queued, without, ratings, capabilities)


def share(count: int, n: int) -> str:
    """``count`` of ``n`` as a percentage, never rounded to 0 % or 100 % when it is neither (299 of 300: 99.7%)."""
    whole = f"{count / n:.0%}"
    return f"{count / n:.1%}" if 0 < count < n and whole in ("0%", "100%") else whole


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--threshold", type=float, default=15.0, help="minutes of p90 wait that make a bottleneck")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args(argv)
    m = measure(args.file, args.scenario, args.seeds, args.threshold, args.overrides)
    n = args.seeds
    print(f"`{m.scenario}`, seeds 1-{n}; bottleneck = the report's (a queue, most minutes waited in all), if its p90 "
          f"wait is at least {args.threshold:g} min\n")
    print("| bottleneck actor | runs | share | a queue in (runs) |\n|---|---|---|---|")
    for actor, count in m.bottleneck.most_common():
        print(f"| {actor} | {count} | {share(count, n)} | {m.queued[actor] if actor != NONE else '—'} |")
    for actor, count in sorted(m.queued.items(), key=lambda item: (-item[1], item[0])):
        if actor not in m.bottleneck:
            print(f"| {actor} | 0 | 0% | {count} |")
    if 0 < len(m.without) <= MAX_LISTED:
        print(f"\nRuns without a bottleneck: seed{'s' if len(m.without) > 1 else ''} "
              f"{', '.join(str(seed) for seed in m.without)}")
    labels = ["P", "S", "M", "U", "not exercised"]
    print("\n| objective | " + " | ".join(labels) + " |\n|---|" + "---|" * len(labels))
    for label, counts in zip(m.capabilities, m.ratings.values(), strict=True):
        print(f"| {label} | " + " | ".join(str(counts.get(k, 0)) for k in labels) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
