"""The share of steps with a target that met it, counted as step instances are folded in (each once): over all
procedures and per procedure, with the rows of the latest late steps and the earliest on-time ones as evidence (at
most :data:`~ballotdrill.scoring.model.EVIDENCE_ROWS`), for the on-time objectives and the run's totals.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from ballotdrill.scoring.measured import StepLike
from ballotdrill.scoring.model import EVIDENCE_ROWS, StepResult, r3

__all__ = ["OnTimeShare", "OnTimeTally", "on_time_share"]


class OnTimeShare(NamedTuple):
    """Share of steps with a target that met it, and the rows of the steps it counts (``listed`` of ``counted``)."""

    value: float | None
    evidence: list[int]
    counted: int
    listed: bool = True
    """False: counted without its rows (:class:`OnTimeTally` with ``evidence=False``), which :attr:`note` does not
    report as rows left out."""
    unreached: tuple[tuple[str, int], ...] = ()
    """Of the late steps counted, those whose work had not reached them when the run stopped, their target passed
    (:mod:`.unarrived`): how many, by where the work stood (its words, :data:`~.unarrived.HOW_WORDS`)."""
    met: int = 0
    """Of the steps counted, those that met their target."""
    undecided: int = 0
    """Steps with a target not counted: still undecided when the run stopped (:mod:`.undecided`)."""

    @property
    def note(self) -> str:
        """``; 2 of the 9 steps counted not yet reached when the run stopped, already past their target (…)`` and
        ``; evidence: the 500 latest steps and the earliest on time of 12,345`` when not every row is listed."""
        note = ""
        if self.unreached:
            count = sum(n for _, n in self.unreached)
            how = ", ".join(f"{n:,} with {words}" for words, n in self.unreached)
            note = (f"; {count:,} of the {self.counted:,} steps counted not yet reached when the run stopped, already "
                    f"past their target, so late ({how})")
        if len(self.evidence) >= self.counted or not self.listed:
            return note
        return (f"{note}; evidence: {len(self.evidence):,} of the {self.counted:,} steps counted (the latest first, "
                "then the earliest on time)")


class _Share:
    """One share being counted: steps counted and met, the latest late steps and the earliest on-time ones."""

    __slots__ = ("counted", "late", "met", "on_time", "undecided", "unreached")

    def __init__(self) -> None:
        self.counted = 0
        self.met = 0
        self.undecided = 0
        self.unreached: dict[str, int] = {}
        """Late steps whose work had not reached them at the stop, by where it stood (in words)."""
        self.late: list[tuple[float, int]] = []
        """A heap of the :data:`EVIDENCE_ROWS` latest late steps as ``(late_by, -row)``."""
        self.on_time: list[int] = []
        """A heap of the :data:`EVIDENCE_ROWS` earliest on-time rows, as ``-row``."""

    def add(self, on_time: bool, late_by: float | None, row: int) -> None:
        """Count a step with a target (``row``: its last row)."""
        self.counted += 1
        if on_time:
            self.met += 1
            _keep(self.on_time, -row)
        else:
            _keep(self.late, (late_by or 0.0, -row))

    def share(self) -> OnTimeShare:
        if not self.counted:
            return OnTimeShare(None, [], 0, undecided=self.undecided)
        late = [-row for _, row in sorted(self.late, reverse=True)]
        on_time = sorted(-row for row in self.on_time)
        return OnTimeShare(r3(self.met / self.counted), sorted((late + on_time)[:EVIDENCE_ROWS]), self.counted,
                           unreached=tuple(self.unreached.items()), met=self.met, undecided=self.undecided)


class _Count(_Share):
    """A share counted without its evidence rows (what a sweep reads: the value alone)."""

    __slots__ = ()

    def add(self, on_time: bool, late_by: float | None, row: int) -> None:
        self.counted += 1
        if on_time:
            self.met += 1

    def share(self) -> OnTimeShare:
        return super().share()._replace(listed=False)


def _keep(heap: list[Any], item: Any) -> None:
    if len(heap) < EVIDENCE_ROWS:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


class OnTimeTally:
    """Shares of steps with a target that met it, over all procedures and for each of ``procedures``, counted as
    step instances are folded in (each once); every step counts, at most :data:`EVIDENCE_ROWS` rows are kept
    (``evidence=False``: none, the shares' values alone, all a sweep reads; the same counts)."""

    def __init__(self, procedures: Iterable[str] = (), evidence: bool = True) -> None:
        share = _Share if evidence else _Count
        self.shares = {name: share() for name in {"all", *procedures}}

    def add(self, steps: Iterable[StepLike]) -> None:
        for step in steps:
            on_time = step.on_time
            if on_time is not None:
                self.add_one(step.procedure, on_time, step.late_by, step.evidence[-1])

    def add_one(self, procedure: str, on_time: bool, late_by: float | None, row: int) -> None:
        """Count one step of ``procedure`` with a target (``row``: its last row): what :meth:`add` counts of each."""
        shares = self.shares
        every = shares["all"]
        every.add(on_time, late_by, row)
        own = shares.get(procedure)
        if own is not None and own is not every:
            own.add(on_time, late_by, row)

    def add_unreached(self, procedure: str, late_by: float, row: int, how: str) -> None:
        """Count a step of ``procedure`` its work had not reached when the run stopped, ``late_by`` past its target
        (``row``: where its work stood; ``how``: that place in words)."""
        self.add_one(procedure, False, late_by, row)
        for share in self._of(procedure):
            share.unreached[how] = share.unreached.get(how, 0) + 1

    def add_undecided(self, procedures: Iterable[str]) -> None:
        """Note a step of each of ``procedures`` (one per step) still undecided when the run stopped."""
        for procedure in procedures:
            for share in self._of(procedure):
                share.undecided += 1

    def _of(self, procedure: str) -> list[_Share]:
        """The shares a step of ``procedure`` counts in: all, and its procedure's if tallied."""
        every, own = self.shares["all"], self.shares.get(procedure)
        return [every] if own is None or own is every else [every, own]

    def share(self, procedure: str) -> OnTimeShare:
        """Share of steps with a target (of ``procedure``, or ``all``) that met it (a procedure not named when the
        tally was made counts as none)."""
        found = self.shares.get(procedure)
        return found.share() if found is not None else OnTimeShare(None, [], 0)


def on_time_share(steps: Sequence[StepResult], procedure: str) -> tuple[float | None, list[int]]:
    """Share of completed steps with a target (of ``procedure``, or ``all``) that met it, and their rows."""
    tally = OnTimeTally([procedure])
    tally.add(steps)
    found = tally.share(procedure)
    return found.value, found.evidence
