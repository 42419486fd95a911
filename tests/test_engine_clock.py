"""The engine's clock (exercise/clock.py) processes events exactly as SimPy's own loop and Timeouts do."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
import simpy
from engine_helpers import library

from ballotdrill.exercise import engine, run_exercise
from ballotdrill.exercise.clock import LAST, Wakeup, at_delay, play

LIBRARY = library()


def _schedule(env: simpy.Environment, log: list[tuple[str, float]], wake: Callable[..., None], seed: int) -> None:
    """Timers from a fixed plan: ties, times exactly at the slices' ends, and callbacks that schedule more."""
    rng = random.Random(seed)  # a test's own stream, never the global one

    def fire(label: str, depth: int) -> Callable[[Any], None]:
        def callback(_event: Any) -> None:
            log.append((label, env.now))
            if depth < 3:
                for k in range(rng.randrange(3)):
                    wake(env, rng.choice([0.0, 1.0, 2.5, rng.random() * 10]), fire(f"{label}.{k}", depth + 1))
        return callback

    for n in range(60):
        wake(env, rng.choice([0.0, 5.0, 10.0, 10.0, 20.0, rng.random() * 30]), fire(str(n), 0))


def _timeout(env: simpy.Environment, delay: float, callback: Callable[[Any], None], *, last: bool = False) -> None:
    if not last:
        env.timeout(delay).callbacks.append(callback)
        return
    event = simpy.events.Event(env)  # what a Timeout is, at the priority after every ordinary event
    event._ok, event._value = True, None
    event.callbacks.append(callback)  # type: ignore[union-attr]
    env.schedule(event, LAST, delay)


def _simpy_run(env: simpy.Environment, until: float) -> None:
    env.run(until=until)
    env._now = until


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("slices", [[40.0], [10.0, 20.0, 40.0], [0.1, 5.0, 5.5, 10.0, 33.3, 40.0]])
def test_play_and_wakeups_process_events_as_simpy_run_and_timeouts(seed: int, slices: list[float]) -> None:
    logs: list[list[tuple[str, float]]] = []
    for runner, wake in ((_simpy_run, _timeout), (play, at_delay), (play, _timeout), (_simpy_run, at_delay)):
        env = simpy.Environment()
        log: list[tuple[str, float]] = []
        _schedule(env, log, wake, seed)
        marks = []
        for until in slices:
            runner(env, until)
            marks.append((len(log), env.now))  # (SimPy leaves its spent stop event queued; peek() differs by that)
        logs.append([*log, *marks])  # type: ignore[list-item]
    assert len(logs[0]) > 100
    assert all(log == logs[0] for log in logs[1:])


def test_events_due_at_the_end_of_a_slice_wait_for_the_next() -> None:
    env = simpy.Environment()
    seen: list[float] = []
    for delay in (1.0, 2.0, 2.0, 3.0):
        at_delay(env, delay, lambda _e: seen.append(env.now))
    play(env, 2.0)
    assert seen == [1.0] and env.now == 2.0 and env.peek() == 2.0
    play(env, 10.0)
    assert seen == [1.0, 2.0, 2.0, 3.0] and env.now == 10.0
    with pytest.raises(ValueError, match="greater than the current simulation time"):
        play(env, 10.0)


def test_a_failed_event_nobody_handles_stops_play_as_it_stops_simpy() -> None:
    env = simpy.Environment()
    env.event().fail(RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        play(env, 1.0)


def test_a_wakeup_reused_keeps_its_place_among_timeouts() -> None:
    env = simpy.Environment()
    order: list[str] = []
    item = Wakeup(env)
    item.wake(env, 1.0, lambda _e: (order.append("w1"), item.wake(env, 1.0, lambda _e: order.append("w2"))))
    env.timeout(2.0).callbacks.append(lambda _e: order.append("t2"))  # scheduled before w2: comes first at t=2
    play(env, 5.0)
    assert order == ["w1", "t2", "w2"]


def test_a_last_wakeup_comes_after_everything_else_at_its_instant() -> None:
    env = simpy.Environment()
    order: list[str] = []
    at_delay(env, 1.0, lambda _e: order.append("last"), last=True)
    at_delay(env, 1.0, lambda _e: (order.append("a"), at_delay(env, 0.0, lambda _e: order.append("a-then"))))
    at_delay(env, 2.0, lambda _e: order.append("later"))
    play(env, 5.0)
    assert order == ["a", "a-then", "last", "later"]


@pytest.mark.parametrize("name", ["combined-hybrid-day", "results-night-ddos", "opening-equipment-failures",
                                  "voting-hours-extension"])
def test_a_run_journals_the_same_rows_as_with_simpys_own_loop_and_timeouts(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = [run_exercise(LIBRARY, name, seed=seed).memory.rows for seed in (1, 2)]  # type: ignore[union-attr]
    monkeypatch.setattr(engine, "play", _simpy_run)
    monkeypatch.setattr(engine, "at_delay", _timeout)
    monkeypatch.setattr(Wakeup, "wake", lambda self, env, delay, callback, priority=simpy.events.NORMAL:
                        _rewake(self, env, delay, callback, priority))
    plain = [run_exercise(LIBRARY, name, seed=seed).memory.rows for seed in (1, 2)]  # type: ignore[union-attr]
    assert ours == plain
    assert len(ours[0]) > 50


def _rewake(event: Wakeup, env: simpy.Environment, delay: float, callback: Callable[[Any], None],
            priority: simpy.events.EventPriority) -> None:
    """What a Timeout's constructor does, through SimPy's own ``schedule``."""
    event.callbacks = [callback]
    event._value = None
    event._ok = True
    env.schedule(event, priority, delay)
