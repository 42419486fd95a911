"""Steps that take several staff at once (a cell meeting as a whole) or a named post (a bottleneck of one)."""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load, run
from format_helpers import BASE, only_problem, replace_once

from ballotdrill.journal import Kind, StepCrew, StepQueued, StepStarted
from ballotdrill.scoring import score

ACTORS = {"cell": {"staff": 4, "posts": ["spokesperson"]}}


def steps(*extra: dict[str, Any]) -> dict[str, Any]:
    return {"p": {"trigger": {"type": "x"}, "steps": list(extra)}}


def incidents(n: int) -> list[dict[str, Any]]:
    """``n`` incidents a minute apart from 10:00, detected by the cell."""
    return [{"at": f"10:{i:02d}", "incident": {"id": f"N{i}", "type": "x"}, "detected_by": {"actor": "cell"}}
            for i in range(n)]


def test_a_whole_cell_meeting_waits_for_every_member_and_holds_the_queue() -> None:
    """N0 takes one of four staff at 10:00 for 30m; N1 (the whole cell) waits for it; N2 (one staff) queues behind."""
    doc = file_of(ACTORS, {
        "one": {"trigger": {"type": "one"}, "steps": [{"id": "work", "actor": "cell", "duration": "30m"}]},
        "meet": {"trigger": {"type": "meet"}, "steps": [{"id": "meeting", "actor": "cell", "duration": "1h",
                                                        "staff": 4}]}},
        [{"at": "10:00", "incident": {"id": "N0", "type": "one"}},
         {"at": "10:05", "incident": {"id": "N1", "type": "meet"}},
         {"at": "10:10", "incident": {"id": "N2", "type": "one"}}])
    events = run(doc)
    started = {e.incident: (e.t, e.fields(StepCrew).staff) for e in events if e.kind == Kind.STEP_STARTED}
    start = 6 * 60.0
    assert started["N0"] == (10 * 60 - start, None)
    assert started["N1"] == (10 * 60 + 30 - start, 4)          # when N0's member is back
    assert started["N2"][0] == 11 * 60 + 30 - start             # behind the meeting, not past it
    loads = {a.actor: a for a in score(events, load(doc), "s").load}
    assert loads["cell"].busy_minutes == 30 + 4 * 60 + 30


def test_a_post_serves_one_step_at_a_time_and_is_scored_as_its_own_queue() -> None:
    doc = file_of(ACTORS, steps({"id": "draft", "actor": "cell", "duration": "5m"},
                                {"id": "sign-off", "actor": "cell", "post": "spokesperson", "duration": "20m"}),
                  incidents(3))
    events = run(doc)
    signed = [(e.incident, e.t, e.fields(StepStarted).wait) for e in events
              if e.kind == Kind.STEP_STARTED and e.step == "sign-off"]
    assert [t for _, t, _ in signed] == [245.0, 265.0, 285.0]   # 10:05, then one after the other
    queued = [e for e in events if e.kind == Kind.STEP_QUEUED]
    assert {e.fields(StepCrew).post for e in queued} == {"spokesperson"}
    assert max(e.fields(StepQueued).queue for e in queued) == 2
    loads = {a.actor: a for a in score(events, load(doc), "s").load}
    post = loads["cell/spokesperson"]
    assert post.name == "cell: spokesperson" and post.steps == 3 and post.longest_queue == 2
    assert post.busy_minutes == 60 and loads["cell"].steps == 3 and loads["cell"].busy_minutes == 15


def test_posts_and_crews_are_checked_where_they_are_written() -> None:
    unknown = replace_once(BASE, "- {id: s1, actor: cell-a}", "- {id: s1, actor: cell-a, post: spokesman}")
    problem = only_problem(unknown)
    assert problem.line == 13 and "post 'spokesman', which is not defined" in problem.message
    too_many = replace_once(BASE, "- {id: s1, actor: cell-a}", "- {id: s1, actor: cell-a, staff: 3}")
    problem = only_problem(too_many)
    assert problem.line == 13 and "needs 3 staff but actor 'cell-a' never has more than 2" in problem.message
    both = replace_once(BASE, "cell-a: {staff: 2}", "cell-a: {staff: 2, posts: [chief]}")
    both = replace_once(both, "- {id: s1, actor: cell-a}", "- {id: s1, actor: cell-a, post: chief, staff: 2}")
    assert "a post is one person" in only_problem(both).message
    assert load(replace_once(BASE, "- {id: s1, actor: cell-a}", "- {id: s1, actor: cell-a, staff: 2}"))
