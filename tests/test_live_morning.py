"""A real ``ballotdrill live --serve`` process as a facilitator runs it on the morning: who has joined, how each
decision closed as the players are told, and the server kept up after ``end`` for the players' last view."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

from live_process_helpers import LiveProc, hostile_file
from live_server_helpers import Served

from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.live.play import LINGER
from ballotdrill.live.presence import POLL_FRESH
from ballotdrill.live.serve import FINAL_VIEW_FLOOR
from ballotdrill.scenarios.timefmt import format_clock_precise

START = 8 * 60.0
"""The hostile scenario starts at 08:00."""


def test_the_console_says_who_joined_a_console_answer_is_told_to_the_player_and_the_server_lingers(
        tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=60, extra=("--start-paused",))
    try:
        live.wait_line(lambda line: "'who' lists who has" in line, err=True)
        live.send("who")
        live.wait_line(lambda line: line.startswith("joined 0 of 2 played roles; alpha: not joined yet; "
                                                    "bravo: not joined yet; evaluator: not joined yet"))
        assert live.call("GET", "/api/state", "bravo")[0] == 200  # ``join`` polls
        joined = live.wait_line(lambda line: line.startswith("joined: bravo"))
        assert re.fullmatch(r"joined: bravo \(polling\) at \d\d:\d\d:\d\d; not joined yet: alpha", joined), joined
        status, control = live.call("GET", "/api/state", "facilitator")
        players = {p["role"]: p["text"] for p in control["view"]["players"]}
        assert players["bravo"].startswith("joined ") and players["alpha"] == "not joined yet"
        time.sleep(POLL_FRESH + 1)  # ``join`` stopped polling for a while (a network gap), then polls again
        assert live.call("GET", "/api/state", "bravo")[0] == 200
        back = live.wait_line(lambda line: line.startswith("reconnected: bravo"))
        assert re.fullmatch(r"reconnected: bravo \(polling\) at \d\d:\d\d:\d\d; not connected since "
                            r"\d\d:\d\d:\d\d", back), back
        assert [line for line in live.out if line.startswith("joined: ")] == [joined]  # never a second "joined"
        players = {p["role"]: p["text"] for p in live.call("GET", "/api/state", "facilitator")[1]["view"]["players"]}
        assert players["bravo"].startswith("reconnected ") and players["bravo"].endswith(" (polling)")

        live.send("resume")
        bravo = live.wait_view("bravo", lambda v: bool(v["requests"]))
        number = bravo["requests"][0]["number"]
        live.send(f"answer {number} debunk")
        bravo = live.wait_view("bravo", lambda v: bool(v["decided"]))
        told = bravo["decided"][0]
        assert told["by"] == "facilitator" and told["option"] == "debunk"
        assert re.fullmatch(rf"#{number} \S+: answered by the facilitator: 'debunk' at \d\d:\d\d(:\d\d)?", told["text"])

        live.send("end")
        live.wait_line(lambda line: line.startswith(f"the exercise has ended; the server stays up {LINGER:g} s more"),
                       err=True)
        time.sleep(1.0)
        status, data = live.call("GET", "/api/state", "bravo")  # the last view, still there after the end
        assert status == 200 and data["view"]["ended"] and data["view"]["decided"][0]["text"] == told["text"]
        assert live.proc.poll() is None
        started = time.monotonic()
        live.send("")  # Enter: the facilitator has seen enough
        assert live.finish(limit=LINGER) == 0
        assert time.monotonic() - started < LINGER
    finally:
        live.kill()
    assert (folder / "report.md").is_file()
    made = next(e for e in read_events(folder / JOURNAL_FILE) if e.kind == "decision_made" and e.actor == "bravo")
    assert made.data["by"] == "facilitator"
    assert told["clock"] == format_clock_precise(START + made.t)


def test_a_timed_out_decision_is_told_as_such_and_ctrl_c_after_the_end_keeps_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("bravo",), speed=6000)  # 4 hours in 2.4 s; nobody answers
    try:
        live.wait_line(lambda line: line.startswith("the exercise has ended; the server stays up"), err=True)
        bravo = live.call("GET", "/api/state", "bravo")[1]["view"]
        told = bravo["decided"][0]
        assert bravo["ended"] and told["by"] == "timeout" and told["option"] == "ignore"
        assert re.fullmatch(r"#1 \S+: timed out: the default 'ignore' was taken at \d\d:\d\d(:\d\d)?", told["text"])
        timeline = live.call("GET", "/api/state", "facilitator")[1]["view"]["journal"]
        assert any("decision_made" in line and "timed out: the default 'ignore' was taken" in line
                   for line in timeline)
        live.proc.send_signal(signal.SIGINT)  # stops the wait, not the reports
        assert live.finish(limit=LINGER) == 0
    finally:
        live.kill()
    assert (folder / "report.md").is_file() and (folder / "report.html").is_file()
    made = next(e for e in read_events(folder / JOURNAL_FILE) if e.kind == "decision_made" and e.actor == "bravo")
    assert made.data["by"] == "timeout" and told["clock"] == format_clock_precise(START + made.t)


def test_an_ended_exercise_told_to_stop_at_once_still_serves_its_final_view_for_a_moment(tmp_path: Path) -> None:
    """A facilitator's console reading its commands from a file has said "stop" before the end comes: the server
    still answers for :data:`FINAL_VIEW_FLOOR` seconds, so a waiting player fetches the final view."""
    live = Served(tmp_path / "run", grace=LINGER, stop_at_once=True)
    ended = time.monotonic()
    assert live.request("POST", "/api/control", live.tokens["facilitator"], {"command": "end"})[0] == 200
    assert live.view("interior")["ended"] is True
    live.thread.join(30)
    assert not live.thread.is_alive() and live.error is None
    assert FINAL_VIEW_FLOOR <= time.monotonic() - ended < LINGER
