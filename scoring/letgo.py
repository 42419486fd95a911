"""Letting go of a final background arrival: its steps and handoffs folded into every aggregate in one pass.

The run-wide counts (:mod:`.tally`), the busy time per desk and clock hour (:mod:`.load`), the background aggregates
per inject, type and actor (:mod:`.background`), the report's work tables (:mod:`.work`) and what the findings count
of every incident (:mod:`.digest`) each read a few fields of the same few steps and handoffs of an arrival. Here
each step and each handoff is unpacked once and every aggregate is updated from its fields, by the same rules
(:mod:`.foldrules`) that fold what is still held at the end of the run: a run scored with and without letting go
gives the same scores (tested).
"""

from __future__ import annotations

from ballotdrill.scoring.background import BackgroundFold, MeasuredArrival
from ballotdrill.scoring.digest import Digest, unanswered
from ballotdrill.scoring.foldrules import UsualLatencies, fold_chains, fold_steps
from ballotdrill.scoring.load import LoadCollector
from ballotdrill.scoring.tally import RunTally
from ballotdrill.scoring.work import drawn


class LetGo:
    """Folds final background arrivals into ``tally``, ``load``, ``background`` and ``digest`` (with its work
    tables), one pass over each arrival's steps and one over its handoffs."""

    def __init__(self, tally: RunTally, load: LoadCollector, background: BackgroundFold, digest: Digest) -> None:
        self.tally, self.load, self.background, self.digest = tally, load, background, digest
        self.usual = UsualLatencies(digest.advice).__getitem__
        """Each channel's usual latency (the findings' advice's, which the run does not change), asked once."""

    def fold(self, measured: MeasuredArrival, ordinal: int, listed: bool) -> None:
        """Fold in ``measured``, the ``ordinal``-th arrival of its inject, all its work ended; ``listed``: it is
        listed one by one (its records are built and kept)."""
        tally, digest = self.tally, self.digest
        work = digest.work
        times, harm, steps, chains = measured.times, measured.harm, measured.steps, measured.chains
        arrival = measured.recorded() if listed else measured  # records only for what is kept or may be
        tally.incident_resolved(times.to_resolve is not None)
        harmed = harm.nonzero
        if harmed:  # else its harm adds zeros to sums of non-negative floats: the same floats, without the calls
            tally.harm(harm)
            digest.count_harm(harm)
        counted = fold_steps(steps, self.load, None, self.background.actors, work.steps, digest)
        _, _, judged, _, missed = counted
        kept = bool(judged or missed or harmed)  # a finding may name it: as Digest.add's rules
        group = work.background_arrival(times.inject, len(steps), chains, drawn(len(steps), times.severity, harmed))
        handed, named = fold_chains(chains, tally.latencies, work, group, None if kept else self.usual)
        tally.count_work(counted, handed, steps)
        self.background.add_counted(arrival, ordinal, len(steps), counted, handed, harmed)
        if kept or named or unanswered(times, harm, bool(steps or chains)):
            digest.add_cases(arrival, listed)
