"""Shared fixtures-as-functions for the scenario format tests (tests/test_format_*.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ballotdrill.scenarios import Override, ScenarioError, ScenarioFile, load_text
from ballotdrill.scenarios.errors import Problem

ROOT = Path(__file__).resolve().parent.parent

# A small but complete file; line numbers below are relied on by tests (see BASE_LINES).
BASE = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        cell-a: {staff: 2}
        cell-b: {}
      channels:
        phone: {latency: 3m}
        secure-mail: {latency: {dist: exponential, mean: 10m}, fallback: phone}
      procedures:
        p1:
          trigger: {type: outage}
          steps:
            - {id: s1, actor: cell-a}
            - {id: s2, actor: cell-b, via: phone}
    scenarios:
      sc:
        title: T
        start: "06:00"
        end: "23:00"
        injects:
          - {at: "10:00", incident: {id: X1, type: outage}}
    """
)
"""Line 13 is step s1, line 14 step s2, line 21 the first inject."""


def one_desk(name: str, title: str, injects: list[str], duration: str = "10m") -> str:
    """A scenario file with one desk of one, one procedure for outages (a single ``triage`` step of ``duration``) and
    one scenario ``name`` from 08:00 to 12:00 with ``injects`` (each a YAML flow mapping)."""
    listed = "".join(f"      - {inject}\n" for inject in injects)
    return (
        "version: 1\n"
        "structure:\n"
        "  actors:\n"
        "    desk: {staff: 1}\n"
        "  procedures:\n"
        "    fix:\n"
        "      trigger: {type: outage}\n"
        "      steps:\n"
        f"        - {{id: triage, actor: desk, duration: {duration}}}\n"
        "scenarios:\n"
        f"  {name}:\n"
        f"    title: {title}\n"
        '    start: "08:00"\n'
        '    end: "12:00"\n'
        "    injects:\n"
    ) + listed


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def load(text: str, overrides: list[str] | None = None, source: str = "s.yaml") -> ScenarioFile:
    return load_text(text, source, [Override(o) for o in overrides or []])


def problems(text: str, overrides: list[str] | None = None, source: str = "s.yaml") -> list[Problem]:
    """The problems loading ``text`` reports (the test fails if it loads)."""
    with pytest.raises(ScenarioError) as info:
        load(text, overrides, source)
    found = info.value.problems
    assert found, "a ScenarioError must carry at least one problem"
    return found


def only_problem(text: str, overrides: list[str] | None = None, source: str = "s.yaml") -> Problem:
    found = problems(text, overrides, source)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def col_of(text: str, line: int, needle: str) -> int:
    """The 1-based column of ``needle`` on 1-based ``line`` of ``text``."""
    index = text.splitlines()[line - 1].index(needle)
    return index + 1


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``ballotdrill ARGS`` in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "ballotdrill", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT,
    )
