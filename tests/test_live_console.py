"""The facilitator's dashboard, drawn to a recording console: clock, incidents, desks, open decisions, shown items."""

from __future__ import annotations

from collections import deque

from live_helpers import example
from rich.console import Console

from ballotdrill.live import inputs
from ballotdrill.live.console import dashboard_console, render
from ballotdrill.live.core import LiveCore
from ballotdrill.live.session import Session
from ballotdrill.live.store import MemoryStore


def test_dashboard_shows_what_a_facilitator_steers_by() -> None:
    core = LiveCore(example(), "wave", seed=1, played=("interior", "monitor"), store=MemoryStore())
    core.advance(20.0)  # N1 is out; the interior desk is asked at 08:17
    assert core.apply(inputs.adhoc_inject("{message: {to: interior, text: '[bold]not markup[/bold]'}}")).ok
    console = Console(record=True, width=160)
    console.print(render(core, Session(core), deque(["ok #1: inject F1 delivered"])))
    text = console.export_text()
    assert "wave  08:20" in text and "speed 60" in text
    assert "N1" in text and "disinformation" in text
    assert "N1:respond:choose:1" in text and "debunk/ignore" in text
    assert "interior (played)" in text
    assert "[bold]not markup[/bold]" in text  # user text shown as written
    assert "question N1 1: Who speaks for the government?" in text
    assert "ok #1: inject F1 delivered" in text


def test_dashboard_shows_emoji_codes_in_user_text_as_written() -> None:
    import io

    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    core.advance(20.0)
    assert core.apply(inputs.adhoc_inject("{message: {to: interior, text: 'Power :zap: cut'}}")).ok
    out = io.StringIO()
    dashboard_console(out).print(render(core, Session(core), deque()))
    assert "Power :zap: cut" in out.getvalue() and "\u26a1" not in out.getvalue()


def test_help_lists_the_commands_and_is_not_an_error() -> None:
    import asyncio
    import io

    from ballotdrill.live.console import FacilitatorConsole

    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    out = io.StringIO()
    console = FacilitatorConsole(Session(core), out=out)
    before = core.count
    asyncio.run(console.handle("help"))
    asyncio.run(console.handle("shout loudly"))
    first, second = out.getvalue().splitlines()
    assert first.startswith("commands: answer REQUEST OPTION") and "send-now INJECT" in first
    assert second.startswith("error: unknown command 'shout'")
    assert core.count == before  # nothing journalled


def test_a_line_too_long_to_read_is_refused_and_the_console_reads_on() -> None:
    """A paste past the reader's limit used to stop the console for the rest of the exercise, without a word."""
    import asyncio
    import io

    from ballotdrill.live.console import FacilitatorConsole

    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    out = io.StringIO()
    console = FacilitatorConsole(Session(core), out=out)

    async def read() -> None:
        stream = asyncio.StreamReader(limit=64)
        stream.feed_data(b"note " + b"x" * 1000 + b"\n" + b"y" * 300 + b"\nhelp\nshout " + b"z" * 500 + b"\n")
        stream.feed_eof()
        await console.read(stream)

    asyncio.run(read())
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("error: that line is longer than") and "at most 4,000 characters" in lines[0]
    assert lines[1].startswith("error: that line is longer than")  # the second over-long line, skipped whole
    assert lines[2].startswith("commands: answer REQUEST OPTION")
    assert lines[3].startswith("error: that line is longer than") and len(lines) == 4, lines


def test_an_incidents_current_step_says_its_procedure_ended() -> None:
    """N1's decision times out at 08:37 and its procedure ends: no view shows the decision still being taken."""
    from ballotdrill.live.views import player_view

    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    core.advance(20)  # 08:20: the interior desk is deciding on N1
    assert core.steps["N1"] == core.own_steps["interior"]["N1"] == "choose (started, interior)"
    core.advance(45)  # 08:45: no answer by 08:37, the default 'ignore' ends the procedure
    assert core.steps["N1"] == "respond ended (completed)"
    shown = next(i for i in player_view(core, "interior")["incidents"] if i["id"] == "N1")
    assert shown["current"] == "respond ended (completed)"
