"""``compare`` of two live exercises: the people's inputs are inputs of the comparison, never "the same inputs"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import in_process
from live_helpers import open_request, play_scripted

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
    assert shown["live answers"]["a"].startswith("1: 08:") and "debunk (by player)" in shown["live answers"]["a"]
    assert shown["live answers"]["b"] == "none"
    assert "Minister wants" in shown["live ad-hoc injects"]["a"] and shown["live ad-hoc injects"]["b"] == "none"
    head = data["notes"][0]
    assert "their live answers" in head and "their live ad-hoc injects" in head, head
    assert "the same inputs" not in " ".join(data["notes"])
    # two exercises nobody touched, on one seed, played the same exercise: no input differs
    assert _compare(untouched, again, tmp_path, monkeypatch, capsys)["inputs"] == []
