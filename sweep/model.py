"""The result of a sweep: frozen pydantic models, written as ``sweep.json``.

Units: times in minutes, shares as fractions (0 … 1). Every interval is a 95 % confidence
interval: Student's t for means and paired differences (kept within what the quantity can be),
Wilson's score interval for shares, Newcombe's paired interval for the change in the chance of
meeting an objective.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from ballotdrill.scoring.model import Frozen

RATINGS = ("P", "S", "M", "U", "not exercised")
"""Rating categories a sweep counts, in this order. A rating outside P/S/M/U counts as not exercised."""

Verdict = Literal["better", "worse", "different", "within noise", "no change", "not comparable"]


class Stat(Frozen):
    """A measure over the runs of one point."""

    runs: int
    """Runs in which the measure applied (e.g. the incident occurred)."""
    reached: int
    """Runs with a value (its end point happened)."""
    mean: float | None = None
    sd: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p10: float | None = None
    p50: float | None = None
    p90: float | None = None
    min: float | None = None
    max: float | None = None


class Share(Frozen):
    """How many runs of ``runs`` something happened in, the share and its interval."""

    count: int
    runs: int
    share: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


class Histogram(Frozen):
    """Counts of values in equal bins from ``low`` to ``high``."""

    low: float
    high: float
    counts: list[int]


class MeasureSummary(Frozen):
    """One measure (``section.item.field``) at one point."""

    section: str
    item: str
    field: str
    unit: str
    lower_is_better: bool | None
    stat: Stat


class ObjectiveSummary(Frozen):
    """An objective at one point: its value over the runs and how often each rating came out."""

    id: str
    capability: str
    description: str
    kind: str
    unit: str
    target: float
    target_text: str
    lower_is_better: bool
    value: Stat
    histogram: Histogram | None
    ratings: dict[str, Share]
    """Every category of :data:`RATINGS`, in order."""
    met: Share
    """Runs rated P of all the point's runs (one that did not exercise the objective counts as not rated P)."""
    met_when_exercised: Share
    """Runs rated P among those where the objective was exercised: the chance of meeting it the sweep reports (none,
    ``runs`` 0, when no run exercised it)."""
    done_unexercised: int = 0
    """Runs not exercised in which the objective's end step was done all the same, after its incident had ended by
    itself (a time to a containing step: the step contained nothing, so it was not exercised)."""
    done_within: int = 0
    """Of those, the runs in which the step came within the target."""
    end_step: str = ""
    """The step a time objective is measured to (empty for any other)."""
    unexercised: dict[str, int] = Field(default_factory=dict)
    """The runs not exercised, counted by why (a key of :data:`~ballotdrill.scoring.exercised.UNEXERCISED`: ``open``
    still under way when the run stopped, within the target; ``ended``; ``absent``; ``never``; ``""`` another)."""


class ActorShare(Frozen):
    """How often an actor was the bottleneck (None: no actor had a queue, see ``scoring.summary.NO_QUEUE``)."""

    actor: str | None
    name: str
    share: Share


class GridValue(Frozen):
    """One axis of the grid at a point: the path and its value as typed."""

    path: str
    value: str


class PointSummary(Frozen):
    """One grid combination under one variant."""

    index: int
    variant: str
    grid: list[GridValue]
    label: str
    runs: int
    events_mean: float
    objectives: list[ObjectiveSummary]
    bottlenecks: list[ActorShare]
    measures: list[MeasureSummary]
    actor_names: dict[str, str] = Field(default_factory=dict)
    """Each actor's name, as the report names it (its id when the structure gives none)."""


class Difference(Frozen):
    """Variant minus baseline of one measure, paired over the runs where both have a value (a count is 0 in a run
    where its item did not happen, so it always has one)."""

    section: str
    item: str
    field: str
    unit: str
    lower_is_better: bool | None
    pairs: int
    """Runs where both sides have a value: the population of ``mean`` and its interval."""
    only_baseline: int = 0
    """Runs where only the baseline reached the measure's end point (e.g. contained the incident): not in ``mean``."""
    only_variant: int = 0
    """Runs where only the variant reached it: not in ``mean``."""
    neither: int = 0
    """Runs where neither side has a value (the objective not exercised, the incident never contained or absent)."""
    mean: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    verdict: Verdict
    chance: str = ""
    """Why the verdict is "within noise" though the interval excludes no change: too few runs changed, or too even a
    split of them, to rule out chance (an exact sign test, two-sided at 5 %); empty otherwise."""


class ObjectiveDifference(Frozen):
    """How much more (or less) often the variant met an objective, paired run by run over the runs that exercised it
    on both sides (``baseline`` and ``variant``: the shares met of those)."""

    id: str
    baseline: Share
    variant: Share
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    verdict: Verdict
    text: str


class Comparison(Frozen):
    """A variant against the baseline at the same grid point, on the same seeds (same incidents)."""

    variant: str
    baseline_point: int
    variant_point: int
    grid: list[GridValue]
    objectives: list[ObjectiveDifference]
    measures: list[Difference]


class AxisInfo(Frozen):
    """One ``--grid`` axis."""

    path: str
    values: list[str]


def axis_names(paths: Sequence[str]) -> list[str]:
    """Each grid path by its shortest ending that no other path ends with, whole parts at a time (``staff``;
    ``helpdesk.staff`` beside ``police.staff``): a point's label and a load reading name every axis apart. A path
    that another one ends with whole is named whole."""
    split = [path.split(".") for path in paths]
    names = []
    for i, parts in enumerate(split):
        others = [other for j, other in enumerate(split) if j != i]
        size = next((k for k in range(1, len(parts)) if all(other[-k:] != parts[-k:] for other in others)),
                    len(parts))
        names.append(".".join(parts[-size:]))
    return names


class VariantInfo(Frozen):
    """One ``--variant`` file."""

    name: str
    source: str
    description: str
    changes: list[str]


class SweepResult(Frozen):
    """Everything a sweep found: ``sweep.json``."""

    format: int = 1
    scenario: str
    title: str
    seed: int
    runs: int
    seeds: list[int]
    """The run seed of each replication (``ballotdrill run SCENARIO --seed N`` plays one again)."""
    overrides: list[str]
    axes: list[AxisInfo]
    variants: list[VariantInfo]
    points: list[PointSummary]
    comparisons: list[Comparison]
    limited: list[str] = Field(default_factory=list)
    """Background injects that stop at a ``limit`` (``B1 (at most 174)``): a load factor raises their load less."""
    inert: list[str] = Field(default_factory=list)
    """Grid paths whose values played the same scenario file at every point (a background factor with no background
    inject): their points are the same runs."""
