"""Random streams: a stable derivation, one stream per source, and common random numbers across structures."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest
from engine_helpers import ROOT, file_of, kinds, library, load, run

from ballotdrill import scenarios
from ballotdrill.exercise.streams import Streams, derive_seed
from ballotdrill.journal import Event
from ballotdrill.scenarios import Override

LIBRARY = library()


def test_derive_seed_is_pinned() -> None:
    """Changing the derivation silently changes every run ever recorded: it must be noticed."""
    assert derive_seed(1, "actor/x") == 184021927013090638964309036503426410019
    assert derive_seed(0, "incident/N1") == 18206975857661365472543145222163237154
    assert derive_seed(1, "actor/x") == int.from_bytes(hashlib.sha256(b"ballotdrill\x001\x00actor/x").digest()[:16],
                                                       "big")
    assert Streams(42).get("arrivals/B1").random() == 0.7320054391417533


def test_streams_with_different_names_or_seeds_differ() -> None:
    names = ["actor/a", "actor/b", "channel/a", "incident/a", "incident/a/effects", "arrivals/a", "arrivals/A"]
    seeds = {derive_seed(7, n) for n in names}
    assert len(seeds) == len(names)
    assert derive_seed(7, "actor/a") != derive_seed(8, "actor/a")
    draws = {tuple(Streams(7).make(n).random() for _ in range(3)) for n in names}
    assert len(draws) == len(names)


def test_get_keeps_a_stream_and_make_starts_afresh() -> None:
    streams = Streams(3)
    a = streams.get("actor/a")
    first = a.random()
    assert streams.get("actor/a") is a and a.random() != first
    assert streams.make("actor/a").random() == first == Streams(3).make("actor/a").random()


def _sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "exercise").glob("*.py"))]


def test_the_engine_never_uses_the_global_random_or_hash() -> None:
    """Read as code (not text: the docstrings rightly mention ``hash()``)."""
    sources = _sources()
    assert len(sources) >= 8
    for path, text in sources:
        tree = ast.parse(text, filename=str(path))
        randoms = {"random"}  # names bound to the random module
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("random", "numpy.random"), f"{where} imports from random"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name != "numpy.random", where
                    if alias.name == "random":
                        randoms.add(alias.asname or "random")
            elif isinstance(node, ast.Call):
                func = node.func
                assert not (isinstance(func, ast.Name) and func.id == "hash"), f"{where} calls hash()"
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in randoms:
                    assert func.attr == "Random", f"{where} calls the global random.{func.attr}()"
            elif isinstance(node, ast.Attribute) and node.attr == "SystemRandom":
                raise AssertionError(f"{where} uses SystemRandom, which cannot be replayed")
    # and the modules that draw do hold their own streams
    engine = (ROOT / "exercise" / "engine.py").read_text(encoding="utf-8")
    assert "Streams(seed)" in engine


# -- common random numbers ----------------------------------------------------------------------------


def _incident_rows(events: list[Event], contingent: set[str]) -> list[tuple[float, str | None, dict[str, object]]]:
    return [(e.t, e.incident, e.data) for e in kinds(events, "incident_started") if e.data["inject"] not in contingent]


def _contingent(doc: scenarios.ScenarioFile, name: str) -> set[str]:
    sc = doc.scenarios[name]
    return {i for i, inj in zip(sc.inject_ids(), sc.injects, strict=True) if inj.when is not None}


BUSIEST = {
    "opening-equipment-failures": "interior-helpdesk", "combined-hybrid-day": "interior-helpdesk",
    "results-night-ddos": "fps-interior-elections", "intimidation-spread": "local-police",
    "deepfake-48h": "nccn-monitoring", "ransomware-week-before": "municipal-it-provider",
}


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
def test_a_changed_structure_faces_the_same_incidents(name: str) -> None:
    actor = BUSIEST.get(name, next(iter(LIBRARY.structure.actors)))
    assert actor in LIBRARY.structure.actors
    changed = scenarios.load_file(scenarios.library_path(), [
        Override(f"structure.actors.{actor}.staff=9"), Override(f"structure.actors.{actor}.shifts=[]"),
        Override("structure.channels.phone.reliability=1")])
    contingent = _contingent(LIBRARY, name)
    for seed in (1, 2):
        base, other = run(LIBRARY, seed, name), run(changed, seed, name)
        assert base != other, "the structure change should change the run"
        assert _incident_rows(base, contingent) == _incident_rows(other, contingent)
        assert _incident_rows(base, contingent), "the scenario has scheduled incidents"
        ended = [{e.incident: e.t for e in kinds(ev, "contained") if e.data["how"] == "ended"} for ev in (base, other)]
        for incident in ended[0].keys() & ended[1].keys():
            assert ended[0][incident] == ended[1][incident], incident


def _crn_file() -> dict[str, object]:
    """Incidents with natural durations and detection delays; procedures that never contain them."""
    return file_of(
        {"watch": {"staff": 1, "shifts": [{"from": "20:00", "to": "08:00", "staff": 0}]},
         "desk": {"staff": 1}},
        {"p": {"trigger": {"type": ["outage", "rumour"]}, "steps": [
            {"id": "look", "actor": "watch", "duration": {"dist": "exponential", "mean": "20m"}},
            {"id": "act", "actor": "desk", "via": "phone", "duration": {"dist": "triangular", "min": "5m",
                                                                         "mode": "30m", "max": "2h"}}]}},
        [{"id": "B1", "every": {"dist": "exponential", "mean": "15m"},
          "incident": {"type": "outage", "duration": {"dist": "lognormal", "median": "1h", "p90": "3h"},
                       "voters": 100, "stations": 1},
          "detected_by": {"actor": "watch", "after": {"dist": "exponential", "mean": "10m"}}},
         {"id": "B2", "every": {"dist": "uniform", "min": "10m", "max": "50m"}, "from": "10:00", "to": "18:00",
          "incident": {"type": "rumour", "duration": {"dist": "exponential", "mean": "2h"},
                       "reach": {"initial": 10, "doubling": "30m", "cap": 100000}}},
         {"id": "X1", "at": "12:00", "incident": {"type": "outage", "duration": "3h"},
          "detected_by": {"actor": "desk", "after": {"dist": "empirical", "values": ["5m", "1h"]}}}],
        channels={"phone": {"latency": {"dist": "lognormal", "median": "2m", "p90": "8m"}, "reliability": 0.8,
                            "retries": 1}},
        start="06:00", end="D+1 06:00")


@pytest.mark.parametrize("overrides", [
    ["structure.actors.desk.staff=5"],
    ["structure.actors.watch.shifts=[]", "structure.actors.watch.staff=3"],
    ["structure.channels.phone.reliability=0.3", "structure.channels.phone.latency=1h"],
], ids=["more-desk", "watch-round-the-clock", "bad-phone"])
def test_common_random_numbers_keep_arrivals_durations_and_detection(overrides: list[str]) -> None:
    base_doc, changed_doc = load(_crn_file()), load(_crn_file(), overrides)
    for seed in (1, 2, 3):
        base, changed = run(base_doc, seed), run(changed_doc, seed)
        work = [[(e.t, e.kind, e.incident, e.actor) for e in ev if e.kind.startswith(("step", "handoff"))]
                for ev in (base, changed)]
        assert work[0] != work[1], "the structure change should change the work"
        for kind in ("incident_started", "detected", "contained"):
            rows = [[(e.t, e.incident, e.actor, e.data) for e in kinds(ev, kind)] for ev in (base, changed)]
            assert rows[0] == rows[1], kind
        contained = kinds(base, "contained")
        assert len(contained) > 50 and all(e.data["how"] == "ended" for e in contained)
