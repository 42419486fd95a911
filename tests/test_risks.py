"""The risk register: its format and located errors, the coverage matrix, the command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotdrill import application, cli, scenarios
from ballotdrill.scenarios.coverage import incident_injects

DATA = Path(__file__).resolve().parent / "data"
SMALL = scenarios.load_file(DATA / "risks-scenarios.yaml")
REGISTER = DATA / "risks-register.yaml"
runner = CliRunner()


def test_coverage_of_a_hand_made_file() -> None:
    """Answers worked out by hand from the two small files."""
    cov = application.coverage(SMALL, REGISTER)
    by_id = {r.risk.id: r for r in cov.risks}
    # R1 (type outage): inject one.A starts 'first', which escalates to provincial and so starts 'provincial';
    # 'severe-only' needs severity 4. O1 measures incident A; O2 measures the on-time share of 'provincial'.
    assert by_id["R1"].injects == ("one.A",) and by_id["R1"].scenarios == ("one",)
    assert by_id["R1"].procedures == ("first", "provincial")
    assert by_id["R1"].objectives == ("one.O1", "one.O2")
    # R2 names an inject and an objective explicitly; the rumour starts nothing.
    assert by_id["R2"].injects == ("two.B",) and by_id["R2"].procedures == () and by_id["R2"].objectives == ("one.O1",)
    # R3's type has a procedure but no inject; R4 is not mapped at all.
    assert [r.risk.id for r in cov.risks if not r.exercised] == ["R3", "R4"]
    assert cov.untriggered_procedures == ("never", "severe-only")
    assert cov.action_only_procedures == ("by-action",)
    assert by_id["R1"].risk.score == 6


def test_an_action_inject_on_the_incident_starts_its_procedure(tmp_path: Path) -> None:
    text = (DATA / "risks-scenarios.yaml").read_text(encoding="utf-8").replace(
        '      - {id: M, at: "09:30", message: {to: desk, text: hello}}',
        '      - {id: M, at: "09:30", action: {actor: desk, name: call, incident: A}}')
    doc = scenarios.load_text(text)
    started = {ref.inject: ref.procedures for ref in incident_injects(doc)}
    assert "by-action" in started["A"]
    assert application.coverage(doc, REGISTER).action_only_procedures == ()


OWNER = "owner (an actor) 'dsek' is not in the scenario file (did you mean 'desk'?)"
TYPE = "incident type 'outgae' is not in the scenario file (did you mean 'outage'?)"
BAD = {
    "likelihood": ("    likelihood: 3\n", "    likelihood: 7\n", "risks.yaml:6:17: 'likelihood' must be <= 5"),
    "owner": ("    owner: desk\n", "    owner: dsek\n", f"risks.yaml:8:12: {OWNER}"),
    "type": ("incident_types: [outage]", "incident_types: [outgae]", f"risks.yaml:9:37: {TYPE}"),
    "objective": ("objectives: [one.O1]", "objectives: [one.O9]",
                  "objective (SCENARIO.OBJECTIVE) 'one.O9' is not in the scenario file"),
    "inject": ("injects: [two.B]", "injects: [two.C]", "inject (SCENARIO.INJECT) 'two.C' is not in the scenario file"),
    "unknown key": ("    threat: Outage\n", "    threat: Outage\n    treat: x\n",
                    "unknown key 'treat' (did you mean 'threat'?)"),
    "duplicate id": ("  - id: R2\n", "  - id: R1\n", "risk id 'R1' is used twice"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_register_is_one_located_line_and_exit_2(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    good, bad, expected = BAD[case]
    text = REGISTER.read_text(encoding="utf-8")
    assert good in text
    path = tmp_path / "risks.yaml"
    path.write_text(text.replace(good, bad, 1), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["ballotdrill", "risks", "--file", str(DATA / "risks-scenarios.yaml"),
                                      "--register", str(path)])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2, (out, err)
    assert out == "" and "Traceback" not in err
    assert expected in err
    assert all(line.startswith(f"{path}:") for line in err.splitlines()), err


def test_the_library_register_fits_the_library_and_the_command_prints_its_matrix() -> None:
    library = scenarios.load_file(scenarios.library_path())
    cov = application.coverage(library)
    result = runner.invoke(cli.app, ["risks", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenarios"] == list(library.scenarios)
    assert data["not_exercised"] == [r.risk.id for r in cov.risks if not r.exercised]
    # A risk is exercised exactly when some library inject has one of its incident types and no other owner
    # (or is named).
    refs = incident_injects(library)
    for row in cov.risks:
        named = bool(row.risk.exercised_by.injects)
        typed = any(ref.type in row.risk.exercised_by.incident_types and ref.owner in (None, row.risk.owner)
                    for ref in refs)
        assert row.exercised == (named or typed), row.risk.id
    # Both DDoS are of type ddos: the incident's owner says which risk each realises.
    by_id = {row.risk.id: row for row in cov.risks}
    assert "combined-hybrid-day.D1" in by_id["R02"].injects and "combined-hybrid-day.D1" not in by_id["R01"].injects
    assert "combined-hybrid-day.D2" in by_id["R01"].injects and "combined-hybrid-day.D2" not in by_id["R02"].injects
    assert "municipal-site-info" in by_id["R02"].procedures and "municipal-site-info" not in by_id["R01"].procedures
    table = runner.invoke(cli.app, ["risks"])
    assert table.exit_code == 0
    for row in cov.risks:
        assert row.risk.id in table.stdout
    assert "Never exercised:" in table.stdout
    # Each control is one whole text: an unquoted comma inside [...] would split "(IMIO, Oct 2024)" in two.
    controls = {r["id"]: r["controls"] for r in data["risks"]}
    assert "Provider's traffic blocking (IMIO, Oct 2024)" in controls["R02"]
    for risk, texts in controls.items():
        for text in texts:
            assert text.count("(") == text.count(")"), (risk, text)


def test_the_report_names_the_risks_the_exercise_covered(tmp_path: Path) -> None:
    library = scenarios.load_file(scenarios.library_path())
    name = "wrong-chip-cards"
    expected = application.risks_for_scenario(library, name)
    assert [r.risk.id for r in expected] == ["R06", "R09"]  # wrong cards; the contingent "stolen votes" claim
    application.run_to_folder(library, name, seed=1, folder=tmp_path / "run")
    text = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    section = text[text.index("## Risks exercised"):]
    for row in expected:
        assert f"| {row.risk.id} | {row.risk.threat} |" in section
    assert "R01" not in section
    # Procedures listed are those this scenario's injects can start (no federal phase for a severity-3 claim).
    assert "ras-alert" not in section and "wrong-card-response" in section
    data = json.loads((tmp_path / "run" / "scores.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data["risks"]] == ["R06", "R09"]
    cards = data["risks"][0]
    assert cards["owner"] == "fps-interior-elections" and "wrong-card-response" in cards["procedures"]
    assert cards["injects"] and cards["injects"] == [k.removeprefix(f"{name}.") for k in expected[0].injects]


def test_a_file_the_register_does_not_fit_gets_no_risk_section(tmp_path: Path) -> None:
    guide = scenarios.load_file(Path(__file__).resolve().parent.parent / "docs" / "examples" / "guide.yaml")
    application.run_to_folder(guide, "results-night", seed=1, folder=tmp_path / "run")
    assert "Risks exercised" not in (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "run" / "scores.json").read_text(encoding="utf-8"))["risks"] is None
