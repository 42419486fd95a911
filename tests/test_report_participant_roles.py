"""The participants table's Role column names the structure's role each actor played in the run, read from the
journal alone (the stored file has its roles resolved away; the run's meta keeps the cast).

The example ``docs/examples/roles.yaml``: FPS Interior (``interior``) plays ``organiser`` by default; the local
scenario gives it to the region (``region``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import run_to_folder
from ballotdrill.journal import JOURNAL_FILE
from ballotdrill.live.rebuild import start_live
from ballotdrill.scenarios import as_played, load_file
from ballotdrill.scenarios.roles import cast_in, cast_meta

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "roles.yaml"


def _row(report_md: str, key: str) -> str:
    return next(line for line in report_md.splitlines() if f"| `{key}` |" in line)


@pytest.mark.parametrize(("scenario", "organiser", "other"),
                         [("federal-election", "interior", "region"), ("local-election", "region", "interior")])
def test_the_participants_table_names_the_role_each_actor_played(tmp_path: Path, scenario: str, organiser: str,
                                                                  other: str) -> None:
    folder = tmp_path / scenario
    outcome = run_to_folder(load_file(EXAMPLE), scenario, seed=1, folder=folder)
    played = {p.key: p.roles for p in outcome.report.overview.participants}
    assert played[organiser] == ["organiser"] and played[other] == [] and played["monitoring"] == []
    with sqlite3.connect(folder / JOURNAL_FILE) as db:
        cast = json.loads(db.execute("SELECT value FROM meta WHERE key = 'cast'").fetchone()[0])
    assert cast == {"organiser": organiser}
    (folder / "report.md").unlink()
    rebuilt = CliRunner().invoke(cli.app, ["report", str(folder), "--format", "md"])  # from the journal alone
    assert rebuilt.exit_code == 0, rebuilt.output
    report_md = (folder / "report.md").read_text(encoding="utf-8")
    assert "organiser (structure role)" in _row(report_md, organiser)
    assert "organiser" not in _row(report_md, other)


def test_a_live_journal_keeps_the_cast(tmp_path: Path) -> None:
    core = start_live(tmp_path / "live", load_file(EXAMPLE), "local-election", seed=1, played=("organiser",),
                      speed=60.0)
    core.store.close()
    with sqlite3.connect(tmp_path / "live" / JOURNAL_FILE) as db:
        assert json.loads(db.execute("SELECT value FROM meta WHERE key = 'cast'").fetchone()[0]) == {
            "organiser": "region"}


def test_a_file_without_roles_keeps_no_cast_and_a_bad_one_reads_as_none() -> None:
    doc = load_file(EXAMPLE)
    assert cast_meta(doc, "local-election") == {"cast": '{"organiser": "region"}'}
    assert cast_meta(as_played(doc, "local-election"), "local-election") == {}  # resolved: no roles left
    assert cast_in({}) == {} and cast_in({"cast": "not json"}) == {} and cast_in({"cast": "[1]"}) == {}
