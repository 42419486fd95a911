"""Roles: one structure, scenarios that give a role (the election's organiser) to different actors.

The example ``docs/examples/roles.yaml`` has one procedure whose last three steps name the role
``organiser``: FPS Interior plays it by default, the local scenario gives it to the region. With
fixed durations the right answers are known: each of those steps is done (and its decision asked)
by the scenario's organiser, and by no one else.
"""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import load_run, run_to_folder
from ballotdrill.exercise import run_exercise
from ballotdrill.journal import JOURNAL_FILE
from ballotdrill.live.core import LiveCore
from ballotdrill.live.rebuild import start_live
from ballotdrill.live.store import MemoryStore
from ballotdrill.scenarios import ScenarioError, ScenarioFile, as_played, library_path, load_file, load_text
from ballotdrill.scenarios.loader import check_document
from ballotdrill.scenarios.yamlread import parse, read_file
from ballotdrill.sweep.plan import build_points

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "roles.yaml"
ORGANISER_STEPS = ("alert-organiser", "choose-answer", "publish-facts")
runner = CliRunner()


def example() -> ScenarioFile:
    return load_file(EXAMPLE)


def _actors_of(rows: list[tuple[str, str | None, str | None]]) -> dict[str, set[str]]:
    """Step id -> the actors journalled starting, completing or being asked at it."""
    found: dict[str, set[str]] = {}
    for kind, actor, step in rows:
        if step is not None and actor is not None and kind in ("step_started", "step_completed",
                                                                "decision_requested", "handoff_received"):
            found.setdefault(step, set()).add(actor)
    return found


@pytest.mark.parametrize(("scenario", "organiser"), [("federal-election", "interior"), ("local-election", "region")])
def test_each_scenario_s_organiser_does_the_role_s_steps(scenario: str, organiser: str) -> None:
    events = run_exercise(example(), scenario, seed=1).events
    by_step = _actors_of([(e.kind, e.actor, e.step) for e in events])
    assert by_step["assess"] == {"monitoring"}
    for step in ORGANISER_STEPS:
        assert by_step[step] == {organiser}, step
    sent = [e.data["to"] for e in events if e.kind == "handoff_sent"]
    assert sent == [organiser]  # the monitoring cell alerts the scenario's organiser, once
    assert not {e.actor for e in events} & {"organiser"}  # the role never reaches the journal


def test_a_run_folder_stores_the_file_as_its_scenario_played_it(tmp_path: Path) -> None:
    outcome = run_to_folder(example(), "local-election", seed=1, folder=tmp_path / "local")
    assert outcome.report.scores.objectives[0].rating == "P"
    with sqlite3.connect(tmp_path / "local" / JOURNAL_FILE) as db:
        stored = json.loads(db.execute("SELECT value FROM meta WHERE key = 'document'").fetchone()[0])
        rows = db.execute("SELECT kind, actor, step FROM events").fetchall()
    steps = stored["structure"]["procedures"]["false-claim"]["steps"]
    assert [s["actor"] for s in steps] == ["monitoring", "region", "region", "region"]
    assert "roles" not in stored["structure"] and all("roles" not in s for s in stored["scenarios"].values())
    assert _actors_of(rows)["publish-facts"] == {"region"}
    # The report is rebuilt from the journal alone: the same structure, the same report.
    report_md = (tmp_path / "local" / "report.md").read_text(encoding="utf-8")
    assert load_run(tmp_path / "local").doc.structure.procedures["false-claim"].steps[1].actor == "region"
    rebuilt = runner.invoke(cli.app, ["report", str(tmp_path / "local"), "--format", "md"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (tmp_path / "local" / "report.md").read_text(encoding="utf-8") == report_md
    assert "monitoring cell → Regional elections administration" in report_md
    assert "→ FPS Interior" not in report_md


@pytest.mark.parametrize(("scenario", "organiser", "other"),
                         [("federal-election", "interior", "region"), ("local-election", "region", "interior")])
def test_a_live_player_of_the_assigned_actor_is_asked(scenario: str, organiser: str, other: str) -> None:
    core = LiveCore(example(), scenario, seed=1, played=(organiser, other), store=MemoryStore())
    core.advance(2 * 60 + 30)  # 10:30: assessed (15 min) and alerted (10 min); the decision is waiting
    asked = core.open_requests(organiser)
    assert [(r.step, r.actor) for r in asked] == [("choose-answer", organiser)]
    assert core.open_requests(other) == []


def test_live_play_of_a_role_plays_the_actor_the_scenario_gives_it(tmp_path: Path) -> None:
    core = start_live(tmp_path / "live", example(), "local-election", seed=1, played=("organiser", "monitoring"),
                      speed=60.0)
    assert core.played == ("region", "monitoring")
    core.advance(2 * 60 + 30)
    assert [r.step for r in core.open_requests("region")] == ["choose-answer"]
    core.store.close()


def test_without_roles_a_file_is_its_own_played_file_and_stores_as_before() -> None:
    doc = load_file(ROOT / "docs" / "examples" / "handoff.yaml")
    assert as_played(doc, next(iter(doc.scenarios))) is doc
    assert '"roles"' not in doc.model_dump_json(by_alias=True)  # journals made before roles read as they did
    resolved = as_played(example(), "local-election")
    assert as_played(resolved, "local-election") is resolved  # resolving twice changes nothing
    # A procedure owned by a role is answered for by the organisation of the actor playing it.
    assert resolved.structure.procedures["false-claim"].owner == "Regional elections administration"
    assert as_played(example(), "federal-election").structure.procedures["false-claim"].owner == \
        "FPS Interior elections service"
    assert as_played(example(), "local-election").structure == resolved.structure


def test_show_decisions_and_sweep_points_see_the_scenario_s_organiser() -> None:
    shown = runner.invoke(cli.app, ["show", "local-election", "--file", str(EXAMPLE), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["roles"] == {"organiser": "region"}
    steps = data["structure"]["procedures"]["false-claim"]["steps"]
    assert [s["actor"] for s in steps] == ["monitoring", "region", "region", "region"]
    plain = runner.invoke(cli.app, ["show", "federal-election", "--file", str(EXAMPLE)])
    assert "Roles in this scenario: organiser = interior" in plain.output
    asked = runner.invoke(cli.app, ["decisions", "local-election", "--file", str(EXAMPLE), "--json"])
    assert asked.exit_code == 0, asked.output
    assert "region" in asked.stdout and "interior" not in asked.stdout
    _, points = build_points(read_file(str(EXAMPLE)), "local-election", [], [], [])
    assert {s.actor for s in points[0].doc.structure.procedures["false-claim"].steps} == {"monitoring", "region"}


# --- located errors ----------------------------------------------------------------------------------------------

FILE = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        interior: {staff: 2, posts: [spokesperson]}
        region: {staff: 1}
      roles:
        organiser: interior
      procedures:
        p:
          trigger: {type: claim}
          steps:
            - {id: alert, actor: organiser}
    scenarios:
      federal:
        title: F
        start: "08:00"
        end: "12:00"
      local:
        title: L
        start: "08:00"
        end: "12:00"
        roles: {organiser: region}
    """
)
"""Line 7 is the role's default, line 12 the step, line 22 the local scenario's choice."""


def _problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "roles.yaml")
    return [(p.line, p.message) for p in caught.value.problems]


def test_the_error_file_is_valid_as_written() -> None:
    doc = load_text(FILE, "roles.yaml")
    assert as_played(doc, "local").structure.procedures["p"].steps[0].actor == "region"
    assert as_played(doc, "federal").structure.procedures["p"].steps[0].actor == "interior"


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("organiser: interior", "region: interior", 7, "role 'region' has the name of an actor"),
    ("organiser: interior", "owner: interior", 7, "'owner' is reserved"),
    ("organiser: interior", "organiser: interor", 7,
     "role 'organiser' is played by default by 'interor', which is not a defined actor (did you mean 'interior'?)"),
    ("actor: organiser}", "actor: organizer}", 12,
     "step 'alert' names actor or role 'organizer', which is not defined (did you mean 'organiser'?)"),
    ("roles: {organiser: region}", "roles: {organizer: region}", 22,
     "scenario 'local' gives out role 'organizer', which the structure does not define (did you mean 'organiser'?)"),
    ("roles: {organiser: region}", "roles: {organiser: regoin}", 22,
     "scenario 'local' gives role 'organiser' to 'regoin', which is not a defined actor (did you mean 'region'?)"),
    ("actor: organiser}", "actor: organiser, post: spokesperson}", 12,
     "step 'alert' names post 'spokesperson', which is not defined (role 'organiser' is played by 'region' in "
     "scenario 'local'); list it under actor 'region''s 'posts'"),
    ("actor: organiser}", "actor: organiser, staff: 2}", 12,
     "step 'alert' needs 2 staff but actor 'region' (role 'organiser' is played by 'region' in scenario 'local') "
     "never has more than 1 on duty"),
])
def test_each_roles_problem_is_located_and_says_how_to_fix_it(old: str, new: str, line: int, words: str) -> None:
    found = _problems(FILE.replace(old, new, 1))
    assert any(at == line and words in message for at, message in found), found


def test_a_scenario_cannot_give_out_roles_the_structure_lacks() -> None:
    text = FILE.replace("  roles:\n    organiser: interior\n", "").replace("actor: organiser}", "actor: interior}")
    found = _problems(text)
    assert found == [(20, "scenario 'local' gives out role 'organiser', but the structure defines no roles; define "
                          "it under the structure's 'roles' with the actor that plays it by default")]


def test_validate_says_where_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FILE.replace("roles: {organiser: region}", "roles: {organiser: regoin}"), encoding="utf-8")
    result = runner.invoke(cli.app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:22:" in result.output and "did you mean 'region'?" in result.output


# --- the library -------------------------------------------------------------------------------------------------

DAY_ITSELF = ("disinfo-response", "deepfake-response", "ransomware-response", "equipment-fallback",
              "polling-logistics", "counting-error-response", "wrong-card-response", "power-cut-response",
              "voting-hours-extension")


def test_the_library_gives_the_organiser_role_to_whoever_organises_each_scenario_s_election() -> None:
    lib = load_file(library_path())
    assert lib.structure.roles == {"organiser": "fps-interior-elections"}
    for name in DAY_ITSELF:
        assert "organiser" in {s.actor for s in lib.structure.procedures[name].steps}, name
    for name, scenario in lib.scenarios.items():
        assert scenario.election is not None, name
        local = any(word in scenario.election.type for word in ("local", "provincial"))
        expected = "regional-elections-administration" if local else "fps-interior-elections"
        steps = as_played(lib, name).structure.procedures["disinfo-response"].steps
        assert {s.actor for s in steps if s.id in ("dis-alert-interior", "dis-choose-response")} == {expected}, name


def test_in_the_local_election_the_region_is_alerted_not_fps_interior() -> None:
    lib = load_file(library_path())
    events = run_exercise(lib, "recount-and-annulment", seed=1).events
    alerted = {e.data["to"] for e in events if e.kind == "handoff_sent" and e.step == "dis-alert-interior"}
    assert alerted == {"regional-elections-administration"}
    assert not [e for e in events if e.actor == "fps-interior-elections" and e.kind != "staff_changed"]


def test_a_name_both_an_actor_and_a_role_is_listed_once_among_the_defined() -> None:
    text = FILE.replace("organiser: interior", "region: interior", 1).replace("actor: organiser}", "actor: zzz}", 1)
    found = _problems(text)
    assert (12, "step 'alert' names actor or role 'zzz', which is not defined (defined: interior, region)") in found


# --- roles outside steps -----------------------------------------------------------------------------------------
# In the example the morning's warning (M0) is a message to the organiser, the hardening of the results site (A0)
# the organiser's action, and the defaced results site (W1) the organiser's incident, detected by the organiser
# 10 minutes after it starts (11:00), and restored by its owner in 20 minutes by a procedure triggered only for
# the organiser's incidents. With fixed durations: detected at 11:10, restored at 11:30, by the scenario's
# organiser.

@pytest.mark.parametrize(("scenario", "organiser", "other"),
                         [("federal-election", "interior", "region"), ("local-election", "region", "interior")])
def test_a_message_action_detection_and_owner_naming_the_role_go_to_the_scenario_s_organiser(
        scenario: str, organiser: str, other: str) -> None:
    events = run_exercise(example(), scenario, seed=1).events
    rows = [(e.t, e.kind, e.actor, e.step) for e in events if e.incident in (None, "W1")
            and e.kind in ("inject_delivered", "action_taken", "mitigated", "detected", "step_completed",
                           "incident_started", "contained")]
    assert (30.0, "inject_delivered", organiser, None) in rows  # M0 at 08:30, to the organiser
    assert (45.0, "action_taken", organiser, None) in rows  # A0 at 08:45, by the organiser
    assert (180.0, "mitigated", organiser, None) in rows  # the organiser's action mitigates W1
    assert (190.0, "detected", organiser, None) in rows  # 11:00 + 10 min, by the organiser
    assert (210.0, "step_completed", organiser, "restore-site") in rows  # the owner restores it: 11:30
    assert (210.0, "contained", organiser, None) in rows
    started = next(e for e in events if e.kind == "incident_started" and e.incident == "W1")
    assert started.data["owner"] == organiser
    assert not {e.actor for e in events if e.kind != "staff_changed"} & {"organiser", other}


def test_the_played_file_names_actors_where_the_author_named_the_role() -> None:
    played = as_played(example(), "local-election")
    injects = {i.id: i for i in played.scenarios["local-election"].injects}
    assert injects["M0"].message is not None and injects["M0"].message.to == "region"
    assert injects["A0"].action is not None and injects["A0"].action.actor == "region"
    assert injects["W1"].detected_by is not None and injects["W1"].detected_by.actor == "region"
    assert injects["W1"].incident is not None and injects["W1"].incident.owner == "region"
    assert played.structure.procedures["site-restore"].trigger.owner == "region"
    federal = as_played(example(), "federal-election").structure.procedures["site-restore"].trigger.owner
    assert federal == "interior"
    shown = runner.invoke(cli.app, ["show", "local-election", "--file", str(EXAMPLE), "--json"])
    msel = {row["id"]: row for row in json.loads(shown.stdout)["msel"]}
    assert msel["M0"]["to"] == "region" and msel["W1"]["to"] == "region"


def test_a_structure_variant_moving_the_role_moves_everything_that_names_it(tmp_path: Path) -> None:
    """A what-if that gives the organiser's work to a new actor (a split-off cyber desk at the ministry) changes
    only the structure; the scenario's message, action, detection and incident naming the role follow it."""
    from ballotdrill.sweep.plan import read_variant

    path = tmp_path / "cyber-desk.yaml"
    path.write_text("set:\n"
                    "  structure.actors.interior-cyber: {name: Interior cyber desk, staff: 1, actions: [harden-site]}\n"
                    "  structure.roles.organiser: interior-cyber\n", encoding="utf-8")
    _, points = build_points(read_file(str(EXAMPLE)), "federal-election", [], [], [read_variant(path)])
    moved = points[1].doc
    injects = {i.id: i for i in moved.scenarios["federal-election"].injects}
    assert injects["M0"].message is not None and injects["M0"].message.to == "interior-cyber"
    assert injects["W1"].incident is not None and injects["W1"].incident.owner == "interior-cyber"
    events = run_exercise(moved, "federal-election", seed=1).events
    assert {e.actor for e in events if e.incident == "W1" and e.kind in ("detected", "step_completed")} == \
        {"interior-cyber"}
    assert {e.actor for e in events if e.kind in ("inject_delivered", "action_taken") and e.actor} == \
        {"interior-cyber"}


OUTSIDE = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        interior: {staff: 2, actions: [harden]}
        region: {staff: 1, actions: [harden]}
      roles:
        organiser: interior
      procedures:
        p:
          trigger: {type: defacement, owner: organiser}
          steps:
            - {id: restore, actor: owner}
    scenarios:
      local:
        title: L
        start: "08:00"
        end: "12:00"
        roles: {organiser: region}
        injects:
          - {at: "08:30", message: {to: organiser, text: warning}}
          - {at: "08:40", action: {actor: organiser, name: harden}}
          - at: "09:00"
            detected_by: {actor: organiser}
            incident: {type: defacement, owner: organiser}
    """
)
"""Line 10 the trigger, 20 the message, 21 the action, 23 the detection, 24 the incident."""


def test_the_outside_file_is_valid_as_written() -> None:
    doc = load_text(OUTSIDE, "roles.yaml")
    assert as_played(doc, "local").structure.procedures["p"].trigger.owner == "region"


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("to: organiser", "to: organizer", 20,
     "the message names actor or role 'organizer', which is not defined (did you mean 'organiser'?)"),
    ("actor: organiser, name", "actor: organizer, name", 21,
     "the action names actor or role 'organizer', which is not defined (did you mean 'organiser'?)"),
    ("detected_by: {actor: organiser}", "detected_by: {actor: organizer}", 23,
     "'detected_by' names actor or role 'organizer', which is not defined (did you mean 'organiser'?)"),
    ("incident: {type: defacement, owner: organiser}", "incident: {type: defacement, owner: organizer}", 24,
     "the incident's owner 'organizer' is not a defined actor or role (did you mean 'organiser'?)"),
    ("owner: organiser}\n      steps", "owner: organizer}\n      steps", 10,
     "procedure 'p' is triggered for incidents owned by 'organizer', which is not a defined actor or role "
     "(did you mean 'organiser'?)"),
    ("region: {staff: 1, actions: [harden]}", "region: {staff: 1}", 21,
     "actor 'region' (role 'organiser' is played by 'region' in scenario 'local') names action 'harden', which is "
     "not defined; list it under actor 'region''s 'actions'"),
    ("- {id: restore, actor: owner}", "- {id: restore, actor: owner, staff: 2}", 24,
     "owner 'region' (role 'organiser' is played by 'region' in scenario 'local') never has more than 1 on duty"),
])
def test_a_role_outside_steps_is_checked_where_it_is_named(old: str, new: str, line: int, words: str) -> None:
    text = OUTSIDE.replace(old, new, 1)
    assert text != OUTSIDE
    found = _problems(text)
    assert any(at == line and words in message for at, message in found), found


def test_a_trigger_owned_by_the_role_starts_for_incidents_the_scenario_s_organiser_owns() -> None:
    """The trigger names the role, the incident the actor playing it: the procedure starts (no dead-config warning);
    owned by the other actor, it never does, and validation warns."""
    text = OUTSIDE.replace("incident: {type: defacement, owner: organiser}",
                           "incident: {type: defacement, owner: region}")
    doc = load_text(text, "roles.yaml")
    assert [e.step for e in run_exercise(doc, "local", seed=1).events if e.kind == "step_completed"] == ["restore"]
    other = text.replace("owner: region}", "owner: interior}").replace("- {id: restore, actor: owner}",
                                                                       "- {id: restore, actor: interior}")
    warnings = [w.message for w in check_document(parse(other, "roles.yaml")).warnings]
    assert "warning: procedure 'p' never starts: no incident names 'organiser' as its owner" in warnings, warnings
