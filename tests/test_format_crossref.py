"""Checks across the file: names resolve (with a suggestion), graphs end, times fit, shifts and fallbacks are sane."""

from __future__ import annotations

from format_helpers import BASE, col_of, load, only_problem, problems, replace_once


def at(text: str, line: int, needle: str) -> tuple[int, int]:
    return line, col_of(text, line, needle)


def where(problem: object) -> tuple[int, int]:
    return problem.line, problem.col  # type: ignore[attr-defined]


# --- names ---------------------------------------------------------------------------------------------------------

def test_misspelt_step_actor_is_located_with_a_suggestion() -> None:
    text = replace_once(BASE, "actor: cell-b,", "actor: cell-bb,")
    problem = only_problem(text)
    assert str(problem) == (f"s.yaml:14:{col_of(text, 14, 'cell-bb')}: step 's2' names actor 'cell-bb', "
                            "which is not defined (did you mean 'cell-b'?)")


def test_unknown_name_without_a_near_one_lists_the_defined_names() -> None:
    text = replace_once(BASE, "actor: cell-b,", "actor: zzz,")
    assert only_problem(text).message == "step 's2' names actor 'zzz', which is not defined (defined: cell-a, cell-b)"


def test_misspelt_channel_in_via() -> None:
    text = replace_once(BASE, "via: phone", "via: phon")
    problem = only_problem(text)
    assert where(problem) == at(text, 14, "phon}")
    assert problem.message == "step 's2' names channel 'phon', which is not defined (did you mean 'phone'?)"


def test_misspelt_fallback_channel() -> None:
    text = replace_once(BASE, "fallback: phone", "fallback: fone")
    problem = only_problem(text)
    assert where(problem) == at(text, 8, "fone")
    assert problem.message.startswith("channel 'secure-mail' names channel 'fone', which is not defined")


def test_default_channel_must_exist() -> None:
    text = replace_once(BASE, "  actors:\n", "  default_channel: phonne\n  actors:\n")
    problem = only_problem(text)
    assert where(problem) == (3, 20)
    assert problem.message == "'default_channel' names channel 'phonne', which is not defined (did you mean 'phone'?)"


def test_next_must_name_a_step_of_the_same_procedure() -> None:
    text = replace_once(BASE, "via: phone}", "via: phone, next: s3}")
    problem = only_problem(text)
    assert where(problem) == at(text, 14, "s3}")
    assert problem.message == "step 's2' names step 's3', which is not defined (defined: end, s1, s2)"


def test_next_end_is_always_defined() -> None:
    doc = load(replace_once(BASE, "{id: s1, actor: cell-a}", "{id: s1, actor: cell-a, next: end}"))
    assert doc.structure.procedures["p1"].successors(0) == ["end"]


def test_decision_option_must_lead_to_a_step() -> None:
    text = replace_once(BASE, "{id: s1, actor: cell-a}",
                        "{id: s1, actor: cell-a, decision: {options: {go: {next: "
                        "s2}, stop: {next: ennd}}, default: go}}")
    problem = only_problem(text)
    assert where(problem) == at(text, 13, "ennd")
    assert problem.message == "option 'stop' of step 's1' names step 'ennd', which is not defined (did you mean 'end'?)"


def test_decision_default_must_be_an_option() -> None:
    text = replace_once(BASE, "{id: s1, actor: cell-a}",
                        "{id: s1, actor: cell-a, decision: {options: {debunk: {next: s2}, wait: {next: end}}, "
                        "default: debunkk}}")
    problem = only_problem(text)
    assert problem.line == 13
    assert problem.message == ("'default' ('debunkk') must be one of the options ['debunk', 'wait'] "
                               "(did you mean 'debunk'?)")


def test_trigger_action_must_be_an_actors_action() -> None:
    text = replace_once(replace_once(BASE, "cell-a: {staff: 2}", "cell-a: {staff: 2, actions: [convene]}"),
                        "trigger: {type: outage}", "trigger: {action: convne}")
    problem = only_problem(text)
    assert where(problem) == at(text, 11, "convne")
    assert problem.message == ("procedure 'p1' names action 'convne', which is not defined (did you mean 'convene'?); "
                               "list it under an actor's 'actions'")


def test_message_and_detection_must_name_actors() -> None:
    text = BASE + ("      - {at: '11:00', message: {to: cell-c, text: hi}}\n"
                   "      - {at: '11:00', incident: {type: x}, detected_by: {actor: cel-a}}\n")
    found = problems(text)
    assert [(p.line, p.message) for p in found] == [
        (22, "the message names actor 'cell-c', which is not defined (did you mean 'cell-b'?)"),
        (23, "'detected_by' names actor 'cel-a', which is not defined (did you mean 'cell-a'?)"),
    ]
    assert found[0].col == col_of(text, 22, "cell-c")


def test_condition_must_name_an_incident_of_the_scenario() -> None:
    text = BASE + "      - {when: {incident: X2, is: detected}, message: {to: cell-a, text: hi}}\n"
    problem = only_problem(text)
    assert where(problem) == at(text, 22, "X2")
    assert problem.message == "the condition names incident 'X2', which is not defined (defined: X1)"


def test_condition_on_a_known_incident_is_a_contingency() -> None:
    doc = load(BASE + "      - {when: {incident: X1, reach_above: 1000}, message: {to: cell-a, text: hi}}\n")
    assert doc.scenarios["sc"].injects[1].kind == "contingency"


def test_default_scenario_must_exist() -> None:
    text = BASE + "default: scc\n"
    assert str(only_problem(text)) == ("s.yaml:22:10: 'default' names scenario 'scc', which is not defined "
                                       "(did you mean 'sc'?)")


def test_objective_must_name_an_existing_incident_and_step() -> None:
    text = BASE + ("    objectives:\n"
                   "      - {id: O1, capability: C, measure: {time: from incident X2 start to step s9}, target: 90m}\n")
    found = problems(text)
    assert [p.message for p in found] == [
        "objective 'O1' names incident 'X2', which is not defined (defined: X1)",
        "objective 'O1' names step 's9', which is not defined (defined: s1, s2)",
    ]
    assert all(where(p) == at(text, 23, "from incident") for p in found)


def test_objective_on_time_names_a_procedure_or_all() -> None:
    ok = BASE + "    objectives:\n      - {id: O1, capability: C, measure: {on_time: all}, target: 0.9}\n"
    assert load(ok).scenarios["sc"].objectives[0].lower_is_better is False
    text = ok.replace("on_time: all", "on_time: p2")
    assert only_problem(text).message == ("objective 'O1' names procedure 'p2', which is not defined "
                                          "(defined: all, p1)")


def test_objective_reach_names_an_incident() -> None:
    text = BASE + "    objectives:\n      - {id: O1, capability: C, measure: {reach: X9}, target: 1000}\n"
    assert only_problem(text).message == "objective 'O1' names incident 'X9', which is not defined (defined: X1)"


def test_background_incidents_cannot_be_named_by_objectives() -> None:
    text = BASE + ("      - {every: 20m, incident: {id: B1, type: noise}}\n"
                   "    objectives:\n      - {id: O1, capability: C, measure: {reach: B1}, target: 1000}\n")
    assert "names incident 'B1', which is not defined" in only_problem(text).message


def test_inject_ids_and_incident_ids_are_unique() -> None:
    text = BASE + ("      - {id: I9, at: '11:00', incident: {id: X1, type: x}}\n"
                   "      - {id: I9, at: '12:00', message: {to: cell-a, text: hi}}\n")
    assert [(p.line, p.message) for p in problems(text)] == [
        (22, "incident id 'X1' is used twice in this scenario"),
        (23, "inject id 'I9' is used twice (first as inject 2)"),
    ]


# --- graphs --------------------------------------------------------------------------------------------------------

def test_step_graph_must_reach_an_end() -> None:
    text = replace_once(BASE, "via: phone}", "via: phone, next: s1}")
    problem = only_problem(text)
    assert where(problem) == at(text, 13, "{id: s1")
    assert problem.message == ("step 's1' never reaches the end of its procedure (it loops back with no way out); "
                               "give it a 'next' or an option that leads to 'end'")


def test_a_loop_with_a_way_out_is_fine() -> None:
    text = replace_once(BASE, "{id: s1, actor: cell-a}",
                        "{id: s1, actor: cell-a, decision: {options: {again: {next: s1}, done: {next: end}}, "
                        "default: done}}")
    proc = load(text).structure.procedures["p1"]
    assert sorted(proc.successors(0)) == ["end", "s1"]


def test_dead_end_is_not_reported_on_top_of_an_unknown_name() -> None:
    text = replace_once(BASE, "via: phone}", "via: phone, next: s9}")
    assert len(problems(text)) == 1


# --- channels, shifts, times ---------------------------------------------------------------------------------------

def test_fallback_cycle_is_shown_in_full() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}", "phone: {latency: 3m, fallback: secure-mail}")
    problem = only_problem(text)
    assert where(problem) == at(text, 7, "secure-mail")
    assert problem.message == "fallback channels form a cycle (phone -> secure-mail -> phone); end the chain"


def test_fallback_to_itself_is_a_cycle() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}", "phone: {latency: 3m, fallback: phone}")
    assert only_problem(text).message == "fallback channels form a cycle (phone -> phone); end the chain"


def test_chain_running_into_a_cycle_reports_the_cycle_once() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}",
                        "phone: {latency: 3m, fallback: fax}\n    fax: {fallback: radio}\n    radio: {fallback: fax}")
    problem = only_problem(text)
    assert problem.message == "fallback channels form a cycle (fax -> radio -> fax); end the chain"
    assert problem.line == 8


def test_a_fallback_chain_without_a_cycle_is_fine() -> None:
    text = replace_once(BASE, "phone: {latency: 3m}",
                        "phone: {latency: 3m, fallback: fax}\n    fax: {fallback: radio}\n    radio: {}")
    assert load(text).structure.channels["fax"].fallback == "radio"


def test_overlapping_shifts_are_refused() -> None:
    text = replace_once(BASE, "cell-b: {}",
                        "cell-b: {shifts: [{from: '06:00', to: '14:00', staff: 1}, "
                        "{from: '13:00', to: '22:00', staff: 2}]}")
    problem = only_problem(text)
    assert problem.line == 5
    assert problem.message == ("shifts 1 (06:00-14:00) and 2 (13:00-22:00) overlap; "
                               "give each period of the day one shift")


def test_shifts_crossing_midnight_overlap_on_the_clock() -> None:
    text = replace_once(BASE, "cell-b: {}",
                        "cell-b: {shifts: [{from: '22:00', to: '07:00', staff: 1}, "
                        "{from: '06:00', to: '22:00', staff: 2}]}")
    assert "shifts 1 (22:00-D+1 07:00) and 2 (06:00-22:00) overlap" in only_problem(text).message


def test_adjacent_shifts_round_the_clock_are_fine() -> None:
    text = replace_once(BASE, "cell-b: {}",
                        "cell-b: {shifts: [{from: '22:00', to: '06:00', staff: 1}, "
                        "{from: '06:00', to: '22:00', staff: 2}]}")
    shifts = load(text).structure.actors["cell-b"].shifts
    assert [s.window for s in shifts] == [(1320.0, 480.0), (360.0, 960.0)]


def test_shift_times_are_times_of_day() -> None:
    text = replace_once(BASE, "cell-b: {}", "cell-b: {shifts: [{from: 'D+1 06:00', to: '14:00', staff: 1}]}")
    assert only_problem(text).message == "shift 'from' must be a time of day HH:MM (got 'D+1 06:00')"


def test_inject_time_outside_the_window() -> None:
    text = replace_once(BASE, 'at: "10:00"', 'at: "23:30"')
    col = col_of(text, 21, '"23:30"')
    assert str(only_problem(text)) == (f"s.yaml:21:{col}: 'at' (23:30) lies outside the "
                                       "scenario's window (06:00-23:00); move it inside or widen 'start'/'end'")


def test_background_window_outside_and_reversed() -> None:
    text = BASE + ("      - {every: 20m, from: '05:00', to: '08:00', incident: {type: x}}\n"
                   "      - {every: 20m, from: '09:00', to: '08:00', incident: {type: x}}\n")
    found = problems(text)
    assert [(p.line, p.message) for p in found] == [
        (22, "'from' (05:00) lies outside the scenario's window (06:00-23:00); move it inside or widen 'start'/'end'"),
        (23, "'to' must be after 'from'"),
    ]
    assert found[0].col == col_of(text, 22, "'05:00'")


def test_days_around_election_day_are_in_the_window() -> None:
    text = replace_once(replace_once(BASE, 'start: "06:00"', 'start: "D-2 18:00"'), 'at: "10:00"', 'at: "D-1 10:00"')
    scenario = load(text).scenarios["sc"]
    assert (scenario.start, scenario.injects[0].at) == (-1800.0, -840.0)
    text = replace_once(BASE, 'at: "10:00"', 'at: "D-1 10:00"')
    assert "'at' (D-1 10:00) lies outside the scenario's window (06:00-23:00)" in only_problem(text).message


def test_all_cross_reference_problems_are_reported_at_once_in_file_order() -> None:
    text = replace_once(replace_once(BASE, "actor: cell-a}", "actor: cell-x}"), "via: phone", "via: fax")
    text = replace_once(text, 'at: "10:00"', 'at: "05:00"')
    assert [p.line for p in problems(text)] == [13, 14, 21]


LOOP = """\
version: 1
structure:
  actors: {a: {}, b: {}}
  channels:
    slow: {latency: 2m}
    instant: {latency: 0m}
  procedures:
    p:
      trigger: {type: x}
      steps:
        - {id: look, actor: a}
        - id: choose
          actor: a
          decision: {options: {again: {next: look}, stop: {next: end}}, default: again}
scenarios:
  s: {title: t, start: "06:00", end: "07:00", injects: [{at: "06:10", incident: {type: x}}]}
"""


def test_a_batch_loop_that_takes_no_time_is_refused_where_it_starts() -> None:
    problem = only_problem(LOOP)
    assert (problem.line, problem.col) == (11, 11)
    assert "loops through steps that take no time (look -> choose -> look: 0m per pass" in problem.message
    assert "give one of them a duration or change the decision's default" in problem.message


def test_a_batch_loop_that_takes_time_is_allowed() -> None:
    load(replace_once(LOOP, "{id: look, actor: a}", "{id: look, actor: a, duration: {dist: exponential, mean: 5m}}"))
    load(replace_once(LOOP, "default: again", "default: stop"))


def test_a_handoff_with_latency_makes_the_loop_advance() -> None:
    looped = replace_once(LOOP, "{id: look, actor: a}", "{id: look, actor: b, via: slow}")
    load(looped)
    assert "take no time" in only_problem(replace_once(looped, "via: slow", "via: instant")).message
