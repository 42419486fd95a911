"""The journal's fast row encoders give exactly the bytes of canonical ``json``."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import scenarios
from exercise import run_exercise
from exercise.journal import _NAME_KEYS, _SHAPES, encode_data
from scenarios.types import NAME_PATTERN

names = st.from_regex(NAME_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 80)
numbers = st.one_of(st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False))


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@st.composite
def shaped(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(_SHAPES)))
    data = {key: draw(st.one_of(st.none(), names) if key == "channel" else names if key in _NAME_KEYS else numbers)
            for key in _SHAPES[kind]}
    return kind, data


@given(shaped())
def test_fast_encoders_match_canonical_json(row: tuple[str, dict[str, Any]]) -> None:
    kind, data = row
    assert encode_data(kind, data) == canonical(data)


values = st.one_of(st.text(), st.booleans(), st.none(), st.floats(), st.lists(st.integers(), max_size=2))


@given(shaped(), st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(sorted(_NAME_KEYS | {"wait", "run"}))),
       values)
def test_other_shapes_and_values_fall_back_to_json(row: tuple[str, dict[str, Any]], key: str, value: Any) -> None:
    kind, data = row
    data = {**data, key: value}
    assert encode_data(kind, data) == canonical(data)


def test_every_row_of_the_library_encodes_canonically() -> None:
    doc = scenarios.load_file(scenarios.library_path())
    for name in doc.scenarios:
        for event in run_exercise(doc, name, seed=5).events:
            expected = canonical(event.data) if event.data else None
            assert encode_data(event.kind, event.data) == expected, (name, event)
