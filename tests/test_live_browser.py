"""The players' and facilitator's page in real headless Chromium against a real server on loopback."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp import Browser
from live_server_helpers import Served

from ballotdrill.journal import JOURNAL_FILE, read_events


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium not installed: run make test as root to install Debian's chromium")
    return path


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = Browser(_chromium(), tmp_path / "profile")
    yield chromium
    chromium.close()


def _join(browser: Browser, url: str, token: str) -> str:
    tab = browser.page(url + "/")
    browser.wait(tab, "document.readyState === 'complete' && !!document.getElementById('join-form')")
    browser.evaluate(tab, f"document.getElementById('token').value = {json.dumps(token)};"
                          "document.getElementById('join-form').requestSubmit(); true")
    return tab


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Served]:
    """A served exercise paused while the interior desk has a decision open (ended at teardown if still on)."""
    served = Served(tmp_path / "run")
    try:
        served.wait_view("interior", lambda v: v["requests"])
        assert served.request("POST", "/api/control", served.tokens["facilitator"], {"command": "pause"})[0] == 200
        yield served
    finally:
        served.close()


@pytest.mark.browser
def test_player_and_facilitator_in_the_browser(held: Served, browser: Browser) -> None:
    served = held
    try:
        player = _join(browser, served.url, served.tokens["interior"])
        browser.wait(player, "document.getElementById('player-title').textContent === 'Your role: interior'")
        assert browser.evaluate(player, "document.body.dataset.transport") == "websocket"
        assert browser.evaluate(player, "document.getElementById('control').hidden") is True
        assert browser.evaluate(player, "location.href") == served.url + "/"  # the token never in the URL
        unlabelled = browser.evaluate(player, """[...document.querySelectorAll('input, select, textarea')]
            .filter(e => !e.labels || !e.labels.length).map(e => e.id)""")
        assert unlabelled == []
        browser.wait(player, "!!document.querySelector('button[data-option=debunk]')")
        browser.evaluate(player, "document.querySelector('button[data-option=debunk]').click(); true")
        status = browser.wait(player, "(t => t.startsWith('accepted') || t.startsWith('refused') ? t : '')"
                                      "(document.getElementById('status').textContent)")
        assert status == "accepted: request 1: debunk"
        questions = browser.evaluate(player, "document.getElementById('questions').textContent")
        assert "Who speaks for the government?" in questions

        facilitator = _join(browser, served.url, served.tokens["facilitator"])
        browser.wait(facilitator, "document.getElementById('control-title').textContent === 'Facilitator'")
        assert browser.evaluate(facilitator, "document.getElementById('player').hidden") is True
        browser.evaluate(facilitator, "document.getElementById('resume').click(); true")
        browser.wait(facilitator, "document.getElementById('status').textContent === 'accepted: resumed'")
        browser.evaluate(facilitator, "document.getElementById('pause').click(); true")
        browser.wait(facilitator, "document.getElementById('status').textContent === 'accepted: paused'")
        assert served.core.paused
        browser.evaluate(facilitator, "document.getElementById('inject-text').value = "
                                      "'{message: {to: interior, text: \"<b>Minister</b> calls\"}}';"
                                      "document.getElementById('inject-form').requestSubmit(); true")
        browser.wait(facilitator, "document.getElementById('status').textContent === 'accepted: inject F1 delivered'")
        inbox = browser.wait(player, "(t => t.includes('Minister') ? t : '')"
                                     "(document.getElementById('messages').textContent)")
        assert "<b>Minister</b> calls" in inbox  # shown as text, not markup
        assert browser.evaluate(player, "document.querySelectorAll('#messages b').length") == 0
    finally:
        served.close()
    events = list(read_events(served.folder / JOURNAL_FILE))
    made = [e.data for e in events if e.kind == "decision_made" and e.incident == "N1"]
    assert [(m["option"], m["by"]) for m in made] == [("debunk", "player")]
    assert any(e.kind == "inject_delivered" and e.data["inject"] == "F1" for e in events)
    assert [e.kind for e in events if e.kind in ("paused", "resumed")] == ["paused", "resumed", "paused"]


@pytest.mark.browser
def test_the_evaluator_watches_read_only_and_adds_an_observation(held: Served, browser: Browser) -> None:
    served = held
    try:
        evaluator = _join(browser, served.url, served.tokens["evaluator"])
        browser.wait(evaluator, "document.getElementById('control-title').textContent.startsWith('Evaluator')")
        assert browser.evaluate(evaluator, "document.body.dataset.transport") == "websocket"
        assert browser.evaluate(evaluator, "document.getElementById('facilitator-tools').hidden") is True
        assert browser.evaluate(evaluator, "document.getElementById('player').hidden") is True
        waiting = browser.wait(evaluator, "(t => t.includes('interior') ? t : '')"
                                          "(document.getElementById('all-requests').textContent)")
        assert "debunk" in waiting  # every role's pending decisions, read-only
        assert browser.evaluate(evaluator, "document.querySelectorAll('#all-requests button').length") == 0
        browser.evaluate(evaluator, "document.getElementById('note-text').value = "
                                    "'Interior <i>hesitated</i> before debunking';"
                                    "document.getElementById('note-form').requestSubmit(); true")
        status = browser.wait(evaluator, "(t => t.startsWith('accepted') || t.startsWith('refused') ? t : '')"
                                         "(document.getElementById('status').textContent)")
        assert status.startswith("accepted"), status
        timeline = browser.wait(evaluator, "(t => t.includes('hesitated') ? t : '')"
                                           "(document.getElementById('timeline').textContent)")
        assert "<i>hesitated</i>" in timeline  # text, not markup
        assert browser.evaluate(evaluator, "document.querySelectorAll('#timeline i').length") == 0
        refused = served.request("POST", "/api/control", served.tokens["evaluator"], {"command": "resume"})
        assert refused[0] == 403 and served.core.paused
    finally:
        served.close()
    notes = [e.data for e in read_events(served.folder / JOURNAL_FILE) if e.kind == "note"]
    assert [(n["by"], n["text"]) for n in notes] == [("evaluator", "Interior <i>hesitated</i> before debunking")]


def _left(text: str) -> int:
    """Seconds of a countdown's ``M:SS left`` text."""
    minutes, seconds = text.split(" ")[0].split(":")
    return int(minutes) * 60 + int(seconds)


@pytest.mark.browser
def test_the_player_page_counts_a_decision_down_and_announces_what_is_new(held: Served, browser: Browser) -> None:
    served = held
    facilitator = served.tokens["facilitator"]
    countdown = "(n => n ? n.textContent : '')(document.querySelector('[data-countdown]'))"
    try:
        assert served.request("POST", "/api/speed", facilitator, {"speed": 60})[0] == 200  # 20 minutes: 20 s
        player = _join(browser, served.url, served.tokens["interior"])
        paused = browser.wait(player, f"(t => t.endsWith('left (paused)') ? t : '')({countdown})")
        assert browser.evaluate(player, "document.querySelector('[data-countdown]').getAttribute('role')") == "timer"
        assert browser.evaluate(player, "document.getElementById('news').getAttribute('aria-live')") == "polite"
        time.sleep(1.5)
        assert browser.evaluate(player, countdown) == paused  # it stands while the exercise is paused
        assert served.request("POST", "/api/control", facilitator, {"command": "resume"})[0] == 200
        first = browser.wait(player, f"(t => t.endsWith(' left') ? t : '')({countdown})")
        time.sleep(2.5)
        later = browser.evaluate(player, countdown)
        assert later.endswith(" left") and _left(later) < _left(first) <= _left(paused), (paused, first, later)
        assert browser.evaluate(player, "document.getElementById('news').textContent") == ""  # nothing new yet
        control = _join(browser, served.url, facilitator)
        browser.wait(control, "(n => n && / left$/.test(n.textContent))"
                              "(document.querySelector('#all-requests [data-countdown]'))")

        assert served.request("POST", "/api/speed", facilitator, {"speed": 6000})[0] == 200  # to the timeout, M1
        news = browser.wait(player, "(t => t.includes('timed out') && t.includes('New message') ? t : '')"
                                    "(document.getElementById('news').textContent)")
        assert "timed out: the default 'ignore' was taken at" in news
        assert "Press asks about the wave" in news
        assert "New decision #1" not in news  # the decision open at joining is not news
        decided = browser.evaluate(player, "document.getElementById('decided').textContent")
        assert "timed out: the default 'ignore' was taken at" in decided
    finally:
        served.close()


@pytest.mark.browser
def test_a_reminder_mark_passed_comes_again_when_the_facilitator_slows_the_clock(held: Served,
                                                                                  browser: Browser) -> None:
    served = held
    facilitator = served.tokens["facilitator"]
    countdown = "(n => n ? n.textContent : '')(document.querySelector('[data-countdown]'))"
    news = "document.getElementById('news').textContent"
    try:
        assert served.request("POST", "/api/speed", facilitator, {"speed": 60})[0] == 200  # 20 minutes: 20 s left
        player = _join(browser, served.url, served.tokens["interior"])
        browser.wait(player, f"(t => t.endsWith('left (paused)') && t < '0:21' ? t : '')({countdown})")
        assert served.request("POST", "/api/speed", facilitator, {"speed": 17})[0] == 200  # 71 s left: above 60 again
        browser.wait(player, f"(t => t.startsWith('1:1') ? t : '')({countdown})")
        assert served.request("POST", "/api/control", facilitator, {"command": "resume"})[0] == 200
        said = browser.wait(player, f"(t => t.includes('seconds left') ? t : '')({news})", limit=30)
        assert "Decision #1: about 60 seconds left, then the default ignore is taken" in said, said
    finally:
        served.close()


@pytest.mark.browser
def test_a_role_without_actions_gets_no_action_form(held: Served, browser: Browser) -> None:
    served = held
    try:
        acting = _join(browser, served.url, served.tokens["monitor"])  # the example's monitor declares 'convene'
        browser.wait(acting, "document.getElementById('player-title').textContent === 'Your role: monitor'")
        assert browser.evaluate(acting, "document.getElementById('action-form').hidden") is False
        assert browser.evaluate(acting, "document.getElementById('no-actions').hidden") is True
        none = _join(browser, served.url, served.tokens["interior"])  # interior declares none
        browser.wait(none, "document.getElementById('player-title').textContent === 'Your role: interior'")
        assert browser.evaluate(none, "document.getElementById('action-form').hidden") is True
        assert browser.evaluate(none, "document.getElementById('no-actions').hidden") is False
    finally:
        served.close()
