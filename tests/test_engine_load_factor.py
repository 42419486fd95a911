"""``background_factor``: every background inject arrives that many times as often, from the same draws."""

from __future__ import annotations

import pytest
from format_helpers import one_desk

from ballotdrill.exercise import run_exercise
from ballotdrill.journal import Kind
from ballotdrill.scenarios import Override, ScenarioError, load_text

FILE = one_desk("sc", "Load", [
    '{at: "09:00", incident: {id: X1, type: outage}}',
    '{id: F, every: 30m, from: "08:00", to: "10:00", incident: {type: outage}}',
    '{id: R, every: {dist: exponential, mean: 20m}, incident: {type: outage}}',
    '{id: L, every: 10m, limit: 3, incident: {type: outage}}',
], duration="5m")


def _starts(factor: str | None, seed: int = 3) -> dict[str, list[float]]:
    overrides = [Override(f"scenarios.sc.background_factor={factor}")] if factor is not None else []
    doc = load_text(FILE, "load.yaml", overrides)
    starts: dict[str, list[float]] = {}
    for event in run_exercise(doc, "sc", seed=seed).events:
        if event.kind == Kind.INCIDENT_STARTED and event.incident:
            starts.setdefault(event.incident.split("-")[0], []).append(event.t)
    return starts


def test_a_factor_divides_every_gap_of_every_background_inject() -> None:
    plain, double = _starts(None), _starts("2")
    assert plain == _starts("1")  # the default changes nothing
    assert plain["F"] == [30.0, 60.0, 90.0] and double["F"] == [15.0, 30.0, 45.0, 60.0, 75.0, 90.0, 105.0]
    # the same draws, arriving twice as often: every arrival at half the time, and more of them before the end
    assert len(double["R"]) > len(plain["R"]) > 3
    assert double["R"][:len(plain["R"])] == pytest.approx([t / 2 for t in plain["R"]])
    assert plain["X1"] == double["X1"] == [60.0]  # scripted incidents are not background


def test_a_limit_still_caps_the_count() -> None:
    assert _starts(None)["L"] == [10.0, 20.0, 30.0]
    assert _starts("4")["L"] == [2.5, 5.0, 7.5]


@pytest.mark.parametrize("value", ["0", "-1", "lots", ".inf"])
def test_a_factor_must_be_a_positive_number(value: str) -> None:
    with pytest.raises(ScenarioError, match="background_factor"):
        load_text(FILE, "load.yaml", [Override(f"scenarios.sc.background_factor={value}")])
