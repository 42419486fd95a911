"""How a sweep's replications are cut into tasks: each exactly once, large tasks first, small ones at the end."""

from __future__ import annotations

import pytest
from sweep_helpers import EXAMPLE, VARIANT

from ballotdrill import application
from ballotdrill.sweep import make_tasks, replication_seed
from ballotdrill.sweep.execute import MAX_BATCH, MIN_BATCH, batch_sizes


@pytest.mark.parametrize(("count", "slots"), [(1, 1), (2, 2), (7, 2), (200, 1), (200, 2), (1000, 8), (37, 64)])
def test_batches_cover_a_point_once_and_shrink_towards_the_end(count: int, slots: int) -> None:
    sizes = batch_sizes(count, count, slots)
    assert sum(sizes) == count
    assert all(1 <= s <= MAX_BATCH for s in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert all(s >= MIN_BATCH for s in sizes[:-1])
    if count >= 4 * slots * MIN_BATCH:  # enough to shrink: the last task is a small share of the first
        assert sizes[-1] <= MIN_BATCH < sizes[0]


def test_every_replication_of_every_point_is_in_exactly_one_task() -> None:
    plan = application.plan_sweep(EXAMPLE, None, grid=["structure.channels.phone.reliability=0.5,0.7,0.9"],
                                  variants=[VARIANT])
    seeds = [replication_seed(4, i) for i in range(45)]
    for slots in (1, 2, 3, 16):
        tasks = make_tasks(plan.points, plan.scenario, seeds, slots)
        pairs = [(t.point, index, seed) for t in tasks for index, seed in t.replications]
        assert sorted(pairs) == [(p.index, i, s) for p in plan.points for i, s in enumerate(seeds)]
        assert [len(t.replications) for t in tasks] == sorted((len(t.replications) for t in tasks), reverse=True)
        assert all(t.document == plan.points[t.point].doc.model_dump_json(by_alias=True) for t in tasks)
