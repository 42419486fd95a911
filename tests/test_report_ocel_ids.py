"""OCEL objects: each step instance and each handoff is its own object, even when the same step comes twice."""

from __future__ import annotations

from scoring_helpers import JournalBuilder, scenario_file

from ballotdrill.exports import to_ocel


def test_a_step_done_twice_and_handed_over_twice_gives_two_objects_of_each() -> None:
    b = JournalBuilder().start(staff={"monitoring": 1, "interior": 1})
    b.add(0, "incident_started", "N1", type="disinformation", severity=3)
    for k, t in enumerate((1.0, 20.0), start=1):  # the procedure loops back: same step, started at once both times
        b.add(t, "handoff_sent", "N1", "monitoring", "assess", procedure="p", to="interior", channel="phone",
              attempt=1)
        b.add(t + 1, "handoff_received", "N1", "interior", "assess", procedure="p", **{"from": "monitoring"},
              channel="phone", latency=1.0, attempts=1)
        b.add(t + 1, "step_started", "N1", "interior", "assess", procedure="p", wait=0.0)
        b.add(t + 5, "step_completed", "N1", "interior", "assess", procedure="p", elapsed=4.0 + k)
    log = to_ocel(b.events, scenario_file(), "demo")
    ids = [o["id"] for o in log["objects"]]
    assert len([i for i in ids if i.startswith("step:N1/p/assess/")]) == 2
    assert len([i for i in ids if i.startswith("handoff:N1/p/assess/")]) == 2
    assert len(ids) == len(set(ids))
    # each step_completed relates to the step instance its step_started opened
    step_of = {e["id"]: next(r["objectId"] for r in e["relationships"] if r["qualifier"] == "step")
               for e in log["events"] if e["type"] in ("step_started", "step_completed")}
    pairs = [step_of[e["id"]] for e in log["events"] if e["type"] in ("step_started", "step_completed")]
    assert pairs[0] == pairs[1] != pairs[2] == pairs[3]
