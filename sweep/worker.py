"""One task of a sweep, as run by a worker: a batch of replications of one point.

A task carries the point's scenario file as JSON (parsed once per worker process and kept, with
what measuring its runs and the engine's set-up need), so it travels to a local process or a Dask worker alike.
Replications are measured as they play (fed by the engine to a scorer of the measures alone, no
journal kept); only their reduced outcomes travel back (and their journal rows, when asked to
keep them: the caller writes them, so no worker ever starts a writer process or needs the
caller's disks).
"""

from __future__ import annotations

import gc
import json
from functools import lru_cache
from typing import NamedTuple

from ballotdrill.exercise.run import collector_paused, run_exercise
from ballotdrill.exercise.setup import Setup
from ballotdrill.journal.events import Row
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring.runmeasures import MeasurePlan, MeasureScorer
from ballotdrill.sweep.measures import Outcome, outcome


class Task(NamedTuple):
    """Replications ``(index, seed)`` of one point's scenario."""

    point: int
    scenario: str
    document: str
    """The point's scenario file as JSON (``ScenarioFile.model_dump_json(by_alias=True)``)."""
    replications: tuple[tuple[int, int], ...]
    keep_journals: bool = False


class Done(NamedTuple):
    """A finished replication: its outcome, and its journal rows if they are to be kept."""

    outcome: Outcome
    rows: list[Row] | None


@lru_cache(maxsize=16)
def point_plan(text: str, scenario: str) -> MeasurePlan:
    """What measuring a run of the point needs (the parsed file with it), made once per worker and point."""
    return MeasurePlan(ScenarioFile.model_validate(json.loads(text)), scenario)


@lru_cache(maxsize=16)
def point_setup(text: str, scenario: str) -> Setup:
    """The engine's set-up for the point, shared by every replication this worker plays of it."""
    return Setup(point_plan(text, scenario).doc, scenario)


def run_task(task: Task) -> list[Done]:
    """Play each replication of ``task`` in memory, in order, measured as it plays (its events kept only if asked)."""
    plan = point_plan(task.document, task.scenario)
    setup = point_setup(task.document, task.scenario)
    continuations = plan.scenario.continuations()
    done: list[Done] = []
    for index, seed in task.replications:
        with collector_paused():  # a run makes few reference cycles and scoring none: collected once, below
            scorer = MeasureScorer(plan)
            result = run_exercise(plan.doc, task.scenario, seed=seed, feed=scorer, keep=task.keep_journals,
                                  setup=setup)
            reduced = outcome(task.point, index, seed, result.count, scorer.finish(), continuations)
            done.append(Done(reduced, result.memory.rows if result.memory is not None else None))
            scorer.release()  # the engine's few cycles still hold its feed; its state is freed here, not collected
            del scorer, result
        gc.collect(0)  # the young objects only: what this replication left (the collector was paused throughout)
    return done
