"""A run folder may be named anything a user types: the journal is opened by a URI made from its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import in_process
from test_bad_input import LONE

from ballotdrill.journal.sqlite_uri import connect_read_only

NAMES = ["run #3", "at 50%", "why?", "file:odd"]
"""Characters a ``file:`` URI written from the path text would read as a fragment, an escape or parameters."""


@pytest.mark.parametrize("name", NAMES)
def test_every_command_reads_a_run_in_a_folder_named_with_uri_characters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str) -> None:
    (tmp_path / "lone.yaml").write_text(LONE, encoding="utf-8")
    for args in (("run", "--file", "lone.yaml", "--out", name), ("run", "--file", "lone.yaml", "--out", "plain")):
        result = in_process(args, tmp_path, monkeypatch, capsys)
        assert result.returncode == 0, result.stderr
    report = in_process(("report", name, "--force"), tmp_path, monkeypatch, capsys)
    assert report.returncode == 0, report.stderr
    exported = in_process(("export", name, "--jsonl", "rows.jsonl", "--ocel", "log.sqlite"), tmp_path, monkeypatch,
                          capsys)
    assert exported.returncode == 0, exported.stderr
    rows = (tmp_path / "rows.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(rows[-1])["kind"] == "run_ended"
    compared = in_process(("compare", name, "plain", "--json"), tmp_path, monkeypatch, capsys)
    assert compared.returncode == 0, compared.stderr
    assert json.loads(compared.stdout)["inputs"] == []  # the same inputs: both journals were read


def test_a_read_only_connection_never_creates_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "no #such?.sqlite"
    with pytest.raises(Exception, match="unable to open"):
        connect_read_only(missing).execute("SELECT 1")
    assert not missing.exists()
