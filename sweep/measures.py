"""What a sweep keeps of one replication: every measure as a number, each objective's rating, the bottleneck.

Background arrivals (``I4-7``) are different incidents in every replication, so they count in
the run's totals and the actors' load but are not followed one by one; scripted incidents are.

A run's scores list an actor, a channel or an incident's harm only when there was something to
list. What they count is then 0, not missing (:func:`absent`): a channel nobody used carried
0 attempts, a contingent incident that never happened reached 0 people. Times are different:
an incident never contained (nor ended by itself) has no time to contain (None), and a run where
an incident did not happen has no time at all. An objective's value is the one its rating judged
(:func:`~ballotdrill.scoring.judged.judged_value`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ballotdrill.scoring.judged import judged_value
from ballotdrill.scoring.model import Scores, Totals
from ballotdrill.scoring.runmeasures import RunMeasures
from ballotdrill.scoring.summary import NO_QUEUE, bottlenecks


class Measure(NamedTuple):
    """One measure of a run: a section (``run``, ``objective``, ``incident``, ``harm``, ``actor``,
    ``channel``), the item it is about and the field."""

    section: str
    item: str
    field: str

    @property
    def key(self) -> str:
        return f"{self.section}.{self.item}.{self.field}"


_KEPT_MEASURES = 50_000
_MEASURES: dict[tuple[str, str, str], Measure] = {}
"""Every measure made by :func:`measure_of`, once: a process names the same few hundred measures in every run."""


def measure_of(section: str, item: str, field: str) -> Measure:
    """The :class:`Measure` ``(section, item, field)``, the same object each time it is asked for.

    A worker's outcomes then share their keys: making one costs a dict look-up rather than a named tuple, and a
    batch of outcomes is pickled with each key once (later ones are references to it), not once per run.
    """
    key = (section, item, field)
    found = _MEASURES.get(key)
    if found is None:
        if len(_MEASURES) >= _KEPT_MEASURES:  # a process that has swept very many scenarios: start afresh
            _MEASURES.clear()
        found = _MEASURES[key] = Measure(section, item, field)
    return found


class Outcome(NamedTuple):
    """One replication, reduced: its place in the sweep, its seed and what it measured."""

    point: int
    replication: int
    seed: int
    events: int
    values: dict[Measure, float | None]
    """None: the measure's end point never happened in this run (e.g. an incident never contained)."""
    ratings: dict[str, str]
    """Objective id to its rating."""
    bottleneck: str | None
    """The run's bottleneck by the report's rule (:data:`~ballotdrill.scoring.summary.QUEUE_RULE`: a queue, the one
    where work waited longest in all), or None when no actor had a queue."""
    unexercised: Mapping[str, str] = {}  # never changed: a plain dict pickles to the workers
    """Objective id to why it was not exercised, for those rated NE (a key of
    :data:`~ballotdrill.scoring.exercised.UNEXERCISED`)."""


NO_BOTTLENECK = NO_QUEUE
"""How a sweep names the runs without a bottleneck, and why: ``no queue (fewer than 2 waits, never 2 at once, or p90
under 15 min)``."""

RUN_FIELDS = tuple(name for name in Totals.model_fields
                   if name not in ("steps_with_target", "late_unreached", "decisions"))
"""Every run total (those left out: denominators of others, and a part of ``late_steps``)."""
INCIDENT_FIELDS = ("to_detect", "to_first_action", "to_contain", "to_resolve")
HARM_FIELDS = ("reach", "voter_minutes", "station_minutes")
ACTOR_FIELDS = ("utilisation", "wait_mean", "wait_p90", "wait_max", "longest_queue", "unstaffed_queued", "steps")
CHANNEL_FIELDS = ("attempts", "failures", "drops", "mean_latency")

_UNITS = {"on_time": "share", "utilisation": "share", "reach": "people", "voter_minutes": "voter-minutes",
          "station_minutes": "station-minutes", "mean_latency": "minutes", **dict.fromkeys(INCIDENT_FIELDS, "minutes"),
          **dict.fromkeys(("wait_mean", "wait_p90", "wait_max"), "minutes")}
_HIGHER_IS_BETTER = {"on_time"}
_NO_DIRECTION = {"incidents", "steps_completed", "handoffs", "decisions_defaulted", "utilisation", "steps", "attempts"}
_OBJECTIVE_UNITS = {"time": "minutes", "on_time": "share", "reach": "people", "voter_minutes": "voter-minutes",
                    "station_minutes": "station-minutes", "votes_lost": "votes"}


def unit(measure: Measure, objective_kind: str = "") -> str:
    """``minutes``, ``share``, ``people``, ``voter-minutes``, ``station-minutes``, ``votes`` or ``count``."""
    if measure.section == "objective":
        return _OBJECTIVE_UNITS.get(objective_kind, "")
    return _UNITS.get(measure.field, "count")


_ZERO_WHEN_ABSENT = {"harm": frozenset(HARM_FIELDS),
                     "channel": frozenset(("attempts", "failures", "drops")),
                     "actor": frozenset(("utilisation", "steps", "longest_queue", "unstaffed_queued"))}


def absent(measure: Measure) -> float | None:
    """A measure's value in a run whose scores do not list its item: 0 for what counts something that did not happen
    (harm, a channel's attempts, an actor's steps and busy share), None (does not apply) for the rest (times, waits,
    latencies)."""
    return 0.0 if measure.field in _ZERO_WHEN_ABSENT.get(measure.section, ()) else None


def lower_is_better(measure: Measure) -> bool | None:
    """Which way is better for a measure other than an objective (None: neither, e.g. a count of incidents)."""
    if measure.field in _NO_DIRECTION:
        return None
    return measure.field not in _HIGHER_IS_BETTER


_FIELDS_OF: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[Measure, str], ...]] = {}
"""Per section, item and fields: each field's :class:`Measure` with the field (a process asks for the same few dozen
items in every run)."""


def measures_of(section: str, item: str, fields: tuple[str, ...]) -> tuple[tuple[Measure, str], ...]:
    """``(measure_of(section, item, field), field)`` for each of ``fields``, made once per process (one look-up a run
    for an item, not one call and tuple a field)."""
    key = (section, item, fields)
    found = _FIELDS_OF.get(key)
    if found is None:
        if len(_FIELDS_OF) >= _KEPT_MEASURES:
            _FIELDS_OF.clear()
        found = _FIELDS_OF[key] = tuple((measure_of(section, item, name), name) for name in fields)
    return found


def outcome(point: int, replication: int, seed: int, events: int, scores: Scores | RunMeasures,
            continuations: Mapping[str, Sequence[str]] | None = None) -> Outcome:
    """Reduce one replication's scores (or its measures alone, :mod:`ballotdrill.scoring.runmeasures`) to what the
    sweep aggregates; ``continuations`` are the scenario's (``Scenario.continuations()``)."""
    values: dict[Measure, float | None] = {}
    totals = scores.totals
    for measure, name in measures_of("run", "run", RUN_FIELDS):
        values[measure] = _number(getattr(totals, name))
    chains = continuations or {}
    for objective in scores.objectives:
        values[measure_of("objective", objective.id, "value")] = judged_value(objective, scores.harm, chains)
    scripted = {i.incident for i in scores.incidents if not i.background}
    for incident in scores.incidents:
        if incident.incident in scripted:
            for measure, name in measures_of("incident", incident.incident, INCIDENT_FIELDS):
                values[measure] = getattr(incident, name)
    for harm in scores.harm:
        if harm.incident in scripted:
            for measure, name in measures_of("harm", harm.incident, HARM_FIELDS):
                values[measure] = float(getattr(harm, name))
    for load in scores.load:
        for measure, name in measures_of("actor", load.actor, ACTOR_FIELDS):
            values[measure] = _number(getattr(load, name, None))
    for channel in scores.channels:
        for measure, name in measures_of("channel", channel.channel, CHANNEL_FIELDS):
            values[measure] = _number(getattr(channel, name))
    top = bottlenecks(scores, top=1)
    return Outcome(point, replication, seed, events, values, {o.id: o.rating for o in scores.objectives},
                   top[0][0] if top else None,
                   {o.id: o.unexercised for o in scores.objectives if o.rating == "NE"})


def _number(value: float | int | None) -> float | None:
    return None if value is None else float(value)
