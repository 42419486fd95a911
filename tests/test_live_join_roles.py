"""``ballotdrill join`` with each role's token, against a real ``live --serve`` process on loopback.

The evaluator's and the facilitator's tokens get their own commands (as the server allows them), ``help`` lists
them, an unknown command is named with the nearest one; the facilitator's console shows none of the web server's
own log lines (a client speaking TLS or garbage to the port).
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

from live_helpers import EXAMPLE
from live_process_helpers import LiveProc, Proc

from ballotdrill.journal import JOURNAL_FILE
from ballotdrill.live.joincommands import ENDPOINTS, ROLE_COMMANDS, command_body
from ballotdrill.live.server import ROUTES
from ballotdrill.live.store import read_inputs


def _join(live: LiveProc, token_file: str) -> Proc:
    join = Proc(["join", live.url + "/", "--token-file", str(live.folder / "tokens" / token_file)], live.folder.parent)
    join.wait_line(lambda line: line.startswith("joined as "))
    return join


def test_each_role_joins_with_its_own_commands(tmp_path: Path) -> None:
    live = LiveProc(tmp_path / "run", EXAMPLE, ("interior",), extra=("--start-paused",))
    joins: list[Proc] = []
    try:
        evaluator = _join(live, "evaluator.token")
        joins.append(evaluator)
        greeting = next(line for line in evaluator.out if line.startswith("joined as evaluator"))
        assert greeting.endswith("commands: note TEXT…; status; help; quit"), greeting
        evaluator.send("help")
        evaluator.wait_line(lambda line: line == "commands: note TEXT…; status; help; quit")
        evaluator.send("nte the desk is slow")
        line = evaluator.wait_line(lambda line: line.startswith("error: "))
        assert line.startswith("error: unknown command 'nte' (did you mean 'note'?); commands: note TEXT…"), line
        evaluator.send("answer 1 debunk")
        line = evaluator.wait_line(lambda line: "may not" in line)
        assert line.startswith("error: an evaluator may not 'answer' (only: player); "), line
        evaluator.send("status")  # the whole state, as a player's, then the note: the client is still there
        evaluator.send("note the desk is slow")
        evaluator.wait_line(lambda line: line.startswith("ok #") and "note" in line)

        facilitator = _join(live, "facilitator.token")
        joins.append(facilitator)
        greeting = next(line for line in facilitator.out if line.startswith("joined as facilitator"))
        for usage in ("note TEXT…", "pause", "resume", "speed X", "send-now INJECT", "end", "help", "quit"):
            assert usage in greeting, (usage, greeting)
        assert "answer N OPTION" not in greeting and "actions:" not in greeting
        facilitator.send("resme")
        line = facilitator.wait_line(lambda line: line.startswith("error: "))
        assert line.startswith("error: unknown command 'resme' (did you mean 'resume'?)"), line
        facilitator.send("resume")
        facilitator.wait_line(lambda line: line.startswith("ok #") and "resume" in line)
        facilitator.send("end")
        assert live.finish() == 0
        for join in joins:
            assert join.finish() == 0
    finally:
        for proc in (live, *joins):
            proc.kill()
    notes = [i.input for i in read_inputs(live.folder / JOURNAL_FILE) if i.input.kind == "note"]
    assert [(n.data["text"], n.data["by"]) for n in notes] == [("the desk is slow", "evaluator")]


def test_a_wrong_token_is_told_in_the_join_users_words(tmp_path: Path) -> None:
    live = LiveProc(tmp_path / "run", EXAMPLE, ("interior",), extra=("--start-paused",))
    try:
        (tmp_path / "wrong.token").write_text("not-a-token\n", encoding="utf-8")
        join = Proc(["join", live.url + "/", "--token-file", str(tmp_path / "wrong.token")], tmp_path)
        assert join.finish() == 2
        assert join.err == [f"{live.url}/: this token is not valid for this exercise; give your role's own file "
                            "from the run folder's tokens/ folder (--token-file)"], join.err
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()


def test_the_console_shows_none_of_the_web_servers_own_lines(tmp_path: Path) -> None:
    live = LiveProc(tmp_path / "run", EXAMPLE, ("interior",), extra=("--start-paused",))
    try:
        parts = urlsplit(live.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
            sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(40) + b"\r\n\r\n")  # TLS to HTTP
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 400"), answer  # uvicorn refused it (and logged it)
        live.send("end")
        assert live.finish() == 0
    finally:
        live.kill()
    shown = "\n".join(live.out + live.err)
    assert "Invalid HTTP request" not in shown and "WARNING" not in shown, shown


def test_every_join_command_posts_where_the_server_lets_its_role() -> None:
    for role, commands in ROLE_COMMANDS.items():
        for word in commands:
            assert role in ROUTES[ENDPOINTS[word]][1], (role, word)
    assert command_body("speed 60", "facilitator") == ("/api/speed", {"speed": 60.0})
    assert command_body("inject {message: {to: interior, text: hi}}", "facilitator") == (
        "/api/inject", {"text": "{message: {to: interior, text: hi}}"})
    assert command_body("help", "evaluator") is None
