"""A live exercise's clock in the journal and the report: speed changes, pauses, a Ctrl-C stop and a resume.

The facilitator relies on the report saying when the exercise was paused, how long for, at what speeds it ran and
where it was stopped and carried on; the evaluator on none of it changing a score; a replay on the rows coming back
byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from live_helpers import example, play_scripted, wait_for
from live_process_helpers import Proc
from test_run_folders import bd, finished
from test_run_interrupts import interrupt

from ballotdrill.application import write_reports
from ballotdrill.exercise import run_exercise
from ballotdrill.journal import JOURNAL_FILE, Event, Kind, read_events
from ballotdrill.live.core import LiveCore
from ballotdrill.live.inputs import Input, speed
from ballotdrill.live.rebuild import replay_folder
from ballotdrill.live.session import Session
from ballotdrill.live.store import MemoryStore
from ballotdrill.report.liveclock import live_clock, wall_span
from ballotdrill.scenarios.timefmt import format_clock_precise
from ballotdrill.scoring import text
from ballotdrill.scoring.stream import Scorer

from live_helpers import EXAMPLE  # isort: skip

CLOCK = (Kind.SPEED_CHANGED, Kind.PAUSED, Kind.RESUMED, Kind.STOPPED, Kind.RESTARTED)


async def _facilitator(session: Session) -> None:
    core = session.core
    await wait_for(lambda: core.now > 5, core)
    assert (await session.submit(Input("speed", {"speed": 6000.0, "wall": 1000.0}))).ok
    await wait_for(lambda: core.now > 30, core)
    assert (await session.submit(Input("pause", {"wall": 1100.0}))).ok
    assert (await session.submit(Input("resume", {"wall": 1600.0}))).ok  # 8 min 20 s of real time later
    assert (await session.submit(speed(3000.0))).ok  # as the console and the server make it: stamped when applied


def test_speed_changes_and_a_pause_are_journalled_replayed_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    play_scripted(folder, _facilitator, speed=3000.0)
    events = list(read_events(folder / JOURNAL_FILE))
    clock = [e for e in events if e.kind in CLOCK]
    assert [e.kind for e in clock] == ["speed_changed", "paused", "resumed", "speed_changed"]
    first, last = clock[0].data, clock[3].data
    assert (first["speed"], first["previous"], first["wall"]) == (6000.0, 3000.0, 1000.0)
    assert (last["speed"], last["previous"]) == (3000.0, 6000.0) and last["wall"] > 1.7e9  # the real clock
    assert clock[1].t == clock[2].t  # the simulated clock stood still while paused
    assert replay_folder(folder).identical

    _, written = write_reports(folder, force=False)
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    start = events[0].data["start"]
    assert "| Played live | started at 3000×; 2 speed changes; 1 pause (section 8) |" in markdown
    assert f"| {text.clock(start, clock[0].t)} | speed 6000× (was 3000×) (rows #{clock[0].seq}) |" in markdown
    assert (f"| {text.clock(start, clock[1].t)} | paused by the facilitator; resumed 8 min 20 s later (real time) "
            f"(rows #{clock[1].seq}) |") in markdown
    scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert scores["live"]["speed"] == 3000.0 and len(scores["live"]["changes"]) == 3


def test_a_speed_recorded_before_speed_changes_were_journalled_replays_without_a_row() -> None:
    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    assert core.apply(Input("speed", {"speed": 120.0})).ok  # as an older journal's inputs table holds it
    assert core.speed == 120.0
    assert [row for row in core.store.rows if row[1] == Kind.SPEED_CHANGED] == []  # type: ignore[attr-defined]
    assert core.store.inputs[-1].input.data == {"speed": 120.0}  # type: ignore[attr-defined]


def test_the_clocks_rows_change_no_score() -> None:
    """The same run scored with and without clock rows among its events: the same scores."""
    result = run_exercise(example(), "wave", seed=2)
    assert result.memory is not None
    events = list(result.memory.events())
    events = [e._replace(seq=10 * e.seq) for e in events]  # room between rows: the rows cited keep their numbers
    middle = len(events) // 2
    t = events[middle].t
    extra = [(Kind.PAUSED, {"wall": 1.0}), (Kind.STOPPED, {"wall": 2.0}),
             (Kind.RESTARTED, {"speed": 60.0, "wall": 3.0}), (Kind.RESUMED, {"wall": 4.0}),
             (Kind.SPEED_CHANGED, {"speed": 600.0, "previous": 60.0, "wall": 5.0})]
    seq = events[middle].seq - 9
    mixed = events[:middle] + [Event(seq + n, t, kind, None, None, None, data)
                               for n, (kind, data) in enumerate(extra)] + events[middle:]
    assert len({e.kind for e in mixed}) > len({e.kind for e in events})

    def scored(rows: list[Event]) -> dict[str, object]:
        scorer = Scorer(example(), "wave")
        for event in rows:
            scorer.feed(event)
        return scorer.finish().model_dump(mode="json")

    assert scored(mixed) == scored(events)


def test_a_batch_run_has_no_live_clock() -> None:
    assert live_clock([], {"seed": "1"}, ended=True) is None


@pytest.mark.parametrize(("seconds", "text"), [(0.44, "0.4 s"), (45.2, "45 s"), (500, "8 min 20 s"), (120, "2 min"),
                                               (7500, "2 h 5 min"), (-1, "0.0 s")])
def test_real_time_spans_read_as_a_facilitator_says_them(seconds: float, text: str) -> None:
    assert wall_span(seconds) == text


def test_ctrl_c_journals_the_stop_and_resume_journals_the_restart(tmp_path: Path) -> None:
    proc = bd("live", "--file", str(EXAMPLE), "--play", "interior", "--speed", "60", "--out", "lv", cwd=tmp_path,
              start_new_session=True, stdin=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("speed 120\n")
    proc.stdin.flush()
    assert proc.stdout.readline().startswith("[08:")  # the speed_changed row's line: the exercise is playing
    journal = tmp_path / "lv" / JOURNAL_FILE
    status, lines, _ = interrupt(proc)
    assert status == 130 and lines[0].startswith("live: ") and "(journalled)" in lines[1], lines
    kinds = [e.kind for e in read_events(journal)]
    assert kinds[-1] == Kind.STOPPED and Kind.RUN_ENDED not in kinds
    _stopped_is_said(tmp_path, journal)

    resumed = Proc(["resume", "lv"], tmp_path)
    try:
        resumed.wait_line(lambda line: line.startswith("resumed wave at "), err=True)
        resumed.send("end")
        assert resumed.finish() == 0, resumed.err
    finally:
        resumed.kill()
    events = list(read_events(journal))
    stop = next(e for e in events if e.kind == Kind.STOPPED)
    restart = next(e for e in events if e.kind == Kind.RESTARTED)
    assert restart.seq == stop.seq + 1 and restart.t == stop.t and restart.data["speed"] == 120.0
    assert restart.data["wall"] >= stop.data["wall"]
    assert finished("replay", "lv", cwd=tmp_path).returncode == 0
    markdown = (tmp_path / "lv" / "report.md").read_text(encoding="utf-8")
    assert stop.data["by"] == "Ctrl-C"
    assert ("1 speed change; 1 stop (Ctrl-C); 1 resume of the run folder; 1 early end by the facilitator "
            "(section 8)") in markdown
    assert re.search(rf"stopped unfinished \(a Ctrl-C at the facilitator's console\); carried on [0-9.]+ (s|min)"
                     rf"[^|]* later \(real time\) \(rows #{stop.seq}\)", markdown), markdown
    resumed_at = f"carried on with 'ballotdrill resume' at 120× (rows #{restart.seq})"
    assert resumed_at in markdown
    exported = finished("export", "lv", "--jsonl", "j.jsonl", "--csv", "c.csv", "--ocel", "o.json", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert finished("export", "lv", "--ocel", "o.sqlite", cwd=tmp_path).returncode == 0
    lines = [json.loads(line) for line in (tmp_path / "j.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["kind"], e["data"]) for e in lines if e["kind"] in CLOCK] == [
        (e.kind, e.data) for e in events if e.kind in CLOCK]
    assert [e["kind"] for e in lines if e["kind"] in CLOCK] == [Kind.SPEED_CHANGED, Kind.STOPPED, Kind.RESTARTED]
    assert ",stopped," in (tmp_path / "c.csv").read_text(encoding="utf-8")
    ocel = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert {"stopped", "restarted"} <= {t["name"] for t in ocel["eventTypes"]}
    with contextlib.closing(sqlite3.connect(tmp_path / "o.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM event_restarted").fetchone() == (1,)


def test_a_resume_after_a_kill_says_the_stop_left_no_record() -> None:
    # a restart with no stop before it: what a resume after a kill journals
    events = [Event(0, 0.0, Kind.RESTARTED, None, None, None, {"speed": 60.0, "wall": 5.0})]
    made = live_clock(events, {"live": json.dumps({"played": [], "speed": 60.0})}, ended=False)
    assert made is not None
    assert made.changes[0].text.endswith("the exercise had stopped without a record of stopping (its process was "
                                         "killed with SIGKILL or crashed, or the machine failed)")


def test_a_start_paused_exercise_is_told_as_started_paused_and_a_later_pause_as_the_facilitators() -> None:
    live = {"live": json.dumps({"played": [], "speed": 60.0})}
    events = [Event(0, 0.0, Kind.PAUSED, None, None, None, {"wall": 100.0, "by": "start"}),  # live --start-paused
              Event(1, 0.0, Kind.RESUMED, None, None, None, {"wall": 400.0}),
              Event(2, 30.0, Kind.PAUSED, None, None, None, {"wall": 2200.0}),  # the facilitator's 'pause'
              Event(3, 30.0, Kind.RESUMED, None, None, None, {"wall": 2260.0}),
              Event(4, 31.0, Kind.RESTARTED, None, None, None, {"speed": 60.0, "wall": 9000.0}),  # resume, paused
              Event(5, 31.0, Kind.PAUSED, None, None, None, {"wall": 9001.0, "by": "start"})]
    made = live_clock(events, live, ended=False)
    assert made is not None
    assert [(c.what, c.text) for c in made.changes if c.what != "restarted"] == [
        ("start", "started paused (--start-paused), waiting for the facilitator to start it; started 5 min later "
                  "(real time)"),
        ("paused", "paused by the facilitator; resumed 1 min later (real time)"),
        ("start", "carried on paused (--start-paused), waiting for the facilitator to start it again; still paused "
                  "where the journal stops")]
    assert made.summary() == ("started at 60× (a simulated minute a second), after waiting paused for the "
                              "facilitator (--start-paused); 1 pause; 1 resume of the run folder (section 8)")


def _stopped_is_said(tmp_path: Path, journal: Path) -> None:
    """``report``, ``compare --force`` of a live exercise stopped by a Ctrl-C, and of one whose process was killed
    (its journal without the stop): each says it was played live and stopped, when, and how to carry it on."""
    with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True)) as db:
        now = float(db.execute("SELECT value FROM meta WHERE key = 'live_now'").fetchone()[0])
    at = format_clock_precise(next(read_events(journal)).data["start"] + now)
    killed = tmp_path / "killed"
    shutil.copytree(tmp_path / "lv", killed)
    with contextlib.closing(sqlite3.connect(killed / JOURNAL_FILE)) as db, db:
        db.execute("DELETE FROM events WHERE kind = 'stopped'")
        db.execute("DELETE FROM inputs WHERE kind = 'stop'")
    for folder, how in (("lv", "a Ctrl-C at the facilitator's console"),
                        ("killed", "no stop was journalled: its process was killed with SIGKILL, or failed")):
        refused = finished("report", folder, cwd=tmp_path)
        assert refused.returncode == 2
        said = re.fullmatch(rf"{folder}: the exercise was played live and stopped unfinished at (\S+) \({how}\): its "
                            rf"journal keeps \d+ rows but no seal; 'ballotdrill resume {folder}' carries it on; add "
                            r"--force to use it anyway \(the output is marked unverified\)", refused.stderr.strip())
        assert said is not None, refused.stderr
        assert said[1] == at
        replayed = finished("replay", folder, cwd=tmp_path)
        assert replayed.returncode == 0 and replayed.stderr.strip().endswith(
            f"the exercise stopped at {at} (not finished)"), replayed.stderr
        compared = finished("compare", folder, folder, "--force", "--json", cwd=tmp_path)
        assert compared.returncode == 0, compared.stderr
        notes = json.loads(compared.stdout)["notes"]
        assert notes[0].startswith(f"A was played live and stopped unfinished at {said[1]} ({how}): it is reported up "
                                   "to its last row"), notes
        assert not any("did not finish" in note or "overrides" in note for note in notes), notes


@pytest.mark.parametrize(("signum", "sigint_ignored"), [(signal.SIGTERM, False), (signal.SIGHUP, False),
                                                        (signal.SIGTERM, True)])
def test_a_termination_stops_the_exercise_as_a_ctrl_c_does(tmp_path: Path, signum: int, sigint_ignored: bool) -> None:
    """``kill``, ``timeout``, a service manager or a closed terminal: one line, the stop journalled with its cause,
    resumable; also for a background job of a script (started with SIGINT ignored); the report names the signal."""
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
    proc = bd("live", "--file", str(EXAMPLE), "--play", "interior", "--out", "lv", cwd=tmp_path,
              stdin=subprocess.PIPE, preexec_fn=ignore)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("speed 120\n")
    proc.stdin.flush()
    assert proc.stdout.readline().startswith("[08:")  # the exercise is playing
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert err.splitlines()[-1].startswith("interrupted: lv keeps the exercise, stopped at "), err
    name = signal.Signals(signum).name
    stop = list(read_events(tmp_path / "lv" / JOURNAL_FILE))[-1]
    assert stop.kind == Kind.STOPPED and stop.data["by"] == name
    refused = finished("report", "lv", cwd=tmp_path)
    assert "stopped unfinished at " in refused.stderr and f"(a termination signal ({name}))" in refused.stderr
    assert finished("report", "lv", "--force", cwd=tmp_path).returncode == 0
    markdown = (tmp_path / "lv" / "report.md").read_text(encoding="utf-8")
    assert f"1 stop ({name})" in markdown and f"stopped unfinished (a termination signal ({name}))" in markdown
    assert "Ctrl-C" not in markdown, markdown
