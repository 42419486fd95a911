"""A delay before the step that slows a wave explains its reach only if the wave, slowed that much sooner, would have
rated otherwise (``passing.HarmCourse.reach_slowed_sooner``): a slowing that came before the target was passed is not
enough by itself. Worked by hand.

W1 at 10:00 reaches 1,000 people, doubling every hour (cap 1,000,000), never contained. Desk (nobody on duty until
11:00) does 'correct' (30 min), which halves its growth (doubling every 2 h). 'correct' waits an hour, done at 11:30:
its reach at the 20:00 end is 1,000 x 2^(90/60 + 510/120) = 53,817. Without the wait, slowed at 10:30:
1,000 x 2^(30/60 + 570/120) = 38,055.

Never contained, its reach is U past the target, P within it.

- Target 40,000: 53,817 is U, 38,055 would have been P: the wait explains O1.
- Target 20,000: both are past it (U): the wait explains nothing, though the slowing it put off came before the
  target was passed, at about 17:08 (before, it explained O1).
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble


def _explained(target: int) -> tuple[str, list[str]]:
    data = file_of({"desk": {"name": "Desk", "staff": 0, "shifts": [{"from": "11:00", "to": "23:00", "staff": 1}]}},
                   {"p": {"trigger": {"type": "rumour"}, "steps": [
                       {"id": "correct", "actor": "desk", "duration": "30m", "effect": {"growth": 0.5}}]}},
                   [incident("W1", "10:00", "rumour", spec={"reach": {"initial": 1000, "doubling": "1h",
                                                                      "cap": 1000000}})], end="20:00")
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "W1"}, "target": target}]
    report = assemble(checked(data), load(data), "s")
    [objective] = report.scores.objectives
    assert (objective.rating, objective.reason) == ("U", "incident W1 was never contained (53,817 at the end)")
    return objective.id, [f.title for f in report.analysis.improvements if any("O1" in e for e in f.explains)]


def test_a_wait_whose_slowing_sooner_turns_the_reach_explains_it() -> None:
    _, explaining = _explained(40000)
    assert explaining and all("Desk" in title for title in explaining), explaining


def test_a_wait_whose_slowing_sooner_still_rates_the_same_explains_nothing() -> None:
    _, explaining = _explained(20000)
    assert explaining == []
