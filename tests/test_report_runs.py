"""Reports of real runs of the built-in library (fixed seeds), with golden files for one.

Golden files: ``tests/golden/results-night-ddos-seed1.{md,json}``. After an intended change
to the engine, the library or the report, regenerate them with
``BALLOTDRILL_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_runs.py`` and
review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ballotdrill.application import load_run, write_reports
from ballotdrill.application.risks import with_risks
from ballotdrill.exports import to_ocel
from ballotdrill.report import build_report, render_html, render_json, render_markdown
from ballotdrill.scenarios import library_path, load_file

exercise = pytest.importorskip("exercise")
run_exercise = getattr(exercise, "run_exercise", None)
if run_exercise is None:  # the engine is not there yet
    pytest.skip("exercise.run_exercise not available yet", allow_module_level=True)

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_SCENARIO, GOLDEN_SEED = "results-night-ddos", 1
DOC = load_file(library_path())


@pytest.mark.parametrize("name", sorted(DOC.scenarios))
def test_every_library_scenario_reports(name: str) -> None:
    events = run_exercise(DOC, name, seed=3).events
    report = build_report(events, DOC, name)
    html = render_html(report)
    assert "<script" not in html.lower() and html.count("<svg") == 3
    assert len(report.scores.objectives) == len(DOC.scenarios[name].objectives)
    assert {o.rating for o in report.scores.objectives} <= {"P", "S", "M", "U", "NE"}
    assert list(report.narratives) == list(report.moments) == report.scripted
    assert {e.id for e in report.inject_log} == set(DOC.scenarios[name].inject_ids())
    assert render_markdown(report).startswith("# After-action report")
    json.loads(render_json(report))
    log = to_ocel(events, DOC, name)
    ids = {o["id"] for o in log["objects"]}
    assert all(r["objectId"] in ids for e in log["events"] for r in e["relationships"])


def test_same_seed_same_report_bytes() -> None:
    first = build_report(run_exercise(DOC, GOLDEN_SCENARIO, seed=GOLDEN_SEED).events, DOC, GOLDEN_SCENARIO)
    second = build_report(run_exercise(DOC, GOLDEN_SCENARIO, seed=GOLDEN_SEED).events, DOC, GOLDEN_SCENARIO)
    assert render_html(first) == render_html(second)
    assert render_json(first) == render_json(second)


def test_write_reports_in_a_real_run_folder(tmp_path: Path) -> None:
    run_exercise(DOC, GOLDEN_SCENARIO, seed=GOLDEN_SEED, out=tmp_path)
    paths = write_reports(tmp_path)[1]
    assert sorted(p.name for p in paths) == ["report.html", "report.md", "scores.json"]
    run = load_run(tmp_path)
    assert run.scenario == GOLDEN_SCENARIO
    memory = with_risks(build_report(run_exercise(DOC, GOLDEN_SCENARIO, seed=GOLDEN_SEED).events, DOC,
                                     GOLDEN_SCENARIO, run.meta), DOC, GOLDEN_SCENARIO)
    assert memory.risks and render_markdown(memory).count("## Risks exercised") == 1
    assert (tmp_path / "scores.json").read_text(encoding="utf-8") == render_json(memory)


@pytest.mark.parametrize(("suffix", "render"), [("md", render_markdown), ("json", render_json)])
def test_golden_report(suffix: str, render: object) -> None:
    assert callable(render)
    report = build_report(run_exercise(DOC, GOLDEN_SCENARIO, seed=GOLDEN_SEED).events, DOC, GOLDEN_SCENARIO)
    text = render(report)
    path = GOLDEN / f"{GOLDEN_SCENARIO}-seed{GOLDEN_SEED}.{suffix}"
    if os.environ.get("BALLOTDRILL_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    if not path.exists():
        pytest.skip(f"no golden file {path.name}: run with BALLOTDRILL_REGEN_GOLDEN=1 to create it")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is intended, regenerate with BALLOTDRILL_REGEN_GOLDEN=1 and review")
