"""``score``: every measure and rating of one run, from its journal and scenario file."""

from __future__ import annotations

from collections.abc import Iterable

from ballotdrill.journal import Event
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring.model import Scores
from ballotdrill.scoring.stream import Scorer


def score(events: Iterable[Event], doc: ScenarioFile, scenario_name: str, *, unfinished: bool = False) -> Scores:
    """Score a run: timeliness, handoffs, load, harm and the scenario's objectives.

    ``events`` in any order (they are put in ``seq`` order); a journal too large to hold is fed to
    a :class:`~ballotdrill.scoring.stream.Scorer` instead, as it is read. ``unfinished``: the journal may stop
    without ``run_ended``; the harm of the incidents still open at its last row is then worked out from the rows.
    """
    scorer = Scorer(doc, scenario_name, unfinished=unfinished)
    for event in sorted(events, key=lambda e: e.seq):
        scorer.feed(event)
    return scorer.finish()
