"""YAML slips the parser words in its own terms get a line saying where and how to fix them: a quote never closed
(at the quote), a key indented one space short (with the indentations around it) or one more than the key above,
a '[' open at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from format_helpers import run_cli

from ballotdrill.scenarios import ScenarioError, load_text, yamlread

QUOTE = 'version: 1\nstructure:\n  actors:\n    desk: {name: D, staff: 1}\n  x: "unclosed\n'
KEY = "version: 1\nstructure:\n  actors:\n    desk:\n      name: D\n     staff: 1\n"
BRACKET = "structure:\n  actors: [\n"
OVER = "version: 1\nstructure:\n  actors:\n    desk:\n      name: D\n       staff: 1\n"
SLIPS = [
    (QUOTE, "5:6: this '\"' is never closed (found unexpected end of stream); close the text with '\"' on this "
            "line, or write it without quotes"),
    (KEY, "6:6: 'staff' is indented 5 spaces, between the keys at 6 (line 5) and at 4 (line 4): indent it like the "
          "keys of the mapping it belongs to"),
    (BRACKET, "2:11: this '[' is never closed (the file ends inside it); close it with ']'"),
    (OVER, "6:8: 'staff' is indented 7 spaces, more than 'name' above it (6, line 5), so it reads as more of that "
           "value: indent it like 'name' (or, if it is text, put the text in quotes)"),
]


@pytest.mark.parametrize(("text", "told"), SLIPS)
def test_validate_tells_where_and_how_to_fix_the_slip(tmp_path: Path, text: str, told: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and result.stderr == f"{path}:{told}\n", result.stderr


@pytest.mark.parametrize(("text", "told"), SLIPS)
def test_the_pure_python_parser_tells_the_same(monkeypatch: pytest.MonkeyPatch, text: str, told: str) -> None:
    """Without libyaml PyYAML words its errors otherwise; the hint is the same."""
    monkeypatch.setattr(yamlread, "_Loader", yaml.SafeLoader)
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "f.yaml")
    assert [str(p) for p in caught.value.problems] == [f"f.yaml:{told}"]


def test_quotes_and_comments_do_not_count_as_brackets() -> None:
    text = "a: '[x'\nb: \"{y\"  # [ note\nc: [1, 2, {d: [\n"
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "f.yaml")
    assert str(caught.value.problems[0]).startswith("f.yaml:3:15: this '[' is never closed"), caught.value.problems
