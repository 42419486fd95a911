"""``--set PATH=VALUE``: validated like the file, and every error names the flag."""

from __future__ import annotations

import pytest
from format_helpers import BASE, load, only_problem, problems

from ballotdrill.scenarios import Override
from ballotdrill.scenarios.yamlread import parse


def test_override_changes_one_value() -> None:
    doc = load(BASE, ["structure.actors.cell-a.staff=5"])
    assert doc.structure.actors["cell-a"].staff == 5
    assert load(BASE).structure.actors["cell-a"].staff == 2  # the file itself is untouched


@pytest.mark.parametrize("path", ["scenarios.sc.injects[0].at", "scenarios.sc.injects.0.at"])
def test_list_items_by_index_in_brackets_or_dots(path: str) -> None:
    assert load(BASE, [f"{path}=11:00"]).scenarios["sc"].injects[0].at == 660.0


def test_value_is_yaml_flow_syntax() -> None:
    doc = load(BASE, ["structure.channels.phone.latency={dist: exponential, mean: 5m}", "scenarios.sc.title='A: B'",
                      "structure.procedures.p1.trigger.type=[outage, ddos]"])
    assert doc.structure.channels["phone"].latency.mean == 5.0
    assert doc.scenarios["sc"].title == "A: B"
    assert doc.structure.procedures["p1"].trigger.types == ("outage", "ddos")


def test_override_may_add_an_allowed_key() -> None:
    assert load(BASE, ["structure.channels.phone.reliability=0.5"]).structure.channels["phone"].reliability == 0.5


def test_later_override_wins() -> None:
    assert load(BASE, ["scenarios.sc.title=one", "scenarios.sc.title=two"]).scenarios["sc"].title == "two"


def test_empty_value_is_empty_text() -> None:
    assert load(BASE, ["scenarios.sc.title="]).scenarios["sc"].title == ""


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("structure.actors.cell-a.staff=lots", "'staff' must be a whole number (got 'lots')"),
        ("structure.actors.cell-a.staff=true", "'staff' must be a whole number (got True)"),
        ("structure.actors.cell-a.stuff=5", "unknown key 'stuff' (did you mean 'staff'?)"),
        ("scenarios.sc.injects.0.at=D+1 01:00",
         "'at' (D+1 01:00) lies outside the scenario's window (06:00-23:00); move it inside or widen 'start'/'end'"),
        ("structure.procedures.p1.steps[0].actor=cell-q",
         "step 's1' names actor 'cell-q', which is not defined (did you mean 'cell-b'?)"),
        ("version=2", "'version' must be 1, the only scenario format this version of ballotdrill reads (got 2); "
                      "a file written for a newer format needs a newer ballotdrill"),
        ("structure.actors.cell-x.staff=5", "no key 'cell-x' at structure.actors (did you mean 'cell-b'?)"),
        ("structure.actrs.cell-a.staff=5", "no key 'actrs' at structure (did you mean 'actors'?)"),
        ("structure.actors.cell-a.staff", "expected PATH=VALUE, e.g. structure.actors.national-cert.staff=5"),
        ("=5", "expected PATH=VALUE, e.g. structure.actors.national-cert.staff=5"),
        ("structure..actors=5",
         "cannot read the path 'structure..actors'; separate keys with dots, e.g. scenarios.NAME.injects.0.at"),
        ("scenarios.sc.injects[5].at=11:00", "no item 5 in the list at scenarios.sc.injects (1 items)"),
        ("scenarios.sc.injects.x.at=11:00", "no item 'x' in the list at scenarios.sc.injects (1 items)"),
        ("scenarios.sc.title.x=1", "'scenarios.sc.title' holds a single value, not keys"),
        ("scenarios.sc.title.x.y=1", "scenarios.sc.title holds a single value, not keys"),
        ("structure.actors.cell-a.staff=[1,",
         "cannot read the value: this '[' is never closed (the file ends inside it); close it with ']'"),
        ("structure.actors.cell-a.staff=*a", "cannot read the value: aliases (*a) are not allowed; write "
                                             "the value out in full"),
        ("structure.actors.cell-a.staff=&a 3",
         "cannot read the value: anchors (&a) are not allowed; write each value out in full"),
        ("structure.actors.cell-a.staff=!!int 3", "cannot read the value: tags (tag:yaml.org,2002:int) are not "
                                                  "allowed; remove the tag"),
        ("structure.actors.cell-a={staff: 1, staff: 2}",
         "cannot read the value: duplicate key 'staff' (first at line 1); keep only one"),
    ],
)
def test_errors_name_the_flag(flag: str, message: str) -> None:
    problem = only_problem(BASE, [flag])
    assert problem.source == f"--set {flag}"
    assert (problem.line, problem.col) == (0, 0)
    assert problem.message == message
    assert str(problem) == f"--set {flag}: {message}"


def test_problem_inside_an_overridden_mapping_names_the_flag() -> None:
    flag = "structure.channels.phone.latency={dist: lognormal, median: 5m, p90: 1m}"
    assert str(only_problem(BASE, [flag])) == f"--set {flag}: 'p90' (1m) must be above 'median' (5m)"


def test_problems_elsewhere_still_point_at_the_file() -> None:
    text = BASE.replace("actor: cell-b,", "actor: cell-bb,")
    # A model error stops before cross-references are checked; only the flag's problem is left.
    assert [str(p) for p in problems(text, ["scenarios.sc.title=5"])] == [
        "--set scenarios.sc.title=5: 'title' must be text (got 5)"
    ]
    found = problems(text, ["structure.actors.cell-a.actions=[x]", "structure.procedures.p1.trigger.action=y"])
    assert [(p.source, p.line) for p in found] == [
        ("--set structure.procedures.p1.trigger.action=y", 0),
        ("s.yaml", 14),
    ]


def test_override_can_fix_a_file() -> None:
    text = BASE.replace("actor: cell-b,", "actor: cell-bb,")
    doc = load(text, ["structure.procedures.p1.steps.1.actor=cell-b"])
    assert doc.structure.procedures["p1"].steps[1].actor == "cell-b"


def test_undecodable_argument_bytes_are_refused_not_crashed() -> None:
    # A command-line argument with bytes that are not UTF-8 reaches Python as surrogates.
    problem = only_problem(BASE, ["scenarios.sc.title=caf\udce9"])
    assert problem.source.startswith("--set scenarios.sc.title=")
    assert problem.message.startswith("cannot read the value: character U+DCE9 is not valid text")


def test_split_parses_path_and_value() -> None:
    path, value = Override("scenarios.sc.injects[2].incident.severity=3").split()
    assert path == ("scenarios", "sc", "injects", 2, "incident", "severity")
    assert value.data == 3
    assert parse("x: 1", "s").data == {"x": 1}
