"""The player's terminal screen of ``ballotdrill join``: escaped lines, status tables, reminders before a default."""

from __future__ import annotations

import io
from typing import Any

from ballotdrill.live.joinscreen import Screen


class Clock:
    """A clock the test moves by hand (the screen's countdowns are measured on it)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _view(seconds_left: float, *, paused: bool = False, text: str = "Minister calls") -> dict[str, Any]:
    return {
        "role": "player", "actor": "interior", "title": "Wave", "clock": "09:10", "paused": paused, "ended": False,
        "requests": [{"key": "N1:respond:choose:1", "number": 1, "actor": "interior", "incident": "N1",
                      "step": "choose", "options": ["debunk", "ignore"], "default": "ignore", "deadline": "09:20",
                      "minutes_left": 10, "seconds_left": seconds_left}],
        "messages": [{"inject": "M1", "clock": "09:05", "from": "cert", "text": text}],
        "questions": [{"inject": "N1", "number": 1, "text": "Who speaks for the government?"}],
        "incidents": [{"id": "N1", "title": "Narrative", "type": "disinfo", "status": "detected"}],
        "actions": ["convene"],
    }


def _closed(by: str, text: str) -> dict[str, Any]:
    """The view once request 1 has closed, ``by`` whom, as the server words it (``text``)."""
    return {"requests": [], "decided": [{"key": "N1:respond:choose:1", "number": 1, "actor": "interior",
                                         "incident": "N1", "step": "choose", "option": "ignore", "by": by,
                                         "clock": "09:20:00", "text": text}]}


def _screen() -> tuple[Screen, io.StringIO, Clock]:
    out, clock = io.StringIO(), Clock()
    return Screen(out, clock=clock), out, clock


def test_each_item_is_shown_once_and_hostile_text_is_escaped() -> None:
    screen, out, _ = _screen()
    hostile = "\x1b[2J\x1b]0;pwned\x07 [bold]calls[/bold]"
    screen.show(_view(120, text=hostile))
    screen.show(_view(110, text=hostile))
    text = out.getvalue()
    assert text.count("ask #1 interior: N1:respond:choose:1 options debunk/ignore") == 1
    assert text.count("question N1 1: Who speaks for the government?") == 1
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]calls[/bold]" in text  # shown as typed, not read as markup


def test_emoji_codes_in_user_text_are_shown_as_written() -> None:
    screen, out, _ = _screen()
    screen.show(_view(120, text="Power :zap: cut"))
    assert "Power :zap: cut" in out.getvalue() and "\u26a1" not in out.getvalue()


def test_a_reminder_comes_once_per_mark_as_the_default_nears() -> None:
    screen, out, clock = _screen()
    screen.show(_view(120))
    clock.now += 50  # 70 s left
    screen.remind()
    assert "reminder" not in out.getvalue()
    clock.now += 15  # 55 s left: the 60 s mark
    screen.remind()
    screen.remind()
    assert out.getvalue().count("reminder: #1") == 1
    assert "~55 s left; then the default ignore applies" in out.getvalue()
    clock.now += 45  # 10 s left: the 15 s mark
    screen.remind()
    assert out.getvalue().count("reminder: #1") == 2


def test_marks_passed_before_the_decision_arrived_are_not_reminded() -> None:
    screen, out, clock = _screen()
    screen.show(_view(20))  # arrives with 20 s left: past the 60 s mark already
    screen.remind()
    assert "reminder" not in out.getvalue()
    clock.now += 6
    screen.remind()
    assert out.getvalue().count("reminder: #1") == 1


def test_the_countdown_stands_still_while_paused() -> None:
    screen, out, clock = _screen()
    screen.show(_view(90, paused=True))
    clock.now += 600
    screen.remind()
    assert "reminder" not in out.getvalue()
    screen.status()
    table = out.getvalue()
    assert "Decisions waiting for you" in table and "paused" in table


def test_status_shows_the_time_left_now() -> None:
    screen, out, clock = _screen()
    screen.show(_view(120))
    clock.now += 30
    screen.status()
    text = out.getvalue()
    assert "~90 s" in text
    for expected in ("debunk/ignore", "09:20", "Who speaks for the government?", "convene", "N1 Narrative: detected"):
        assert expected in text, expected


def test_status_lists_the_latest_messages_escaped_and_counts_the_earlier_ones() -> None:
    screen, out, _ = _screen()
    screen.status()
    assert "│ messages  │ none" in out.getvalue()
    hostile = "\x1b[2J [bold]read[/bold]"
    messages = [{"inject": f"M{n}", "clock": f"09:{n:02d}", "from": "cert" if n % 2 else "", "text": f"call {n}"}
                for n in range(1, 13)] + [{"inject": "M13", "clock": "09:13", "from": "cert", "text": hostile}]
    screen.show(_view(300.0) | {"messages": messages})
    out.truncate(0)
    screen.status()
    text = out.getvalue()
    assert "(3 earlier)" in text and "09:03 M3" not in text and "09:04 M4: call 4" in text  # no sender: none said
    assert "09:05 M5 from cert: call 5" in text and "[bold]read[/bold]" in text and "\x1b" not in text
    assert text.index("09:04 M4") < text.index("09:12 M12") < text.index("09:13 M13")  # oldest first


def test_status_shows_markup_as_written_and_says_pause_resume_and_closed_decisions() -> None:
    screen, out, _ = _screen()
    hostile = _view(300.0) | {"title": "Evil [bold]title[/bold] [link=http://evil]x[/link]",
                              "questions": [{"inject": "N1", "number": 1, "text": "Who [bold]speaks[/bold]?"}]}
    screen.show(hostile)
    screen.status()
    text = out.getvalue()
    assert "Evil [bold]title[/bold] [link=http://evil]x[/link]" in text and "Who [bold]speaks[/bold]?" in text
    assert "\x1b]8;" not in text  # no terminal hyperlink
    screen.show(hostile | {"paused": True})
    screen.show(hostile | {"paused": False})
    said = "#1 N1:respond:choose:1: timed out: the default 'ignore' was taken at 09:20:00"
    screen.show(hostile | _closed("timeout", said))  # the player did not answer it
    screen.show(hostile | _closed("timeout", said))
    lines = out.getvalue().splitlines()
    assert any(line.startswith("the facilitator paused the exercise at 09:10") for line in lines)
    assert any(line.startswith("the facilitator resumed the exercise") for line in lines)
    assert lines.count(said) == 1  # the server's words, once


def test_a_decision_the_player_answered_closes_without_a_word_one_the_facilitator_answered_is_said() -> None:
    screen, out, _ = _screen()
    screen.show(_view(300.0))
    screen.answered.add("1")
    screen.show(_view(300.0) | _closed("player", "#1 N1:respond:choose:1: answered by you: 'ignore' at 09:20:00"))
    assert "answered by you" not in out.getvalue()
    screen, out, _ = _screen()
    screen.show(_view(300.0))
    said = "#1 N1:respond:choose:1: answered by the facilitator: 'ignore' at 09:20:00"
    screen.show(_view(300.0) | _closed("facilitator", said))
    assert said in out.getvalue().splitlines()


def test_a_mark_comes_again_when_the_facilitator_slows_the_clock_above_it() -> None:
    screen, out, clock = _screen()
    screen.show(_view(20))  # arrives past the 60 s mark
    screen.show(_view(80))  # speed 60 -> 15: 80 s left, above both marks again
    clock.now += 15  # 65 s left
    screen.remind()
    assert "reminder" not in out.getvalue()
    clock.now += 10  # 55 s left: the 60 s mark, re-armed
    screen.remind()
    assert out.getvalue().count("reminder: #1") == 1 and "~55 s left" in out.getvalue()
    screen.show(_view(61))  # a view a moment behind the countdown does not re-arm it
    screen.remind()
    assert out.getvalue().count("reminder: #1") == 1
