"""The HTML report in a real headless Chromium: sections present, charts drawn, no script."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from scoring_helpers import sample_events, scenario_file, write_run

from ballotdrill.application import write_reports

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium not installed: run make test as root to install Debian's chromium")
    return path


@pytest.mark.browser
def test_report_dom_in_headless_chromium(tmp_path: Path) -> None:
    chromium = _chromium()
    run = write_run(tmp_path / "run", sample_events(), scenario_file())
    html = next(p for p in write_reports(run)[1] if p.name == "report.html")
    shot = tmp_path / "report.png"
    base = [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*base, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    for section in ("key-findings", "overview", "objectives", "incidents", "handoffs", "load", "analysis",
                    "inject-log", "improvement-plan", "thresholds", "steps", "event-log"):
        assert f'id="{section}"' in dom
    details = re.findall(r"<details\b[^>]*>", dom)
    assert {'<details class="background" id="events-D1">', '<details class="background" id="events-N1">'} <= set(
        details)
    assert not any(" open" in d for d in details)  # the full event list stays collapsed until opened
    charts = re.findall(r"<svg\b.*?</svg>", dom, flags=re.S)
    assert len(charts) == 3
    for chart in charts:
        assert re.search(r"<(rect|path|circle|line|polygon)\b", chart)
    assert len(re.findall(r"<rect\b", charts[0])) >= 8  # incident and step bars, legend swatches
    assert len(re.findall(r"<rect\b[^>]*class=\"lat[^\"]*\"><title>", charts[1])) == 2  # a cell per link
    assert "<script" not in dom.lower()
    assert "No actor was a bottleneck: wherever the 90th-percentile queue wait reached 15 min" in dom
    subprocess.run([*base, f"--screenshot={shot}", "--window-size=1280,2400", html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000
