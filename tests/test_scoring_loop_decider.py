"""A decision loop through two actors is owned by the actor whose decision sent the work back (its decision step's
actor in the run), not by whichever actor handed the work on last. Worked by hand on a tiny scenario: the CERT
decides, the operator only gathers logs."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report


def test_the_loop_is_put_to_the_actor_that_decided_it() -> None:
    # 'logs' (Operator, 10 min) -> 'analyse' (CERT, 10 min) -> 'choose' (CERT, 5 min: 'again', the default, goes on
    # to 'watch' (the watch desk, 5 min) and back to 'logs'; 'done' ends): only CERT decides. On the first pass the
    # handoff flagged is the watch desk's 'logs' to the Operator (the first after the decision into an actor that
    # had handed the work on), so its sender is not the decider
    data = file_of({"op": {"name": "Operator", "staff": 1, "organisation": "Register agency"},
                    "cert": {"name": "CERT", "staff": 1, "organisation": "Cyber centre"},
                    "desk": {"name": "Watch desk", "staff": 1, "organisation": "Register agency"}},
                   {"p": {"trigger": {"type": "attack"}, "steps": [
                       {"id": "logs", "actor": "op", "duration": "10m"},
                       {"id": "analyse", "actor": "cert", "duration": "10m"},
                       {"id": "choose", "actor": "cert", "duration": "5m", "decision": {
                           "options": {"again": {"next": "watch"}, "done": {"next": "end"}}, "default": "again"}},
                       {"id": "watch", "actor": "desk", "duration": "5m", "next": "logs"}]}},
                   [incident("X1", "10:00", "attack")], start="09:00", end="11:00")
    report = build_report(checked(data), load(data), "s")
    loops = [f for f in report.analysis.improvements if f.cause == "ping_pong"]
    assert loops
    first = next(h for h in report.scores.handoffs if h.ping_pong)
    assert (first.sender, first.receiver, first.step) == ("desk", "op", "logs")
    for found in loops:
        assert "give CERT what it needs to decide once" in found.recommendation
        assert (found.actor, found.responsible) == ("cert", "Cyber centre")
