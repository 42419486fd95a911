"""`show --csv` writes the MSEL as a spreadsheet in the HSEEP template's columns."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from ballotdrill import scenarios
from ballotdrill.scenarios.msel import MSEL_COLUMNS


def ballotdrill(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args], capture_output=True, text=True,
                          env={"NO_COLOR": "1", "PATH": ""}, cwd=Path(__file__).resolve().parent.parent)


def test_show_writes_every_inject_as_an_msel_row(tmp_path: Path) -> None:
    doc = scenarios.load_file(scenarios.library_path())
    name = "results-night-ddos"
    out = tmp_path / "msel.csv"
    result = ballotdrill("show", name, "--csv", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == MSEL_COLUMNS
    assert rows[1][:3] == [name, "14:00-D+1 01:00", "scenario settings"]
    body = rows[2:]
    assert sorted(r[0] for r in body) == sorted(doc.scenarios[name].inject_ids())
    messages = [inj.message for inj in doc.scenarios[name].injects if inj.message is not None]
    for message in messages:
        row = next(r for r in body if r[5] == f"message: {message.text}")
        assert row[4] == message.to and row[3] == (message.sender or "SimCell")
    assert {r[2] for r in body} <= {"inject", "inject (repeating)", "contingency inject"}


def test_an_unwritable_msel_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = ballotdrill("show", "--csv", str(tmp_path / "missing" / "msel.csv"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("msel.csv: no folder "
                                          f"'{tmp_path / 'missing'}' to write it in; create the folder first, or give "
                                          "another path")
    assert "Traceback" not in result.stderr


def test_a_background_line_reads_as_it_is_played_its_profile_factor_and_limit() -> None:
    from engine_helpers import file_of, load

    from ballotdrill.scenarios.msel import msel_rows

    data = file_of({"desk": {"staff": 1}}, {}, [
        {"id": "C", "every": "10m", "limit": 174, "incident": {"type": "call"},
         "profile": [{"from": "08:00", "to": "09:00", "factor": 3}, {"from": "12:00", "to": "13:30", "factor": 0.5}]}])
    doc = load(data)
    assert msel_rows(doc.scenarios["s"])[0].event.startswith(
        "every ~10m, ×3 08:00-09:00, ×0.5 12:00-13:30, at most 174: call")
    doubled = load(data, ["scenarios.s.background_factor=4"])  # the scenario-wide load dial divides every gap
    assert msel_rows(doubled.scenarios["s"])[0].event.startswith("every ~150s, ×3")


def test_a_run_of_one_library_scenario_with_the_whole_structure_sums_up_the_procedures_it_cannot_start(
        tmp_path: Path) -> None:
    """The library's structure with one of its scenarios (written by hand, not by import-msel, which leaves out
    what cannot start): validate tells each, run sums them up in one line."""
    import yaml

    data = yaml.safe_load(scenarios.library_path().read_text(encoding="utf-8"))
    data["scenarios"] = {"results-night-ddos": data["scenarios"]["results-night-ddos"]}
    data["default"] = "results-night-ddos"
    whole = tmp_path / "whole.yaml"
    whole.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    validated = ballotdrill("validate", str(whole))
    each = [line for line in validated.stdout.splitlines() + validated.stderr.splitlines() if "warning:" in line]
    dead_types = {line.split("by type '")[1].split("'")[0] for line in each
                  if "which no incident in this file has (incident types" in line}
    never = [line.split("procedure '")[1].split("'")[0] for line in each if "never starts:" in line]
    ran = ballotdrill("run", "--file", str(whole), "--seed", "1", "--out", str(tmp_path / "run"))
    assert ran.returncode == 0, ran.stderr
    warnings = [line for line in ran.stderr.splitlines() if "warning:" in line]
    summed = [line for line in warnings if "procedures of the structure have a trigger no incident" in line]
    assert len(summed) == 1 and len(dead_types) >= 4 and len(warnings) < len(each) // 4, warnings
    for kind in dead_types:  # every type no incident has, named once in the one line
        assert summed[0].count(kind) >= 1, kind
    for name in never:  # and why each that can never start does not
        assert f"'{name}' never starts: " in summed[0], name
    assert "did you mean" not in summed[0]  # a possible typo keeps its own line


def test_the_readme_round_trip_of_every_library_scenario_validates_strictly(
        tmp_path: Path) -> None:
    """show --csv, then import-msel against the library's structure: the file leaves out the procedures its
    injects cannot start (the wrote line says how many) and validates with --strict (test_msel_import plays each
    as the library's run)."""
    from ballotdrill.scenarios import check_file

    library = scenarios.load_file(scenarios.library_path())
    for name in library.scenarios:
        sheet, imported = tmp_path / f"{name}.csv", tmp_path / f"{name}.yaml"
        assert ballotdrill("show", name, "--csv", str(sheet)).returncode == 0
        wrote = ballotdrill("import-msel", str(sheet), "--structure", "scenarios.yaml", "--out", str(imported))
        assert wrote.returncode == 0, wrote.stderr
        left_out = (len(library.structure.procedures) - len(scenarios.load_file(imported).structure.procedures))
        assert f"({left_out} procedures of the structure left out: no inject here can start them)" in wrote.stderr
        assert check_file(imported).warnings == [], (name, check_file(imported).warnings)
    strict = ballotdrill("validate", "--strict", str(imported))
    assert strict.returncode == 0 and strict.stderr.strip() == f"ok {imported} (1 scenario)", strict.stderr


def test_show_csv_then_import_msel_runs_as_the_library_scenario(tmp_path: Path) -> None:
    """The round trip a facilitator makes: the imported scenario keeps the election, so its harm is the library's."""
    sheet, imported = tmp_path / "msel.csv", tmp_path / "imported.yaml"
    assert ballotdrill("show", "results-night-ddos", "--csv", str(sheet)).returncode == 0
    result = ballotdrill("import-msel", str(sheet), "--structure", "scenarios.yaml", "--out", str(imported))
    assert result.returncode == 0 and "note:" not in result.stderr, result.stderr
    runs = [ballotdrill("run", *where, "--seed", "1", "--out", str(tmp_path / f"r{i}"))
            for i, where in enumerate((["results-night-ddos"], ["--file", str(imported)]))]
    harm = [next(line for line in (r.stdout + r.stderr).splitlines() if "harm:" in line) for r in runs]
    assert harm[0] == harm[1] and "station-minutes disrupted" in harm[0]
    assert "vh-decide" not in runs[1].stderr and "earliest close" not in runs[1].stderr, runs[1].stderr


def test_a_sheet_without_settings_says_in_one_line_what_the_scenario_lacks(tmp_path: Path) -> None:
    sheet, imported = tmp_path / "plain.csv", tmp_path / "plain.yaml"
    sheet.write_text("Time,Event Type,To,Message\n08:30,Inject,nccn-monitoring,Queues outside\n", encoding="utf-8")
    result = ballotdrill("import-msel", str(sheet), "--structure", "scenarios.yaml", "--out", str(imported))
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert "no scenario settings row" in note and "no election" in note and "no objectives" in note
