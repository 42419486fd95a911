"""Reading a sweep along its load: where each line of points stops meeting an objective, read along the load's
direction, over the runs that exercised it, per value of the other grid axes; and what "the same seeds" means for a
grid that changes the incidents. Hand-made outcomes whose right reading is worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine_helpers import file_of, incident, to_yaml
from sweep_helpers import EXAMPLE

from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.sweep import Outcome, SweepResult, aggregate, build_points, parse_axis
from ballotdrill.sweep.model import axis_names
from ballotdrill.sweep.render import breaking_points, render_html, same_incidents

RUNS = 10
FACTOR = "scenarios.busy-morning.background_factor"
STAFF = "structure.actors.desk.staff"


def _result(grid: Sequence[str], o2: dict[tuple[str, ...], tuple[int, int]]) -> SweepResult:
    """A sweep of the example over ``grid``; at each point (its values, in axis order) O2 is met in ``met`` of the
    ``exercised`` runs (the rest of those rated M), and not exercised in the others."""
    axes = [parse_axis(text) for text in grid]
    name, points = build_points(read_file(str(EXAMPLE)), None, [], axes, [])
    outcomes = []
    for p in points:
        met, exercised = o2[tuple(value for _, value in p.grid)]
        for i in range(RUNS):
            rating = "P" if i < met else "M" if i < exercised else "NE"
            outcomes.append(Outcome(p.index, i, 100 + i, 10, {}, {"O1": "P", "O2": rating}, None))
    return aggregate(name, 1, [100 + i for i in range(RUNS)], [], axes, [], points, outcomes)


def test_a_load_given_high_to_low_is_read_from_the_lightest_load() -> None:
    # Met in 0, 2, 6 and 8 runs of 10 at factors 2, 1, 0.5 and 0.25: along the load (0.25, 0.5, 1, 2) it drops
    # below half at 1 and stays there. The first value typed (2) is not where it breaks.
    result = _result([f"{FACTOR}=2,1,0.5,0.25"], {("2",): (0, 10), ("1",): (2, 10), ("0.5",): (6, 10),
                                                    ("0.25",): (8, 10)})
    assert breaking_points(result, 1) == [
        "met in fewer than half the runs that exercised it from background_factor = 1 and up (20% at 1)"]


def test_more_staff_is_less_load() -> None:
    # Met in 2, 6 and 6 of 10 at staff 1, 2, 3: below half only with one person, the heaviest load tried.
    result = _result([f"{STAFF}=1,2,3"], {("1",): (2, 10), ("2",): (6, 10), ("3",): (6, 10)})
    assert breaking_points(result, 1) == [
        "met in fewer than half the runs that exercised it only at staff = 1, the heaviest load tried (20%)"]


def test_runs_that_did_not_exercise_the_objective_are_not_counted_as_missing_it() -> None:
    # At 0.1, O2 was exercised in 3 runs and met in all 3: 100 % of those, though only 30 % of all runs.
    # At 0.5, 6 of 10 exercised it (met in 4: 67 %); at 1, 10 of 10 (met in 3: 30 %): below half from 1 on.
    result = _result([f"{FACTOR}=0.1,0.5,1"], {("0.1",): (3, 3), ("0.5",): (4, 6), ("1",): (3, 10)})
    assert breaking_points(result, 1) == ["met in fewer than half the runs that exercised it only at "
                                          "background_factor = 1, the heaviest load tried (30%)"]
    dips = _result([f"{FACTOR}=0.1,0.5,1"], {("0.1",): (1, 3), ("0.5",): (4, 6), ("1",): (0, 0)})
    assert breaking_points(dips, 1) == [
        "met in fewer than half the runs that exercised it first at background_factor = 0.1 (33% of the 3 runs that "
        "exercised it), but in at least half again at background_factor = 0.5 (67% of the 6 runs that exercised "
        "it); not exercised in any run at background_factor = 1"]


def test_each_value_of_another_axis_is_read_on_its_own_line_and_labelled() -> None:
    o2 = {("0.5", "1"): (6, 10), ("1", "1"): (2, 10), ("2", "1"): (0, 10),
          ("0.5", "2"): (9, 10), ("1", "2"): (6, 10), ("2", "2"): (1, 10)}
    result = _result([f"{FACTOR}=0.5,1,2", f"{STAFF}=1,2"], o2)
    assert breaking_points(result, 1) == [
        "baseline (staff=1): met in fewer than half the runs that exercised it from background_factor = 1 and up "
        "(20% at 1)",
        "baseline (staff=2): met in fewer than half the runs that exercised it only at background_factor = 2, the "
        "heaviest load tried (10%)"]


def test_an_axis_with_no_direction_of_load_gets_no_breaking_point() -> None:
    result = _result(["structure.channels.phone.reliability=0.5,0.7,0.9"],
                     {("0.5",): (4, 10), ("0.7",): (6, 10), ("0.9",): (3, 10)})
    assert breaking_points(result, 1) == [
        "no breaking point read (reliability has no direction of load the sweep knows); met in fewer than half the "
        "runs that exercised it at reliability = 0.5 (40%), reliability = 0.9 (30%)"]
    assert breaking_points(result, 0) == ["met in at least half the runs that exercised it at every reliability tried"]


def test_the_same_seeds_are_the_same_incidents_only_where_nothing_changes_the_arrivals() -> None:
    load = _result([f"{FACTOR}=0.5,1"], {("0.5",): (5, 10), ("1",): (5, 10)})
    assert same_incidents(load) == (
        f"Each point was played {RUNS} times on the same {RUNS} seeds; {FACTOR} changes the incidents themselves, so "
        "different values drew different incidents from the same seeds (they share the random draws, not the "
        "incidents).")
    structure = _result([f"{STAFF}=1,2"], {("1",): (5, 10), ("2",): (5, 10)})
    assert same_incidents(structure) == (f"Each point was played {RUNS} times on the same {RUNS} seeds, so every "
                                         "variant and every grid value faced the same random incidents.")
    target = _result(["scenarios.busy-morning.objectives.1.target=0.4,0.6"], {("0.4",): (5, 10), ("0.6",): (5, 10)})
    assert "faced the same random incidents" in same_incidents(target)  # a target changes no arrival


def test_a_background_factor_with_no_background_inject_changes_nothing_and_is_not_read_as_load(
        tmp_path: Path) -> None:
    # X1 is scripted; nothing arrives in the background: factors 1 and 2 play the same file, the same runs
    data = file_of({"desk": {"staff": 1}}, {"p": {"trigger": {"type": "x"}, "steps": [
        {"id": "answer", "actor": "desk", "duration": "10m"}]}}, [incident("X1", "10:00", "x")])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Operational coordination", "measure": {"on_time": "all"}, "target": 0.9}]
    path = tmp_path / "scripted.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    axes = [parse_axis("scenarios.s.background_factor=1,2")]
    name, points = build_points(read_file(str(path)), None, [], axes, [])
    outcomes = [Outcome(p.index, i, 100 + i, 10, {}, {"O1": "P"}, None) for p in points for i in range(RUNS)]
    result = aggregate(name, 1, [100 + i for i in range(RUNS)], [], axes, [], points, outcomes)
    assert result.inert == ["scenarios.s.background_factor"]
    text = same_incidents(result)
    assert "changes the incidents themselves" not in text and "faced the same random incidents" in text
    assert text.endswith("scenarios.s.background_factor changed nothing played (no inject arrives in the "
                         "background, or its values give the same scenario), so its values are the same runs.")
    assert "Objectives against the load" not in render_html(result)
    # with a background inject, the same axis is load
    load = _result([f"{FACTOR}=0.5,1"], {("0.5",): (5, 10), ("1",): (5, 10)})
    assert load.inert == [] and "Objectives against the load" in render_html(load)


def test_an_axis_of_one_value_is_not_said_to_have_changed_nothing() -> None:
    # one value compares nothing: 2x the background is not 'the same runs' as the scenario's own load
    single = _result([f"{FACTOR}=2"], {("2",): (5, 10)})
    assert single.inert == [] and "changed nothing played" not in same_incidents(single)


def test_objectives_in_detail_say_not_exercised_rather_than_never_reached() -> None:
    # O2 exercised in no run at staff 1 (all NE); O1 rated in every run but with no value recorded
    result = _result([f"{STAFF}=1,2"], {("1",): (0, 0), ("2",): (5, 10)})
    detail = render_html(result).split('id="detail"', 1)[1]
    assert "never reached" not in detail
    assert "not exercised in any run" in detail and "no run reached a value" in detail


def test_axes_ending_alike_are_named_apart_in_labels_readings_and_the_answer() -> None:
    """Two staff axes: each named by the shortest ending no other axis has (``desk.staff``, ``cell.staff``), in a
    point's label, a line's label and the reading along the load; and sweep.html's answer gives the reading the
    terminal prints first, above the bottleneck, not only under "Objectives against the load"."""
    cell = "structure.actors.cell.staff"
    o2 = {("1", "1"): (2, 10), ("2", "1"): (6, 10), ("1", "2"): (6, 10), ("2", "2"): (9, 10)}
    result = _result([f"{STAFF}=1,2", f"{cell}=1,2"], o2)
    assert [p.label for p in result.points] == [
        "baseline @ desk.staff=1, cell.staff=1", "baseline @ desk.staff=1, cell.staff=2",
        "baseline @ desk.staff=2, cell.staff=1", "baseline @ desk.staff=2, cell.staff=2"]
    lines = breaking_points(result, 1)
    assert lines == [
        "baseline (cell.staff=1): met in fewer than half the runs that exercised it only at desk.staff = 1, the "
        "heaviest load tried (20%)",
        "baseline (cell.staff=2): met in at least half the runs that exercised it at every desk.staff tried"]
    answer = render_html(result).split('id="answer"', 1)[1].split('id="bottlenecks"', 1)[0]
    assert "Where each objective stops being met along desk.staff" in answer
    for line in lines:
        assert f"<li><strong>O2</strong>: {line}</li>" in answer
    every = "met in at least half the runs that exercised it at every desk.staff tried"
    assert f"<li><strong>O1</strong>: baseline (cell.staff=1): {every}</li>" in answer  # each objective, as printed


def test_an_axis_is_named_by_the_shortest_ending_no_other_has() -> None:
    assert axis_names(["structure.actors.desk.staff"]) == ["staff"]
    assert axis_names([FACTOR, STAFF]) == ["background_factor", "staff"]
    assert axis_names(["structure.actors.desk.staff", "structure.actors.cell.staff"]) == ["desk.staff", "cell.staff"]
    # one path is another's ending: it is named whole, the longer one by one more part
    assert axis_names(["a.b.staff", "b.staff"]) == ["a.b.staff", "b.staff"]
    assert axis_names(["x.desk.staff", "y.desk.staff", "z.cell.staff"]) == ["x.desk.staff", "y.desk.staff",
                                                                               "cell.staff"]
