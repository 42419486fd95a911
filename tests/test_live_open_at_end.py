"""A decision still open when the exercise ends: not shown as open in the final view, told as not decided, and
listed in the report's section 8 (a real ``ballotdrill live --serve`` process on loopback)."""

from __future__ import annotations

from pathlib import Path

from live_process_helpers import LiveProc, hostile_file


def test_an_open_decision_at_the_facilitators_end_is_not_decided_in_the_final_view_and_the_report(
        tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=60)
    try:
        asked = live.wait_view("bravo", lambda v: bool(v["requests"]))["requests"][0]
        live.send("end")
        final = live.wait_view("bravo", lambda v: v["ended"])
        assert final["requests"] == []  # before: still listed, with time left and the page's buttons live
        done = [d for d in final["decided"] if d["key"] == asked["key"]]
        assert len(done) == 1 and done[0]["by"] == "ended" and done[0]["option"] == ""
        assert done[0]["text"] == f"#{asked['number']} {asked['key']}: not decided: the exercise ended at " \
                                  f"{final['clock']}"
        control = live.wait_view("facilitator", lambda v: v["ended"])
        assert control["requests"] == []
        assert any(d["key"] == asked["key"] and d["by"] == "ended" for d in control["decided"])
        live.send("")  # stops the server's wait after the end
        assert live.finish() == 0
    finally:
        live.kill()
    report = (folder / "report.md").read_text(encoding="utf-8")
    section = report.split("What the players decided and said", 1)[1]
    row = next(line for line in section.splitlines() if asked["key"].replace("_", "\\_") in line
               or asked["key"] in line)
    assert "Bravo" in row and "not decided: asked at 08:0" in row and "the exercise ended at" in row, row


def test_the_facilitators_end_is_journalled_and_told_in_the_report(tmp_path: Path) -> None:
    import json
    import sqlite3
    import subprocess
    import sys

    from ballotdrill.journal import JOURNAL_FILE, read_events

    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=60)
    try:
        live.wait_view("facilitator", lambda v: v["clock"] >= "08:02")
        status, answer = live.call("POST", "/api/control", "facilitator", {"command": "end"})
        assert status == 200, answer
        final = live.wait_view("facilitator", lambda v: v["ended"])
        live.send("")
        assert live.finish() == 0
    finally:
        live.kill()
    journal = sqlite3.connect(folder / JOURNAL_FILE)
    (data,), = journal.execute("select data from inputs where kind = 'end'")
    journal.close()
    recorded = json.loads(data)
    assert recorded["by"] == "facilitator" and recorded["wall"] > 1.7e9  # as pause and stop carry theirs
    events = list(read_events(folder / JOURNAL_FILE))
    kinds = [e.kind for e in events]
    assert kinds[-2:] == ["ended_early", "run_ended"] and events[-2].t == events[-1].t
    report = (folder / "report.md").read_text(encoding="utf-8")
    ended_at = final["clock"][:5]
    assert f"the facilitator ended the exercise early at {ended_at}" in report  # the window line
    clock = report.split("The exercise's clock", 1)[1].split("What the players decided", 1)[0]
    assert f"| {ended_at} | ended early by the facilitator" in clock, clock
    assert "1 early end by the facilitator" in report  # the overview's line on the clock
    replay = subprocess.run([sys.executable, "-m", "ballotdrill", "replay", str(folder)], capture_output=True,
                            text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert replay.returncode == 0, replay.stdout + replay.stderr  # the journal rebuilt byte for byte
