"""Waits at a one-person post are the post's: a late step's root cause, its fix and its lever name the post, never
its actor's staff, which the post's queue never drew on; the post's own wait finding and the late step weigh the
same waits on one lever. Worked by hand."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report.report import assemble


def _findings(post: bool) -> tuple[str, dict[str, tuple[str, str, str, list[str]]]]:
    """B1 at 10:00 and B2 at 10:05, each swept for 60 min at the police: by its one-person post 'squad' (the police
    has 3 staff, idle) when ``post``, else by the police itself with 1 staff. B1 is swept 10:00-11:00; B2 waits
    55 min (10:05-11:00) and is swept 11:00-12:00: 1 h 55 min from its start, against the sweep's 1 h 30 min
    target (late by 25 min, the wait its cause) and O1's 1 h 45 min (S; without the wait 1 h 00 min, P)."""
    police = {"staff": 3, "posts": ["squad"]} if post else {"staff": 1}
    sweep = {"id": "sweep", "actor": "police", "duration": "60m", "target": "1h30m"}
    if post:
        sweep["post"] = "squad"
    data = file_of({"police": police}, {"p": {"trigger": {"type": "hoax"}, "steps": [sweep]}},
                   [incident("B1", "10:00", "hoax"), incident("B2", "10:05", "hoax")], end="20:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "On-scene security",
                                             "measure": {"time": "from incident B2 start to step sweep"},
                                             "target": "1h45m"}]
    report = assemble(run(data), load(data), "s")  # (the invariants checker knows no posts)
    return report.scores.objectives[0].rating, {
        f.title: (f.root_cause, f.recommendation, f.lever, f.explains) for f in report.analysis.improvements}


def test_a_post_s_wait_is_the_post_s_lever_and_fix() -> None:
    rating, found = _findings(post=True)
    assert rating == "S"
    cause, fix, lever, explains = found["Step 'sweep' late (1 of 2)"]
    assert cause == "one long wait at police: squad: waited 55 min before starting"
    assert fix.startswith("Give police a second 'squad' post, or let another actor take part of its work")
    assert "Add staff" not in fix
    assert lever == "actor:police/squad"
    # the post's own wait finding is the same lever, so the two weigh the same waits as one: it explains O1
    wait_cause, wait_fix, wait_lever, wait_explains = found["One long wait at police: squad"]
    assert wait_cause == "one long wait at police: squad"
    assert (wait_fix, wait_lever) == (fix, lever)
    assert [*explains, *wait_explains] == ["O1 (S)"]
    assert not any("Add staff" in f[1] for f in found.values())


def test_an_actor_s_own_wait_is_still_its_staff() -> None:
    rating, found = _findings(post=False)
    assert rating == "S"
    cause, fix, lever, explains = found["Step 'sweep' late (1 of 2)"]
    assert cause == "one long wait at police: waited 55 min before starting"
    assert fix == "Add staff or a surge shift at police, or let another actor take part of its work"
    assert lever == "actor:police"
    assert [*explains, *found["One long wait at police"][3]] == ["O1 (S)"]


def test_work_still_queued_at_a_post_when_the_run_stops_is_the_post_s() -> None:
    """Cut at 10:30: B1 is being swept by 'squad' (10:00-11:00), B2 has waited for it since 10:05, 25 min. The
    waiting work is the post's (its queue, its wait to the stop); the police's other 3 staff had none of it."""
    data = file_of({"police": {"staff": 3, "posts": ["squad"]}},
                   {"p": {"trigger": {"type": "hoax"}, "steps": [
                       {"id": "sweep", "actor": "police", "post": "squad", "duration": "60m"}]}},
                   [incident("B1", "10:00", "hoax"), incident("B2", "10:05", "hoax")], end="20:00")
    loads = {a.actor: a for a in assemble(run(data, until_clock=10 * 60 + 30), load(data), "s").scores.load}
    post, police = loads["police/squad"], loads["police"]
    assert (post.queued_at_end, post.waited, post.wait_max) == (1, 1, 25.0)
    assert (police.queued_at_end, police.waited, police.wait_max) == (0, 0, None)
