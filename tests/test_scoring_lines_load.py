"""A failure counts as "under load" only where load makes it likelier: every line busy, or more than half the lines in
use on a channel whose reliability falls as they fill (``reliability_at_capacity``). On a one-line channel every
attempt has its own line in use, so without that its failures are the channel's reliability, not its lines. Hand-made.

Two calls at 10:00 on a phone of one line (10 min, never gets through, no retry) falling back to a liaison: the
second waits 10 min for the line; both fail on it and go by liaison.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run

from ballotdrill.scoring import analyse, score

ACTORS = {"desk": {"staff": 5}, "cert": {"staff": 5}}
PROCS = {"p": {"trigger": {"type": "outage"}, "steps": [
    {"id": "triage", "actor": "desk"}, {"id": "fix", "actor": "cert", "via": "phone", "duration": "5m"}]}}


def _phone(**line: Any) -> tuple[Any, Any]:
    doc = file_of(ACTORS, PROCS, [{"at": "10:00", "incident": {"id": f"N{i}", "type": "outage"}} for i in (1, 2)],
                  channels={"phone": {"latency": "10m", "reliability": 0.0, "retries": 0, "fallback": "liaison",
                                      **line},
                            "liaison": {"latency": "30m"}})
    scores = score(run(doc), load(doc), "s")
    stats = next(c for c in scores.channels if c.channel == "phone")
    failed = next(f for f in analyse(scores, {}, load(doc).structure).improvements
                  if f.title == "Handoffs failed on phone")
    return stats, failed


def test_a_one_line_channel_failing_whatever_its_load_is_not_told_to_add_lines_for_its_failures() -> None:
    stats, failed = _phone(capacity=1)
    assert (stats.failures, stats.waited, stats.failures_under_load) == (2, 1, 0)
    assert not failed.recommendation.startswith("Add lines"), failed.recommendation
    assert "under load" not in failed.detail + failed.recommendation


def test_a_busy_line_is_a_failure_under_load() -> None:
    stats, failed = _phone(capacity=1, when_full="fail")  # the second call finds the line busy and fails at once
    assert (stats.failures, stats.busy, stats.failures_under_load) == (2, 1, 1)  # the first failed with a free line
    assert failed.recommendation.startswith("Add lines to phone (it has 1): 1 attempt(s) found every line busy; 1 of "
                                            "its 2 failure(s) came under load (every line busy")
