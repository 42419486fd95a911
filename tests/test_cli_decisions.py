"""``ballotdrill decisions``: the decision points of a scenario or a run, and a template to replay edited.

The hand-made file has one decision step that loops back to itself (so it can ask again), a
procedure triggered at the provincial level (only if escalated), one triggered by an action a
player takes, and a background inject whose arrivals are named ``B1-<n>``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import decision_points, load_run

runner = CliRunner()

FILE = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        watch: {staff: 1, actions: [call-governor]}
        chief: {staff: 1}
        governor: {staff: 1}
      procedures:
        assess:
          trigger: {type: rumour}
          steps:
            - {id: look, actor: watch, duration: {dist: fixed, value: 5m}}
            - id: decide
              actor: chief
              duration: {dist: fixed, value: 5m}
              decision:
                options: {act: {next: publish}, wait: {next: look}}
                default: act
            - {id: publish, actor: chief, duration: {dist: fixed, value: 5m}, effect: {contain: 1.0}}
        provincial:
          trigger: {level: provincial}
          steps:
            - id: convene
              actor: governor
              decision: {options: {yes: {next: end}, no: {next: end}}, default: yes}
        governor-call:
          trigger: {action: call-governor}
          steps:
            - id: brief
              actor: governor
              decision: {options: {brief: {next: end}, skip: {next: end}}, default: skip}
    scenarios:
      drill:
        title: Decisions drill
        start: "08:00"
        end: "10:00"
        injects:
          - {at: "08:10", incident: {id: R1, type: rumour, severity: 2}}
          - {id: B1, every: {dist: fixed, value: 40m}, incident: {type: rumour, severity: 1}}
    """)


def _bd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ballotdrill", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_scenario_lists_the_keys_that_can_occur(tmp_path: Path) -> None:
    (tmp_path / "drill.yaml").write_text(FILE, encoding="utf-8")
    found = decision_points("drill", tmp_path / "drill.yaml")
    rows = {p.key: (p.actor, p.options, p.default, p.when, p.repeats) for p in found.points}
    assert rows["R1:assess:decide:1"] == ("chief", ("act", "wait"), "act",
                                          "on detection (type rumour, severity 2)", True)
    assert rows["R1:provincial:convene:1"][3] == "if escalated to the provincial level"
    assert rows["R1:governor-call:brief:1"][3] == "when action 'call-governor' is taken (by a player)"
    assert "B1-<n>:assess:decide:1" in rows
    assert found.template() == {"R1:assess:decide:1": "act", "R1:provincial:convene:1": "yes",
                                "R1:governor-call:brief:1": "skip"}
    result = _bd("decisions", "drill", "--file", "drill.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "R1:assess:decide:1" in result.stdout and "asks again" in result.stdout


def test_a_template_replays_with_the_edited_choice_and_a_run_lists_what_was_chosen(tmp_path: Path) -> None:
    (tmp_path / "drill.yaml").write_text(FILE, encoding="utf-8")
    result = _bd("decisions", "drill", "--file", "drill.yaml", "--template", "choices.json", cwd=tmp_path)
    assert result.returncode == 0 and "wrote 3 decision(s) to choices.json" in result.stderr
    choices = json.loads((tmp_path / "choices.json").read_text(encoding="utf-8"))
    choices["R1:assess:decide:1"] = "wait"  # look again once: the step asks a second time, then the default
    (tmp_path / "choices.json").write_text(json.dumps(choices), encoding="utf-8")
    ran = _bd("run", "drill", "--file", "drill.yaml", "--decisions", "choices.json", "--out", "run", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    asked = decision_points(str(tmp_path / "run"))
    assert asked.source == "run" and asked.scenario == "drill"
    r1 = [(p.key, p.chosen, p.by, p.at) for p in asked.points if p.incident == "R1"]
    # look 08:10-08:15, decide 08:15-08:20 (asked when its work is done), look again, decide again at 08:30
    assert r1 == [("R1:assess:decide:1", "wait", "recorded", "08:20"),
                  ("R1:assess:decide:2", "act", "default", "08:30")]
    listed = runner.invoke(cli.app, ["decisions", str(tmp_path / "run"), "--json"])
    data = json.loads(listed.stdout)
    assert data["source"] == "run" and [p["key"] for p in data["points"]][:2] == [k for k, *_ in r1]
    again = _bd("decisions", "run", "--template", "replay.json", cwd=tmp_path)
    assert again.returncode == 0
    replay = json.loads((tmp_path / "replay.json").read_text(encoding="utf-8"))
    assert replay["R1:assess:decide:1"] == "wait" and replay["R1:assess:decide:2"] == "act"
    assert json.loads(load_run(tmp_path / "run").meta["decisions"]) == choices


def test_a_template_never_overwrites_and_a_missing_target_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "drill.yaml").write_text(FILE, encoding="utf-8")
    (tmp_path / "keep.json").write_text("mine", encoding="utf-8")
    result = _bd("decisions", "drill", "--file", "drill.yaml", "--template", "keep.json", cwd=tmp_path)
    assert result.returncode == 2 and (tmp_path / "keep.json").read_text(encoding="utf-8") == "mine"
    assert result.stderr.strip() == ("keep.json already exists; choose a new --template file (a template never "
                                     "overwrites a file)")
    missing = _bd("decisions", "runs/nothing-here", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "runs/nothing-here: no run folder there (give a run folder or a scenario name)"
    unknown = _bd("decisions", "drll", "--file", "drill.yaml", cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'drill'" in unknown.stderr
