"""An export of several files checks every target before the first pass: one refused target refuses the command
with one line, exit 2, and nothing written; an OCEL log named for OCEL's XML form is refused, and the JSON form's
line says it is JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import one_line
from format_helpers import one_desk, run_cli

SMALL = one_desk("small", "Small", ['{at: "09:00", incident: {id: X1, type: outage}}'])


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """small.yaml and a finished run of it in ``run``."""
    work = tmp_path_factory.mktemp("export-targets")
    (work / "small.yaml").write_text(SMALL, encoding="utf-8")
    done = run_cli("run", "--file", "small.yaml", "--out", "run", cwd=work)
    assert done.returncode == 0, done.stderr
    return work


def _files(work: Path) -> list[str]:
    return sorted(p.name for p in work.iterdir())


def test_a_later_target_that_exists_refuses_before_any_file_is_written(work: Path) -> None:
    (work / "taken.csv").write_text("mine\n", encoding="utf-8")
    before = _files(work)
    one_line(run_cli("export", "run", "--jsonl", "new.jsonl", "--ocel", "log.json", "--csv", "taken.csv", cwd=work),
             "taken.csv already exists; ballotdrill does not overwrite it")
    assert _files(work) == before and (work / "taken.csv").read_text(encoding="utf-8") == "mine\n"


def test_a_later_target_without_its_folder_refuses_before_any_file_is_written(work: Path) -> None:
    before = _files(work)
    one_line(run_cli("export", "run", "--jsonl", "new.jsonl", "--ocel", "log.json", "--csv", "nowhere/x.csv",
                     cwd=work), "nowhere/x.csv: no folder 'nowhere' to write it in")
    assert _files(work) == before
    # the same command with the path fixed writes every file (none was left behind to refuse it)
    fixed = run_cli("export", "run", "--jsonl", "new.jsonl", "--ocel", "log.json", "--csv", "x.csv", cwd=work)
    assert fixed.returncode == 0, fixed.stderr
    assert {"new.jsonl", "log.json", "x.csv"} <= set(_files(work))
    assert "wrote an OCEL 2.0 JSON log of " in fixed.stderr


@pytest.mark.parametrize("name", ["log.xml", "log.XMLOCEL"])
def test_an_ocel_log_named_for_the_xml_form_is_refused(work: Path, name: str) -> None:
    before = _files(work)
    line = one_line(run_cli("export", "run", "--jsonl", "first.jsonl", "--ocel", name, cwd=work),
                    f"{name}: OCEL 2.0's XML form is not written")
    assert line.endswith("name the file log.json for its JSON form or log.sqlite for its SQLite form")
    assert _files(work) == before


@pytest.mark.parametrize(("flag", "example"), [("--csv", "export.csv"), ("--jsonl", "export.jsonl"),
                                               ("--ocel", "export.json")])
def test_a_run_file_refused_as_a_target_suggests_a_name_of_the_format(work: Path, flag: str, example: str) -> None:
    line = one_line(run_cli("export", "run", flag, "run/report.html", cwd=work),
                    "run/report.html is the run's after-action report")
    assert line.endswith(f"(e.g. {Path('run') / example})")
