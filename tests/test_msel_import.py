"""import-msel: an MSEL spreadsheet becomes a scenario file that validates and runs; errors name row and column."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from ballotdrill import application, cli, scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.scenarios.msel import msel_rows, settings_row, write_msel_csv

LIBRARY_PATH = scenarios.library_path()
LIBRARY = scenarios.load_file(LIBRARY_PATH)


def _by_id(sc: scenarios.Scenario) -> dict[str, scenarios.Inject]:
    return dict(zip(sc.inject_ids(), sc.injects, strict=True))


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
def test_show_csv_round_trips_through_import(name: str, tmp_path: Path) -> None:
    """Every library scenario's MSEL, written by show --csv and imported again, gives the same injects."""
    sheet, out = tmp_path / f"{name}.csv", tmp_path / "imported.yaml"
    write_msel_csv(msel_rows(LIBRARY.scenarios[name]), sheet)
    imported = application.import_msel(sheet, LIBRARY_PATH, out)
    again = scenarios.load_file(out)
    kept, whole = again.structure.procedures, LIBRARY.structure.procedures  # less what no inject here can start
    assert sorted([*kept, *imported.dropped]) == sorted(whole) and imported.dropped
    assert all(kept[p].steps == whole[p].steps for p in kept) and again.structure.actors.keys() == \
        LIBRARY.structure.actors.keys()
    [(new_name, scenario)] = again.scenarios.items()
    assert new_name == name and imported.rows == len(LIBRARY.scenarios[name].injects)
    assert _by_id(scenario) == _by_id(LIBRARY.scenarios[name])
    assert not imported.settings and scenario.election is None  # no settings row: the note says what is missing


@pytest.mark.parametrize("name", list(LIBRARY.scenarios))
def test_a_written_msel_reads_back_as_its_scenario_and_plays_the_same_journal(name: str, tmp_path: Path) -> None:
    """show --csv's sheet (its settings row first, the injects as played) imported again is the same exercise: the
    same window, election, roles and objectives, and seed 1 journals the same events."""
    sheet, out = tmp_path / f"{name}.csv", tmp_path / "imported.yaml"
    write_msel_csv(msel_rows(scenarios.as_played(LIBRARY, name).scenarios[name]), sheet,
                   settings_row(name, LIBRARY.scenarios[name]))
    imported = application.import_msel(sheet, LIBRARY_PATH, out, name=name)
    again = scenarios.load_file(out)
    original = LIBRARY.scenarios[name]
    assert imported.settings
    assert again.scenarios[name].model_dump(exclude={"injects"}) == original.model_dump(exclude={"injects"})
    assert run_exercise(again, name, seed=1).events == run_exercise(LIBRARY, name, seed=1).events


def test_an_imported_scenario_runs(tmp_path: Path) -> None:
    sheet, out = tmp_path / "night.csv", tmp_path / "night.yaml"
    write_msel_csv(msel_rows(LIBRARY.scenarios["results-night-ddos"]), sheet)
    application.import_msel(sheet, LIBRARY_PATH, out)
    doc = scenarios.load_file(out)
    events = run_exercise(doc, "night", seed=1).events
    started = {e.incident for e in events if e.kind == "incident_started"}
    assert {"D1", "D2", "N1"} <= started


PLAIN = '''\
Event No,Designated Scenario Time,Event Type,From,To,Inject text,Expected Participant Response,Exercise Objective,Notes
1,08:30,Inject,Belga newsroom,nccn-information-cell,Queues in several municipalities.,Statement with FPS Interior,O2,
,,Expected action,,fps-interior-elections,Supply the facts,,,
2,D+1 09:00,Inject,,fps-interior-elections,"Results questioned: ""rigged""",,,press
3,12:00,inject,SimCell,nccn-monitoring,Still no statement?,,,
'''


def test_a_plain_hseep_sheet_with_other_headers(tmp_path: Path) -> None:
    sheet, out = tmp_path / "plain.csv", tmp_path / "plain.yaml"
    sheet.write_text(PLAIN, encoding="utf-8")
    application.import_msel(sheet, LIBRARY_PATH, out, ["Inject text=message"])
    injects = scenarios.load_file(out).scenarios["plain"].injects
    assert [i.id for i in injects] == ["1", "2", "3"]
    first, second, third = injects
    assert first.message is not None and first.message.to == "nccn-information-cell"
    assert first.message.sender == "Belga newsroom"
    assert first.message.text == "Queues in several municipalities."
    assert first.at == 8 * 60 + 30 and first.notes == "Objective: O2"
    assert first.expected == "Statement with FPS Interior; fps-interior-elections: Supply the facts"
    assert second.at == 24 * 60 + 9 * 60 and second.message is not None
    assert second.message.text == 'Results questioned: "rigged"'
    assert third.message is not None and third.message.sender == ""


def test_contingency_times_are_read(tmp_path: Path) -> None:
    text = ("event number,scenario time,event type,to,message\n"
            "C1,19:00 if D1 is not contained,contingency inject,nccn-monitoring,Still down\n"
            "C2,when N1 reach > 50,contingency inject,nccn-monitoring,Viral\n"
            "C3,when I2 is escalated (provincial),contingency inject,nccn-monitoring,Governor\n")
    sheet = tmp_path / "c.csv"
    sheet.write_text(text, encoding="utf-8")
    with pytest.raises(scenarios.ScenarioError) as info:  # the conditions name incidents this MSEL lacks
        application.import_msel(sheet, LIBRARY_PATH, tmp_path / "c.yaml")
    assert "row 2, column 'scenario time'" in str(info.value) and "'D1'" in str(info.value)
    assert not (tmp_path / "c.yaml").exists()


def _main(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["ballotdrill", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        cli.main()
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    return int(info.value.code or 0), err


BAD = {
    "time": ("1,08:30,Inject", "1,8h30,Inject", "row 2, column 'scenario time': cannot read '8h30' as a time"),
    "actor": ("nccn-information-cell", "nccn-informaton-cell",
              "row 2, column 'to': the message names actor or role 'nccn-informaton-cell', which is not defined"),
    "event type": ("1,08:30,Inject", "1,08:30,Injekt", "row 2, column 'event type': 'injekt' is not an event type"),
    "event number": ("1,08:30,Inject", "1 a,08:30,Inject", "row 2, column 'event number': '1 a' is not a name"),
    "contingency": ("3,12:00,inject", "3,when 1 becomes bad,contingency inject",
                    "row 5, column 'scenario time': cannot read 'when 1 becomes bad' as a contingency"),
    "missing column": ("Designated Scenario Time", "Clock", "row 1: no column for 'scenario time'"),
    "orphan action": ("1,08:30,Inject,Belga", "1,08:30,Expected action,Belga",
                      "row 2, column 'event type': an expected action must follow the inject"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_rows_name_the_row_and_column(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    good, bad, expected = BAD[case]
    assert good in PLAIN
    sheet, out = tmp_path / "bad.csv", tmp_path / "bad.yaml"
    sheet.write_text(PLAIN.replace(good, bad, 1), encoding="utf-8")
    code, err = _main(["import-msel", str(sheet), "--structure", str(LIBRARY_PATH), "--out", str(out),
                       "--map", "Inject text=message"], monkeypatch, capsys)
    assert code == 2 and expected in err, err
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"{sheet}:"), err
    assert not out.exists()


def test_never_overwrites_and_checks_its_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    sheet, out = tmp_path / "plain.csv", tmp_path / "taken.yaml"
    sheet.write_text(PLAIN, encoding="utf-8")
    out.write_text("mine\n", encoding="utf-8")
    base = ["import-msel", str(sheet), "--structure", str(LIBRARY_PATH)]
    code, err = _main([*base, "--out", str(out), "--map", "Inject text=message"], monkeypatch, capsys)
    assert code == 2 and "already exists" in err and out.read_text(encoding="utf-8") == "mine\n"
    fresh = tmp_path / "fresh.yaml"
    for flag, expected in (("Inject text=mesage", "'mesage' is not a field"), ("Inject text", "expected COLUMN=FIELD"),
                           ("Nope=message", "the spreadsheet has no column 'Nope'")):
        code, err = _main([*base, "--out", str(fresh), "--map", flag], monkeypatch, capsys)
        assert code == 2 and expected in err, err
        assert not fresh.exists()


def test_the_written_file_is_what_validate_accepts(tmp_path: Path) -> None:
    sheet, out = tmp_path / "plain.csv", tmp_path / "plain.yaml"
    sheet.write_text(PLAIN, encoding="utf-8")
    application.import_msel(sheet, LIBRARY_PATH, out, ["Inject text=message"])
    with open(sheet, encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 5
    assert scenarios.load_file(out).default_scenario == "plain"


def test_a_quote_guarding_a_formula_is_taken_off(tmp_path: Path) -> None:
    """show --csv (csv_cell) writes a would-be formula as '=...; the import reads the text without the quote."""
    sheet, out = tmp_path / "plain.csv", tmp_path / "plain.yaml"
    sheet.write_text(PLAIN.replace("Queues in several municipalities.", "'-5 % turnout in several municipalities."),
                     encoding="utf-8")
    application.import_msel(sheet, LIBRARY_PATH, out, ["Inject text=message"])
    first = scenarios.load_file(out).scenarios["plain"].injects[0]
    assert first.message is not None and first.message.text == "-5 % turnout in several municipalities."


def test_a_contingency_on_an_incident_that_ended_by_itself_before_a_step_is_read(tmp_path: Path) -> None:
    """'20:30 if D1 is ended before cy-mitigate' in the scenario-time cell: the HSEEP contingency of the default day."""
    incident = ('{""at"": ""18:00"", ""incident"": {""id"": ""D1"", ""type"": ""ddos"", ""duration"": ""20m"", '
                '""owner"": ""fps-interior-ict"", ""severity"": 3}}')
    sheet = tmp_path / "c.csv"
    sheet.write_text("event number,scenario time,event type,to,message,definition\n"
                     f'D1,18:00,inject,fps-interior-elections,DDoS,"{incident}"\n'
                     "C1,20:30 if D1 is ended before cy-mitigate,contingency inject,fps-interior-elections,Again,\n",
                     encoding="utf-8")
    application.import_msel(sheet, LIBRARY_PATH, tmp_path / "c.yaml")
    [scenario] = scenarios.load_file(tmp_path / "c.yaml").scenarios.values()
    when = _by_id(scenario)["C1"].when
    assert when is not None and (when.incident, when.is_, when.before) == ("D1", "ended", "cy-mitigate")


def test_an_oversize_spreadsheet_is_one_located_line(tmp_path: Path) -> None:
    sheet, out = tmp_path / "big.csv", tmp_path / "imported.yaml"
    sheet.write_bytes(b"Time,Event\n" + b"09:00,x\n" * 140_000)
    with pytest.raises(scenarios.ScenarioError) as caught:
        application.import_msel(sheet, LIBRARY_PATH, out)
    assert str(caught.value) == f"{sheet}: the spreadsheet is over 1024 KiB; split it"
    assert not out.exists()


def test_every_bad_row_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A time it cannot read (row 2), an unknown actor (row 4) and an unknown event type (row 5): one attempt names
    all three, in the order of the rows, one line each; the expected action after the refused row 2 is not blamed."""
    text = (PLAIN.replace("1,08:30,Inject", "1,8h30,Inject").replace(",,fps-interior-elections,\"Results",
                                                                     ",,nobody-here,\"Results")
            .replace("3,12:00,inject", "3,12:00,wat"))
    sheet, out = tmp_path / "bad.csv", tmp_path / "bad.yaml"
    sheet.write_text(text, encoding="utf-8")
    code, err = _main(["import-msel", str(sheet), "--structure", str(LIBRARY_PATH), "--out", str(out),
                       "--map", "Inject text=message"], monkeypatch, capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3, err
    assert "row 2, column 'scenario time'" in lines[0] and "'8h30'" in lines[0]
    assert "row 4, column 'to'" in lines[1] and "'nobody-here'" in lines[1]
    assert "row 5, column 'event type'" in lines[2] and "'wat'" in lines[2]
    assert not out.exists()


def test_controls_in_text_are_escaped_in_the_sheet_and_read_back_exactly(tmp_path: Path) -> None:
    """A message holding an ESC sequence and a bidirectional override: the sheet holds neither raw (``cat`` of it
    clears no screen), its text columns show them escaped, and the import gives the same injects."""
    name, scenario = next(iter(LIBRARY.scenarios.items()))
    hostile = "@evil <b>x</b> | a \x1b[2J \u202eevil"
    index, inj = next((n, i) for n, i in enumerate(scenario.injects) if i.message is not None)
    assert inj.message is not None
    injects = list(scenario.injects)
    injects[index] = inj.model_copy(update={"message": inj.message.model_copy(update={"text": hostile})})
    changed = scenario.model_copy(update={"injects": injects})
    sheet, out = tmp_path / f"{name}.csv", tmp_path / "imported.yaml"
    write_msel_csv(msel_rows(changed), sheet)
    raw = sheet.read_text(encoding="utf-8-sig")
    assert not [c for c in raw if (ord(c) < 32 and c not in "\r\n") or 0x7F <= ord(c) <= 0x9F or c == "\u202e"]
    assert "@evil <b>x</b> | a \\x1b[2J \\u202eevil" in raw  # the message column, as a report shows it
    application.import_msel(sheet, LIBRARY_PATH, out)
    [again] = scenarios.load_file(out).scenarios.values()
    assert _by_id(again) == _by_id(changed)


RAW_CONTROLS = "".join(map(chr, [*range(0x7F, 0xA0), 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2069]))


def test_c1_controls_in_a_definition_and_a_pasted_message_are_written_escaped_and_read_back(tmp_path: Path) -> None:
    """A C1 control (a Windows-1252 curly quote read as Latin-1: U+0093), NEL and DEL in text are valid in a scenario
    file, so show --csv's sheet imports again to the same injects, and a pasted sheet's message keeps its text: the
    file written holds each of them, and a bidirectional override, as an escape, never raw (an editor would show
    the override reordering the line; YAML refuses C1 raw)."""
    name, scenario = next(iter(LIBRARY.scenarios.items()))
    odd = "a \x93quoted\x94 call \x85 next \x9b[2J \x7f \u202eevil"
    index, inj = next((n, i) for n, i in enumerate(scenario.injects) if i.message is not None)
    assert inj.message is not None
    injects = list(scenario.injects)
    injects[index] = inj.model_copy(update={"message": inj.message.model_copy(update={"text": odd})})
    changed = scenario.model_copy(update={"injects": injects})
    sheet, out = tmp_path / f"{name}.csv", tmp_path / "imported.yaml"
    write_msel_csv(msel_rows(changed), sheet)
    application.import_msel(sheet, LIBRARY_PATH, out)
    written = out.read_text(encoding="utf-8")
    assert not [c for c in written if c in RAW_CONTROLS]
    [again] = scenarios.load_file(out).scenarios.values()
    assert _by_id(again) == _by_id(changed)
    pasted, out2 = tmp_path / "pasted.csv", tmp_path / "pasted.yaml"
    pasted.write_text("Event number,Scenario time,Event type,From,To,Message\n"
                      f"E1,08:30,inject,SimCell,fps-interior-elections,{odd}\n", encoding="utf-8")
    application.import_msel(pasted, LIBRARY_PATH, out2)
    assert not [c for c in out2.read_text(encoding="utf-8") if c in RAW_CONTROLS]
    [inject] = scenarios.load_file(out2).scenarios["pasted"].injects
    assert inject.message is not None and inject.message.text == odd
