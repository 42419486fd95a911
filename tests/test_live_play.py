"""A live exercise played by a script at high speed: real asyncio loop, real SQLite, then replayed in batch."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from live_helpers import open_request, play_scripted, wait_for

from ballotdrill.application import write_reports
from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.live import inputs
from ballotdrill.live.rebuild import read_recorded, rebuild, replay_folder
from ballotdrill.live.session import Session


async def _players(session: Session) -> None:
    core = session.core
    assert (await session.submit(inputs.note("opening brief done"))).ok
    first = await open_request(core, "interior")
    assert first.incident == "N1" and first.options == ("debunk", "ignore")
    assert (await session.submit(inputs.answer(str(first.number), "debunk", player="interior"))).ok
    assert (await session.submit(inputs.action("monitor", "convene", "N1", player=True))).ok
    await wait_for(lambda: any(s.inject == "M1" and s.kind == "question" for s in core.shown["interior"]), core)
    assert (await session.submit(inputs.Input("pause", {}))).ok  # M1 at 09:00; N2 is due at 10:00
    assert core.paused
    assert (await session.submit(inputs.discuss("interior", "M1", 1, "A holding line: we are checking.",
                                                player=True))).ok
    assert (await session.submit(inputs.send_now("N2"))).ok
    assert (await session.submit(inputs.adhoc_inject("{message: {to: interior, text: Minister wants a brief}}"))).ok
    assert (await session.submit(inputs.Input("resume", {}))).ok
    # N2's decision is left alone: it times out to the default.


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scripted exercise, played once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("live") / "run"
    assert play_scripted(folder, _players).ended
    return folder


def test_scripted_live_exercise_equals_its_batch_replay(played: Path) -> None:
    folder = played
    events = list(read_events(folder / JOURNAL_FILE))
    made = {e.incident: e.data for e in events if e.kind == "decision_made"}
    assert made["N1"]["option"] == "debunk" and made["N1"]["by"] == "player"
    assert made["N2"]["option"] == "ignore" and made["N2"]["by"] == "timeout"
    contained = {e.incident: e.data["how"] for e in events if e.kind == "contained"}
    assert contained.get("N1") == "effect"  # the player's choice published the debunk
    assert "N2" not in contained or contained["N2"] != "effect"  # the default ignores the wave
    n2 = next(e for e in events if e.kind == "inject_delivered" and e.data["inject"] == "N2")
    assert n2.t < 120  # released early by send-now (scheduled at 10:00, two hours in)
    kinds = [e.kind for e in events]
    assert kinds.count("paused") == 1 and kinds.count("resumed") == 1
    answered = next(e for e in events if e.kind == "discussion_answered")
    assert answered.data == {"inject": "M1", "number": 1, "question": "What do you say?",
                             "answer": "A holding line: we are checking.", "by": "player"}
    assert any(e.kind == "note" and e.data["text"] == "opening brief done" for e in events)
    assert any(e.kind == "inject_delivered" and e.data["inject"] == "F1" for e in events)
    assert any(e.kind == "action_taken" and e.data == {"action": "convene", "by": "player"} for e in events)

    result = replay_folder(folder)
    assert result.identical, result.message
    assert result.events == len(events)


def test_the_same_inputs_at_the_same_times_give_the_same_journal_in_batch(played: Path) -> None:
    rec = read_recorded(played)
    _, memory = rebuild(rec)
    assert len(memory.rows) == len(rec.rows)
    assert [r[1:6] for r in rec.rows] == [row[:5] for row in memory.rows]
    assert [i.input.kind for i in rec.inputs] == [
        "note", "answer", "action", "pause", "discuss", "send_now", "inject", "resume"]


def test_a_tampered_journal_shows_its_first_divergence(played: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(played, folder)
    with sqlite3.connect(folder / JOURNAL_FILE) as db:
        seq = db.execute("SELECT seq FROM events WHERE kind = 'decision_made' ORDER BY seq LIMIT 1").fetchone()[0]
        db.execute("UPDATE events SET data = replace(data, 'debunk', 'ignore') WHERE seq = ?", (seq,))
    result = replay_folder(folder)
    assert not result.identical
    assert result.message.startswith(f"first divergence at seq {seq}:")


async def _hostile(session: Session) -> None:
    core = session.core
    assert (await session.submit(inputs.note("<script>alert(1)</script> | pipes *and* stars"))).ok
    first = await open_request(core, "interior")
    assert (await session.submit(inputs.answer(first.key, "debunk", player="interior"))).ok
    await wait_for(lambda: any(s.inject == "M1" and s.kind == "question" for s in core.shown["interior"]), core)
    assert (await session.submit(inputs.discuss("interior", "M1", 1, "We <b>hold</b> the line", player=True))).ok
    assert (await session.submit(inputs.parse_command("discuss interior M1 1 Typed at the console") or
                                 inputs.note("?"))).ok  # the facilitator answers for the team


def test_the_report_shows_what_the_players_decided_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "live"
    play_scripted(folder, _hostile)
    report, _ = write_reports(folder)
    played = {(p.what, p.who): p for p in report.played}
    decisions = {p.subject: p.text for p in report.played if p.what == "decision"}
    assert decisions == {"N1:respond:choose:1": "debunk",
                         "N2:respond:choose:1": "no answer by the timeout: default ignore"}
    said = [(p.subject, p.text) for p in report.played if p.what == "discussion"]
    assert said == [("inject M1, question 1: What do you say?", "We <b>hold</b> the line"),
                    ("inject M1, question 1: What do you say?", "Typed at the console (typed by the facilitator)")]
    assert played[("note", "facilitator")].text.startswith("<script>")
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "We &lt;b&gt;hold&lt;/b&gt; the line" in html
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "## 8. Live exercise: its clock, and what the players decided and said" in markdown
    assert "What do you say?" in markdown and "pipes" in markdown and "\\|" in markdown
