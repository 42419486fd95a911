"""A real ``ballotdrill live --serve`` process played by its console and two players over HTTP on loopback.

What the facilitator's console prints of players' and evaluators' text is terminal-safe (no control sequence, no
line of its own); a decision answered at the console is the facilitator's in the journal and the report; a
player never hears of another agency's requests or incidents, nor acts on an incident outside its view.
"""

from __future__ import annotations

import json
from pathlib import Path

from live_process_helpers import LiveProc, hostile_file

from ballotdrill.journal import JOURNAL_FILE, read_events
from ballotdrill.live.rebuild import replay_folder

EVIL = "ans \x1b[2J\x1b]0;pwn\x07 [bold]B[/bold] <script>x</script>\r\nfake line [08:00] decision_made"


def test_console_play_is_safe_confined_and_credited(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=60)
    try:
        live.wait_view("alpha", lambda v: any(q["inject"] == "N1" for q in v["questions"]))
        status, data = live.call("POST", "/api/discuss", "alpha", {"inject": "N1", "question": 1, "text": EVIL})
        assert status == 200, data
        assert live.call("POST", "/api/note", "evaluator", {"text": "eval " + EVIL})[0] == 200
        bravo = live.wait_view("bravo", lambda v: bool(v["requests"]))
        number = bravo["requests"][0]["number"]

        # item 4: alpha hears nothing of bravo's request, nor of incidents outside its view
        for ref in (str(number), bravo["requests"][0]["key"], "nope"):
            status, data = live.call("POST", "/api/answer", "alpha", {"request": ref, "option": "debunk"})
            assert status == 409 and "bravo" not in data["detail"], data
        live.send("inject {incident: {id: Z9, type: cyber_outage, severity: 2}}")
        live.wait_line(lambda line: "incident_started Z9" in line)
        for incident in ("Z9", "ZZZ"):
            status, data = live.call("POST", "/api/action", "alpha", {"action": "convene", "incident": incident})
            assert status == 409 and "Z9" not in data["detail"].replace(f"'{incident}'", ""), data
        assert live.call("POST", "/api/action", "alpha", {"action": "convene", "incident": "N1"})[0] == 200

        # item 3: answered at the console, for bravo
        live.send(f"answer {number} debunk")
        live.wait_line(lambda line: line.startswith("ok #") and line.endswith(f"request bravo#{number}: debunk"))
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()
    out = "\n".join(live.out)
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "\\x1b[2J" in out and "\\x0d\\x0afake line" in out  # shown escaped, on the line it belongs to
    assert not any(line.startswith("fake line") for line in live.out)
    assert "[bold]B[/bold]" in out  # markup shown as written

    events = list(read_events(folder / JOURNAL_FILE))
    made = [e.data for e in events if e.kind == "decision_made" and e.actor == "bravo"]
    assert made and made[0]["option"] == "debunk" and made[0]["by"] == "facilitator"
    acts = [e.data for e in events if e.kind == "action_taken"]
    assert acts == [{"action": "convene", "by": "player"}]
    report = (folder / "report.md").read_text(encoding="utf-8")
    assert "answered by the facilitator" in report and "a player's choice" not in report
    scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    assert "facilitator" in json.dumps(scores)
    result = replay_folder(folder)
    assert result.identical, result.message


def test_a_player_sees_only_its_own_step_on_a_shared_incident(tmp_path: Path) -> None:
    live = LiveProc(tmp_path / "run", hostile_file(tmp_path), ("alpha", "bravo"), speed=60)
    try:
        bravo = live.wait_view("bravo", lambda v: bool(v["requests"]))
        status, data = live.call("POST", "/api/answer", "bravo", {"request": bravo["requests"][0]["key"],
                                                                   "option": "debunk"})
        assert status == 200, data
        assert live.call("POST", "/api/action", "alpha", {"action": "convene", "incident": "N1"})[0] == 200
        live.wait_view("alpha", lambda v: any(i["current"].startswith("meet (") for i in v["incidents"]))
        bravo = live.wait_view("bravo", lambda v: any(i["id"] == "N1" for i in v["incidents"]))
        shared = next(i for i in bravo["incidents"] if i["id"] == "N1")
        assert "meet" not in shared["current"], shared  # alpha's own work on it is not bravo's to see
        status, control = live.call("GET", "/api/state", "evaluator")
        assert status == 200 and any(i["current"].startswith("meet (") for i in control["view"]["incidents"])
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()
