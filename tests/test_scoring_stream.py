"""The streaming scorer: one pass, fed live by the engine or from a journal, with the same scores.

A run scored as it plays (no read-back) and the same run's report rebuilt from its journal give
the same bytes; the engine can feed a scorer without the journal being kept at all; the report
keeps the rows of scripted incidents only, never of background arrivals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_helpers import file_of, incident, load

from ballotdrill.application import run_to_folder, write_reports
from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import Kind
from ballotdrill.report.report import ReportFeed
from ballotdrill.scenarios import library_path, load_file
from ballotdrill.scoring import score
from ballotdrill.scoring.stream import Scorer

LIBRARY = load_file(library_path())
REPORTS = ("scores.json", "report.md", "report.html")
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def _live_then_rebuilt(tmp_path: Path, doc: Any, name: str, seed: int, until: str | None = None,
                       decisions: dict[str, str] | None = None) -> tuple[dict[str, bytes], dict[str, bytes]]:
    folder = tmp_path / f"{name}-{seed}"
    run_to_folder(doc, name, seed=seed, folder=folder, until=until, decisions=decisions)
    live = {f: (folder / f).read_bytes() for f in REPORTS}
    write_reports(folder)
    return live, {f: (folder / f).read_bytes() for f in REPORTS}


@pytest.mark.parametrize(("name", "seed", "until"), [
    ("results-night-ddos", 1, None),
    ("combined-hybrid-day", 2, None),
    ("combined-hybrid-day", 3, "13:30"),
    ("deepfake-48h", 4, None),
    ("recount-and-annulment", 5, None),
])
def test_a_run_scored_live_equals_its_journal_rebuilt(tmp_path: Path, name: str, seed: int,
                                                      until: str | None) -> None:
    live, rebuilt = _live_then_rebuilt(tmp_path, LIBRARY, name, seed, until)
    assert live == rebuilt
    assert b'"objectives"' in live["scores.json"]


@pytest.mark.parametrize("example", ["busy-lines", "crisis-cell", "handoff", "owner"])
def test_rows_with_optional_fields_score_live_as_rebuilt(tmp_path: Path, example: str) -> None:
    """Rows the engine records as dicts (a channel's lines, a post's crew, a step's targets) and packed rows: fed live
    a batch at a time, they score as the journal's rows read back one event at a time."""
    doc = load_file(EXAMPLES / f"{example}.yaml")
    for seed in (1, 2):
        live, rebuilt = _live_then_rebuilt(tmp_path, doc, next(iter(doc.scenarios)), seed)
        assert live == rebuilt


def test_a_decision_loop_scored_live_equals_its_journal_rebuilt(tmp_path: Path) -> None:
    actors = {"police": {"staff": 2}, "mayor": {"staff": 2}}
    steps = [{"id": "assess", "actor": "police", "duration": "5m"},
             {"id": "decide", "actor": "mayor", "duration": "5m", "decision": {
                 "options": {"again": {"next": "assess"}, "done": {"next": "end"}}, "default": "done"}}]
    doc = load(file_of(actors, {"p": {"trigger": {"type": "x"}, "steps": steps}}, [incident("X1", "10:00", "x")]))
    live, rebuilt = _live_then_rebuilt(tmp_path, doc, "s", 1,
                                       decisions={"X1:p:decide:1": "again", "X1:p:decide:2": "done"})
    assert live == rebuilt
    assert b'"ping_pongs": 1' in live["scores.json"]


def test_the_engine_feeds_a_scorer_without_keeping_the_journal() -> None:
    name = "combined-hybrid-day"
    scorer, one_by_one = Scorer(LIBRARY, name), Scorer(LIBRARY, name)
    fed = run_exercise(LIBRARY, name, seed=7, feed=scorer, keep=False)  # the engine's rows, a batch at a time
    run_exercise(LIBRARY, name, seed=7, feed=one_by_one.feed, keep=False)  # an event at a time
    assert fed.memory is None and scorer.count == one_by_one.count == fed.count
    assert scorer.finish().to_json() == one_by_one.finish().to_json()
    with pytest.raises(ValueError, match="not kept"):
        _ = fed.events
    kept = run_exercise(LIBRARY, name, seed=7).events
    assert scorer.finish().to_json() == score(kept, LIBRARY, name).to_json()
    assert score(iter(kept), LIBRARY, name).to_json() == score(reversed(kept), LIBRARY, name).to_json()


def test_the_report_keeps_no_row_of_a_background_arrival() -> None:
    name = "combined-hybrid-day"
    events = run_exercise(LIBRARY, name, seed=2).events
    feed = ReportFeed(LIBRARY, name)
    for event in events:
        feed.feed(event)
    report = feed.assemble()
    background = {i.incident for i in report.scores.incidents if i.background}
    assert background, "the scenario has background arrivals"
    assert not {e.incident for e in feed.rows.rows} & background
    assert len(feed.rows.rows) < len(events) / 2
    assert any(e.kind == Kind.RUN_ENDED for e in feed.rows.rows)
