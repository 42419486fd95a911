"""Ctrl-C while a file is being finished: held until the file is whole, then delivered.

Closing and sealing a run's journal, or renaming a report into place and recording it, must not
be cut in the middle. Inside :func:`interrupts_held` a SIGINT is only recorded; when the section
ends it is delivered to the handler that was in place before (Python's: ``KeyboardInterrupt``),
so the caller stops at a clean point. Signals reach only the main thread: elsewhere the section
simply runs.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType


class Held:
    """What happened inside a held section: ``pending`` once a Ctrl-C arrived."""

    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending = False


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is a Ctrl-C: a ``KeyboardInterrupt``; the ``SchemaError`` pydantic-core raises in its place
    when the interrupt lands while it builds a model's schema on first use (it names the interrupt in its message);
    or an error raised from one (``raise … from``: Python's "Error calling __set_name__", when the interrupt lands
    while a class is made, as a model's module is imported on first use)."""
    seen: set[int] = set()
    found: BaseException | None = exc
    while found is not None and id(found) not in seen:
        if isinstance(found, KeyboardInterrupt) or (
                type(found).__name__ == "SchemaError" and "KeyboardInterrupt" in str(found)):
            return True
        seen.add(id(found))
        found = found.__cause__
    return False


@contextlib.contextmanager
def interrupts_held(*, deliver: bool = True) -> Iterator[Held]:
    """Record SIGINT instead of acting on it while the block runs; deliver a recorded one when it ends.

    ``deliver=False``: a Ctrl-C that arrives once the work is done is dropped (the command ends as it
    would have). An exception leaving the block wins over a recorded interrupt.
    """
    held = Held()

    def record(signum: int, frame: FrameType | None) -> None:
        held.pending = True

    try:
        previous = signal.signal(signal.SIGINT, record)
    except ValueError:  # not the main thread, which alone receives signals
        yield held
        return
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)
    if held.pending and deliver:
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


@contextlib.contextmanager
def interrupts_blocked() -> Iterator[None]:
    """SIGINT blocked while the block runs: a process started in it inherits the blocked signal and never
    receives a Ctrl-C (a terminal sends it to the whole group; the parent alone decides), and this process
    gets one that arrived meanwhile as soon as the block ends."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
