"""A long run's ``scores.json`` is rendered in a forked child while its HTML and Markdown are laid out here: the
same bytes as rendered in one process, and the same when the child cannot be had or fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_run_folders import LONG

from ballotdrill.application import RunInterrupted, reportfiles, run_to_folder, write_reports
from ballotdrill.journal import forked
from ballotdrill.scenarios import load_text

pytestmark = pytest.mark.usefixtures("forkable")

REPORTS = ("report.md", "report.html", "scores.json")


def _texts(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in REPORTS}


def _rebuilt(folder: Path) -> dict[str, bytes]:
    """The reports of ``folder`` written again from its journal, in this process alone."""
    for name in REPORTS:
        (folder / name).unlink()
    write_reports(folder)
    return _texts(folder)


def test_a_long_runs_scores_json_is_made_apart_and_is_the_one_a_single_process_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[bytes | None] = []
    real = reportfiles.made_apart

    def recorded(make: Callable[[], bytes]) -> Callable[[], bytes | None] | None:
        wait = real(make)
        assert wait is not None  # this process can fork

        def waited() -> bytes | None:
            answers.append(wait())
            return answers[-1]
        return waited

    monkeypatch.setattr(reportfiles, "made_apart", recorded)
    run_to_folder(load_text(LONG), "long", seed=2, folder=tmp_path / "r")
    assert len(answers) == 1 and answers[0] == (tmp_path / "r" / "scores.json").read_bytes()
    played = _texts(tmp_path / "r")
    monkeypatch.setattr(reportfiles, "made_apart", real)
    assert _rebuilt(tmp_path / "r") == played


@pytest.mark.parametrize("child", ["cannot fork", "fails"])
def test_without_its_child_the_json_is_made_here_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child: str) -> None:
    if child == "cannot fork":
        monkeypatch.setattr(forked, "can_fork", lambda: False)
    else:  # the child raises (as on a report it cannot render): it ends with status 1, and the text is made here
        def broken(*args: object) -> bytes:
            raise ValueError("cannot render")
        monkeypatch.setattr(reportfiles, "_json_bytes", broken)
    run_to_folder(load_text(LONG), "long", seed=2, folder=tmp_path / "r")
    played = _texts(tmp_path / "r")
    assert b'"scores"' in played["scores.json"]
    monkeypatch.undo()
    assert _rebuilt(tmp_path / "r") == played


def test_a_ctrl_c_in_the_wait_for_the_child_stays_an_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = reportfiles.made_apart
    calls: list[bytes | None] = []

    def interrupted(make: Callable[[], bytes]) -> Callable[[], bytes | None] | None:
        wait = real(make)
        assert wait is not None  # this process can fork

        def waited() -> bytes | None:  # the child's bytes read, then the Ctrl-C lands before they are used
            calls.append(wait())
            raise KeyboardInterrupt
        return waited

    monkeypatch.setattr(reportfiles, "made_apart", interrupted)
    with pytest.raises(RunInterrupted):  # told as an interrupt, not an I/O error from asking the reaped child again
        run_to_folder(load_text(LONG), "long", seed=2, folder=tmp_path / "r")
    assert len(calls) == 1 and calls[0] is not None


def test_the_childs_bytes_waited_for_twice_are_none_the_second_time() -> None:
    wait = forked.made_apart(lambda: b"made")
    assert wait is not None  # this process can fork
    assert wait() == b"made"
    assert wait() is None
