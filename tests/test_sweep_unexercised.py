"""A sweep says why the runs that did not exercise an objective did not, so its chance of meeting, read over the
others only, is never mistaken for the whole story; and a run whose open work could no longer meet a time objective
counts as U there, not as "not exercised". A hand-made recount worked by hand.

X1 at 10:00 (no natural end), noticed at once; 'recount' by b contains it; the day ends at 11:00, O1 (contained
within 1 h 30 min) passes its target at 11:30. A recount of at least 2 h (fixed) cannot end before 12:00: U in every
run. One of 20 min to 3 h (triangular, mode 40 min) under way at 11:00 could still end before 11:30: not exercised,
still under way within the target, unless it ended before 11:00 (P).
"""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from cli_helpers import in_process

RECOUNT = """\
version: 1
structure:
  actors:
    a: {{staff: 1}}
    b: {{staff: 1}}
  procedures:
    p:
      trigger: {{type: x}}
      steps:
        - {{id: triage, actor: a, duration: 1m}}
        - {{id: recount, actor: b, duration: {duration}, effect: {{contain: 1.0}}}}
scenarios:
  day:
    title: Day
    start: "08:00"
    end: "11:00"
    injects:
      - {{at: "10:00", incident: {{id: X1, type: x}}, detected_by: {{actor: a, after: 0m}}}}
    objectives:
      - {{id: O1, capability: Recount, target: 1h30m,
         measure: {{time: from incident X1 start to incident X1 contained}}}}
"""


def _sweep(work: Path, duration: str, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str], str]:
    name = "fixed" if duration == "2h" else "spread"
    (work / f"{name}.yaml").write_text(RECOUNT.format(duration=duration), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "200")
    done = in_process(("sweep", "day", "--file", f"{name}.yaml", "--runs", "10", "--workers", "1", "--out", name),
                      work, monkeypatch, capsys)
    assert done.returncode == 0, done.stderr
    with (work / name / "replications.csv").open(encoding="utf-8") as rows:
        ratings = [row["O1.rating"] for row in csv.DictReader(rows)]
    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", (work / name / "sweep.html").read_text("utf-8"))).split())
    return " ".join(done.stderr.split()), ratings, page


def test_a_recount_that_can_no_longer_end_in_time_is_u_in_every_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    said, ratings, _ = _sweep(tmp_path, "2h", monkeypatch, capsys)
    assert set(ratings) == {"U"}
    assert "O1: not exercised" not in said and "0% (0%–28%)" in said


def test_runs_still_under_way_within_the_target_are_counted_and_said_as_such(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    said, ratings, page = _sweep(tmp_path, "{dist: triangular, min: 20m, mode: 40m, max: 3h}", monkeypatch, capsys)
    open_runs = ratings.count("NE")
    assert 0 < open_runs < 10 and set(ratings) == {"NE", "P"}  # this sweep's seeds: some recounts end by 11:00
    assert (f"O1: not exercised in {open_runs} of 10 runs ({open_runs} still under way when the run stopped, within "
            f"the target); its chance of meeting is of the {10 - open_runs} that exercised it") in said
    assert (f"of the {10 - open_runs} runs that exercised it; not exercised in {open_runs}: {open_runs} still under "
            "way when the run stopped, within the target") in page
