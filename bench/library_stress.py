"""How hard does a scenario push the structure? Over many seeds: which actor is the bottleneck, how objectives rate.

    python bench/library_stress.py [SCENARIO] [--seeds 100] [--threshold 15] [--file FILE] [--set PATH=VALUE]...

For each seed it plays the scenario in memory, scores it, and records the run's bottleneck: the actor
whose queued work had the longest p90 wait, counted only when that wait is at least ``--threshold``
minutes (shorter waits are no bottleneck an exercise designer would act on). It prints, as Markdown,
how often each actor was the bottleneck and how often each objective was rated P, S, M, U or not
exercised, so the library's docs can quote the figures and anyone can reproduce them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ballotdrill import application
from ballotdrill.exercise import run_exercise
from ballotdrill.scoring import score
from ballotdrill.scoring.summary import bottlenecks


def measure(file: Path | None, scenario: str | None, seeds: int, threshold: float,
            overrides: list[str]) -> tuple[str, Counter[str], dict[str, Counter[str]], list[str]]:
    """Play ``seeds`` seeds; count bottleneck actors and objective ratings."""
    doc = application.load_scenarios(file, overrides)
    name = scenario or doc.default_scenario
    worst: Counter[str] = Counter()
    ratings: dict[str, Counter[str]] = {o.id: Counter() for o in doc.scenarios[name].objectives}
    for seed in range(1, seeds + 1):
        scores = score(run_exercise(doc, name, seed=seed).events, doc, name)
        top = bottlenecks(scores, top=1)
        worst[top[0][0] if top and top[0][1] >= threshold else "(none)"] += 1
        for obj in scores.objectives:
            rating = str(obj.rating)
            exercised = rating in ("P", "S", "M", "U") and "not exercised" not in obj.reason
            ratings[obj.id][rating if exercised else "not exercised"] += 1
    capabilities = [f"{o.id} ({o.capability})" for o in doc.scenarios[name].objectives]
    return name, worst, ratings, capabilities


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--threshold", type=float, default=15.0, help="minutes of p90 wait that make a bottleneck")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args(argv)
    name, worst, ratings, capabilities = measure(args.file, args.scenario, args.seeds, args.threshold, args.overrides)
    n = args.seeds
    print(f"`{name}`, seeds 1-{n}; bottleneck = longest p90 queue wait, if at least {args.threshold:g} min\n")
    print("| bottleneck actor | runs | share |\n|---|---|---|")
    for actor, count in worst.most_common():
        print(f"| {actor} | {count} | {count / n:.0%} |")
    labels = ["P", "S", "M", "U", "not exercised"]
    print("\n| objective | " + " | ".join(labels) + " |\n|---|" + "---|" * len(labels))
    for label, counts in zip(capabilities, ratings.values(), strict=True):
        print(f"| {label} | " + " | ".join(str(counts.get(k, 0)) for k in labels) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
