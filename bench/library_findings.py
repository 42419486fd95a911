"""Check the findings of every library scenario over many seeds, as an evaluator would.

    python bench/library_findings.py [SCENARIO...] [--seeds 20] [--file FILE] [--json]

Each seed is played in memory, scored and analysed; every run is checked mechanically for:

- **credit without response**: an objective rated P, or a strength, about an incident that ended
  by itself (no response contained it), unless its reason shows that left to itself it would
  have passed the target (the response slowed or shortened it, and that kept it under);
- **U for what was not played**: an objective rated U whose subject incident never started, or
  whose measure never began, or whose harm stayed under its target;
- **advice on the wrong lever**: an objective about an incident nobody noticed whose advice is not
  that incident's detection;
- **false findings**: a queue finding under the queue threshold, a ping-pong on the designed
  path, a "dropped" channel with no dropped handoff, a late-step finding counting a step that was
  on time, a strength contradicted by an area for improvement (a channel "reliable" that failed,
  an actor that "kept up" but had work waiting), "no work waited" while work waited, a finding
  or plan row without evidence or with a stand-in for its responsible organisation while it has
  a lever.

It prints, per scenario, the problems found (none expected) and how often "Fix first" named the
run's bottleneck (as the report names it: a queue, with two pieces of work waiting at once, where work
waited longest in all) and what it named otherwise, so the figures can be quoted and anyone can reproduce them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from ballotdrill import application
from ballotdrill.exercise import run_exercise
from ballotdrill.scenarios import ScenarioFile
from ballotdrill.scoring import Analysis, Scores, analyse
from ballotdrill.scoring.bottleneck import ranked_queues
from ballotdrill.scoring.choices import choices_of
from ballotdrill.scoring.findings import QUEUE_P90
from ballotdrill.scoring.load import actor_names
from ballotdrill.scoring.objective_cause import detections_of
from ballotdrill.scoring.passing import passing_times
from ballotdrill.scoring.plan import NO_LEVER
from ballotdrill.scoring.stream import Scorer

_CARRIED = re.compile(r"measured on (\S+), which continues it")
_KEPT_UNDER = re.compile(r"left to itself its [a-z-]+ would have been [\d,.]+, past the target")


class RunCheck(NamedTuple):
    """What one seed showed: problems found, the bottleneck, and what "Fix first" named."""

    seed: int
    problems: list[str]
    bottleneck: str | None
    first_fix: str | None
    first_lever: str | None


def bottleneck_of(scores: Scores) -> str | None:
    """The run's bottleneck as the report names it (:mod:`ballotdrill.scoring.bottleneck`: a queue, two pieces of
    work waiting at once, most minutes waited in all)."""
    queues = ranked_queues(scores.load)
    return queues[0].actor if queues else None


def problems_of(scores: Scores, analysis: Analysis) -> list[str]:
    """Every mechanical sign of a false finding, credit without response or U for what was not played."""
    found: list[str] = []
    incidents = {i.incident: i for i in scores.incidents}
    ended = {i.incident for i in scores.incidents if i.contained_how == "ended"}
    for obj in scores.objectives:
        subject = [w for w in obj.subject.split() if w in incidents or w.isupper() or any(c.isdigit() for c in w)]
        about = [w for w in subject if w in incidents]
        carried = _CARRIED.findall(obj.reason)      # measured on the contingency incident that continues it
        if carried:
            about = [carried[-1]]
        kept_under = _KEPT_UNDER.search(obj.reason) is not None   # left to itself it would have passed the target
        if obj.rating == "P" and obj.kind != "on_time" and set(about) & ended and not kept_under and \
                ("contained" in obj.subject or obj.kind in ("reach", "voter_minutes", "station_minutes")):
            found.append(f"{obj.id} rated P about {', '.join(set(about) & ended)}, which ended by itself")
        if obj.rating == "U" and obj.kind != "on_time" and not about:
            found.append(f"{obj.id} rated U but its incident never started ({obj.reason})")
        if obj.rating == "U" and obj.kind == "time" and not obj.evidence:
            found.append(f"{obj.id} rated U but its measure never began ({obj.reason})")
        if obj.rating == "U" and obj.kind in ("reach", "voter_minutes", "station_minutes") and \
                "never contained" in obj.reason and _figure(obj.value_text) <= obj.target:
            found.append(f"{obj.id} rated U with its harm under the target ({obj.value_text})")
        unnoticed = [i for i in about if incidents[i].to_detect is None]
        finding = next((f for f in analysis.improvements if f.title.startswith(f"Objective {obj.id} rated")), None)
        if unnoticed and finding is not None and finding.cause == "objective" and \
                not finding.lever.startswith("actor:") and obj.kind != "on_time" and "detected to" not in obj.subject:
            found.append(f"{obj.id}: {unnoticed[0]} was never noticed, but the advice is {finding.lever}")
    for s in analysis.strengths:
        if any(inc in ended for inc in s.incidents) or any(f"Objective {o.id} met" in s.title for o in scores.objectives
                                                          if o.rating != "P"):
            found.append(f"strength without response: {s.title}")
    load = {a.actor: a for a in scores.load}
    channels = {c.channel: c for c in scores.channels}
    failing = {c.channel for c in scores.channels if c.failures}
    for s in analysis.strengths:
        if s.title.endswith(" reliable") and s.title.removesuffix(" reliable") in failing:
            found.append(f"strength contradicted: {s.title} but it failed")
        if s.title.endswith(" kept up") and s.actor and (load[s.actor].wait_max or load[s.actor].queued_at_end):
            found.append(f"strength contradicted: {s.title} but work waited there")
    for f in analysis.improvements:
        if not f.evidence:
            found.append(f"no evidence: {f.title}")
        if f.cause == "queue" and f.actor in load and (load[f.actor].wait_p90 or 0.0) < QUEUE_P90:
            found.append(f"queue under the threshold: {f.title}")
        if f.cause == "drop":
            channel = f.lever.partition(":")[2]
            if not channels.get(channel) or not channels[channel].drops or \
                    not any(h.status == "dropped" for h in scores.handoffs):
                found.append(f"dropped without a dropped handoff: {f.title}")
        if f.cause == "ping_pong" and not any(h.ping_pong and h.returned for h in scores.handoffs
                                              if h.incident in f.incidents):
            found.append(f"ping-pong on the designed path: {f.title}")
        if f.cause == "late_step":
            step = f.title.split("'")[1]
            late = [s for s in scores.steps if s.step == step and s.on_time is False]
            if not late:
                found.append(f"late step that was never late: {f.title}")
    if "No work waited" in analysis.key.bottleneck_text and any(a.wait_max or a.queued_at_end for a in scores.load):
        found.append("key findings say no work waited, but work waited")
    for p in analysis.plan:
        if p.responsible == NO_LEVER and p.actor:
            found.append(f"plan row {p.id} without a responsible organisation though it has a lever")
        if p.responsible in ("", "Exercise lead"):
            found.append(f"plan row {p.id} has a stand-in responsible: {p.responsible!r}")
    return found


def _figure(text: str) -> float:
    """The leading number of a value text (``"7,357 at the end, not contained"``: 7357)."""
    head = text.split(" ", 1)[0].replace(",", "")
    try:
        return float(head)
    except ValueError:
        return float("inf")


def check_run(doc: ScenarioFile, name: str, seed: int) -> RunCheck:
    """Play, score, analyse and check one seed."""
    events = run_exercise(doc, name, seed=seed).events
    scorer = Scorer(doc, name)  # as the report scores it: its digest knows the scenario
    for event in events:
        scorer.feed(event)
    scores = scorer.finish()
    analysis = analyse(scores, actor_names(doc.structure), doc.structure, scorer.digest,
                       detections=detections_of(doc.scenarios[name]),
                       passed=passing_times(doc.scenarios[name], events, scores.objectives),
                       choices=choices_of(events))
    first = analysis.improvements[0] if analysis.improvements else None
    return RunCheck(seed, problems_of(scores, analysis), bottleneck_of(scores),
                    first.title if first else None, first.lever if first else None)


def sweep(doc: ScenarioFile, names: list[str], seeds: int) -> dict[str, list[RunCheck]]:
    """``check_run`` for every scenario in ``names`` and seeds 1..``seeds``."""
    return {name: [check_run(doc, name, seed) for seed in range(1, seeds + 1)] for name in names}


def summary(runs: list[RunCheck]) -> dict[str, Any]:
    """Figures of one scenario's sweep."""
    with_bottleneck = [r for r in runs if r.bottleneck]
    named = sum(r.first_lever == f"actor:{r.bottleneck}" for r in with_bottleneck)
    return {
        "seeds": len(runs),
        "problems": [f"seed {r.seed}: {p}" for r in runs for p in r.problems],
        "bottleneck_runs": len(with_bottleneck),
        "fix_first_names_bottleneck": named,
        "bottlenecks": dict(Counter(r.bottleneck or "(none)" for r in runs).most_common()),
        "fix_first": dict(Counter(r.first_fix or "(nothing to fix)" for r in runs).most_common()),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    doc = application.load_scenarios(args.file, [])
    names = args.scenarios or list(doc.scenarios)
    figures = {name: summary(runs) for name, runs in sweep(doc, names, args.seeds).items()}
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        for name, fig in figures.items():
            print(f"## `{name}`, seeds 1-{fig['seeds']}\n")
            print(f"- problems: {len(fig['problems'])}" + "".join(f"\n  - {p}" for p in fig["problems"][:20]))
            print(f"- Fix first named the bottleneck in {fig['fix_first_names_bottleneck']} of the "
                  f"{fig['bottleneck_runs']} seed(s) that had one; bottlenecks: {fig['bottlenecks']}")
            print("- Fix first: " + "; ".join(f"{k} ×{v}" for k, v in fig["fix_first"].items()) + "\n")
    return 1 if any(fig["problems"] for fig in figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
