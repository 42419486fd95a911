"""What every test shares: the process's Ctrl-C handling is left as each test found it, and a cache of its own."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _sigint_restored() -> Iterator[None]:
    """``cli.main()`` ignores Ctrl-C once its command is done (up to the process's exit); a test that calls it in
    this process gets the handler back for the tests after it."""
    handler = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test (and every process it starts) keeps the scenario summary cache in a folder of its own: a test
    never answers from another's entries, nor writes into the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
