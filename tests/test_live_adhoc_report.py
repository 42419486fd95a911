"""A facilitator's ad-hoc injects: marked in the journal, listed as ad-hoc in the report, never counted as scripted."""

from __future__ import annotations

import json
from pathlib import Path

from live_helpers import play_scripted, wait_for

from ballotdrill.application import write_reports
from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.live import inputs
from ballotdrill.live.rebuild import replay_folder
from ballotdrill.live.session import Session


async def _facilitator(session: Session) -> None:
    core = session.core
    await wait_for(lambda: "N1" in core.started, core)
    assert (await session.submit(inputs.adhoc_inject("{message: {to: interior, text: ADHOC minister call}}"))).ok
    assert (await session.submit(inputs.adhoc_inject("{incident: {id: X1, type: disinformation, severity: 2}}"))).ok
    assert (await session.submit(inputs.Input("end", {}))).ok


def _section(text: str, heading: str) -> str:
    """The Markdown from ``heading`` to the next heading of any level."""
    start = text.index(heading)
    rest = text[start + len(heading):]
    ends = [i for i in (rest.find("\n#"),) if i >= 0]
    return rest[: ends[0]] if ends else rest


def test_adhoc_injects_are_marked_and_reported_apart(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    play_scripted(folder, _facilitator, speed=600)
    delivered = {e.data["inject"]: e for e in read_events(folder / JOURNAL_FILE) if e.kind == "inject_delivered"}
    assert delivered["F1"].data["adhoc"] is True and delivered["F2"].data["adhoc"] is True
    assert "adhoc" not in delivered["N1"].data  # the scenario's own inject is as in batch
    assert replay_folder(folder).identical

    write_reports(folder)
    report = (folder / "report.md").read_text(encoding="utf-8")
    log = _section(report, "Inject log")
    f1 = next(line for line in log.splitlines() if line.startswith("| **F1**"))
    f2 = next(line for line in log.splitlines() if line.startswith("| **F2**"))
    assert "ad-hoc, by the facilitator at 08:" in f1 and "ADHOC minister call" in f1 and "Interior" in f1
    assert "ad-hoc, by the facilitator at 08:" in f2 and "X1" in f2
    assert "X1" not in _section(report, "### Scripted incidents")
    assert "X1" in _section(report, "### Ad-hoc incidents (added by the facilitator)")
    assert "3 MSEL inject(s) and 2 ad-hoc inject(s) by the facilitator" in report
    scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert scores["adhoc"] == ["X1"] and "X1" not in scores["scripted"]
    assert any(i["incident"] == "X1" for i in scores["scores"]["incidents"])  # scored like every incident
