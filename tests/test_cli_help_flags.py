"""``--help`` shows an on/off option as a bare flag: no type that invites ``--json true``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import in_process

from ballotdrill.commands.typer_app import COMMANDS


@pytest.mark.parametrize("command", [(), *((name,) for name, _ in COMMANDS)])
def test_no_flag_in_help_shows_a_value_type(command: tuple[str, ...], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    result = in_process((*command, "--help"), tmp_path, monkeypatch, capsys)
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "<bool>" not in text and "BOOLEAN" not in text
    help_row = next(line for line in text.splitlines() if "--help" in line and "Show this message" in line)
    assert re.search(r"--help\s+Show this message", help_row), help_row
