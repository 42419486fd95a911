"""``compare`` of two live exercises: the people's inputs are inputs of the comparison, never "the same inputs"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import in_process
from live_helpers import open_request, play_scripted

from ballotdrill.application.live_inputs import LiveInput, live_input_differences
from ballotdrill.live import inputs
from ballotdrill.live.session import Session


async def _debunk(session: Session) -> None:
    first = await open_request(session.core, "interior")
    assert (await session.submit(inputs.answer(str(first.number), "debunk", player="interior"))).ok
    assert (await session.submit(inputs.adhoc_inject("{message: {to: interior, text: Minister wants a brief}}"))).ok


async def _nobody(session: Session) -> None:
    """No one answers: N1's decision takes its default at its timeout."""


def _compare(a: Path, b: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> dict[str, list[dict[str, str]]]:
    result = in_process(("compare", str(a), str(b), "--json"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    data: dict[str, list[dict[str, str]]] = json.loads(result.stdout)
    return data


def test_live_inputs_are_input_differences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    answered, untouched, again = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, script in ((answered, _debunk), (untouched, _nobody), (again, _nobody)):
        assert play_scripted(folder, script, played=("interior",)).ended
    data = _compare(answered, untouched, tmp_path, monkeypatch, capsys)
    shown = {d["what"]: d for d in data["inputs"]}
    timed_out = "10:27 request N2:respond:choose:1: no answer by the timeout, default ignore"  # in both
    assert re.fullmatch(rf"2: 08:\d\d request N1:respond:choose:1: debunk \(by player\); {timed_out}",
                        shown["live answers"]["a"]), shown["live answers"]["a"]
    # nobody answered N1 in B: it timed out to its default, which B shows (it read "none")
    assert re.fullmatch(rf"2: 08:\d\d request N1:respond:choose:1: no answer by the timeout, default \w+; {timed_out}",
                        shown["live answers"]["b"]), shown["live answers"]["b"]
    assert "Minister wants" in shown["live ad-hoc injects"]["a"] and shown["live ad-hoc injects"]["b"] == "none"
    head = data["notes"][0]
    assert "their live answers" in head and "their live ad-hoc injects" in head, head
    assert "the same inputs" not in " ".join(data["notes"])
    # two exercises nobody touched, on one seed, played the same exercise: no input differs
    assert _compare(untouched, again, tmp_path, monkeypatch, capsys)["inputs"] == []


def _notes(*at: tuple[float, str]) -> list[LiveInput]:
    return [LiveInput(t, "note", {"text": text, "by": "facilitator"}) for t, text in at]


def test_inputs_at_one_moment_in_another_order_are_the_same_inputs() -> None:
    """Two notes given at one moment, in one order in A and the other in B: the same inputs. The same notes at other
    seconds of one minute, swapped, are not (the engine saw them in another order), nor a minute apart."""
    start = 8 * 60.0
    same_moment = live_input_differences(_notes((10.5, "first"), (10.5, "second")),
                                         _notes((10.5, "second"), (10.5, "first")), start, start)
    assert same_moment == []
    same_minute = live_input_differences(_notes((10.2, "first"), (10.6, "second")),
                                         _notes((10.1, "second"), (10.9, "first")), start, start)
    assert [(d.what, d.a, d.b) for d in same_minute] == [
        ("live notes", "2: 08:10 'first' (by facilitator); 08:10 'second' (by facilitator)",
         "2: 08:10 'second' (by facilitator); 08:10 'first' (by facilitator)")]
    swapped = live_input_differences(_notes((10.0, "first"), (11.0, "second")),
                                     _notes((10.0, "second"), (11.0, "first")), start, start)
    assert [(d.what, d.a, d.b) for d in swapped] == [
        ("live notes", "2: 08:10 'first' (by facilitator); 08:11 'second' (by facilitator)",
         "2: 08:10 'second' (by facilitator); 08:11 'first' (by facilitator)")]
    one_more = live_input_differences(_notes((10.2, "first"), (10.6, "first")), _notes((10.1, "first")), start, start)
    assert len(one_more) == 1  # the same note given twice is not the same as once
