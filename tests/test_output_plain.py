"""Lines on stderr written without rich (not a terminal) are exactly what rich writes there."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ballotdrill.commands import output

HOSTILE = [
    "", "plain", "  leading and trailing  ", "[bold]not markup[/bold]", "\\[escaped\\]", "ends with \\",
    "a \\\\[x] b", "[green]ok[/green]", ":zap: :smile:", "tab\there", "line\nbreak", "\x1b[31mred\x1b[0m",
    "bidi \u202eevil\u202c", "wide 選挙 日本語", "e\u0301 combining", "emoji 🗳️ and ZWJ 👩\u200d💻", "\x7f\x85\x9b",
    "x" * 500, "file:12:3: 'dist' must be one of 'fixed' (got 'fixd'); did you mean 'fixed'?",
    "C:\\Users\\me\\[draft]\\scenarios.yaml", "[link=https://example.org]x[/link]", "\ud800 lone surrogate",
]


def _written(plain: bool, speak: Callable[[], None]) -> str:
    """What ``speak`` writes to a stderr that is not a terminal, through rich (``plain`` False) or without it."""
    stream = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", stream)
        patch.setattr(output, "_consoles", {})  # a new console, made for this stream
        if not plain:
            patch.setattr(output, "plain_stream", lambda _: False)
        speak()
    return stream.getvalue()


@pytest.fixture(autouse=True)
def _no_forcing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def _same(text: str) -> None:
    assert output.plain_stream(io.StringIO())
    for speak in (lambda: output.say(text), lambda: output.say_marked("ok", "green", text)):
        assert _written(True, speak) == _written(False, speak), repr(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_plain_line_is_what_rich_writes_to_a_file(text: str) -> None:
    _same(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_written_as_rich_writes_it(text: str) -> None:
    _same(text)


def test_the_plain_line_is_the_text_escaped_and_a_newline() -> None:
    assert _written(True, lambda: output.say("a\x1b[2Jb [x]")) == "a\\x1b[2Jb [x]\n"
    assert _written(True, lambda: output.say_marked("ok", "green", "f.yaml (2 scenarios)")) == \
        "ok f.yaml (2 scenarios)\n"


def test_rich_writes_whenever_it_might_not_treat_the_stream_as_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    assert output.plain_stream(io.StringIO())
    for name, value in (("FORCE_COLOR", "1"), ("FORCE_COLOR", ""), ("TTY_COMPATIBLE", "1"), ("TTY_COMPATIBLE", "0")):
        with monkeypatch.context() as patch:
            patch.setenv(name, value)
            assert not output.plain_stream(io.StringIO()), (name, value)
    leader, follower = os.openpty()
    try:
        with open(follower, "w", closefd=False) as terminal:
            assert not output.plain_stream(terminal)
    finally:
        os.close(leader)
        os.close(follower)
    from rich.console import Console
    from rich.file_proxy import FileProxy

    assert not output.plain_stream(FileProxy(Console(file=io.StringIO()), io.StringIO()))  # type: ignore[arg-type]


def test_colour_reaches_a_forced_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    written = _written(True, lambda: output.say_marked("ok", "green", "f.yaml"))
    assert written.startswith("\x1b[32mok\x1b[0m f.yaml")  # rich wrote it, in colour


def test_a_console_is_made_again_for_a_new_stream_or_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run one after another in one process (the tests) print at their own width, not the first one's: a
    sweep's summary read differently depending on which test had made the consoles first."""
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert output.err.width == 60
    monkeypatch.setenv("COLUMNS", "200")
    assert output.err.width == 200
    monkeypatch.delenv("COLUMNS")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    output.err.print("to the new stream")
    assert stream.getvalue() == "to the new stream\n"


def test_a_table_on_a_stderr_that_is_not_a_terminal_keeps_each_row_on_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep's or a run's summary table sent to a file or a CI log is read there: a cell such as ``(54%–73%)``
    split over two lines at rich's default 80 columns misreads. ``COLUMNS``, when set, still decides."""
    cells = ["baseline @ background_factor=0.75", *(f"{n}% (54%–73%)" for n in (61, 62, 63, 64, 65))]

    def table() -> None:
        shown = output.new_table("Chance of meeting each objective", ("point", "O1", "O2", "O3", "O4", "O5"),
                                 [cells[0]])
        output.add_row(shown, *cells)
        output.err.print(shown)

    rows = [line for line in _written(False, table).splitlines() if "baseline" in line]
    assert len(rows) == 1 and all(cell in rows[0] for cell in cells), rows
    monkeypatch.setenv("COLUMNS", "80")
    narrow = _written(False, table).splitlines()
    assert max(map(len, narrow)) <= 80 and not any(all(cell in line for cell in cells) for line in narrow)
