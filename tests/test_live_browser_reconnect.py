"""The page after its server stops and comes back (``resume --serve`` on the same address): it says it is not
connected while it is not, that it is connected once it reads a view again, and its clock line never claims a speed
while the clock is stopped. Real processes and headless Chromium on loopback."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cdp import Browser
from live_process_helpers import LiveProc, hostile_file

STATUS = "document.getElementById('status').textContent"
CLOCK = "document.getElementById('clock').textContent"


@pytest.mark.browser
def test_the_page_says_connected_again_after_a_resume_and_stopped_meanwhile(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed: run make test as root to install Debian's chromium")
    folder = tmp_path / "run"
    browser = Browser(chromium, tmp_path / "profile")
    live = LiveProc(folder, hostile_file(tmp_path), ("alpha", "bravo"), speed=60, extra=("--start-paused",))
    resumed = None
    try:
        page = browser.page(live.url + "/")
        browser.wait(page, "document.readyState === 'complete' && !!document.getElementById('join-form')")
        browser.evaluate(page, f"document.getElementById('token').value = '{live.tokens['alpha']}';"
                               "document.getElementById('join-form').requestSubmit(); true")
        browser.wait(page, f"{CLOCK}.endsWith('paused')")
        live.send("resume")
        browser.wait(page, f"/ · speed 60$/.test({CLOCK})")
        live.interrupt()
        assert live.finish() != 0
        stopped = browser.wait(page, f"(s => s.startsWith('not connected') ? s : '')({STATUS})")
        clock = browser.evaluate(page, CLOCK)
        assert "speed" not in clock and clock.endswith("stopped: not connected"), (stopped, clock)
        port = urlsplit(live.url).port
        resumed = LiveProc(folder, Path(), (), command=("resume", str(folder), "--serve", f"127.0.0.1:{port}"))
        back = browser.wait(page, f"(s => s.startsWith('not') ? '' : s)({STATUS})", limit=60)
        assert back == "connected"  # before: "not connected: Failed to fetch" for ever, though reading views again
        browser.wait(page, f"/ · speed 60$/.test({CLOCK})")
        resumed.send("end")
        resumed.send("")
        assert resumed.finish() == 0
    finally:
        for proc in (live, resumed):
            if proc is not None:
                proc.kill()
        browser.close()
