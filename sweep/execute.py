"""Running a sweep's tasks: in this process, on a local process pool, or on a Dask cluster.

Whatever runs them and in whatever order they finish, the outcomes come back sorted by point
and replication, so the aggregate is the same for any number of workers and on Dask.
"""

from __future__ import annotations

import importlib.util
import math
import multiprocessing
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import forkserver, resource_tracker
from typing import Any
from urllib.parse import urlsplit

from ballotdrill.journal.interrupts import interrupts_blocked
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.sweep.lookup import LookupTimeout, connect_within
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
CONNECT_TIMEOUT = 10.0
"""Seconds ``--scheduler`` waits to reach a Dask scheduler and be answered (``--connect-timeout``)."""
SCHEDULER_SCHEMES = ("tcp",)
"""The schemes a scheduler's address may have (TLS would need certificates this command does not take)."""
FRAME_HEADER = 8
"""Bytes of a Dask message's length, little-endian, before the message: its scheduler's handshake starts so."""
MAX_HANDSHAKE = 1 << 20
"""More bytes than a scheduler's handshake takes: a longer length read from a server is no Dask scheduler's."""
NO_SUCH_NAME = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)}
"""The look-up errors that mean the name has no address (others: the resolver failed, e.g. no DNS reachable)."""
ADDRESS_FORM = "tcp://HOST:PORT (e.g. tcp://127.0.0.1:8786, the address 'dask scheduler' prints)"


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


def scheduler_endpoint(address: str) -> tuple[str, int]:
    """The host and port of a scheduler's address, ``[tcp://]HOST:PORT`` (an IPv6 host in brackets): checked before
    anything connects, a :class:`SchedulerError` naming what is wrong and the right form otherwise."""
    scheme, _, rest = address.rpartition("://")
    if scheme and scheme not in SCHEDULER_SCHEMES:
        raise SchedulerError(f"--scheduler {address}: {scheme}:// is not a scheduler's transport here; give "
                             f"{ADDRESS_FORM}")
    try:
        parts = urlsplit(f"//{rest}")
        port = parts.port
    except ValueError:  # a port that is no number, or beyond 65535; a bracket left open
        port, parts = None, None
    if parts is None or not parts.hostname or port is None or port <= 0 or parts.path or parts.query \
            or parts.fragment or parts.username is not None:
        raise SchedulerError(f"--scheduler {address}: not a scheduler's address (a host and a port 1-65535); give "
                             f"{ADDRESS_FORM}")
    return parts.hostname, port


def connect_timeout(seconds: float | None, scheduler: str | None) -> float:
    """The seconds to reach ``scheduler`` in: ``--connect-timeout`` (a finite number above 0, and only with
    ``--scheduler``), else :data:`CONNECT_TIMEOUT`."""
    if seconds is None:
        return CONNECT_TIMEOUT
    if scheduler is None:
        raise SchedulerError("--connect-timeout is how long --scheduler waits for its cluster; without --scheduler "
                             "the sweep runs on this machine: leave it out, or give --scheduler tcp://HOST:PORT")
    if not (math.isfinite(seconds) and seconds > 0):
        raise SchedulerError(f"--connect-timeout must be a number of seconds above 0 (got {seconds:g})")
    return seconds


def reach_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Look up the scheduler's host, connect to its port and read the start of what a Dask scheduler says first (its
    handshake: a frame's 8-byte length), all within ``timeout`` seconds, then hang up: a name that does not resolve
    (or whose look-up does not end), a port nobody listens on, a host that does not answer or a server that is no
    Dask scheduler (whose silence Dask's own handshake would wait on for ever) is one line, at once or after
    ``timeout``."""
    host, port = scheduler_endpoint(address)
    where, deadline = f"--scheduler {address}", time.monotonic() + timeout
    fix = "start one with 'dask scheduler' and give the address it prints"
    slow = "a slow network may need more time: --connect-timeout SECONDS"
    not_dask = f"check the address (the scheduler's port, 8786 by default, not its dashboard's), or {fix}; {slow}"
    header = b""
    try:
        with connect_within(host, port, timeout) as probe:
            while len(header) < FRAME_HEADER:
                probe.settimeout(max(deadline - time.monotonic(), 0.001))
                part = probe.recv(FRAME_HEADER - len(header))
                if not part:
                    raise SchedulerError(f"{where}: the server there hung up without a word: it is not a Dask "
                                         f"scheduler; {not_dask}")
                header += part
    except socket.gaierror as exc:
        said = (f"no host named {host!r} (the name does not resolve)" if exc.errno in NO_SUCH_NAME
                else f"the name {host!r} could not be looked up ({exc.strerror or exc})")
        raise SchedulerError(f"{where}: {said}; check the address, or give the scheduler's IP address, or {fix}") \
            from None
    except LookupTimeout:
        raise SchedulerError(f"{where}: the look-up of the name {host!r} did not end within {timeout:g} s (the "
                             f"system's DNS does not answer); check the network, or give the scheduler's IP "
                             f"address; {slow}") from None
    except ConnectionRefusedError:
        raise SchedulerError(f"{where}: nothing listens on port {port} of {host} (connection refused); {fix}") \
            from None
    except TimeoutError:
        said = "no answer" if not header else "no whole answer"
        raise SchedulerError(f"{where}: {said} within {timeout:g} s of a Dask scheduler there; {not_dask}") from None
    except OSError as exc:
        raise SchedulerError(f"{where}: cannot connect ({exc.strerror or exc}); check the address, or {fix}") \
            from None
    if int.from_bytes(header, "little") > MAX_HANDSHAKE:
        raise SchedulerError(f"{where}: the server there answers, but not as a Dask scheduler; {not_dask}")


@contextmanager
def dask_pool(address: str, timeout: float = CONNECT_TIMEOUT) -> Iterator[tuple[Executor, int]]:
    """The ``concurrent.futures`` executor of a Dask cluster's client and its number of worker threads; a scheduler
    that cannot be reached, or does not answer as one within ``timeout`` seconds, is one line
    (:class:`SchedulerError`)."""
    if importlib.util.find_spec("distributed") is None:
        raise SchedulerError("--scheduler needs Dask's distributed package: pip install 'ballotdrill[distributed]'")
    reach_scheduler(address, timeout)  # before Dask's import, which takes seconds
    from distributed import Client
    try:
        client: Any = Client(address, timeout=f"{timeout}s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"--scheduler {address}: no Dask scheduler answered there within {timeout:g} s "
                             f"({exc}); check the address (a scheduler's, not its dashboard's), or give a slow "
                             "network more with --connect-timeout SECONDS") from None
    try:
        slots = sum(int(n) for n in client.nthreads().values())
        if slots == 0:
            raise SchedulerError(f"--scheduler {address}: the cluster has no workers; start some with "
                                 f"'dask worker {address}'")
        yield client.get_executor(pure=False), slots
    finally:
        client.close()
