"""What every test shares: Ctrl-C handled as the test process started with it, and a cache of its own."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator

import pytest

_SIGINT = signal.getsignal(signal.SIGINT)
if _SIGINT == signal.SIG_IGN:
    _SIGINT = signal.default_int_handler
"""Ctrl-C's handler as the test process started with it; Python's own where it started with Ctrl-C ignored (a shell
without job control starts a command put in the background so: ``make test &``). Every process a test starts
inherits an ignored Ctrl-C, so the tests that press Ctrl-C at a command would find it deaf and fail for a reason
that is not the tool's."""


@pytest.fixture(autouse=True)
def _sigint_restored() -> Iterator[None]:
    """``cli.main()`` ignores Ctrl-C once its command is done (up to the process's exit). Every test starts and
    ends with the handler the test process started with: a module's fixture that called ``main`` in this process
    (set up before this fixture) would otherwise leave Ctrl-C ignored, and every process a later test starts
    would inherit that and never see its Ctrl-C."""
    signal.signal(signal.SIGINT, _SIGINT)
    yield
    signal.signal(signal.SIGINT, _SIGINT)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test (and every process it starts) keeps the scenario summary cache in a folder of its own: a test
    never answers from another's entries, nor writes into the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def forkable() -> None:
    """The test forks a real child: threads an earlier test left still ending are waited for (a process running
    another thread never forks, and the code under test would then quietly take its one-process path)."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=30)
    left = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    assert not left, f"threads still running, so this process cannot fork: {left}"
