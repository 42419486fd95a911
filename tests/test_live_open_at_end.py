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
