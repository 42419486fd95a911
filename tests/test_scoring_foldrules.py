"""Every aggregate a step instance or a handoff is folded into holds the same whether its arrival was let go as soon
as it was final (one pass over each arrival, :mod:`ballotdrill.scoring.letgo`) or held to the end of the run (each
aggregate's own fold): both paths fold by the rules of :mod:`ballotdrill.scoring.foldrules`, and this compares every
aggregate between them, not only what the scores show of it.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import file_of, library, load

from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import Event
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring.foldone import hour_sums
from ballotdrill.scoring.stream import Scorer

LIBRARY = library()


def _scored(doc: ScenarioFile, name: str, seed: int) -> tuple[Scorer, Scorer]:
    """The run scored holding every arrival to the end, and letting go of each (cap 0) as soon as it is final."""
    held, let_go = Scorer(doc, name, cap=None), Scorer(doc, name, cap=0)

    def feed(event: Event) -> None:
        held.feed(event)
        let_go.feed(event)

    run_exercise(doc, name, seed=seed, feed=feed, keep=False)
    held.finish()
    let_go.finish()
    return held, let_go


def _folded(scorer: Scorer) -> dict[str, Any]:
    """Every aggregate of ``scorer`` that step instances and handoffs are folded into, as plain values (sums of
    floats, whose order differs between the paths, to 9 places; the busy time per hour is summed exactly, so it is
    compared to the last bit)."""
    tally, load_, background, digest = scorer.tally, scorer.load, scorer.background, scorer.digest
    counts = {k: v for k, v in vars(tally).items() if isinstance(v, int | float)}
    return {
        "tally": {k: round(v, 9) for k, v in counts.items()},
        "latency": (tally.latencies.count, tally.latencies.mean()),
        "on time": {p: tally.on_time.share(p) for p in tally.on_time.shares},
        "busy": {d: hour_sums(hours) for d, hours in load_.busy.items() if hours},
        "started": {d: k for d, k in load_.started_steps.items() if k},
        "waiting": {a: sorted(w) for a, w in load_.waiting.items() if w},
        "actors": {a: (x.steps, x.steps_with_target, x.late_steps, sorted(x.waits))
                   for a, x in background.actors.items()},
        "work": digest.work.tables(),
        "long waits": {a: (w.count, w.unstaffed, w.incidents.count, w.incidents.listed())
                       for a, w in digest.waits.items()},
        "unstaffed at": digest.unstaffed_at,
        "slow": {c: (s.count, s.incidents.listed()) for c, s in digest.slow.items()},
        "overdue": {c: s.count for c, s in digest.overdue.items()},
        "failures": {c: (f.handoffs, dict(f.senders), dict(f.attempts)) for c, f in digest.failures.items()},
        "late steps": {k: (g.late, g.still, g.on_time, dict(g.causes)) for k, g in digest.steps.items()},
        "deadlines": {k: c.count for k, c in digest.deadlines.items()},
        "ping-pongs": {k: c.count for k, c in digest.ping_pongs.items()},
        "unanswered": {k: u.count for k, u in digest.unanswered.items()},
        "harm": {m: round(v, 9) for m, v in digest.harm_total.items()},
    }


@pytest.mark.parametrize(("name", "seed"), [("combined-hybrid-day", 1), ("combined-hybrid-day", 2),
                                            ("opening-equipment-failures", 3), ("results-night-ddos", 1)])
def test_every_aggregate_is_the_same_whether_arrivals_are_let_go_or_held(name: str, seed: int) -> None:
    held, let_go = _scored(LIBRARY, name, seed)
    assert len(let_go.incidents.incidents) < len(held.incidents.incidents)  # some let go while it played
    folded = _folded(held)
    assert folded["work"].background_step_count > 0  # background work, folded in by both paths
    assert _folded(let_go) == folded


def test_a_handoff_only_slow_is_named_and_an_arrival_not_drawn_is_not_when_let_go() -> None:
    """Arrivals nothing else a finding reads (no target, deadline, failure or harm): only a slow delivery on a channel
    of spread latency names them, so letting go of them must still fold their cases in; and arrivals a timeline
    does not draw (no step, severity 1, no harm)."""
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "take", "actor": "desk", "duration": "2m"},
        {"id": "fix", "actor": "tech", "via": "portal", "duration": "3m"}]}}
    injects = [{"id": "C", "every": "10m", "from": "07:00", "to": "17:00", "incident": {"type": "call"}},
               {"id": "N", "every": "15m", "from": "07:00", "to": "17:00",
                "detected_by": {"actor": "desk", "after": "1m"},
                "incident": {"type": "noise", "severity": 1, "duration": "5m"}}]  # not drawn: no step, no harm
    channels = {"portal": {"latency": {"dist": "lognormal", "median": "4m", "p90": "20m"}}}
    doc = load(file_of({"desk": {"staff": 2}, "tech": {"staff": 2}}, procedures, injects, channels=channels))
    held, let_go = _scored(doc, "s", 1)
    assert let_go.background.arrivals > 50 and len(let_go.incidents.incidents) < 5  # let go while it played
    folded = _folded(held)
    assert folded["slow"]["portal"][0] > 3  # about one in ten later than its 90th percentile
    assert 0 < folded["work"].background_drawn < let_go.background.arrivals
    assert _folded(let_go) == _folded(held)
