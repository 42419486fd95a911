"""One task of a sweep, as run by a worker: a batch of replications of one point.

A task carries the point's scenario file as JSON (parsed once per worker process and kept),
so it travels to a local process or a Dask worker alike. Replications journal to memory and
are scored at once; only their reduced outcomes travel back (and their journal rows, when
asked to keep them: the caller writes them, so no worker ever starts a writer process or
needs the caller's disks).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import NamedTuple

from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal.events import Row
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring import score
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
def _document(text: str) -> ScenarioFile:
    return ScenarioFile.model_validate(json.loads(text))


def run_task(task: Task) -> list[Done]:
    """Play and score each replication of ``task`` in memory, in order."""
    doc = _document(task.document)
    done: list[Done] = []
    for index, seed in task.replications:
        result = run_exercise(doc, task.scenario, seed=seed)
        assert result.memory is not None
        scores = score(result.events, doc, task.scenario)
        reduced = outcome(task.point, index, seed, result.count, scores)
        done.append(Done(reduced, result.memory.rows if task.keep_journals else None))
    return done
