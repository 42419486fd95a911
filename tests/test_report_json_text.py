"""scores.json's text: the faster writer gives the bytes of ``json.dumps(..., sort_keys=True, indent=2,
ensure_ascii=False)`` for any value, and leaves to ``json`` what it does not take itself."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ballotdrill.report.json_text import indented_json
from ballotdrill.scoring.model import dumps

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),  # NaN and infinities too
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=4), inner, max_size=4),
    st.dictionaries(st.one_of(st.integers(), st.none(), st.booleans()), inner, max_size=3)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(values)
def test_the_same_bytes_as_json(value: Any) -> None:
    try:
        expected = dumps(value)
    except TypeError:  # keys of types that sort_keys cannot order: json refuses, and so does this
        try:
            indented_json(value)
        except TypeError:
            return
        raise AssertionError("json refused it, the writer did not") from None
    assert indented_json(value) == expected


def test_what_json_treats_its_own_way() -> None:
    class Level(int):
        pass

    for value in ({"a": float("nan")}, {1: "one", 2: [float("-inf")], 3: True}, [Level(3)], {"k": (1, [2, {}], [])}):
        assert indented_json(value) == json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
