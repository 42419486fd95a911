"""The same sweep on a Dask cluster (a LocalCluster on loopback) gives the same files as on the local pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from sweep_helpers import VARIANT, sweep

distributed = pytest.importorskip("distributed", reason="Dask's distributed package (ballotdrill[distributed])")


def test_a_sweep_on_dask_equals_the_local_sweep(tmp_path: Path) -> None:
    options = {"runs": 10, "seed": 4, "variants": [VARIANT], "grid": ["structure.channels.phone.reliability=0.5,0.9"]}
    local = sweep(tmp_path, "local", workers=2, **options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        on_dask = sweep(tmp_path, "dask", scheduler=address, **options)
    assert on_dask.slots == 2
    for name in ("sweep.json", "sweep.csv", "replications.csv", "sweep.html"):
        assert (on_dask.folder / name).read_bytes() == (local.folder / name).read_bytes(), name


def test_kept_journals_from_dask_are_written_by_the_caller(tmp_path: Path) -> None:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        on_dask = sweep(tmp_path, "dask", runs=3, scheduler=cluster.scheduler_address, keep_journals=True)
    local = sweep(tmp_path, "local", runs=3, keep_journals=True)
    kept = sorted(p.relative_to(on_dask.folder) for p in (on_dask.folder / "journals").rglob("journal.sqlite"))
    assert len(kept) == 3
    assert kept == sorted(p.relative_to(local.folder) for p in (local.folder / "journals").rglob("journal.sqlite"))
