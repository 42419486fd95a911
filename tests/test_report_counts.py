"""A large run's report writes its counts grouped in thousands, as the run's summary does (``2,400 incident(s)``),
in HTML and Markdown; ``scores.json`` keeps them as numbers, and a seed is a name, never grouped. A background
inject's line in the inject log counts every arrival, not only those listed one by one."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from ballotdrill import cli
from ballotdrill.report.report import staff_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine_vs_simpy import scenario_yaml

INCIDENTS = 2400
"""Two background injects of 1,200 arrivals each: more than the 500 a report lists one by one per inject."""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's folder, made as a user would: ``ballotdrill run bench --file model.yaml --seed 12345``."""
    work = tmp_path_factory.mktemp("counts")
    (work / "model.yaml").write_text(scenario_yaml(INCIDENTS), encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(work)
        monkeypatch.setattr(sys, "argv", ["ballotdrill", "run", "bench", "--file", "model.yaml", "--seed", "12345",
                                          "--out", "r"])
        try:
            cli.main()
        except SystemExit as exc:
            assert not exc.code
    return work / "r"


def _ungrouped(text: str) -> list[str]:
    """Numbers of four digits or more not grouped, leaving out incident ids (``I1-1173``) and journal rows (``#1234``,
    ``rows 12–14``)."""
    clean = re.sub(r"I\d-\d+|#\d+(?:[-–]\d+)?|rows? [\d, #–-]+", "", text)
    return re.findall(r"(?<![\d,.])\d{4,}(?![\d,])", clean)


def test_counts_are_grouped_in_html_and_markdown_and_kept_as_numbers_in_scores_json(run: Path) -> None:
    data = json.loads((run / "scores.json").read_text(encoding="utf-8"))
    totals = data["scores"]["totals"]
    assert totals["incidents"] == INCIDENTS and isinstance(totals["handoffs"], int)  # data stays numbers
    scope = (f"{totals['incidents']:,} incident(s), {totals['handoffs']:,} handoff(s), "
             f"{totals['steps_completed']:,} step(s) completed")
    md = (run / "report.md").read_text(encoding="utf-8")
    html = (run / "report.html").read_text(encoding="utf-8")
    for text in (md, html):
        assert scope in text
        assert f"{totals['handoffs']:,} handoff(s): {totals['handoffs']:,} received" in text
    assert "| **I1** | r0 | 1,200 | 0 |" in md  # the background table's arrivals, a cell
    assert "| Seed | 12345 |" in md and "<th>Seed</th><td>12345</td>" in html  # a name, not a count
    assert set(_ungrouped(md)) == {"12345"}  # the seed alone (the cover and the overview)
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)  # colours, code
    text_nodes = " ".join(re.findall(r">([^<>]*)<", page))
    assert set(_ungrouped(text_nodes)) == {"12345"}


def test_the_inject_log_counts_every_arrival_not_only_those_listed(run: Path) -> None:
    """Before, a background inject's line said '510 arrival(s)', '510 of 510 worked on' for 1,200 arrivals: the
    arrivals listed one by one (500 and the worst cases), not those that came."""
    data = json.loads((run / "scores.json").read_text(encoding="utf-8"))
    listed = sum(1 for i in data["scores"]["incidents"] if i["inject"] == "I1")
    [stats] = [s for s in data["scores"]["background"]["injects"] if s["key"] == "I1"]
    assert listed < stats["arrivals"] == INCIDENTS // 2
    [entry] = [e for e in data["inject_log"] if e["id"] == "I1"]
    assert entry["status"] == "1200 arrival(s)"  # scores.json's text as before, the count true
    assert entry["observed"] == f"{stats['worked_on']} of 1200 worked on; none open at the end"
    md = (run / "report.md").read_text(encoding="utf-8")
    assert "| 1,200 arrival(s) | — | 1,200 of 1,200 worked on; none open at the end" in md


def test_staff_in_the_participants_table_is_grouped_and_kept_plain_in_scores_json() -> None:
    shifts = [("07:00", "23:00", 4207)]  # the library's polling-station presidents
    assert staff_text(0, shifts, ",") == "0 (4,207 07:00–23:00)"  # as the report's layout writes it
    assert staff_text(0, shifts) == "0 (4207 07:00–23:00)"  # scores.json's staff_text, as before
    assert staff_text(1500, [], ",") == "1,500"
