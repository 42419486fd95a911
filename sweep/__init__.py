"""Many runs, one answer: Monte-Carlo sweeps over seeds, grid values and structure variants.

Replications share seeds across points (common random numbers), journal to memory, are scored
at once and reduced to their measures; the aggregate (means, percentiles, confidence intervals,
rating shares, paired differences) is the same for any number of workers and on a Dask cluster.
Names are imported on first use, so a worker's fork server loads only what playing and measuring need.
"""

from typing import TYPE_CHECKING

from ballotdrill._lazy import lazy_names

if TYPE_CHECKING:
    from ballotdrill.sweep.aggregate import aggregate
    from ballotdrill.sweep.execute import (
        Progress,
        SchedulerError,
        check_workers,
        dask_pool,
        local_pool,
        make_tasks,
        run_tasks,
        usable_cores,
    )
    from ballotdrill.sweep.measures import Measure, Outcome
    from ballotdrill.sweep.model import RATINGS, SweepResult
    from ballotdrill.sweep.plan import BASELINE, Axis, Point, Variant, build_points, parse_axis, read_variant
    from ballotdrill.sweep.render import (
        difference_text,
        objective_value_difference,
        render_csv,
        render_html,
        render_json,
        render_replications,
    )
    from ballotdrill.sweep.seeds import replication_seed

__all__ = [
    "BASELINE",
    "RATINGS",
    "Axis",
    "Measure",
    "Outcome",
    "Point",
    "Progress",
    "SchedulerError",
    "SweepResult",
    "Variant",
    "aggregate",
    "build_points",
    "check_workers",
    "dask_pool",
    "difference_text",
    "local_pool",
    "make_tasks",
    "objective_value_difference",
    "parse_axis",
    "read_variant",
    "render_csv",
    "render_html",
    "render_json",
    "render_replications",
    "replication_seed",
    "run_tasks",
    "usable_cores",
]

__getattr__ = lazy_names(__name__, {
    "aggregate": "aggregate",
    **dict.fromkeys(("Progress", "SchedulerError", "check_workers", "dask_pool", "local_pool", "make_tasks",
                     "run_tasks", "usable_cores"), "execute"),
    **dict.fromkeys(("Measure", "Outcome"), "measures"),
    **dict.fromkeys(("RATINGS", "SweepResult"), "model"),
    **dict.fromkeys(("BASELINE", "Axis", "Point", "Variant", "build_points", "parse_axis", "read_variant"), "plan"),
    **dict.fromkeys(("difference_text", "objective_value_difference", "render_csv", "render_html", "render_json",
                     "render_replications"), "render"),
    "replication_seed": "seeds"})
