"""A finding counts each incident it names once, however many incidents a run has: an incident's second long wait
at the same desk, or second failed handoff on the same channel, is not counted again once more ids were seen than
the finding keeps (it keeps the first EVIDENCE_ROWS by id, and holds at most twice that many)."""

from __future__ import annotations

from ballotdrill.scoring.advice import Advisor, Incidents
from ballotdrill.scoring.digest import Digest
from ballotdrill.scoring.model import EVIDENCE_ROWS, Handoff, StepResult

MANY = 2 * EVIDENCE_ROWS + 500
"""More incidents than a finding holds ids of."""


def _ids(n: int) -> list[str]:
    return [f"I{k:06d}" for k in range(1, n + 1)]  # rising: each one past the kept ones is dropped at once


def test_two_long_waits_of_one_incident_at_one_desk_count_it_once() -> None:
    digest = Digest({}, None)
    for n, incident in enumerate(_ids(MANY)):
        waits = [StepResult(incident=incident, procedure="p", step=s, actor="desk", queued_at=0.0, started_at=30.0,
                            wait=30.0, evidence=[2 * n + k]) for k, s in enumerate(("take", "check"))]
        digest.add(-1, None, None, list(enumerate(waits, start=2 * n)), [], None)
    waits = digest.waits["desk"]
    assert waits.count == 2 * MANY  # every long wait
    assert waits.incidents.count == MANY  # every incident once
    assert waits.incidents.listed() == _ids(EVIDENCE_ROWS)
    assert len(waits.incidents.ids) <= 2 * EVIDENCE_ROWS


def test_failed_handoffs_of_one_incident_apart_in_the_run_count_it_once() -> None:
    """The advisor made from a run's handoffs (a report made again from its scores) adds them incident by incident,
    whatever their order in the run."""
    ids = _ids(MANY)
    chains = [Handoff(incident=incident, procedure="p", step=step, sender="a", receiver="b", first_channel="phone",
                      channel="phone", sent_at=0.0, failures=1, attempts=2)
              for step in ("take", "check") for incident in ids]  # each incident's two handoffs far apart
    failed = Advisor(None, {}, None, chains=chains).failures["phone"]
    assert failed.handoffs == 2 * MANY
    assert failed.incidents.count == MANY
    assert failed.incidents.listed() == ids[:EVIDENCE_ROWS]


def test_held_ids_stay_bounded_and_pinned_ones_are_kept() -> None:
    pinned = "I099999"
    incidents = Incidents(frozenset({pinned}))
    for incident in _ids(100_000):
        incidents.add(incident)
        incidents.add(incident)
    assert incidents.count == 100_000
    assert len(incidents.ids) <= 2 * EVIDENCE_ROWS
    assert incidents.listed() == [*_ids(EVIDENCE_ROWS), pinned]
