"""send-now of a contingency inject says whether its condition had held: the facilitator releases it knowingly."""

from __future__ import annotations

import json
from pathlib import Path

from ballotdrill.application import write_reports
from ballotdrill.journal import JOURNAL_FILE, Kind, read_events
from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.play import close_ended
from ballotdrill.live.rebuild import replay_folder, start_live
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


def _played(folder: Path, commands: list[tuple[float, str | inputs.Input]]) -> LiveCore:
    """The guide's results night played into ``folder`` with the facilitator's ``commands`` (console lines, or an
    input as an older journal holds it) at their times (minutes from 17:00), to its end, sealed."""
    core = start_live(folder, load_file(GUIDE), "results-night", seed=1, played=("cert",), speed=60.0)
    for t, command in commands:
        core.advance(t)
        item = inputs.parse_command(command) if isinstance(command, str) else command
        assert item is not None and core.apply(item).ok
    core.advance(core.horizon)
    core.commit()
    close_ended(core, folder)
    return core


def test_the_report_tells_a_send_now_as_the_console_did_from_the_journal_alone(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    _played(folder, [(1.0, "send-now C1"), (52.0, "send-now N1")])  # C1 before D1 began; N1 while D1 was open
    rows = {e.data["inject"]: e for e in read_events(folder / JOURNAL_FILE) if e.kind == Kind.INJECT_DELIVERED}
    assert (rows["C1"].data["by"], rows["C1"].data["held"]) == ("facilitator", False)
    assert (rows["N1"].data["by"], rows["N1"].data["held"]) == ("facilitator", True)
    assert "by" not in rows["D1"].data and "held" not in rows["D1"].data  # at its time: as a batch run's row
    assert replay_folder(folder).identical
    write_reports(folder)
    log = {entry["id"]: entry["status"] for entry in
           json.loads((folder / "scores.json").read_text(encoding="utf-8"))["inject_log"]}
    assert log == {"D1": "delivered 17:50",
                   "C1": "sent now by the facilitator at 17:01; its condition on D1 had not held (D1 had not started)",
                   "N1": "sent now by the facilitator at 17:52 (its condition on D1 held)"}
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "| sent now by the facilitator at 17:01; its condition on D1 had not held (D1 had not started) |" in markdown


def test_a_send_now_recorded_before_it_was_journalled_replays_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    _played(folder, [(1.0, inputs.Input("send_now", {"inject": "C1"}))])  # as an older journal's inputs hold it
    [row] = [e for e in read_events(folder / JOURNAL_FILE) if e.kind == Kind.INJECT_DELIVERED
             and e.data["inject"] == "C1"]
    assert set(row.data) == {"inject", "type", "text", "from", "contingency"}  # the row as it was
    assert replay_folder(folder).identical
    write_reports(folder)
    log = json.loads((folder / "scores.json").read_text(encoding="utf-8"))["inject_log"]
    assert next(e["status"] for e in log if e["id"] == "C1") == "released 17:01"  # all such a row can tell
