"""Decisions: how many were made, and which of those put to players were left to their timeout.

A decision step asks its actor to choose. In batch every choice is recorded or defaulted; in a
live exercise a played actor's request is answered by a player or, when nobody answers in
time, by its timeout (the default option). A timeout is the evaluator's business: the player
had the request in front of them and the clock ran out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ballotdrill.journal import DecisionMade, DecisionRequested, Event, Kind
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.model import DecisionTally, DecisionWait

EVIDENCE_KEPT = 20
"""Journal rows of timeouts kept as evidence per actor (the count covers them all)."""

PLAYED = ("player", "facilitator", "timeout")
"""How a decision put to a player was made: answered (by the player, or by the facilitator at the console), or left
to its timeout."""


class DecisionCollector:
    """Decisions made, defaulted, and put to each played actor (answered or timed out)."""

    def __init__(self) -> None:
        self.made = 0
        self.defaulted = 0
        self._put: dict[str, list[int]] = {}
        """Played actor -> [put to them, timed out]."""
        self._steps: dict[str, dict[str, None]] = {}
        self._evidence: dict[str, list[int]] = {}
        self._asked: dict[str, float] = {}
        """Open request -> t it was asked (let go when it is answered)."""
        self._open: dict[str, tuple[str, str, str, str]] = {}
        """Open request -> its incident, procedure, step and actor (let go when it is answered)."""
        self._waits: dict[str, list[DecisionWait]] = {}
        self.answers: dict[tuple[str, str, str], list[DecisionWait]] = {}
        """The same waits per (incident, procedure, decision step): what a late decision step's cause reads."""

    def handlers(self) -> Handlers:
        return {Kind.DECISION_REQUESTED: self._requested, Kind.DECISION_MADE: self._made}

    def _requested(self, event: Event) -> None:
        requested = event.fields(DecisionRequested)
        self._asked[requested.request] = event.t
        self._open[requested.request] = (event.incident or "", requested.procedure, event.step or "",
                                          event.actor or "")

    def _made(self, event: Event) -> None:
        self.made += 1
        made = event.fields(DecisionMade)
        by = made.by
        asked = self._asked.pop(made.request, None)
        self._open.pop(made.request, None)
        if by in ("default", "timeout"):
            self.defaulted += 1
        if by not in PLAYED:
            return
        actor = event.actor or ""
        counts = self._put.setdefault(actor, [0, 0])
        counts[0] += 1
        if by == "timeout":
            counts[1] += 1
            self._steps.setdefault(actor, {})[event.step or ""] = None
            kept = self._evidence.setdefault(actor, [])
            if len(kept) < EVIDENCE_KEPT:
                kept.append(event.seq)
        if asked is not None and event.incident is not None:  # its wait for an answer (or its timeout): a delay,
            # as any queue wait is; whether it weighs is the lever's and the objective's business
            wait = DecisionWait(incident=event.incident, procedure=made.procedure, step=event.step or "",
                                requested_at=asked, made_at=event.t, timed_out=by == "timeout")
            self._waits.setdefault(actor, []).append(wait)
            self.answers.setdefault((wait.incident, wait.procedure, wait.step), []).append(wait)

    def stopped(self, until: float) -> None:
        """The requests still waiting for their answer when the run stopped at ``until``: each a wait to the stop,
        not answered (a delay of its own, as work still queued is), among its actor's waits and :attr:`answers`."""
        for request, (incident, procedure, step, actor) in self._open.items():
            wait = DecisionWait(incident=incident, procedure=procedure, step=step, requested_at=self._asked[request],
                                made_at=until, answered=False)
            self._put.setdefault(actor, [0, 0])
            self._waits.setdefault(actor, []).append(wait)
            self.answers.setdefault((incident, procedure, step), []).append(wait)
        self._open.clear()

    def tallies(self) -> list[DecisionTally]:
        """One per played actor that was asked to decide, in actor order."""
        return [DecisionTally(actor=actor, put=put, timed_out=timed_out, steps=list(self._steps.get(actor, {})),
                              evidence=self._evidence.get(actor, []), waits=self._waits.get(actor, []))
                for actor, (put, timed_out) in sorted(self._put.items())]


Answers = Mapping[tuple[str, str, str], Sequence[DecisionWait]]
"""(incident, procedure, decision step) -> its waits for a player's answer or its timeout (live play)."""


def answers_of(tallies: Iterable[DecisionTally]) -> dict[tuple[str, str, str], list[DecisionWait]]:
    """:attr:`DecisionCollector.answers` of finished scores' tallies."""
    out: dict[tuple[str, str, str], list[DecisionWait]] = {}
    for tally in tallies:
        for wait in tally.waits:
            out.setdefault((wait.incident, wait.procedure, wait.step), []).append(wait)
    return out
