"""Starting a served live exercise: paused until the facilitator resumes, and nothing made when the port is taken."""

from __future__ import annotations

import socket
from pathlib import Path

from live_process_helpers import LiveProc, Proc, hostile_file

from ballotdrill.journal import JOURNAL_FILE, read_events


def test_start_paused_holds_the_clock_until_resume(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=600, extra=("--start-paused",))
    try:
        live.wait_line(lambda line: "paused" in line and "resume" in line, err=True)
        status, first = live.call("GET", "/api/state", "alpha")  # the tokens are there before the clock runs
        assert status == 200 and first["view"]["paused"] and first["view"]["clock"] == "08:00"
        status, later = live.call("GET", f"/api/state?since={first['version']}", "evaluator")
        assert status == 200 and later["view"]["clock"] == "08:00" and not later["view"]["incidents"]
        live.send("resume")
        live.wait_view("evaluator", lambda v: v["clock"] != "08:00" and not v["paused"])
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()
    kinds = [(e.kind, e.t) for e in read_events(folder / JOURNAL_FILE) if e.kind in ("paused", "resumed")]
    assert kinds[0] == ("paused", 0.0) and kinds[1][0] == "resumed"


def test_a_taken_port_fails_before_any_run_folder(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        folder = tmp_path / "run"
        proc = Proc(["live", "--file", str(hostile_file(tmp_path)), "--play", "alpha", "--out", str(folder),
                     "--serve", f"127.0.0.1:{port}"], tmp_path)
        try:
            assert proc.finish() == 2
        finally:
            proc.kill()
    assert len(proc.err) == 1 and f"127.0.0.1:{port}" in proc.err[0] and "cannot listen" in proc.err[0], proc.err
    assert not folder.exists()


def test_play_of_an_unknown_actor_lists_the_actors_and_makes_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    proc = Proc(["live", "--file", str(hostile_file(tmp_path)), "--play", "nobody", "--out", str(folder)], tmp_path)
    try:
        assert proc.finish() == 2
    finally:
        proc.kill()
    assert proc.err == ["--play names actor 'nobody', which is not defined; the actors are alpha, bravo (or name a "
                        "role of the structure; 'ballotdrill show hostile' lists both)"], proc.err
    assert not folder.exists()
