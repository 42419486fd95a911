"""The YAML reader's two passes agree: the data alone (read first) and the located pass (for marks and refusals).

:func:`parse` reads an ordinary file without marks and finds them on first use by reading it
again; anything out of the ordinary goes to the located pass at once. Whatever the path, the
answer must be the located pass's: the same data, the same marks, the same refusal.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballotdrill.scenarios import ScenarioError
from ballotdrill.scenarios.yamlread import MAX_DEPTH, Document, _parse_located, parse

ROOT = Path(__file__).resolve().parent.parent


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    """What reading ``text`` gives: the data and every mark, or the refusal's lines."""
    try:
        doc: Document = read(text, "f.yaml")
    except ScenarioError as exc:
        return "refused", str(exc)
    return "read", (doc.data, doc.values, doc.keys)


def _same_as_located(text: str) -> None:
    assert _outcome(parse, text) == _outcome(_parse_located, text)


def _repository_yaml() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.yaml", "*.yml"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.split()
    return sorted({(ROOT / name).resolve() for name in listed} | {ROOT / "scenarios.yaml", ROOT / "risks.yaml"})


@pytest.mark.parametrize("path", _repository_yaml(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_yaml_file_of_the_repository_reads_the_same_either_way(path: Path) -> None:
    _same_as_located(path.read_text(encoding="utf-8"))


def test_the_library_is_read_without_marks_until_they_are_asked_for() -> None:
    text = (ROOT / "scenarios.yaml").read_text(encoding="utf-8")
    doc = parse(text, "scenarios.yaml")
    assert doc._values is None and doc._keys is None  # the first pass took no marks
    located = _parse_located(text, "scenarios.yaml")
    assert doc.problem(("scenarios",), "m") == located.problem(("scenarios",), "m")
    assert doc.values == located.values and doc.keys == located.keys


def _nested(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


UNUSUAL = [
    "", "# only a comment\n", "---\n", "a: 1\n---\nb: 2\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: ! 'x'\n",
    "a: !tag x\n", "a: 1\na: 2\n", "? [1, 2]\n: x\n", "? {a: 1}\n: x\n", ": x\n", "~: x\n", "true: x\n",
    "true: x\nTrue: y\n",
    "1: x\n'1': y\n", "a: [1, 2\n", "a: 'open\n", "a:\n\t- x\n", "a: b: c\n", "- &a [1]\n- *a\n", "x\n", "[1, 2]\n",
    "a: {b: &c {d: 1}}\n", "a: 1.0\n1.0: b\n", "null: 1\n", "a: \x07\n", "'': x\n",
    _nested(MAX_DEPTH - 2), _nested(MAX_DEPTH - 1), _nested(MAX_DEPTH), _nested(MAX_DEPTH + 1),
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_and_refused_texts_read_the_same_either_way(text: str) -> None:
    _same_as_located(text)


SCALARS = st.one_of(
    st.sampled_from(["~", "null", "true", "False", "0x1f", "0o17", "1_000", ".inf", "-.Inf", ".nan", "1e3", "17:53",
                     "06:00", "D-2 18:00", "'q'", '"d"', "''", "10m", "-", "+1", "1.", ".5", "yes", "No"]),
    st.from_regex(r"[A-Za-z0-9 _.:+-]{1,12}", fullmatch=True).map(lambda s: s.strip() or "x"),
)
KEYS = st.sampled_from(["a", "b", "c", "1", "true", "x y", "'a'", "~", "null", "1.0"])


@st.composite
def yaml_texts(draw: st.DrawFn, depth: int = 0) -> str:
    """Flow-style YAML, sometimes with anchors, aliases, tags and repeated keys."""
    kind = draw(st.sampled_from(["scalar", "list", "map"] if depth < 4 else ["scalar"]))
    prefix = draw(st.sampled_from(["", "", "", "", "&a ", "!t ", "! "]))
    if kind == "scalar":
        if draw(st.integers(0, 15)) == 0:
            return "*a"
        scalar = draw(SCALARS)
        return (prefix + scalar) if prefix != "! " or scalar[:1] in "'\"" else scalar
    items = draw(st.lists(yaml_texts(depth + 1), max_size=4))
    if kind == "list":
        return prefix + "[" + ", ".join(items) + "]"
    keys = draw(st.lists(KEYS, min_size=len(items), max_size=len(items)))
    return prefix + "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=True)) + "}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_texts(), st.booleans())
def test_generated_texts_read_the_same_either_way(text: str, block: bool) -> None:
    if block:  # the same data in block style, when it is plain data PyYAML can write back
        with contextlib.suppress(yaml.YAMLError):
            text = yaml.safe_dump(yaml.safe_load(text), default_flow_style=False, allow_unicode=True)
    _same_as_located(text)
