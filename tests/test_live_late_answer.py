"""An answer that comes after its decision's timeout: refused saying when it timed out and what was taken, kept in
the journal as late, and told in the report's section 8 (a real ``ballotdrill live --serve`` process on loopback)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from live_process_helpers import HOSTILE, LiveProc

from ballotdrill.journal import JOURNAL_FILE, read_events


def test_an_answer_after_the_timeout_is_refused_kept_and_reported_as_late(tmp_path: Path) -> None:
    scenario = tmp_path / "short.yaml"
    scenario.write_text(HOSTILE.replace("timeout: 200m", "timeout: 2m"), encoding="utf-8")
    folder = tmp_path / "run"
    live = LiveProc(folder, scenario, ("alpha", "bravo"), speed=60)
    try:
        asked = live.wait_view("bravo", lambda v: bool(v["requests"]))["requests"][0]
        timed_out = live.wait_view("bravo", lambda v: any(d["key"] == asked["key"] for d in v["decided"]))
        done = next(d for d in timed_out["decided"] if d["key"] == asked["key"])
        assert done["by"] == "timeout" and done["option"] == "ignore"
        status, answer = live.call("POST", "/api/answer", "bravo", {"request": asked["key"], "option": "debunk"})
        assert status == 409, answer  # still refused: the default was taken and the exercise went on from it
        said = answer["detail"]
        assert f"timed out at {done['clock']} and the default 'ignore' was taken" in said, said
        late = re.search(r"your answer 'debunk', (.+) after the timeout, is recorded as late", said)
        assert late is not None, said
        status, wrong = live.call("POST", "/api/answer", "bravo", {"request": asked["key"], "option": "nope"})
        assert status == 409 and "recorded" not in wrong["detail"]  # not an option: refused, nothing kept
        # a second late answer is refused as the first was, and not kept again (one late answer a request)
        status, again = live.call("POST", "/api/answer", "bravo", {"request": asked["key"], "option": "ignore"})
        assert status == 409 and re.search(r"the default 'ignore' was taken; a late answer \('debunk'\) was "
                                           r"recorded at [0-9:]+ already$", again["detail"]), again
        live.send("end")
        live.wait_view("facilitator", lambda v: v["ended"])
        live.send("")
        assert live.finish() == 0
    finally:
        live.kill()
    journal = sqlite3.connect(folder / JOURNAL_FILE)
    kept = [json.loads(d) for (d,) in journal.execute("select data from inputs where kind = 'late_answer'")]
    journal.close()
    (n,) = [k["late"] for k in kept]
    assert kept == [{"request": asked["key"], "option": "debunk", "by": "player", "late": n, "default": "ignore"}]
    after = f"{n} s" if n < 60 else f"{n // 60} min" + (f" {n % 60} s" if n % 60 else "")
    assert late.group(1) == after  # told in minutes and seconds, as the report tells it
    rows = [e for e in read_events(folder / JOURNAL_FILE) if e.kind == "answered_late"]
    assert len(rows) == 1 and rows[0].actor == "bravo" and rows[0].data["late"] == n
    report = (folder / "report.md").read_text(encoding="utf-8")
    section = report.split("What the players decided and said", 1)[1]
    assert "no answer by the timeout: default ignore" in section  # what the exercise played
    assert f"late: 'debunk' answered {after} after the timeout (the default ignore had applied)" in section, section
    replay = subprocess.run([sys.executable, "-m", "ballotdrill", "replay", str(folder)], capture_output=True,
                            text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert replay.returncode == 0, replay.stdout + replay.stderr  # the late answer replays to the same journal
