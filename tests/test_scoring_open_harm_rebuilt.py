"""The harm of incidents still open where a journal stops without ``run_ended`` (a run killed while it played),
worked out from the rows: equal to what the engine records in ``run_ended``, and in the report of a cut journal.

By hand: X1 at 10:00 is a wave of 1,000 doubling every 30 min; 'warn' (a, 10 min) slows it to a doubling every
2 h at 10:10. Z1 at 11:00 keeps 100 voters from voting. Y1 at 12:00 is the last row kept: by then X1 has reached
1,000 × 2^(10/30) × 2^(110/120) = 1,000 × 2^1.25 ≈ 2,378 people, and Z1 cost 100 × 60 = 6,000 voter-minutes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import in_process
from engine_helpers import checked, file_of, incident, library, load, run

from ballotdrill.journal import Kind, RunEnded
from ballotdrill.journal.seal import SEAL_KEY
from ballotdrill.scoring import score
from ballotdrill.scoring.feed import feed_all
from ballotdrill.scoring.openharm import OpenHarm


def _day() -> dict[str, Any]:
    return file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "disinformation"}, "steps": [
                       {"id": "warn", "actor": "a", "duration": "10m", "effect": {"doubling": "2h"}}]}},
                   [incident("X1", "10:00", "disinformation",
                             spec={"reach": {"initial": 1000, "doubling": "30m", "cap": 1_000_000}}),
                    incident("Z1", "11:00", "outage", spec={"voters": 100}),
                    incident("Y1", "12:00", "call")])


def test_a_journal_cut_after_its_last_row_counts_the_harm_of_its_open_incidents_from_the_rows() -> None:
    data = _day()
    events = checked(data)
    last = next(e for e in events if e.kind == Kind.INCIDENT_STARTED and e.incident == "Y1")
    cut = [e for e in events if e.seq <= last.seq]
    harm = {h.incident: h for h in score(cut, load(data), "s", unfinished=True).harm}
    assert (harm["X1"].reach, harm["X1"].open) == (int(1000 * 2 ** 1.25), True) == (2378, True)
    assert (harm["Z1"].voter_minutes, harm["Z1"].open) == (6000.0, True)
    # without working it out (as before), the open incidents' harm is unknown and reads as none
    assert {h.incident: h.reach for h in score(cut, load(data), "s").harm}["X1"] == 0


@pytest.mark.parametrize(("name", "seed"), [("combined-hybrid-day", 1), ("deepfake-48h", 2),
                                            ("results-night-ddos", 3), ("voting-hours-extension", 1),
                                            ("opening-equipment-failures", 2)])
def test_the_harm_worked_out_from_the_rows_is_what_the_engine_records_at_the_end(name: str, seed: int) -> None:
    events = run(library(), seed=seed, name=name)
    ended = events[-1]
    assert ended.kind == Kind.RUN_ENDED
    contained = {e.incident for e in events if e.kind == Kind.CONTAINED}
    recorded = {i: h for i, h in (ended.fields(RunEnded).harm or {}).items() if i not in contained}
    rebuilt = OpenHarm()
    feed_all(rebuilt, events)
    assert recorded and rebuilt.at(ended.t) == recorded  # run_ended also lists contained, unresolved incidents


def test_the_report_of_a_killed_run_counts_its_open_incidents_harm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "day.yaml").write_text(json.dumps(_day()), encoding="utf-8")
    assert in_process(("run", "-f", "day.yaml", "--out", "r"), tmp_path, monkeypatch, capsys).returncode == 0
    with sqlite3.connect(tmp_path / "r" / "journal.sqlite") as db:  # killed just after Y1 started, at 12:00
        (last,) = db.execute("SELECT seq FROM events WHERE kind = 'incident_started' AND incident = 'Y1'").fetchone()
        db.execute("DELETE FROM events WHERE seq > ?", (last,))
        db.execute("DELETE FROM meta WHERE key = ?", (SEAL_KEY,))
    db.close()
    result = in_process(("report", "r", "--force"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    harm = {h["incident"]: h for h in json.loads((tmp_path / "r" / "scores.json").read_text("utf-8"))["scores"]["harm"]}
    assert (harm["X1"]["reach"], harm["Z1"]["voter_minutes"]) == (2378, 6000)
    assert "worked out from the rows" in (tmp_path / "r" / "report.md").read_text("utf-8").splitlines()[0]
