"""What every test shares: the process's Ctrl-C handling is left as each test found it."""

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
