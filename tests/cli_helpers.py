"""Run ``ballotdrill`` in this process, as a user would type it, and collect what it printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ballotdrill import cli


def in_process(args: tuple[str, ...], work: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    """``cli.main()`` with ``args`` as its command line, from ``work``; its exit status and output."""
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "argv", ["ballotdrill", *args])
    capsys.readouterr()
    code: int | str | None = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code if isinstance(code, int) else 1, out, err)


def one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """The one line a refused command printed (exit 2, no traceback, nothing on stdout), holding ``expected``."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for text in expected:
        assert text in lines[0], (text, lines[0])
    return lines[0]
