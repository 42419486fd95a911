"""The journal's invariants hold on every built-in scenario and on generated scenarios."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import check_invariants, ended, file_of, kinds, library, load, run, to_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballotdrill.journal import KINDS

LIBRARY = library()


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
@pytest.mark.parametrize("seed", [1, 2, 3, 17])
def test_every_library_scenario_keeps_the_journal_contract(name: str, seed: int) -> None:
    events = run(LIBRARY, seed, name)
    check_invariants(events)
    assert {e.kind for e in events} <= set(KINDS)
    assert kinds(events, "incident_started"), "every library scenario has incidents"


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
def test_library_scenarios_stopped_halfway_keep_the_contract(name: str) -> None:
    sc = LIBRARY.scenarios[name]
    events = run(LIBRARY, 5, name, until_clock=(sc.start + sc.end) / 2)
    check_invariants(events)
    assert ended(events).t == (sc.end - sc.start) / 2


# -- generated scenarios --------------------------------------------------------------------------

TYPES = ("t0", "t1")
LEVELS = ("municipal", "provincial", "federal")
SHIFT_WINDOWS = (("06:00", "10:00"), ("10:00", "18:00"), ("20:00", "02:00"))
"""Disjoint daily windows (the last crosses midnight); an actor takes any subset."""


def durations(low: int = 0, high: int = 90) -> st.SearchStrategy[Any]:
    minutes = st.integers(low, high)
    return st.one_of(
        minutes.map(lambda m: f"{m}m" if m else 0),
        st.builds(lambda m: {"dist": "exponential", "mean": f"{m}m"}, st.integers(max(low, 1), high)),
        st.builds(lambda a, b, c: {"dist": "triangular", "min": f"{a}m", "mode": f"{a + b}m", "max": f"{a + b + c}m"},
                  minutes, st.integers(0, 30), st.integers(0, 30)),
        st.builds(lambda m, k: {"dist": "lognormal", "median": f"{m}m", "p90": f"{m * k}m"},
                  st.integers(max(low, 1), high), st.integers(2, 4)),
        st.builds(lambda vs: {"dist": "empirical", "values": [f"{v}m" for v in vs]},
                  st.lists(minutes, min_size=1, max_size=3)),
    )


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def scenario_files(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid scenario file exercising shifts, failing channels, decisions, escalation and contingencies."""
    n_actors = draw(st.integers(1, 4))
    actor_names = [f"a{i}" for i in range(n_actors)]
    actors: dict[str, Any] = {}
    for i, name in enumerate(actor_names):
        actor: dict[str, Any] = {"staff": draw(st.integers(0, 3))}
        windows = draw(st.lists(st.sampled_from(SHIFT_WINDOWS), unique=True, max_size=2))
        if windows:
            actor["shifts"] = [{"from": a, "to": b, "staff": draw(st.integers(0, 3))} for a, b in windows]
        actor["actions"] = [f"act{i}"]
        if draw(st.booleans()):
            actor["level"] = draw(st.sampled_from(LEVELS))
        actors[name] = actor

    n_channels = draw(st.integers(0, 3))
    channel_names = [f"c{i}" for i in range(n_channels)]
    channels: dict[str, Any] = {}
    for i, name in enumerate(channel_names):
        channel: dict[str, Any] = {"latency": draw(durations(0, 20)),
                                   "reliability": draw(st.sampled_from([0.0, 0.3, 0.7, 0.9, 0.99])),
                                   "retries": draw(st.integers(0, 2))}
        later = channel_names[i + 1:]
        if later and draw(st.booleans()):
            channel["fallback"] = draw(st.sampled_from(later))  # only forward: the chain cannot loop
        channels[name] = channel
    default_channel = draw(st.sampled_from([None, *channel_names]))

    procedures: dict[str, Any] = {}
    for p in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["type", "type", "level", "action"]))
        if kind == "type":
            trigger: dict[str, Any] = {"type": draw(st.sampled_from([*TYPES, list(TYPES)])),
                                       "min_severity": draw(st.integers(1, 3))}
        elif kind == "level":
            trigger = {"level": draw(st.sampled_from(LEVELS[1:]))}
        else:
            trigger = {"action": f"act{draw(st.integers(0, n_actors - 1))}"}
        n_steps = draw(st.integers(1, 4))
        ids = [f"p{p}s{i}" for i in range(n_steps)]
        steps = []
        for i, sid in enumerate(ids):
            step: dict[str, Any] = {"id": sid, "actor": draw(st.sampled_from(actor_names)),
                                    "duration": draw(durations(0, 60))}
            if channel_names and draw(st.booleans()):
                step["via"] = draw(st.sampled_from(channel_names))
            if draw(st.booleans()):
                step["target"] = f"{draw(st.integers(10, 300))}m"
            forward = [*ids[i + 1:], "end"]  # every path moves on, so each run ends
            choice = draw(st.sampled_from(["plain", "plain", "next", "decision"]))
            if choice == "next":
                step["next"] = draw(st.sampled_from(forward))
            elif choice == "decision":
                options = {f"o{k}": {"next": draw(st.sampled_from(forward))} for k in range(draw(st.integers(1, 3)))}
                step["decision"] = {"options": options, "default": draw(st.sampled_from(sorted(options))),
                                    "timeout": f"{draw(st.integers(1, 30))}m"}
            if draw(st.integers(0, 4)) == 0:
                step["escalate"] = draw(st.sampled_from(LEVELS[1:]))
            effect = draw(st.sampled_from([None, None, {"contain": 0.5}, {"contain": 1.0}, {"resolve": True}]))
            if effect is not None:
                step["effect"] = effect
            steps.append(step)
        procedures[f"p{p}"] = {"trigger": trigger, "steps": steps}

    start = 6 * 60  # the window is 06:00 to D+1 02:00: it crosses midnight and the night shifts

    def incident(with_id: str | None = None) -> dict[str, Any]:
        inc: dict[str, Any] = {"type": draw(st.sampled_from(TYPES)), "severity": draw(st.integers(1, 4))}
        if with_id:
            inc["id"] = with_id
        if draw(st.booleans()):
            inc["level"] = draw(st.sampled_from(LEVELS))
        if draw(st.booleans()):
            inc["duration"] = draw(durations(1, 240))
        if draw(st.booleans()):
            initial = draw(st.integers(1, 1000))
            inc["reach"] = {"initial": initial, "doubling": f"{draw(st.integers(5, 90))}m",
                            "cap": initial * draw(st.integers(1, 1000))}
        if draw(st.booleans()):
            inc["voters"] = draw(st.integers(0, 5000))
        if draw(st.booleans()):
            inc["stations"] = draw(st.integers(0, 5))
        return inc

    def detection(inject: dict[str, Any]) -> None:
        if draw(st.booleans()):
            inject["detected_by"] = {"actor": draw(st.sampled_from(actor_names)), "after": draw(durations(0, 60))}

    injects: list[dict[str, Any]] = []
    timed_ids = []
    for k in range(draw(st.integers(1, 4))):
        inject: dict[str, Any] = {"id": f"T{k}", "at": clock(draw(st.integers(start, 23 * 60))),
                                  "incident": incident()}
        detection(inject)
        injects.append(inject)
        timed_ids.append(f"T{k}")
    for k in range(draw(st.integers(0, 2))):
        a = draw(st.integers(start, 22 * 60))
        inject = {"id": f"B{k}", "every": {"dist": "exponential", "mean": f"{draw(st.integers(10, 120))}m"},
                  "from": clock(a), "to": clock(draw(st.integers(a + 30, 23 * 60))),
                  "limit": draw(st.integers(1, 10)), "incident": incident()}
        detection(inject)
        injects.append(inject)
    for k in range(draw(st.integers(0, 3))):
        test = draw(st.sampled_from(["is", "is_not", "reach_above"]))
        cond: dict[str, Any] = {"incident": draw(st.sampled_from(timed_ids))}
        if test == "reach_above":
            cond["reach_above"] = draw(st.integers(1, 100_000))
        else:
            cond[test] = draw(st.sampled_from(["started", "detected", "escalated", "contained", "resolved"]))
        inject = {"id": f"C{k}", "when": cond}
        if draw(st.booleans()):
            inject["at"] = clock(draw(st.integers(start, 23 * 60)))
        if draw(st.booleans()):
            inject["incident"] = incident(f"CI{k}")
            detection(inject)
        else:
            inject["message"] = {"to": draw(st.sampled_from(actor_names)), "text": "news"}
        injects.append(inject)
    for k in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, n_actors - 1))
        injects.append({"id": f"A{k}", "at": clock(draw(st.integers(start, 23 * 60))),
                        "action": {"actor": f"a{i}", "name": f"act{i}", "incident": draw(st.sampled_from(timed_ids))}})

    return file_of(actors, procedures, injects, channels=channels, default_channel=default_channel,
                   start=clock(start), end="D+1 02:00")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_files(), seed=st.integers(0, 2**32))
def test_generated_scenarios_keep_the_journal_contract(data: dict[str, Any], seed: int) -> None:
    doc = load(to_yaml(data))
    events = run(doc, seed)
    check_invariants(events)
    # The same inputs give the same journal, row for row.
    assert run(doc, seed) == events


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_files(), seed=st.integers(0, 2**32), frac=st.floats(0.05, 1.0))
def test_generated_scenarios_stopped_early_report_their_open_work(data: dict[str, Any], seed: int,
                                                                  frac: float) -> None:
    doc = load(to_yaml(data))
    until = 6 * 60 + max(1, round(20 * 60 * frac))
    events = run(doc, seed, until_clock=until)
    check_invariants(events)
    assert ended(events).t == until - 6 * 60
