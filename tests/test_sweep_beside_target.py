"""A sweep's page tells an objective's value beside its target as the report does: on its side of the target, with
the digits that decide it (20.4 voter-minutes beside a 20 target reads "20.4", never "20"; 59 min 40 s beside a 1 h
target never "1 h 00 min"), in the detail table, the histogram and sweep.csv; a breaking point's share beside one in
two stays on its side of it. Worked by hand on a tiny scenario whose every run is the same."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from engine_helpers import file_of, incident, to_yaml

from ballotdrill import application
from ballotdrill.sweep.aggregate import stat
from ballotdrill.sweep.model import Share
from ballotdrill.sweep.render import _reading


def _swept(tmp_path: Path, fix: str, harm_target: int, time_target: str) -> Path:
    """X1 (1 voter) at 10:00, contained for certain by 'fix' (``fix`` long, no other work): its voter-minutes and
    its time to containment are both the minutes of ``fix``. O1: voter-minutes within ``harm_target``; O2: time to
    containment within ``time_target``. Two runs, every one the same."""
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "fix", "actor": "a", "duration": fix, "effect": {"contain": 1}}]}},
                   [incident("X1", "10:00", "outage", spec={"voters": 1})], end="18:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "X1"},
         "target": harm_target},
        {"id": "O2", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X1 started to incident X1 contained"}, "target": time_target}]
    source = tmp_path / "tiny.yaml"
    source.write_text(to_yaml(data), encoding="utf-8")
    application.sweep_to_folder(source, "s", runs=2, workers=1, out=tmp_path / "sweep")
    return tmp_path / "sweep"


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _detail_row(page: str, objective: str) -> list[str]:
    """The texts of an objective's cells in "Objectives in detail": mean, its interval, p10, p50, p90."""
    detail = page[page.index('id="detail"'):page.index('id="measures"')]
    row = next(r for r in detail.split("<tr>") if f"<strong>{objective}</strong>" in r)
    return [_text(cell) for cell in re.findall(r'<td class="num[^"]*">(.*?)</td>', row)]


def _chart_texts(page: str, objective: str) -> list[str]:
    """The histogram's titles and axis labels in an objective's detail row."""
    detail = page[page.index('id="detail"'):page.index('id="measures"')]
    row = next(r for r in detail.split("<tr>") if f"<strong>{objective}</strong>" in r)
    return [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>|<text[^>]*>(.*?)</text>", row)
            for t in t if t]


@pytest.mark.parametrize(("fix", "harm_target", "time_target", "harm", "time"), [
    ("59m40s", 60, "1h", "59.7", "59 min 40 s"),     # within: never "60", never "1 h 00 min"
    ("20m24s", 20, "20m", "20.4", "20 min 24 s"),    # past: never "20", never "20 min"
])
def test_a_value_beside_its_target_keeps_its_side(tmp_path: Path, fix: str, harm_target: int, time_target: str,
                                                   harm: str, time: str) -> None:
    folder = _swept(tmp_path, fix, harm_target, time_target)
    page = (folder / "sweep.html").read_text(encoding="utf-8")
    for objective, told in (("O1", harm), ("O2", time)):
        mean, interval, p10, p50, p90 = _detail_row(page, objective)[:5]
        assert (mean, p10, p50, p90) == (told, told, told, told), (objective, mean, p10, p50, p90)
        assert interval in ("—", f"{told} – {told}"), interval
        texts = _chart_texts(page, objective)
        assert any(t.startswith(f"{told} – ") or t.endswith(f" – {told}: 2 runs") for t in texts), texts
        assert told in texts, texts  # the axis's end at the value
    # "Every measure" tells the objective's value beside its target the same way
    measures = page[page.index('id="measures"'):page.index('id="method"')]
    for objective, told in (("O1", harm), ("O2", time)):
        row = next(r for r in measures.split("<tr>") if f"objective {objective} · value" in _text(r))
        cells = [_text(c) for c in re.findall(r'<td class="num[^"]*">(.*?)</td>', row)]
        assert [cells[0], *cells[2:5]] == [told] * 4, cells
    # the figure a spreadsheet reads is on the same side of the target as the value (59.6667 is not 60)
    with (folder / "sweep.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["section"] == "objective" and r["field"] == "value"]
    assert [(r["item"], round(float(r["p50"]), 1)) for r in rows] == [("O1", float(harm)), ("O2", float(harm))]


def test_a_figure_for_a_spreadsheet_is_never_rounded_onto_its_target() -> None:
    # 60.00003 min is past a 1 h target (U): at 4 decimals it would read 60.0, on the target
    figures = stat([60.00003, 60.00003], "minutes", (60.0,))
    assert (figures.mean, figures.p50, figures.max) == (60.00003, 60.00003, 60.00003)
    assert stat([60.00003], "minutes").p50 == 60.0  # beside no target, 4 decimals as before


def test_a_breaking_points_share_beside_one_in_two_keeps_its_side() -> None:
    # 1,249 of 2,500 runs met it: 49.96 %, fewer than half; "50%" would read as half, not below it
    share = Share(count=1249, runs=2500, share=0.4996, ci_low=0.48, ci_high=0.52)
    reading = _reading("staff", -1, [("1", share)], 2500)
    assert "(49.96% at 1)" in reading and "50%" not in reading, reading
