"""The built-in library says where every actor, channel, procedure and scenario comes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.scoring import score
from ballotdrill.sweep.plan import read_variant

LIBRARY = scenarios.load_file(scenarios.library_path())
STRUCTURE = LIBRARY.structure


def _parts() -> list[tuple[str, list[str]]]:
    return ([(f"actor {n}", a.basis) for n, a in STRUCTURE.actors.items()]
            + [(f"channel {n}", c.basis) for n, c in STRUCTURE.channels.items()]
            + [(f"procedure {n}", p.basis) for n, p in STRUCTURE.procedures.items()]
            + [(f"scenario {n}", s.basis) for n, s in LIBRARY.scenarios.items()])


@pytest.mark.parametrize(("part", "basis"), _parts(), ids=[p for p, _ in _parts()])
def test_every_part_of_the_library_cites_its_basis(part: str, basis: list[str]) -> None:
    assert basis, f"{part} has no basis"
    assert all(entry.strip() for entry in basis), f"{part} has an empty basis entry"


def test_sourced_and_assumed_figures_are_told_apart() -> None:
    """Each actor cites at least one source that is not an assumption (it exists for a documented reason)."""
    for name, actor in STRUCTURE.actors.items():
        sourced = [b for b in actor.basis if not b.startswith("Assumption")]
        assert sourced, f"actor {name} cites only assumptions"


def test_step_ids_are_unique_across_the_structure() -> None:
    """Objectives name steps without their procedure, so a step id must mean one step."""
    seen: dict[str, str] = {}
    for proc_name, proc in STRUCTURE.procedures.items():
        for step in proc.steps:
            assert step.id not in seen, f"step {step.id} in {proc_name} and {seen[step.id]}"
            seen[step.id] = proc_name


def test_every_actor_is_used_by_some_procedure_or_scenario() -> None:
    used = {step.actor for proc in STRUCTURE.procedures.values() for step in proc.steps}
    for sc in LIBRARY.scenarios.values():
        for inj in sc.injects:
            used |= {x.actor for x in (inj.detected_by, inj.action) if x is not None}
            if inj.message is not None:
                used.add(inj.message.to)
            if inj.incident is not None and inj.incident.owner is not None:
                used.add(inj.incident.owner)  # does the steps written 'actor: owner'
    assert set(STRUCTURE.actors) - used == set()


VARIANT = Path(__file__).resolve().parent.parent / "docs" / "examples" / "variants" / "election-coordination-cell.yaml"


def variant_overrides(path: Path) -> list[scenarios.Override]:
    """A variant file's ``set`` entries as --set overrides (each value written as JSON, which is YAML flow)."""
    data = read_file(str(path)).data
    return [scenarios.Override(f"{key}={json.dumps(value)}") for key, value in data["set"].items()]


def test_every_scenario_names_its_election_with_a_source() -> None:
    """Organiser, compulsory voting and closing times are scenario data (June 2024: 14:00 paper, 16:00 electronic)."""
    for name, scenario in LIBRARY.scenarios.items():
        election = scenario.election
        assert election is not None and scenario.polls is None, name
        assert election.organiser and election.type and election.compulsory is not None and election.basis, name
        assert election.closes and election.opens is not None, name
    federal = LIBRARY.scenarios["combined-hybrid-day"].closes
    assert federal == {"paper": 14 * 60, "electronic": 16 * 60}
    assert LIBRARY.scenarios["recount-and-annulment"].election.type == "local"  # type: ignore[union-attr]


def test_the_coordination_cell_variant_applies_to_the_library_and_moves_handoffs_across_the_table() -> None:
    assert read_variant(VARIANT).name == "election-coordination-cell"  # what sweep --variant reads
    changed = scenarios.load_file(scenarios.library_path(), variant_overrides(VARIANT))
    assert "co-located" in changed.structure.channels
    name = "deepfake-48h"
    base, cell = (run_exercise(doc, name, seed=1).events for doc in (LIBRARY, changed))
    sent = [e for e in cell if e.kind == "handoff_sent" and e.data.get("channel") == "co-located"]
    assert sent, "the variant's channel carries handoffs"
    started = [[(e.t, e.incident) for e in run if e.kind == "incident_started"] for run in (base, cell)]
    assert started[0][0] == started[1][0]  # same incidents (common random numbers)


def test_every_part_names_the_organisation_that_answers_for_it() -> None:
    """The improvement plan names a real organisation: every actor its organisation, channel and procedure its owner."""
    assert [n for n, a in STRUCTURE.actors.items() if not a.organisation.strip()] == []
    assert [n for n, c in STRUCTURE.channels.items() if not c.owner.strip()] == []
    assert [n for n, p in STRUCTURE.procedures.items() if not p.owner.strip()] == []


def test_corrections_slow_a_wave_and_leave_containing_to_the_platforms() -> None:
    """A published correction, fact-check or warning slows the narrative (growth below 1); it never contains it."""
    steps = {s.id: s for p in STRUCTURE.procedures.values() for s in p.steps}
    for step_id in ("dis-publish-debunk", "df-publish-correction", "fc-publish", "ss-warn-owner"):
        effect = steps[step_id].effect
        assert effect is not None and effect.slows and effect.contain is None and not effect.resolve, step_id
        assert effect.growth is not None and 0 < effect.growth < 1, step_id


class _Day(NamedTuple):
    """What one seed of the default day did with the results-site DDoS (D2) and its contingency (D2R)."""

    seed: int
    ended_before_mitigation: bool
    """D2 went away by itself before its 'cy-mitigate' completed (or while it never did)."""
    mitigated_after_end: bool
    """... and 'cy-mitigate' completed for D2 after that end (a mitigation of an attack already over)."""
    resumed: float | None
    """When D2R started, or None."""
    not_exercised: list[tuple[str, str]]
    """(objective, why) of every objective rated NE."""
    o3: str
    """O3's reason."""


def _days(seeds: range) -> list[_Day]:
    days = []
    for seed in seeds:
        events = run_exercise(LIBRARY, "combined-hybrid-day", seed=seed).events
        ended = next((e.seq for e in events if e.kind == "contained" and e.incident == "D2"
                      and e.data["how"] == "ended"), None)  # None: still going at the end, or contained by the response
        mitigated = [e.seq for e in events if e.kind == "step_completed" and e.incident == "D2"
                     and e.step == "cy-mitigate"]
        ended_first = ended is not None and not [q for q in mitigated if q < ended]
        resumed = next((e.t for e in events if e.kind == "incident_started" and e.incident == "D2R"), None)
        objectives = score(events, LIBRARY, "combined-hybrid-day").objectives
        days.append(_Day(seed, ended_first, ended_first and bool(mitigated), resumed,
                         [(o.id, o.reason) for o in objectives if o.rating == "NE"],
                         next(o.reason for o in objectives if o.id == "O3")))
    return days


_DAY = LIBRARY.scenarios["combined-hybrid-day"]
CHECK = next(i.at for n, i in zip(_DAY.inject_ids(), _DAY.injects, strict=True) if n == "D2R") - _DAY.start
"""D2R's check (20:30) in minutes from the default day's start, as journal times are."""


def _contingency_holds(days: list[_Day]) -> None:
    """D2R comes at its 20:30 check exactly where D2 ended by itself before its mitigation completed, and O3 is then
    measured on it (unless D2 had already outlasted O3's target: rated on D2); any objective left not exercised is
    O3, where the mitigation completed first (and failed)."""
    for day in days:
        assert (day.resumed is not None) == day.ended_before_mitigation, day
        if day.ended_before_mitigation:
            assert day.resumed == CHECK, day
            assert "measured on D2R, which continues it" in day.o3 or "past the target" in day.o3, day
        for objective, why in day.not_exercised:
            assert objective == "O3" and not day.ended_before_mitigation and "D2 ended by itself" in why, day


def test_the_default_day_brings_the_attack_back_where_it_ended_before_its_mitigation_completed() -> None:
    """Seeds 60-65: where D2 ended by itself before 'cy-mitigate' completed — also where the mitigation completed
    after the end, before the 20:30 check (seeds that left O3 not exercised while the check read whether the
    mitigation was done by then) — D2R resumes it at 20:30 and O3 is measured on it; no objective is left
    unexercised there."""
    days = _days(range(60, 66))
    assert [d.seed for d in days if d.mitigated_after_end and d.resumed is not None], \
        "no seed of 60-65 has its mitigation completed after D2 ended: pick seeds that test 'ended_before'"
    _contingency_holds(days)
    assert not [d for d in days if d.not_exercised]


@pytest.mark.slow
def test_the_default_day_leaves_o3_unexercised_only_where_the_mitigation_came_first_and_failed() -> None:
    """Over 100 seeds, every objective but O3 is exercised, and O3 is not only where 'cy-mitigate' completed before
    D2 ended by itself (its containment failed): the contingency brings back every attack that ended before its
    mitigation (docs/library.md counts these seeds)."""
    days = _days(range(1, 101))
    _contingency_holds(days)
    assert len([d for d in days if d.not_exercised]) == 6, "update docs/library.md's count of the seeds that leave O3"
