"""A scenario file given where a scenario's name goes (``run docs/examples/minimal.yaml``, the likeliest first slip
with a file of one's own) is told in one line to give it with ``--file``, by every command that takes a name."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import one_line
from format_helpers import run_cli

MINIMAL = "docs/examples/minimal.yaml"


@pytest.mark.parametrize("command", ["run", "show", "sweep", "live"])
def test_a_file_where_a_name_goes_is_told_to_use_file(command: str, tmp_path: Path) -> None:
    line = one_line(run_cli(command, MINIMAL, "--out" if command != "show" else "--json",
                            *([str(tmp_path / "out")] if command != "show" else [])))
    assert line == f"no scenario '{MINIMAL}': that names a file; give a scenario file with --file {MINIMAL}"
    assert not (tmp_path / "out").exists()


def test_a_missing_file_named_as_a_scenario_is_told_the_same(tmp_path: Path) -> None:
    line = one_line(run_cli("run", "my scenario.yaml", cwd=tmp_path))
    assert line.endswith("give a scenario file with --file 'my scenario.yaml'")


def test_decisions_of_a_file_is_told_to_use_file_and_takes_its_default_scenario() -> None:
    line = one_line(run_cli("decisions", "docs/examples/live.yaml"))
    assert line == ("docs/examples/live.yaml is a file, not a run folder: give a scenario file with --file "
                    "docs/examples/live.yaml, or give a run folder")
    listed = run_cli("decisions", "--file", "docs/examples/live.yaml", "--json")
    assert listed.returncode == 0, listed.stderr
    assert '"scenario": "wave"' in listed.stdout
    one_line(run_cli("decisions"), "give a run folder, or a scenario's name")
