"""When the streaming scorer lets go of a background arrival, and that what it folds in is exactly right.

A background arrival is final once it is resolved and detected (the engine can journal a
detection after a resolution: an incident that ended by itself before anyone noticed it) and
none of its steps or handoffs is open. Each test plays a tiny hand-made day through two scorers
at once, one with a cap (a real parameter: arrivals beyond it are folded and let go) and one
without, and checks the capped one against the whole run.
"""

from __future__ import annotations

from statistics import fmean
from typing import Any

import pytest
from engine_helpers import file_of, incident, load

from ballotdrill.exercise.run import run_exercise
from ballotdrill.journal import Event, Kind
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scoring import analyse
from ballotdrill.scoring.background import MeasuredArrival, bounded
from ballotdrill.scoring.digest import digest_of
from ballotdrill.scoring.exactsum import ExactSum
from ballotdrill.scoring.load import actor_names
from ballotdrill.scoring.model import Scores
from ballotdrill.scoring.stream import Scorer


def _both(doc: ScenarioFile, cap: int, until: float | None = None,
          watch: Any = None) -> tuple[Scores, Scores, Scorer, list[Event]]:
    """The run scored with no cap and with ``cap``; ``watch(event, capped)`` is called after each event."""
    full, capped = Scorer(doc, "s", cap=None), Scorer(doc, "s", cap=cap)
    seen: list[Event] = []

    def feed(event: Event) -> None:
        full.feed(event)
        capped.feed(event)
        seen.append(event)
        if watch is not None:
            watch(event, capped)

    run_exercise(doc, "s", seed=3, until_clock=until, feed=feed, keep=False)
    return full.finish(), capped.finish(), capped, seen


def _same_run(full: Scores, capped: Scores, cap: int) -> None:
    """Everything counted over every arrival equals the whole run's; the lists are what bounding it gives."""
    assert capped.to_json() == bounded(full, cap).to_json()
    assert (capped.totals, capped.load, capped.channels, capped.objectives) == \
        (full.totals, full.load, full.channels, full.objectives)
    assert capped.background.model_copy(update={"cap": 0, "listed": 0}) == \
        full.background.model_copy(update={"listed": 0})


def _late_detection_day() -> dict[str, Any]:
    """Rumours that die out after 10 minutes but are noticed only after 30, and calls answered by a desk."""
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "answer", "actor": "desk", "duration": "4m", "target": "10m", "effect": {"contain": 1.0}}]},
        "debunk": {"trigger": {"type": "rumour"}, "steps": [
            {"id": "debunk", "actor": "desk", "duration": "5m", "effect": {"contain": 1.0}}]}}
    injects = [incident("S1", "09:00", "call"),
               {"id": "R", "every": "7m", "from": "08:00", "to": "12:00",
                "detected_by": {"actor": "desk", "after": "30m"},
                "incident": {"type": "rumour", "severity": 2, "duration": "10m"}},
               {"id": "C", "every": "6m", "from": "08:00", "to": "12:00", "incident": {"type": "call"}}]
    return file_of({"desk": {"staff": 1}}, procedures, injects)


def test_an_arrival_resolved_before_it_is_detected_is_kept_until_its_detection() -> None:
    doc = load(_late_detection_day())
    held_at_resolution: dict[str, bool] = {}
    held_after_detection: dict[str, bool] = {}

    def watch(event: Event, scorer: Scorer) -> None:
        if event.incident is None or not event.incident.startswith("R-"):
            return
        if event.kind == Kind.RESOLVED:
            held_at_resolution[event.incident] = event.incident in scorer.arrivals
        elif event.kind == Kind.DETECTED:
            held_after_detection[event.incident] = event.incident in scorer.arrivals

    full, capped, _, events = _both(doc, cap=2, watch=watch)
    resolved_first = [i for i in held_at_resolution if i in held_after_detection]
    assert len(resolved_first) > 10  # each rumour ends by itself after 10 min and is noticed after 30
    late = [i for i in resolved_first if int(i.split("-")[1]) > 2]  # beyond the cap of 2
    assert all(held_at_resolution[i] for i in late)  # resolved, not yet detected: still held
    assert not any(held_after_detection[i] for i in late)  # detected: folded in and let go
    rumours = next(g for g in full.background.injects if g.key == "R")
    assert rumours.detect.count == rumours.arrivals == sum(e.kind == Kind.DETECTED and (e.incident or "")
                                                           .startswith("R-") for e in events)
    _same_run(full, capped, 2)


def test_arrivals_still_open_at_the_end_are_measured_to_the_end() -> None:
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "answer", "actor": "desk", "duration": "5m", "target": "20m", "effect": {"contain": 1.0}}]}}
    injects = [{"id": "C", "every": "2m", "from": "06:00", "to": "20:00", "incident": {"type": "call"}}]
    doc = load(file_of({"desk": {"staff": 1}}, procedures, injects))
    full, capped, _, _ = _both(doc, cap=5)
    calls = capped.background.injects[0]
    assert calls.open_at_end > 100 and capped.totals.steps_open > 100  # a queue that only grows
    assert capped.load[0].queued_at_end == full.load[0].queued_at_end > 100
    assert calls.worst_contain is not None and calls.worst_contain in {i.incident for i in capped.incidents}
    _same_run(full, capped, 5)


def test_a_run_stopped_early_scores_the_same_capped_or_not() -> None:
    doc = load(_late_detection_day())
    full, capped, _, events = _both(doc, cap=1, until=10 * 60 + 17)  # 10:17, in the middle of the arrivals
    assert events[-1].kind == Kind.RUN_ENDED and events[-1].t < doc.scenarios["s"].end - doc.scenarios["s"].start
    assert capped.totals.open_incidents > 0 and capped.background.capped
    _same_run(full, capped, 1)


def test_above_the_cap_the_findings_count_every_arrival() -> None:
    """A day past the cap: the aggregates and the findings drawn from the capped scorer equal the whole run's."""
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "triage", "actor": "desk", "duration": {"dist": "exponential", "mean": "3m"}, "target": "15m"},
        {"id": "fix", "actor": "tech", "via": "radio", "duration": {"dist": "exponential", "mean": "6m"},
         "target": "40m", "effect": {"contain": 0.8}}]}}
    injects = [incident("S1", "09:00", "call"),
               {"id": "C", "every": {"dist": "exponential", "mean": "4m"}, "from": "07:00", "to": "19:00",
                "incident": {"type": "call", "severity": 2}}]
    channels = {"radio": {"latency": "1m", "reliability": 0.8}}
    doc = load(file_of({"desk": {"staff": 1}, "tech": {"staff": 2}}, procedures, injects, channels=channels))
    full, capped, scorer, _ = _both(doc, cap=3)
    assert capped.background.arrivals > 100 and capped.background.listed < 40
    _same_run(full, capped, 3)
    names = actor_names(doc.structure)
    whole = analyse(full, names, doc.structure)
    bounded_findings = analyse(capped, names, doc.structure, scorer.digest)
    assert [f.title for f in whole.improvements] == [f.title for f in bounded_findings.improvements]
    assert whole == bounded_findings
    assert any("late (" in f.title for f in whole.improvements)
    assert any(f.title.startswith("Handoffs failed on radio") for f in whole.improvements)


def test_arrivals_folded_without_records_give_the_whole_runs_findings_and_tables(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A day past the cap whose arrivals no finding keeps (no target, no deadline, nothing fails, no harm): they are
    folded from their fields alone, and the queue, the handoff matrix and the background tables still count every
    one, as the whole run does."""
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "take", "actor": "desk", "duration": {"dist": "exponential", "mean": "4m"}},
        {"id": "fix", "actor": "tech", "via": "phone", "duration": {"dist": "exponential", "mean": "4m"}}]}}
    injects = [{"id": "C", "every": {"dist": "exponential", "mean": "5m"}, "from": "07:00", "to": "19:00",
                "incident": {"type": "call"}}]
    doc = load(file_of({"desk": {"staff": 1}, "tech": {"staff": 1}}, procedures, injects,
                       channels={"phone": {"latency": "1m"}}))
    recorded = []
    build = MeasuredArrival.recorded
    monkeypatch.setattr(MeasuredArrival, "recorded", lambda self: recorded.append(self.n) or build(self))
    full, capped, scorer, _ = _both(doc, cap=3)
    arrivals = capped.background.arrivals
    assert arrivals > 100 and arrivals - len(set(recorded)) > 20  # many folded from their fields alone
    _same_run(full, capped, 3)
    names = actor_names(doc.structure)
    whole = analyse(full, names, doc.structure)
    assert whole == analyse(capped, names, doc.structure, scorer.digest)
    assert any(f.title.startswith("Queue at") for f in whole.improvements)  # long waits, counted for every arrival
    tables = digest_of(full, names, doc.structure).work.tables()
    assert scorer.digest.work.tables() == tables
    assert tables.background_step_count == 2 * arrivals - capped.totals.steps_open
    assert tables.links[0].count == capped.totals.handoffs


def test_missed_deadlines_beyond_the_cap_are_counted_and_the_worst_kept() -> None:
    procedures = {"file": {"trigger": {"type": "claim"}, "steps": [
        {"id": "register", "actor": "clerk", "duration": "10m", "deadline": {"within": "30m", "basis": "Art. 1"}}]}}
    injects = [{"id": "K", "every": "6m", "from": "08:00", "to": "14:00", "incident": {"type": "claim"}}]
    doc = load(file_of({"clerk": {"staff": 1}}, procedures, injects))
    full, capped, scorer, _ = _both(doc, cap=4)
    missed = full.totals.deadlines_missed
    assert missed > 20 and capped.totals.deadlines_missed == missed
    names = actor_names(doc.structure)
    found = [f for f in analyse(capped, names, doc.structure, scorer.digest).improvements
             if f.title.startswith("Legal deadline missed")]
    every = [f for f in analyse(full, names, doc.structure).improvements if f.title.startswith("Legal deadline")]
    assert len(every) == missed and len(found) < missed
    assert f"{missed:,} missed deadlines of 'register' in all" in found[0].detail
    worst = max((s for s in full.steps if s.deadline_met is False), key=lambda s: s.elapsed or 0.0)
    assert f"Legal deadline missed: register ({worst.incident})" in {f.title for f in found}


def test_an_exact_running_sum_gives_the_mean_of_every_value_in_any_order() -> None:
    values = [0.1 * k + 1e-9 * (k % 7) for k in range(1, 400)] + [1e6, 3.3, 1e-12]
    forward, backward = ExactSum(), ExactSum()
    for value in values:
        forward.add(value)
    for value in reversed(values):
        backward.add(value)
    assert forward.mean() == backward.mean() == fmean(values) and forward.count == len(values)
    assert ExactSum().mean() is None


def test_findings_from_bounded_scores_alone_are_refused() -> None:
    procedures = {"answer": {"trigger": {"type": "call"}, "steps": [
        {"id": "answer", "actor": "desk", "duration": "5m", "effect": {"contain": 1.0}}]}}
    injects = [{"id": "C", "every": "4m", "from": "08:00", "to": "10:00", "incident": {"type": "call"}}]
    doc = load(file_of({"desk": {"staff": 1}}, procedures, injects))
    _, capped, scorer, _ = _both(doc, cap=2)
    with pytest.raises(ValueError, match="only some background arrivals"):
        analyse(capped, {}, doc.structure)
    assert analyse(capped, {}, doc.structure, scorer.digest).key.bottleneck == "desk"
