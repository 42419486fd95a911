"""``ballotdrill list | validate | schema | show``: output, exit status 2 on bad input, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from format_helpers import BASE, replace_once, run_cli
from typer.testing import CliRunner

from ballotdrill import cli

runner = CliRunner()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.yaml"
    path.write_text(BASE + "  second:\n    title: Second [draft] [/b]\n    start: '06:00'\n    end: '07:00'\n")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(replace_once(BASE, "actor: cell-b,", "actor: cell-bb,"))
    return path


def assert_clean_failure(result: object) -> list[str]:
    assert result.returncode == 2, (result.stdout, result.stderr)  # type: ignore[attr-defined]
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    return [line for line in result.stderr.splitlines() if line.strip()]  # type: ignore[attr-defined]


# --- end to end, in a fresh interpreter -----------------------------------------------------------------------------

def test_validate_reports_the_located_problem_and_exits_2(bad: Path) -> None:
    result = run_cli("validate", str(bad))
    lines = assert_clean_failure(result)
    assert lines == [f"{bad}:14:27: step 's2' names actor 'cell-bb', which is not defined (did you mean 'cell-b'?)"]


def test_validate_ok_and_bad_together(good: Path, bad: Path) -> None:
    result = run_cli("validate", str(good), str(bad), "--json")
    assert_clean_failure(result)
    report = json.loads(result.stdout)
    assert [r["ok"] for r in report] == [True, False]
    assert report[0]["scenarios"] == ["sc", "second"]
    assert report[1]["problems"][0].startswith(f"{bad}:14:27: step 's2' names actor 'cell-bb'")
    assert f"ok {good} (2 scenarios)" in result.stderr


def test_validate_a_good_file_exits_0(good: Path) -> None:
    result = run_cli("validate", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"ok {good} (2 scenarios)"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: &a [1]\nb: *a\n", ":1:4: anchors (&a) are not allowed"),
        (b"version: 1\nversion: 1\n", ":2:1: duplicate key 'version' (first at line 1); keep only one"),
        (b"version: 1\ntitle: Caf\xe9\n", ":2:11: byte 0xe9 is not UTF-8; save the file as UTF-8"),
        (b"x: " + b"[" * 150 + b"]" * 150 + b"\n", "nesting is deeper than 100 levels; flatten the file"),
        (b"version: !!int 1\n", ":1:10: tags (tag:yaml.org,2002:int) are not allowed; remove the tag"),
        (b"version: 1\n---\nversion: 1\n", ":2:1: a scenario file holds one YAML document"),
        (b"version: 1\nstructure:\n\tactors: {}\n", "a tab is in the indentation: indent with spaces"),
        (b"# " + b"x" * (1024 * 1024) + b"\n", ": the file is over 1024 KiB; split it or trim it"),
    ],
    ids=["alias", "duplicate", "latin1", "deep", "tag", "two-docs", "tab", "huge"],
)
def test_every_refusal_is_one_line_and_status_2(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    lines = assert_clean_failure(run_cli("validate", str(path)))
    assert len(lines) == 1, lines
    assert lines[0].startswith(str(path))
    assert expected in lines[0]


def test_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("validate", str(path))
    assert_clean_failure(result)
    assert f"{path}:1:4: anchors (&a) are not allowed" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    lines = assert_clean_failure(run_cli("validate", str(tmp_path / "nope.yaml")))
    assert lines == [f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory"]


def test_list_and_show_with_a_bad_file_exit_2_without_traceback(bad: Path) -> None:
    for command in ("list", "show"):
        lines = assert_clean_failure(run_cli(command, "--file", str(bad)))
        assert lines == [f"{bad}:14:27: step 's2' names actor 'cell-bb', which is not defined (did you mean 'cell-b'?)"]


def test_show_unknown_scenario_suggests_a_name(good: Path) -> None:
    lines = assert_clean_failure(run_cli("show", "secnd", "--file", str(good)))
    assert lines == ["no scenario 'secnd' (did you mean 'second'?); the file has: sc, second"]


def test_list_the_built_in_library_as_json() -> None:
    result = run_cli("list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows
    assert sum(r["default"] for r in rows) == 1
    assert {"name", "title", "start", "end", "injects", "objectives", "default", "basis"} <= set(rows[0])


# --- in process, with typer's runner ----------------------------------------------------------------------------

def test_list_json_of_a_file(good: Path) -> None:
    result = runner.invoke(cli.app, ["list", "--file", str(good), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["start"], r["end"], r["injects"], r["default"]) for r in rows] == [
        ("sc", "06:00", "23:00", 1, True), ("second", "06:00", "07:00", 0, False),
    ]


def test_list_table_shows_user_text_as_written(good: Path) -> None:
    result = runner.invoke(cli.app, ["list", "--file", str(good)])
    assert result.exit_code == 0, result.output
    assert "[draft]" in result.stdout and "[/b]" in result.stdout


def test_emoji_codes_in_user_text_stay_as_written(tmp_path: Path) -> None:
    path = tmp_path / "emoji.yaml"
    path.write_text(replace_once(BASE, "title: T", 'title: "Power :zap: cut"'))
    for args in (["list", "--file", str(path)], ["show", "--file", str(path)]):
        result = runner.invoke(cli.app, args)
        assert result.exit_code == 0, result.output
        assert "Power :zap: cut" in result.stdout and "\u26a1" not in result.stdout, args
    path.write_text(replace_once(BASE, "cell-b: {}", "':smile:': {}"))
    refused = run_cli("validate", str(path))  # the name is quoted in the error line, on stderr
    assert refused.returncode == 2 and "(got ':smile:')" in refused.stderr and "\U0001f604" not in refused.stderr


def test_show_json_has_msel_and_structure(good: Path) -> None:
    result = runner.invoke(cli.app, ["show", "sc", "--file", str(good), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["name"], shown["start"], shown["end"]) == ("sc", "06:00", "23:00")
    assert [(r["id"], r["time"], r["kind"]) for r in shown["msel"]] == [("I1", "10:00", "timed")]
    assert shown["structure"]["channels"]["secure-mail"]["fallback"] == "phone"


def test_show_default_scenario_as_tables(good: Path) -> None:
    result = runner.invoke(cli.app, ["show", "--file", str(good)])
    assert result.exit_code == 0, result.output
    for word in ("Actors", "Procedures", "MSEL", "cell-a", "s1 (cell-a)", "incident X1"):
        assert word in result.stdout


def test_show_title_with_brackets_is_not_read_as_markup(good: Path) -> None:
    result = runner.invoke(cli.app, ["show", "second", "--file", str(good)])
    assert result.exit_code == 0, result.output
    assert "Second [draft] [/b]" in result.stdout


def test_schema_is_json() -> None:
    result = runner.invoke(cli.app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "ballotdrill scenario file"
