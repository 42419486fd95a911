"""The journal contract: kinds are one enumeration, each kind's fields one record, and readers use them."""

from __future__ import annotations

import ast
import re
from difflib import get_close_matches
from pathlib import Path

import pytest

from ballotdrill import scenarios
from ballotdrill.exercise import run_exercise
from ballotdrill.journal import KINDS, PACKED, Event, HandoffReceived, Kind, StepStarted, StepTargets
from ballotdrill.journal.events import keys, records_of

ROOT = Path(__file__).resolve().parent.parent
READERS = ("scoring", "report", "exports", "application")


def test_the_check_for_spelt_kinds_finds_a_misspelling() -> None:
    assert _kind_literals(ast.parse('if e.kind == "handoff_recieved":\n    pass')) == [1]
    assert _kind_literals(ast.parse('if e.kind in ("detected", "resolved"):\n    pass')) == [1]
    assert _kind_literals(ast.parse('if e.kind == Kind.DETECTED or obj.kind == "on_time":\n    pass')) == []


def test_every_kind_is_documented_and_every_documented_kind_exists() -> None:
    table = (ROOT / "docs" / "journal.md").read_text(encoding="utf-8").split("## Kinds and their fields")[1]
    documented = set(re.findall(r"^\| `([a-z_]+)`(?: / `([a-z_]+)`)? \|", table, re.M))
    assert {name for pair in documented for name in pair if name} == set(KINDS)
    assert Kind.HANDOFF_RECEIVED == "handoff_received"  # values are what files hold
    with pytest.raises(AttributeError):
        Kind.HANDOFF_RECIEVED  # type: ignore[attr-defined]  # noqa: B018


def test_fields_reads_a_record_by_attribute_and_refuses_another_kinds_record() -> None:
    received = Event(3, 1.5, "handoff_received", "N1", "cell", "s2",
                     {"attempts": 2, "channel": "phone", "from": "desk", "latency": 4.5, "procedure": "p"})
    fields = received.fields(HandoffReceived)
    assert (fields.from_, fields.latency, fields.attempts, fields.channel) == ("desk", 4.5, 2, "phone")
    with pytest.raises(ValueError, match="not 'step_started'"):
        received.fields(StepStarted)
    assert Event(0, 0.0, "step_completed", None, None, None, {"elapsed": 3}).fields(StepTargets) == StepTargets()


def _rows_fit_their_records(doc: scenarios.ScenarioFile, seen: set[str]) -> None:
    """Every data key of every run of ``doc`` is a field of its kind's records; every required field is there."""
    readable = {kind: records_of(kind) for kind in Kind}
    for name in doc.scenarios:
        result = run_exercise(doc, name, seed=3)
        assert result.memory is not None
        for event in result.memory.events():
            seen.add(event.kind)
            records = readable[Kind(event.kind)]
            fields = {key for record in records for key in keys(record)}
            required = {key for record in records
                        for key, name_ in zip(keys(record), record._fields, strict=True)
                        if name_ not in record._field_defaults}
            assert set(event.data) <= fields, (event.kind, set(event.data) - fields)
            assert required <= set(event.data), (event.kind, required - set(event.data))


def test_every_row_the_engine_writes_fits_its_kinds_record() -> None:
    """Every data key the engine writes is a field of the kind's record, and every field without a default is there."""
    seen: set[str] = set()
    _rows_fit_their_records(scenarios.load_file(scenarios.library_path()), seen)
    assert set(PACKED) <= seen


def test_the_rows_of_the_documented_examples_fit_their_kinds_records() -> None:
    """The examples exercise what the library does not: wave_slowed, mitigated, the lines of a saturated channel."""
    seen: set[str] = set()
    for path in sorted((ROOT / "docs" / "examples").glob("*.yaml")):
        _rows_fit_their_records(scenarios.load_file(path), seen)
    assert {Kind.WAVE_SLOWED, Kind.MITIGATED} <= seen


def _like_a_kind(text: str) -> bool:
    """A journal kind, or close enough to one to be a misspelling (``handoff_recieved``)."""
    return bool(get_close_matches(text, KINDS, n=1, cutoff=0.8))


def _kind_literals(tree: ast.AST) -> list[int]:
    """Lines where ``something.kind`` is compared with a string literal (or a tuple/set of them)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(isinstance(s, ast.Attribute) and s.attr == "kind" for s in sides):
            continue
        for side in sides:
            items = side.elts if isinstance(side, (ast.Tuple, ast.Set, ast.List)) else [side]
            if any(isinstance(i, ast.Constant) and isinstance(i.value, str) and _like_a_kind(i.value) for i in items):
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("layer", READERS)
def test_readers_compare_kinds_through_the_enumeration(layer: str) -> None:
    """A kind spelt as a string (``e.kind == "handoff_recieved"``) is what mypy cannot catch: none is left."""
    found = {str(path.relative_to(ROOT)): lines for path in sorted((ROOT / layer).rglob("*.py"))
             if (lines := _kind_literals(ast.parse(path.read_text(encoding="utf-8"))))}
    assert found == {}


@pytest.mark.parametrize("layer", ("scoring", "report"))
def test_scoring_and_report_read_fields_by_attribute(layer: str) -> None:
    """No ``event.data`` lookups by string key: fields come from the kind's record."""
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "data" and not isinstance(node.ctx, ast.Store):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_every_kind_has_its_hot_path_constant() -> None:
    from ballotdrill.journal import kinds

    names = {name for name in vars(kinds) if name.isupper()}
    assert names == {k.name for k in Kind}
    assert all(getattr(kinds, k.name) is k for k in Kind)
