"""A wave only a slowing step can hold is advised "or one that slows them sooner" only when slowing it from its very
start would have kept its reach within the target (the engine's own wave, replayed); otherwise the advice says a
slowing sooner could not, with the figure. Worked by hand on a tiny scenario, with a target each way."""

from __future__ import annotations

from engine_helpers import file_of, incident, load, run

from ballotdrill.report.report import assemble


def _fix(target: int) -> str:
    """R1 at 10:30 (1,000 people, doubling every 45 min, cap 100,000), noticed by the cell after 60 min; the
    correction (60 min) halves its growth from 12:30: by 18:00, 1,000 * 2 ** (120/45 + 330/90) = 80,634 (U against
    either target). Halved from 10:30 it would have reached 1,000 * 2 ** (450/90) = 32,000 by 18:00."""
    data = file_of({"cell": {"name": "Cell", "staff": 1}},
                   {"rumour": {"trigger": {"type": "disinformation"}, "steps": [
                       {"id": "correct", "actor": "cell", "duration": "60m", "effect": {"growth": 0.5}}]}},
                   [incident("R1", "10:30", "disinformation",
                             spec={"reach": {"initial": 1000, "doubling": "45m", "cap": 100000}},
                             detected_by={"actor": "cell", "after": "60m"})],
                   start="07:00", end="18:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Public information and warning",
                                             "measure": {"reach": "R1"}, "target": target}]
    doc = load(data)
    report = assemble(run(doc), doc, "s")
    [o1] = report.scores.objectives
    assert (o1.rating, o1.reason) == ("U", "incident R1 was never contained (80,634 at the end)")
    [found] = [f for f in report.analysis.improvements if f.title.startswith("Objective O1")]
    return found.recommendation


def test_slowing_sooner_is_offered_when_slowing_from_the_start_keeps_it_under() -> None:
    assert _fix(40000) == ("Give rumour a step that contains disinformation incidents (a removal or an order), or one "
                           "that slows them sooner, so R1 stays under the target")


def test_slowing_sooner_is_not_offered_when_even_slowing_from_the_start_passes_the_target() -> None:
    assert _fix(20000) == ("Give rumour a step that contains disinformation incidents (a removal or an order) or "
                           "slows them more, so R1 stays under the target: slowed as its steps slow it from its very "
                           "start (10:30), it would still have reached 32,000 by 18:00, past the 20,000 target")
