"""send-now of a contingency inject says whether its condition had held: the facilitator releases it knowingly."""

from __future__ import annotations

from pathlib import Path

from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.store import MemoryStore
from ballotdrill.scenarios.loader import load_file

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "guide.yaml"


def test_send_now_of_a_contingency_says_whether_its_condition_had_held() -> None:
    core = LiveCore(load_file(GUIDE), "results-night", seed=1, played=("cert",), store=MemoryStore())
    core.advance(1.0)  # D1 (17:50) has not started
    early = core.apply(inputs.Input("send_now", {"inject": "C1"}))  # C1: when D1 is contained
    assert early.ok and early.message == "inject C1 sent now; its condition on D1 had not held (D1 has not started)"
    core.advance(17 * 60 + 52 - core.clock0)  # D1 started at 17:50, not contained two minutes later
    assert "D1" in core.started and core.clock().startswith("17:52")
    held = core.apply(inputs.Input("send_now", {"inject": "N1"}))  # N1: when D1 is not contained: it holds
    assert held.ok and held.message == "inject N1 sent now"
