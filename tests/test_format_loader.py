"""The strict, located loader: YAML refusals and model errors as ``file:line:col: message``."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from format_helpers import BASE, col_of, dedent, load, only_problem, problems, replace_once

from ballotdrill.scenarios import ScenarioError, library_path, load_file, pick
from ballotdrill.scenarios.errors import Problem, UnknownScenarioError
from ballotdrill.scenarios.yamlread import MAX_BYTES, MAX_DEPTH, parse, read_file


def test_the_base_fixture_loads() -> None:
    doc = load(BASE)
    assert list(doc.scenarios) == ["sc"]
    assert doc.structure.actors["cell-a"].staff == 2
    assert doc.scenarios["sc"].injects[0].at == 600.0


def test_problem_prints_as_file_line_col_message() -> None:
    assert str(Problem("a.yaml", 3, 7, "bad")) == "a.yaml:3:7: bad"
    assert str(Problem("--set x=1", 0, 0, "bad")) == "--set x=1: bad"
    err = ScenarioError([Problem("a.yaml", 1, 1, "one"), Problem("a.yaml", 2, 1, "two")])
    assert str(err) == "a.yaml:1:1: one\na.yaml:2:1: two"


# --- YAML syntax -------------------------------------------------------------------------------------------------

def test_yaml_syntax_error_is_located() -> None:
    text = replace_once(BASE, "title: T", "title: 'T")
    problem = only_problem(text)
    assert problem.source == "s.yaml"
    assert (problem.line, problem.col) == (17, 12)  # the quote left open, not the end of the file
    assert problem.message.startswith("this \"'\" is never closed")
    assert "\n" not in problem.message


def test_unclosed_flow_mapping_points_at_its_line() -> None:
    text = replace_once(BASE, "cell-b: {}", "cell-b: {staff: 2")
    problem = only_problem(text)
    assert problem.line >= 5
    assert "\n" not in str(problem)


def test_tab_in_indentation_says_to_indent_with_spaces() -> None:
    text = replace_once(BASE, "    cell-b: {}", "\tcell-b: {}")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (5, 1)
    assert problem.message.endswith("a tab is in the indentation: indent with spaces")


# --- refusals ------------------------------------------------------------------------------------------------------

def test_anchor_is_refused_at_the_anchor() -> None:
    text = replace_once(BASE, "cell-b: {}", "cell-b: &shared {}")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (5, col_of(text, 5, "&shared"))
    assert problem.message == "anchors (&shared) are not allowed; write each value out in full"


def test_alias_is_refused_even_without_an_anchor() -> None:
    text = replace_once(BASE, "cell-b: {}", "cell-b: *shared")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (5, col_of(text, 5, "*shared"))
    assert problem.message == "aliases (*shared) are not allowed; write the value out in full"


def _alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_without_memory_blow_up() -> None:
    bomb = _alias_bomb()
    tracemalloc.start()
    try:
        problem = only_problem(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (problem.line, problem.col) == (1, 4)
    assert "anchors" in problem.message
    assert peak < 5 * 1024 * 1024


def test_alias_bomb_of_aliases_only_is_refused_at_the_first_alias() -> None:
    bomb = "x: [" + ",".join(["*a"] * 1000) + "]\n"
    problem = only_problem(bomb)
    assert (problem.line, problem.col) == (1, 5)
    assert problem.message.startswith("aliases (*a) are not allowed")


def test_duplicate_key_names_both_lines() -> None:
    text = replace_once(BASE, "    cell-b: {}\n", "    cell-b: {}\n    cell-a: {staff: 9}\n")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (6, 5)
    assert problem.message == "duplicate key 'cell-a' (first at line 4); keep only one"


def test_duplicate_key_in_a_flow_mapping() -> None:
    text = replace_once(BASE, "cell-a: {staff: 2}", "cell-a: {staff: 2, staff: 3}")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (4, col_of(text, 4, "staff: 3"))
    assert "duplicate key 'staff'" in problem.message


def test_keys_are_compared_after_reading_so_true_and_True_collide() -> None:
    text = replace_once(BASE, "    title: T\n", "    title: T\n    true: 1\n    True: 2\n")
    assert "duplicate key 'true'" in only_problem(text).message


def test_explicit_tags_are_refused() -> None:
    for tagged, tag in (("!!str T", "tag:yaml.org,2002:str"), ("!custom T", "!custom"),
                        ("!<tag:yaml.org,2002:str> T", "tag:yaml.org,2002:str")):
        text = replace_once(BASE, "title: T", f"title: {tagged}")
        problem = only_problem(text)
        assert (problem.line, problem.col) == (17, 12)
        assert problem.message == f"tags ({tag}) are not allowed; remove the tag"


def test_tag_on_a_mapping_is_refused() -> None:
    text = replace_once(BASE, "cell-b: {}", "cell-b: !!map {}")
    assert only_problem(text).message == "tags (tag:yaml.org,2002:map) are not allowed; remove the tag"


def test_second_document_is_refused() -> None:
    text = BASE + "---\nversion: 1\n"
    problem = only_problem(text)
    assert (problem.line, problem.col) == (22, 1)
    assert problem.message == "a scenario file holds one YAML document; remove the second '---'"


def test_one_explicit_document_is_fine() -> None:
    assert load("---\n" + BASE + "...\n").scenarios


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    text = "version: 1\nx: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    problem = only_problem(text)
    assert problem.line == 2
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels; flatten the file"


def test_nesting_just_under_the_limit_is_read() -> None:
    doc = parse("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "s.yaml")
    assert isinstance(doc.data["x"], list)


def test_deep_nesting_is_refused_quickly_even_if_huge() -> None:
    text = "x: " + "[" * 200_000 + "\n"
    started = time.perf_counter()
    problem = only_problem(text)
    assert time.perf_counter() - started < 1.0
    assert "nesting" in problem.message


def test_empty_file_says_how_to_start() -> None:
    for text in ("", "\n\n", "# only a comment\n"):
        problem = only_problem(text)
        assert str(problem) == "s.yaml:1:1: the file is empty; a scenario file starts with 'version: 1'"


@pytest.mark.parametrize("text", ["[1, 2]\n", "just text\n", "42\n"])
def test_file_that_is_not_a_mapping(text: str) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith("a scenario file is a mapping of keys to values, starting with 'version: 1'")


def test_complex_and_empty_keys_are_refused() -> None:
    text = replace_once(BASE, "    title: T\n", "    title: T\n    ? [a]\n    : 1\n")
    assert only_problem(text).message == "a key must be plain text, not a list or mapping"
    text = replace_once(BASE, "    title: T\n", "    title: T\n    null: 1\n")
    problem = only_problem(text)
    assert (problem.line, problem.message) == (18, "a key is empty; give it a name")


def test_control_character_is_located_on_one_line() -> None:
    text = replace_once(BASE, "title: T", "title: T\x07x")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (17, 13)
    assert problem.message.startswith("character U+0007 is not allowed in YAML")
    assert "\n" not in problem.message


def test_lone_surrogate_in_text_is_refused_not_crashed() -> None:
    text = replace_once(BASE, "title: T", "title: T\udcff")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (17, 13)
    assert "not valid text" in problem.message


# --- files ---------------------------------------------------------------------------------------------------------

def test_non_utf8_file_is_refused_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("title: T", "title: Caf\xe9").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.source, problem.line, problem.col) == (str(path), 17, 15)
    assert problem.message == "byte 0xe9 is not UTF-8; save the file as UTF-8"


def test_utf8_with_bom_and_crlf_line_ends_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("title: T", "title: Caf\u00e9").replace("\n", "\r\n").encode())
    assert load_file(path).scenarios["sc"].title == "Caf\u00e9"


def test_crlf_error_lines_are_still_right(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(replace_once(BASE, "actor: cell-b", "actor: cell-bb").replace("\n", "\r\n").encode())
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    assert info.value.problems[0].line == 14


def test_file_over_one_mib_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(BASE.encode() + b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(ScenarioError) as info:
        read_file(str(path))
    (problem,) = info.value.problems
    assert problem.message == "the file is over 1024 KiB; split it or trim it"
    assert str(problem) == f"{path}: the file is over 1024 KiB; split it or trim it"


def test_text_over_one_mib_is_refused() -> None:
    with pytest.raises(ScenarioError, match="over 1024 KiB"):
        parse("# " + "x" * MAX_BYTES, "s.yaml")


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_file(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory"


# --- YAML 1.2 scalars ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("scalar", "value"),
    [("17:53", "17:53"), ("yes", "yes"), ("no", "no"), ("on", "on"), ("true", True), ("False", False),
     ("~", None), ("null", None), ("12", 12), ("-3", -3), ("0x1f", 31), ("0o17", 15), ("1_000", 1000),
     ("2.5", 2.5), ("1e3", 1000.0), ("1.", 1.0), ("'12'", "12"), ('"true"', "true"),
     ("1h30m", "1h30m"), ("D+1 09:00", "D+1 09:00"), ("1" * 150, "1" * 150)],
)
def test_scalars_follow_yaml_1_2_core_schema(scalar: str, value: object) -> None:
    assert parse(f"x: {scalar}\n", "s.yaml").data["x"] == value


def test_unquoted_clock_time_is_a_time_not_a_base_60_number() -> None:
    doc = load(replace_once(BASE, 'at: "10:00"', "at: 10:00"))
    assert doc.scenarios["sc"].injects[0].at == 600.0


# --- model errors, located -----------------------------------------------------------------------------------------

def test_unknown_key_is_reported_at_the_key_with_a_suggestion() -> None:
    text = replace_once(BASE, "cell-a: {staff: 2}", "cell-a: {stuff: 2}")
    col = col_of(text, 4, "stuff")
    assert str(only_problem(text)) == f"s.yaml:4:{col}: unknown key 'stuff' (did you mean 'staff'?)"


def test_unknown_key_without_a_near_name_lists_the_allowed_keys() -> None:
    text = replace_once(BASE, "    title: T\n", "    title: T\n    zzz: 1\n")
    problem = only_problem(text)
    assert (problem.line, problem.col) == (18, 5)
    assert problem.message == ("unknown key 'zzz' (allowed here: background_factor, basis, contacts, date, "
                               "description, election, end, injects, location, objectives, polls, roles, sponsor, "
                               "start, title)")


def test_an_unknown_key_and_a_wrong_value_in_one_mapping_are_both_told() -> None:
    text = replace_once(BASE, "type: outage}}", "type: outage, severity: 7, sevrity: 2}}")
    assert [p.message for p in problems(text)] == [
        "'severity' must be one of 1, 2, 3 or 4 (got 7)", "unknown key 'sevrity' (did you mean 'severity'?)"]


def test_a_misspelt_required_key_is_told_once_not_also_as_missing() -> None:
    text = replace_once(BASE, "type: outage}}", "tpye: outage}}")
    assert [p.message for p in problems(text)] == ["unknown key 'tpye' (did you mean 'type'?)"]


def test_severity_out_of_range_message() -> None:
    text = replace_once(BASE, "type: outage}}", "type: outage, severity: 7}}")
    col = col_of(text, 21, "7}}")
    assert str(only_problem(text)) == f"s.yaml:21:{col}: 'severity' must be one of 1, 2, 3 or 4 (got 7)"


def test_literal_typo_gets_a_suggestion() -> None:
    text = replace_once(BASE, "{id: s1, actor: cell-a}", "{id: s1, actor: cell-a, escalate: federl}")
    problem = only_problem(text)
    assert problem.message == ("'escalate' must be one of 'municipal', 'provincial' or 'federal' (got 'federl') "
                               "(did you mean 'federal'?)")
    assert (problem.line, problem.col) == (13, col_of(text, 13, "federl"))


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ("staff: 2", "staff: two", "'staff' must be a whole number (got 'two')", 4),
        ("staff: 2", "staff: 2.5", "'staff' must be a whole number (got 2.5)", 4),
        ("staff: 2", "staff: true", "'staff' must be a whole number (got True)", 4),
        ("staff: 2", "staff: -1", "'staff' must be >= 0 (got -1)", 4),
        ("staff: 2", 'staff: "2"', "'staff' must be a whole number (got '2')", 4),
        ("staff: 2", "staff: 1e9",
         "'staff' must be a whole number written in digits: 1000000000 (got 1000000000.0)", 4),
        ('at: "10:00"', 'at: "D+3650 10:00"',
         "invalid clock time 'D+3650 10:00': days around election day run from D-999 to D+999", 21),
        ("title: T", "title: 5", "'title' must be text (got 5)", 17),
        ("title: T", "title: [a]", "'title' must be text (got ['a'])", 17),
        ("latency: 3m}", "latency: 3m, reliability: 2}", "'reliability' must be <= 1.0 (got 2)", 7),
        ("latency: 3m}", "latency: 3m, reliability: .nan}", "'reliability' must be a finite number (got nan)", 7),
        ("latency: 3m}", "latency: 3m, retries: 11}", "'retries' must be <= 10 (got 11)", 7),
        ("version: 1", "version: 2", "'version' must be 1, the only scenario format this version of ballotdrill "
         "reads (got 2); a file written for a newer format needs a newer ballotdrill", 1),
        ("cell-b: {}", "cell.b: {}",
         "'cell.b' must be a name of ASCII letters, digits, '-' and '_', starting with a letter or digit "
         "(got 'cell.b')", 5),
        ("type: outage}\n", "type: 5}\n", "'type' must be text or a list (got 5)", 11),
        ("type: outage}\n", "type: [outage, 'a b']}\n",
         "'type' must be a name of ASCII letters, digits, '-' and '_', starting with a letter or digit "
         "(got 'a b')", 11),
        ('end: "23:00"', 'end: "05:00"', "'end' (05:00) must be after 'start' (06:00)", 19),
        ('at: "10:00"', "at: 25:00", "invalid clock time '25:00' (hours 00-23, minutes 00-59; 24:00 ends a day)", 21),
    ],
)
def test_wrong_values_give_one_clear_located_line(old: str, new: str, message: str, line: int) -> None:
    text = replace_once(BASE, old, new)
    problem = only_problem(text)
    assert problem.message == message
    assert problem.line == line
    assert problem.col >= 1




def test_missing_required_key_points_at_its_mapping() -> None:
    text = replace_once(BASE, "{id: s1, actor: cell-a}", "{id: s1}")
    assert str(only_problem(text)) == f"s.yaml:13:{col_of(text, 13, '{id: s1}')}: 'actor' is required here; add it"


def test_missing_title_points_at_the_scenario() -> None:
    text = replace_once(BASE, "    title: T\n", "")
    assert str(only_problem(text)) == "s.yaml:17:5: 'title' is required here; add it"


def test_empty_actors_mapping() -> None:
    text = dedent("""
        version: 1
        structure:
          actors: {}
        scenarios:
          sc: {title: T, start: "06:00", end: "07:00"}
    """)
    assert str(only_problem(text)) == "s.yaml:3:11: 'actors' must not be empty"


def test_several_problems_come_sorted_by_position() -> None:
    text = replace_once(replace_once(BASE, "title: T", "title: 5"), "staff: 2", "staff: x")
    found = problems(text)
    assert [(p.line, p.message.split(" ")[0]) for p in found] == [(4, "'staff'"), (17, "'title'")]


def test_problems_are_capped() -> None:
    actors = "\n".join(f"    a{i}: {{staff: x}}" for i in range(40))
    scenario = "  sc: {title: T, start: '06:00', end: '07:00'}"
    text = f"version: 1\nstructure:\n  actors:\n{actors}\nscenarios:\n{scenario}\n"
    assert len(problems(text)) == 20


# --- the library and pick ------------------------------------------------------------------------------------------

def test_the_built_in_library_loads_and_has_a_default() -> None:
    doc = load_file(library_path())
    assert doc.scenarios
    name, scenario = pick(doc, None)
    assert name == doc.default_scenario
    assert scenario is doc.scenarios[name]


def test_pick_suggests_a_near_scenario_name() -> None:
    doc = load(BASE + "  other:\n    title: O\n    start: '06:00'\n    end: '07:00'\n")
    assert pick(doc, "other")[0] == "other"
    assert pick(doc, None)[0] == "sc"
    with pytest.raises(UnknownScenarioError) as info:
        pick(doc, "othr")
    assert str(info.value) == "no scenario 'othr' (did you mean 'other'?); the file has: sc, other"


def test_default_names_the_scenario_commands_use() -> None:
    doc = load(BASE + "  other:\n    title: O\n    start: '06:00'\n    end: '07:00'\ndefault: other\n")
    assert doc.default_scenario == "other"
    assert pick(doc, None)[0] == "other"
