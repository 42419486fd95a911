"""A legal deadline runs from its procedure's start whether or not the work gets to its step: one that passed before
the run stopped, its step never done (its procedure dropped, or still short of it), is missed; one the run stopped
before is not yet due, and no miss. Worked by hand on tiny scenarios."""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run

from ballotdrill.report.report import assemble
from ballotdrill.scoring import analyse, score
from ballotdrill.scoring.stream import Scorer

ACTORS = {"desk": {"name": "Desk", "staff": 1}, "office": {"name": "Office", "staff": 1}}
CHANNELS = {"fax": {"latency": {"dist": "fixed", "value": "5m"}, "reliability": 0.0, "retries": 0},
            "phone": {"latency": {"dist": "fixed", "value": "5m"}}}


def _file(first: str, via: str, branch: bool = False, busy: bool = False) -> dict[str, Any]:
    """X1 at 08:00: Desk does 'check' (``first``), hands 'notify' (legal deadline 60 min, Art. 5) to Office on
    ``via``, then Office does 'publish' (deadline 2 h, Art. 6). ``branch``: 'check' is a decision whose default
    ends the procedure. ``busy``: a call C1 at 08:00, before X1, holds Desk's one staff for 3 h."""
    check: dict[str, Any] = {"id": "check", "actor": "desk", "duration": first}
    if branch:
        check["decision"] = {"options": {"stop": {"next": "end"}, "go": {"next": "notify"}}, "default": "stop"}
    procs = {"p": {"trigger": {"type": "fault"}, "steps": [
        check,
        {"id": "notify", "actor": "office", "via": via, "duration": "10m",
         "deadline": {"within": "60m", "basis": "Art. 5"}},
        {"id": "publish", "actor": "office", "duration": "10m", "deadline": {"within": "2h", "basis": "Art. 6"}}]},
        "q": {"trigger": {"type": "call"}, "steps": [{"id": "answer", "actor": "desk", "duration": "3h"}]}}
    injects = [{"id": "X1", "at": "08:00", "incident": {"type": "fault"}}]
    if busy:
        injects.insert(0, {"id": "C1", "at": "08:00", "incident": {"type": "call"}})
    return file_of(ACTORS, procs, injects, channels=CHANNELS, start="08:00", end="12:00")


def _scored(data: dict[str, Any], until: str | None = None) -> tuple[Any, Any, Any]:
    doc = load(data)
    events = run(doc, until_clock=None if until is None else float(int(until[:2]) * 60 + int(until[3:])))
    scorer = Scorer(doc, "s")
    for event in events:
        scorer.feed(event)
    scores = scorer.finish()
    analysis = analyse(scores, {"desk": "Desk", "office": "Office"}, doc.structure, scorer.digest)
    return scores, analysis, assemble(events, doc, "s")


def _missed(analysis: Any) -> dict[str, Any]:
    return {f.title: f for f in analysis.improvements if f.title.startswith("Legal deadline missed")}


def test_a_dropped_procedure_misses_the_deadlines_after_the_drop() -> None:
    """'check' 08:00-08:05, 'notify' sent on fax at 08:05 and dropped at 08:10 (never gets through, no retry, no
    fallback): 'notify' (due 09:00) and 'publish' (due 10:00) never done, both past by the 12:00 stop: missed."""
    scores, analysis, report = _scored(_file("5m", "fax"))
    assert [s.step for s in scores.steps] == ["check"]
    assert scores.totals.deadlines_missed == 2
    missed = _missed(analysis)
    assert sorted(missed) == ["Legal deadline missed: notify (X1)", "Legal deadline missed: publish (X1)"]
    notify = missed["Legal deadline missed: notify (X1)"]
    assert notify.detail == ("'notify' was never done: p stopped at 08:10 when the handoff of 'notify' was dropped "
                             "on fax (no fallback left). Its 1 h 00 min legal deadline (Art. 5) passed at 09:00, "
                             "before the run stopped.")
    assert notify.root_cause.startswith("the response stopped when 'notify' from Desk was dropped on fax at 08:10")
    assert (notify.lever, notify.cause, notify.priority) == ("channel:fax", "deadline", 1)
    assert "Art. 6" in missed["Legal deadline missed: publish (X1)"].detail
    assert report.scores.totals.deadlines_missed == 2


def test_a_run_cut_before_the_deadline_has_it_not_yet_due() -> None:
    """The same drop at 08:10, the run cut at 08:30: both deadlines (09:00, 10:00) fall after the stop."""
    scores, analysis, report = _scored(_file("5m", "fax"), until="08:30")
    assert scores.totals.deadlines_missed == 0
    assert not _missed(analysis)
    story = " ".join(report.moments["X1"])
    assert ("'notify' (p) will not be reached: its procedure stopped at 08:10 when a handoff was dropped; its "
            "1 h 00 min legal deadline falls at 09:00, after the stop: not yet due.") in story  # (not "had not been
    # reached when the run stopped", as if it still might be)


def test_a_procedure_still_short_of_its_step_at_the_stop() -> None:
    """'check' takes 3 h (08:00-11:00) and the run stops at 10:30: 'notify' (due 09:00) passed, never reached;
    'publish' (due 10:00) too. The design reaches 'notify' after 3 h 05 min ('check', then 5 min on phone): the path
    is longer than the deadline. Cut at 08:45: neither is due yet."""
    scores, analysis, _ = _scored(_file("3h", "phone"), until="10:30")
    assert scores.totals.deadlines_missed == 2
    notify = _missed(analysis)["Legal deadline missed: notify (X1)"]
    assert notify.root_cause == ("path longer than its 1 h 00 min legal deadline: the designed path reaches 'notify' "
                                 "after 3 h 05 min; when the run stopped at 10:30, p had got no further than 'check' "
                                 "(in progress), 2 h 30 min after it began")
    assert notify.lever == "step:p/notify"
    scores, analysis, _ = _scored(_file("3h", "phone"), until="08:45")
    assert scores.totals.deadlines_missed == 0
    assert not _missed(analysis)


def test_a_procedure_held_up_before_its_step_at_the_stop() -> None:
    """C1 holds Desk 08:00-11:00, so X1's 'check' (5 min) waits; at the 10:30 stop it is still waiting: 'notify' (due
    09:00, 10 min away by design) and 'publish' were never reached: the delays before them."""
    scores, analysis, _ = _scored(_file("5m", "phone", busy=True), until="10:30")
    assert scores.totals.deadlines_missed == 2
    notify = _missed(analysis)["Legal deadline missed: notify (X1)"]
    assert notify.root_cause == ("delays before the step: when the run stopped at 10:30, p had got no further than "
                                 "'check' (waiting), 2 h 30 min after it began; 'notify' was never reached")


def test_a_step_done_late_and_a_branch_not_taken_are_as_before() -> None:
    """Reached, late: 'check' 2 h, 'notify' done at 10:15 (elapsed 2 h 15 min, deadline 60 min): a step instance's
    missed deadline, counted once. A procedure that completed on a branch not leading to the step: nothing missed."""
    scores, analysis, _ = _scored(_file("2h", "phone"))
    assert scores.totals.deadlines_missed == 2  # 'notify' and 'publish', both done past their deadlines
    assert [s.deadline_met for s in scores.steps if s.step != "check"] == [False, False]
    assert "was never done" not in " ".join(f.detail for f in _missed(analysis).values())
    scores, analysis, _ = _scored(_file("5m", "phone", branch=True))
    assert scores.totals.deadlines_missed == 0
    assert not _missed(analysis)
    assert score(run(load(_file("5m", "phone", branch=True))), load(_file("5m", "phone", branch=True)),
                 "s").totals.deadlines_missed == 0


def test_background_arrivals_count_their_deadlines_never_reached() -> None:
    """Background faults every 30 min from 08:00 to 09:35 (three: 08:30, 09:00, 09:30; each ends by itself after
    20 min), each dropped on fax 10 min after it began: 'notify' (60 min) and 'publish' (2 h) never done, both due
    by 11:30, before the 12:00 stop: 6 missed, counted in their inject's and their type's aggregates as in the
    totals (before, 0 there), whether the arrivals were let go as they ended (the default cap) or held to the end."""
    data = _file("5m", "fax")
    data["scenarios"]["s"]["injects"] = [{"id": "B", "every": "30m", "from": "08:00", "to": "09:35",
                                          "incident": {"type": "fault", "duration": "20m"}}]
    doc = load(data)
    events = run(doc)
    for cap in (500, None):
        scorer = Scorer(doc, "s", cap)
        for event in events:
            scorer.feed(event)
        scores = scorer.finish()
        assert scores.totals.deadlines_missed == 6
        assert scores.totals.open_incidents == 0
        assert len(scorer.deadlines.let_go) == (3 if cap else 0)  # the let-go path, then the held one
        assert [(s.key, s.arrivals, s.deadlines_missed) for s in scores.background.injects] == [("B", 3, 6)]
        assert [(s.key, s.deadlines_missed) for s in scores.background.types] == [("fault", 6)]
