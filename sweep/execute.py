"""Running a sweep's tasks: in this process, on a local process pool, or on a Dask cluster.

Whatever runs them and in whatever order they finish, the outcomes come back sorted by point
and replication, so the aggregate is the same for any number of workers and on Dask.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import forkserver, resource_tracker
from typing import Any

from ballotdrill.journal.interrupts import interrupts_blocked
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.sweep.plan import Point
from ballotdrill.sweep.worker import Done, Task, run_task

Progress = Callable[[int, int], None]
"""Called with (replications done, replications in all) as tasks finish."""

GUIDED_SHARE = 2
"""A task takes at most 1 / (GUIDED_SHARE x slots) of the replications not yet batched (guided self-scheduling)."""
MIN_BATCH = 2
"""At least this many replications in one task (fewer only at the end of a point)."""
MAX_BATCH = 50
"""At most this many replications in one task."""
WORKERS_PER_CORE = 4
"""``--workers`` may ask for at most this many worker processes per usable core (more only slow the sweep down)."""


class SchedulerError(BallotdrillError):
    """A Dask scheduler that cannot be used (extra not installed, address unreachable)."""


def batch_sizes(count: int, remaining: int, slots: int) -> list[int]:
    """How ``count`` replications of one point are cut into tasks, ``remaining`` (these included) being still to cut
    in the whole sweep: each task a share of what remains, so tasks shrink towards the sweep's end and the workers
    finish together (the last tasks take a replication or two, not a fixed batch of dozens)."""
    sizes = []
    while count > 0:
        size = min(count, max(MIN_BATCH, min(MAX_BATCH, math.ceil(remaining / (max(1, slots) * GUIDED_SHARE)))))
        sizes.append(size)
        count -= size
        remaining -= size
    return sizes


def make_tasks(points: Sequence[Point], scenario: str, seeds: Sequence[int], slots: int,
               keep_journals: bool = False) -> list[Task]:
    """Every point's replications in batches, the largest first: a worker slot takes the next task when it is free,
    and the small ones at the end even out how long each slot's share takes. Outcomes do not depend on the cut."""
    remaining = len(points) * len(seeds)
    indexed = tuple(enumerate(seeds))
    tasks = []
    for point in points:
        document = point.doc.model_dump_json(by_alias=True)
        start = 0
        for size in batch_sizes(len(indexed), remaining, slots):
            tasks.append(Task(point.index, scenario, document, indexed[start:start + size], keep_journals))
            start += size
        remaining -= len(indexed)
    return sorted(tasks, key=lambda task: -len(task.replications))  # stable: a point's tasks stay in order


def run_tasks(tasks: Sequence[Task], executor: Executor | None, progress: Progress | None = None) -> list[Done]:
    """Run every task (in this process when ``executor`` is None); outcomes sorted by point and replication."""
    total = sum(len(t.replications) for t in tasks)
    done: list[Done] = []
    if executor is None:
        for task in tasks:
            done.extend(run_task(task))
            if progress is not None:
                progress(len(done), total)
    else:
        futures: list[Future[list[Done]]] = [executor.submit(run_task, task) for task in tasks]
        try:
            for future in as_completed(futures):
                done.extend(future.result())
                if progress is not None:
                    progress(len(done), total)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return sorted(done, key=lambda d: (d.outcome.point, d.outcome.replication))


def usable_cores() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_workers(workers: int) -> None:
    """Refuse a worker count below one or above :data:`WORKERS_PER_CORE` per usable core, before any starts."""
    if workers < 1:
        raise BallotdrillError(f"--workers must be at least 1 (got {workers})")
    cores = usable_cores()
    if workers > WORKERS_PER_CORE * cores:
        raise BallotdrillError(f"--workers {workers:,} is more than {WORKERS_PER_CORE} per core ({cores} usable "
                               f"core{'s' if cores != 1 else ''} here: at most {WORKERS_PER_CORE * cores}); "
                               f"one per core is fastest: leave --workers out")


def start_forkserver() -> multiprocessing.context.BaseContext:
    """Start the fork server a local pool's workers are forked from, if it is not running, and return its context.

    The server imports the engine and the scorer as it starts (about as long as checking a sweep's points), and
    this returns without waiting for it: a caller that starts it before its own checking has both done at once
    (:func:`local_pool` then finds it running). Once started it stays up until this process ends.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ballotdrill.sweep.worker"])
    resource_tracker.ensure_running()  # first: it unblocks SIGINT once it has started
    # A terminal's Ctrl-C reaches the whole process group. The fork server and the workers forked from it inherit
    # a blocked SIGINT, so only this process stops the sweep.
    with interrupts_blocked():
        forkserver.ensure_running()
    return context


@contextmanager
def local_pool(workers: int) -> Iterator[tuple[Executor | None, int]]:
    """A process pool of ``workers`` (None for one: the tasks run in this process) and its slot count."""
    check_workers(workers)
    if workers == 1:
        yield None, 1
        return
    context = start_forkserver()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        # A Ctrl-C while the workers start waits until every one is up, so none is left starting after this
        # process has gone.
        with interrupts_blocked():
            for started in [pool.submit(int) for _ in range(workers)]:
                started.result()
        yield pool, workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_pool(address: str) -> Iterator[tuple[Executor, int]]:
    """The ``concurrent.futures`` executor of a Dask cluster's client and its number of worker threads."""
    try:
        from distributed import Client
    except ImportError:
        raise SchedulerError("--scheduler needs Dask's distributed package: "
                             "pip install 'ballotdrill[distributed]'") from None
    try:
        client: Any = Client(address, timeout="15s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"--scheduler {address}: cannot reach the Dask scheduler ({exc}); "
                             "start one with 'dask scheduler' or check the address") from None
    try:
        slots = sum(int(n) for n in client.nthreads().values())
        if slots == 0:
            raise SchedulerError(f"--scheduler {address}: the cluster has no workers; start some with "
                                 f"'dask worker {address}'")
        yield client.get_executor(pure=False), slots
    finally:
        client.close()
