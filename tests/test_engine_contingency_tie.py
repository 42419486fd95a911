"""A timed contingency at the same instant as the state change it tests reads the state once everything else at that
instant is done: a containment at 11:00 holds back an 11:00 'if not contained', and releases an 11:00 'if contained'."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import checked, file_of, incident, kinds

from ballotdrill.journal import Kind


def _tied(test: str, at: str) -> dict[str, Any]:
    """X1 at 10:00, noticed at once; crew's one step of 1 h contains it surely: contained at 11:00 (t=300). C1 is
    released at ``at`` if X1 ``test`` contained."""
    return file_of({"crew": {"staff": 1}},
                   {"p": {"trigger": {"type": "x"}, "steps": [
                       {"id": "fix", "actor": "crew", "duration": "1h", "effect": {"contain": 1.0}}]}},
                   [incident("X1", "10:00", "x", detected_by={"actor": "crew", "after": "0m"}),
                    {"id": "C1", "at": at, "when": {"incident": "X1", test: "contained"},
                     "message": {"to": "crew", "text": "still going?"}}])


@pytest.mark.parametrize(("test", "at", "released"), [
    ("is_not", "11:00", False),  # contained at that very instant: no longer 'not contained'
    ("is", "11:00", True),
    ("is_not", "10:59", True),
    ("is", "10:59", False),
])
def test_a_timed_condition_reads_its_instant_settled(test: str, at: str, released: bool) -> None:
    events = checked(_tied(test, at))
    contained = [e.t for e in kinds(events, Kind.CONTAINED)]
    assert contained == [300.0]
    delivered = [e for e in kinds(events, Kind.INJECT_DELIVERED) if e.data["inject"] == "C1"]
    assert bool(delivered) is released
    if released and at == "11:00":  # after the containment it tested, in the journal too
        contained_seq = next(e.seq for e in kinds(events, Kind.CONTAINED))
        assert delivered[0].seq > contained_seq
