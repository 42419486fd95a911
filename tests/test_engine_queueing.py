"""The engine against queueing theory: an M/M/3 desk (Erlang C) and a two-station tandem (Jackson network).

Each estimate is a batch-means confidence interval over one long run (the first tenth discarded as
warm-up): the mean of 20 batch means, +- t(0.995, 19 d.f.) times their standard error, a 99 % interval.
The runs are seeded, so each test is deterministic; the interval must also be narrow enough to mean
something. The default run uses ~60,000 customers; ``-m slow`` runs longer and on several seeds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from engine_helpers import check_invariants, file_of, kinds, load, run

from ballotdrill.scenarios import ScenarioFile

T_99_19 = 2.861
"""The t distribution's 0.995 quantile with 19 degrees of freedom (20 batches)."""
BATCHES = 20


def erlang_c(servers: int, load: float) -> float:
    """P(an arrival waits) in M/M/c with offered load ``load`` = lambda / mu (< servers)."""
    terms = sum(load**k / math.factorial(k) for k in range(servers))
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (terms + top)


def mmc_wait(servers: int, arrival_rate: float, service_mean: float) -> float:
    """Mean time in queue (Wq) of M/M/c."""
    mu = 1.0 / service_mean
    return erlang_c(servers, arrival_rate * service_mean) / (servers * mu - arrival_rate)


def batch_means(values: Sequence[float], warmup: float = 0.1) -> tuple[float, float]:
    """(mean, half-width of the 99 % interval) by batch means after discarding the warm-up."""
    kept = values[int(len(values) * warmup):]
    size = len(kept) // BATCHES
    assert size >= 500, f"too few observations ({len(kept)}) for batch means"
    means = [sum(kept[i * size:(i + 1) * size]) / size for i in range(BATCHES)]
    grand = sum(means) / BATCHES
    sd = math.sqrt(sum((m - grand) ** 2 for m in means) / (BATCHES - 1))
    return grand, T_99_19 * sd / math.sqrt(BATCHES)


def test_erlang_c_reference_values() -> None:
    """The figures the tests compare against: c = 3, rho = 0.7."""
    assert erlang_c(3, 2.1) == pytest.approx(0.4923, abs=1e-4)
    assert mmc_wait(3, 1.0, 2.1) / 2.1 == pytest.approx(0.54705, abs=1e-5)
    assert erlang_c(1, 0.6) == pytest.approx(0.6)  # M/M/1: P(wait) = rho
    assert mmc_wait(1, 1.0, 0.6) == pytest.approx(0.6 * 0.6 / 0.4)


# -- M/M/3 --------------------------------------------------------------------------------------------

SERVICE = 2.1
"""Mean handling time in minutes; arrivals every minute on average, so rho = 2.1 / 3 = 0.7."""


def _mm3(days: int) -> ScenarioFile:
    doc = load(file_of(
        {"desk": {"staff": 3}},
        {"p": {"trigger": {"type": "call"}, "steps": [
            {"id": "serve", "actor": "desk", "duration": {"dist": "exponential", "mean": f"{SERVICE * 60:g}s"}}]}},
        [{"id": "B1", "every": {"dist": "exponential", "mean": "1m"}, "incident": {"type": "call"}}],
        start=f"D-{days} 00:00", end="00:00"))
    return doc


def _check_mm3(days: int, seed: int) -> tuple[float, float, float, float]:
    doc = _mm3(days)
    events = run(doc, seed)
    started = kinds(events, "step_started")
    waits = [e.data["wait"] for e in started]
    assert len(waits) > 0.95 * days * 1440
    # A step that starts at once has wait 0 and no step_queued row; one that waits has both.
    queued = kinds(events, "step_queued")
    waited = {e.incident for e in started if e.data["wait"] > 0}
    still_waiting = {e.incident for e in queued} - {e.incident for e in started}
    assert {e.incident for e in queued} == waited | still_waiting
    assert len(still_waiting) <= events[-1].data["open_steps"]
    assert all(e.data["on_duty"] == 3 for e in queued)

    theory_wait = mmc_wait(3, 1.0, SERVICE)
    theory_p = erlang_c(3, SERVICE)
    mean, half = batch_means(waits)
    assert abs(mean - theory_wait) <= half, f"Wq {mean:.4f} +- {half:.4f}, Erlang C {theory_wait:.4f}"
    assert half < 0.2 * theory_wait, f"the interval ({half:.4f}) is too wide to test anything"
    p_mean, p_half = batch_means([1.0 if w > 0 else 0.0 for w in waits])
    assert abs(p_mean - theory_p) <= p_half, f"P(wait) {p_mean:.4f} +- {p_half:.4f}, Erlang C {theory_p:.4f}"
    assert p_half < 0.05
    return mean, half, p_mean, p_half


def test_mm3_queue_wait_matches_erlang_c() -> None:
    _check_mm3(days=42, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3, 4, 5])
def test_mm3_queue_wait_matches_erlang_c_long(seed: int) -> None:
    _, half, _, p_half = _check_mm3(days=250, seed=seed)
    assert half < 0.08 * mmc_wait(3, 1.0, SERVICE) and p_half < 0.02


def test_mm3_journal_keeps_the_contract_and_the_staff_limit() -> None:
    doc = _mm3(2)
    events = run(doc, 9)
    check_invariants(events)
    busy = peak = 0
    for e in events:
        busy += (e.kind == "step_started") - (e.kind == "step_completed")
        peak = max(peak, busy)
    assert peak == 3


# -- tandem: a two-station Jackson network with a fixed handoff delay ------------------------------------

STATION_A = (2, 1.2)
"""Staff and mean handling time (minutes) at the first station: rho = 0.6 for one arrival a minute."""
STATION_B = (1, 0.6)
"""The second station: an M/M/1 at rho = 0.6."""
DELAY = 0.5
"""The handoff's fixed latency (30 s) over a channel that never fails."""


def _tandem(days: int, seed: int) -> list[float]:
    (ca, sa), (cb, sb) = STATION_A, STATION_B
    doc = load(file_of(
        {"a": {"staff": ca}, "b": {"staff": cb}},
        {"p": {"trigger": {"type": "job"}, "steps": [
            {"id": "first", "actor": "a", "duration": {"dist": "exponential", "mean": f"{sa * 60:g}s"}},
            {"id": "second", "actor": "b", "via": "link",
             "duration": {"dist": "exponential", "mean": f"{sb * 60:g}s"}}]}},
        [{"id": "B1", "every": {"dist": "exponential", "mean": "1m"}, "incident": {"type": "job"}}],
        channels={"link": {"latency": f"{DELAY * 60:g}s", "reliability": 1}},
        start=f"D-{days} 00:00", end="00:00"))
    events = run(doc, seed)
    # FCFS at both stations: the queue order is arrival order (one severity).
    received = {e.incident: e.data["latency"] for e in kinds(events, "handoff_received")}
    assert received and all(latency == pytest.approx(DELAY) for latency in received.values())
    done = [(e.incident, e.data["elapsed"]) for e in kinds(events, "step_completed") if e.step == "second"]
    return [elapsed for _, elapsed in done]


def _check_tandem(days: int, seed: int) -> tuple[float, float, float]:
    (ca, sa), (cb, sb) = STATION_A, STATION_B
    theory = (mmc_wait(ca, 1.0, sa) + sa) + DELAY + (mmc_wait(cb, 1.0, sb) + sb)
    sojourns = _tandem(days, seed)
    assert len(sojourns) > 0.95 * days * 1440
    mean, half = batch_means(sojourns)
    assert abs(mean - theory) <= half, f"sojourn {mean:.4f} +- {half:.4f}, Jackson {theory:.4f}"
    assert half < 0.05 * theory, f"the interval ({half:.4f}) is too wide to test anything"
    return mean, half, theory


def test_tandem_sojourn_matches_the_jackson_network() -> None:
    _check_tandem(days=30, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3, 4])
def test_tandem_sojourn_matches_the_jackson_network_long(seed: int) -> None:
    _, half, theory = _check_tandem(days=150, seed=seed)
    assert half < 0.02 * theory
