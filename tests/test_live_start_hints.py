"""What a facilitator is told when ``live`` cannot start: a misspelt role, a port that is taken."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from live_process_helpers import Proc

from ballotdrill.live.serve import listen_on
from ballotdrill.scenarios.errors import BallotdrillError


def test_a_misspelt_role_is_suggested_and_no_folder_made(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    proc = Proc(["live", "combined-hybrid-day", "--play", "organizer", "--out", str(folder)], tmp_path)
    try:
        assert proc.finish() == 2
    finally:
        proc.kill()
    [line] = proc.err
    assert line.startswith("--play names actor or role 'organizer', which is not defined (did you mean "
                           "'organiser'?); the actors are "), line
    assert not folder.exists()


def test_a_taken_port_says_how_to_get_another() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(BallotdrillError) as refused:
            listen_on(f"127.0.0.1:{port}")
    assert str(refused.value).startswith(f"--serve 127.0.0.1:{port}: cannot listen there (")
    assert str(refused.value).endswith("; choose another port, or give --serve alone for a free one")
