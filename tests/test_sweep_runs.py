"""Sweeps as an evaluator relies on them: the same answer on any number of workers, intervals that shrink
with more runs, variants paired on the same incidents, and replications that can be played again."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sweep_helpers import EXAMPLE, VARIANT, sweep

from ballotdrill import application
from ballotdrill.application import RunInterrupted
from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.scenarios import BallotdrillError


def _rows(folder: Path) -> list[list[str]]:
    with open(folder / "replications.csv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_the_aggregate_is_identical_for_any_worker_count(tmp_path: Path) -> None:
    options = {"runs": 12, "seed": 3, "variants": [VARIANT], "grid": ["structure.channels.phone.reliability=0.6,0.95"]}
    one = sweep(tmp_path, "one", workers=1, **options)
    two = sweep(tmp_path, "two", workers=2, **options)
    three = sweep(tmp_path, "three", workers=3, **options)
    assert two.slots == 2 and three.slots == 3
    for name in ("sweep.json", "sweep.csv", "replications.csv", "sweep.html"):
        first = (one.folder / name).read_bytes()
        assert (two.folder / name).read_bytes() == first, name
        assert (three.folder / name).read_bytes() == first, name
    assert len(one.result.points) == 4 and all(p.runs == 12 for p in one.result.points)


def _width(low: float | None, high: float | None) -> float:
    assert low is not None and high is not None
    return high - low


def test_confidence_intervals_shrink_as_runs_grow(tmp_path: Path) -> None:
    small = sweep(tmp_path, "small", runs=10, workers=2).result.points[0]
    large = sweep(tmp_path, "large", runs=80, workers=2).result.points[0]
    for a, b in zip(small.objectives, large.objectives, strict=True):
        assert _width(b.value.ci_low, b.value.ci_high) < _width(a.value.ci_low, a.value.ci_high)
        assert _width(b.met.ci_low, b.met.ci_high) < _width(a.met.ci_low, a.met.ci_high)
    waits = {(m.item, m.field): m.stat for m in small.measures}
    for m in large.measures:
        if (m.section, m.field) == ("actor", "wait_mean"):
            before = waits[(m.item, m.field)]
            assert _width(m.stat.ci_low, m.stat.ci_high) < _width(before.ci_low, before.ci_high)


def test_replication_seeds_do_not_depend_on_the_number_of_runs(tmp_path: Path) -> None:
    small = sweep(tmp_path, "small", runs=3, seed=9).result
    large = sweep(tmp_path, "large", runs=6, seed=9).result
    assert large.seeds[:3] == small.seeds and len(set(large.seeds)) == 6
    assert sweep(tmp_path, "other", runs=3, seed=10).result.seeds != small.seeds


def _started(folder: Path) -> list[tuple[float, str | None, str]]:
    """(time, incident, data) of every incident start in a kept journal."""
    return [(e.t, e.incident, json.dumps(e.data, sort_keys=True)) for e in read_events(folder / JOURNAL_FILE)
            if e.kind == "incident_started"]


def test_variants_are_paired_on_the_same_incidents(tmp_path: Path) -> None:
    outcome = sweep(tmp_path, "paired", runs=6, variants=[VARIANT], keep_journals=True)
    base, variant = (outcome.folder / "journals" / name for name in ("p000-baseline", "p001-second-desk"))
    runs = sorted(p.name for p in base.iterdir())
    assert runs == sorted(p.name for p in variant.iterdir()) and len(runs) == 6
    differed = 0
    for run in runs:
        assert _started(base / run) == _started(variant / run)  # same incidents at the same times
        differed += (base / run / JOURNAL_FILE).read_bytes() != (variant / run / JOURNAL_FILE).read_bytes()
    assert differed == 6  # ... handled by a different structure
    comparison = outcome.result.comparisons[0]
    wait = next(d for d in comparison.measures if (d.section, d.item, d.field) == ("actor", "desk", "wait_mean"))
    assert wait.pairs == 6 and wait.mean is not None and wait.mean < 0  # a second person: less waiting
    # what the variant does to this structure, not only where: the desk's one person becomes two
    assert outcome.result.variants[0].changes == ["structure.actors.desk.staff: 1 → 2"]


def test_a_variant_that_changes_nothing_played_is_no_change(tmp_path: Path) -> None:
    idle = tmp_path / "idle.yaml"
    idle.write_text("set:\n  structure.channels.mail.latency: 25m\n", encoding="utf-8")  # only a fallback's latency
    outcome = sweep(tmp_path, "idle", runs=5, seed=2, variants=[idle], grid=["structure.channels.phone.reliability=1"])
    comparison = outcome.result.comparisons[0]
    assert comparison.variant == "idle"
    assert {d.verdict for d in comparison.objectives} == {"no change"}
    assert {d.verdict for d in comparison.measures} <= {"no change", "not comparable"}


def test_kept_journals_are_run_folders_that_rebuild_the_same_ratings(tmp_path: Path) -> None:
    outcome = sweep(tmp_path, "kept", runs=3, keep_journals=True)
    rows = _rows(outcome.folder)
    for index, (row, seed) in enumerate(zip(rows, outcome.result.seeds, strict=True)):
        folder = outcome.folder / "journals" / "p000-baseline" / f"r{index:04d}-seed{seed}"
        report, _ = application.write_reports(folder, ["json"])
        assert row[7:9] == [o.rating for o in report.scores.objectives]


def test_a_replication_plays_again_from_its_listed_seed(tmp_path: Path) -> None:
    outcome = sweep(tmp_path, "again", runs=2, overrides=["structure.actors.cell.staff=2"])
    seed = outcome.result.seeds[1]
    doc = application.load_scenarios(EXAMPLE, ["structure.actors.cell.staff=2"])
    again = application.run_to_folder(doc, "busy-morning", seed=seed, folder=tmp_path / "again-run")
    row = _rows(outcome.folder)[1]
    assert row[4] == str(seed) and row[5] == str(again.events)
    assert row[7:9] == [o.rating for o in again.report.scores.objectives]


def test_a_sweep_never_overwrites_another(tmp_path: Path) -> None:
    sweep(tmp_path, "once", runs=1)
    before = (tmp_path / "once" / "sweep.json").read_bytes()
    with pytest.raises(BallotdrillError, match="already holds a sweep"):
        sweep(tmp_path, "once", runs=1, seed=5)
    assert (tmp_path / "once" / "sweep.json").read_bytes() == before


def test_a_sweep_file_made_while_the_sweep_ran_is_left_as_it_is(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # another sweep into the same --out, started at once, passed the same check of an empty folder
    from ballotdrill.application import sweeps

    real = sweeps.run_tasks

    def racing(*args: Any, **kwargs: Any) -> Any:
        (tmp_path / "both" / "sweep.json").write_text("the other sweep's", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(sweeps, "run_tasks", racing)
    with pytest.raises(BallotdrillError, match=r"sweep\.json appeared while this sweep ran .* run it again with a new "
                                               "--out"):
        sweep(tmp_path, "both", runs=2)
    assert [p.name for p in (tmp_path / "both").iterdir()] == ["sweep.json"]
    assert (tmp_path / "both" / "sweep.json").read_text(encoding="utf-8") == "the other sweep's"


def test_a_failed_sweep_leaves_no_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ballotdrill.application import sweeps

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sweeps, "run_tasks", interrupted)
    with pytest.raises(RunInterrupted, match="nothing was written"):
        sweep(tmp_path, "stopped", runs=2)
    assert not (tmp_path / "stopped").exists()
    (tmp_path / "mine").mkdir()  # empty: a sweep writes into no other (test_sweep_cli)
    with pytest.raises(RunInterrupted, match="nothing was written"):
        sweep(tmp_path, "mine", runs=2)
    assert (tmp_path / "mine").is_dir()  # a folder it did not make stays


def test_a_load_grid_over_capped_background_injects_says_the_factor_is_held_down(tmp_path: Path) -> None:
    capped = tmp_path / "capped.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    capped.write_text(text.replace("incident: {type: outage},", "limit: 3, incident: {type: outage},", 1),
                      encoding="utf-8")
    grid = ["scenarios.busy-morning.background_factor=1,2"]
    held = application.sweep_to_folder(capped, None, out=tmp_path / "held", runs=2, workers=1, grid=grid)
    assert held.result.limited == ["I2 (at most 3)"]  # the second inject, named by its place
    page = (tmp_path / "held" / "sweep.html").read_text(encoding="utf-8")
    assert "stop at their limit, so a load factor raises the load less than it says" in page
    free = application.sweep_to_folder(EXAMPLE, None, out=tmp_path / "free", runs=2, workers=1, grid=grid)
    assert free.result.limited == [] and "limit" not in (tmp_path / "free" / "sweep.html").read_text(encoding="utf-8")
