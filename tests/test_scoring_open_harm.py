"""A harm objective whose incident is still open at the end: rated on the harm done in the window, and said so.

Reach, voter-minutes and station-minutes are the harm an incident did. An incident still open when
the exercise ends has done the harm ``run_ended`` records; under the target that is a met target
(with how the harm was still growing), over it U (never contained), and in a run stopped early
(``--until``) under the target not exercised. Small hand-made scenarios whose figures are worked
out by hand; the sweep's scorer must rate them as ``run``'s does.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import file_of, load

from ballotdrill.exercise.run import run_exercise
from ballotdrill.scoring.model import ObjectiveResult
from ballotdrill.scoring.runmeasures import MeasurePlan, MeasureScorer
from ballotdrill.scoring.stream import Scorer

WAVE = {"initial": 1000, "doubling": "30m", "cap": 10_000_000}


def _wave_file(effect: dict[str, Any], target: int, end: str) -> dict[str, Any]:
    """A wave N1 from 10:00 (1000 people, doubling every 30 min); a 1-hour debunk slows it with ``effect`` at
    11:00 (it never contains it); objective O1: its reach under ``target``."""
    steps = [{"id": "debunk", "actor": "cell", "duration": "1h", "effect": effect}]
    data = file_of({"cell": {"staff": 1}}, {"p": {"trigger": {"type": "disinformation"}, "steps": steps}},
                   [{"at": "10:00", "incident": {"id": "N1", "type": "disinformation", "reach": WAVE}}], end=end)
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information and warning", "measure": {"reach": "N1"}, "target": target}]
    return data


def _rated(data: dict[str, Any], until_clock: float | None = None) -> ObjectiveResult:
    """O1 as ``run`` rates it, checked equal to what a sweep's replication rates on the same run."""
    doc = load(data)
    scorer, measures = Scorer(doc, "s"), MeasureScorer(MeasurePlan(doc, "s"))

    def both(event: Any) -> None:
        scorer.feed(event)
        measures.feed(event)

    run_exercise(doc, "s", seed=1, until_clock=until_clock, feed=both, keep=False)
    rated = scorer.finish().objectives[0]
    assert measures.finish().objectives[0] == rated
    return rated


def test_a_wave_still_growing_at_the_end_under_its_target_is_met_and_says_when_it_would_pass() -> None:
    # 4000 at 11:00, then doubling every hour: 16,000 at 13:00; 60 min * log2(20,000 / 16,000) = 19.3 min
    rated = _rated(_wave_file({"growth": 0.5}, 20_000, "13:00"))
    assert (rated.rating, rated.value, rated.value_text) == ("P", 16_000, "16,000 at the end, still open")
    assert rated.reason.startswith("met the target; incident N1 was still open at the end, its reach doubling "
                                   "every 1 h 00 min: at that rate it would pass the target about 19 min after "
                                   "the end")


def test_a_wave_stopped_by_the_response_but_not_contained_is_met_and_said_to_have_stopped_growing() -> None:
    rated = _rated(_wave_file({"growth": 0}, 5_000, "16:00"))  # stopped at 4000 at 11:00
    assert (rated.rating, rated.value) == ("P", 4_000)
    assert rated.reason.startswith("met the target; incident N1 was still open at the end, but its reach had "
                                   "stopped growing")


def test_a_wave_open_at_the_end_over_its_target_is_unable_to_be_performed() -> None:
    rated = _rated(_wave_file({"doubling": "30m"}, 20_000, "13:00"))  # the debunk changes nothing: 64,000
    assert (rated.rating, rated.value) == ("U", 64_000.0)  # judged on the harm done by the end
    assert rated.reason.startswith("incident N1 was never contained (64,000 at the end)")


def test_a_wave_under_its_target_when_the_run_is_stopped_early_is_not_exercised() -> None:
    # the scenario runs to 16:00; stopped at 12:00 at 8000, the wave could still pass 20,000 in the window
    rated = _rated(_wave_file({"growth": 0.5}, 20_000, "16:00"), until_clock=12 * 60)
    assert rated.rating == "NE" and rated.value_text == "8,000 so far, still open"
    assert rated.reason.startswith("incident N1 was still open when the run stopped at 12:00 (8,000 so far, "
                                   "within the target)")


def _outage_file(end: str) -> dict[str, Any]:
    """A station closed from 10:00 (10 voters a minute), never repaired; polls 08:00-16:00; objective O1: under
    10,000 voter-minutes."""
    data = file_of({"desk": {"staff": 1}}, {}, [
        {"at": "10:00", "incident": {"id": "S1", "type": "outage", "stations": 1, "voters": 10}}], end=end)
    data["scenarios"]["s"]["polls"] = {"open": "08:00", "close": "16:00"}
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems", "measure": {"voter_minutes": "S1"}, "target": 10_000}]
    return data


def test_voter_minutes_of_an_open_outage_grow_while_the_polls_are_open_and_stop_when_they_close() -> None:
    open_polls = _rated(_outage_file("15:00"))  # 10:00-15:00, polls still open: 3,000 and growing
    assert (open_polls.rating, open_polls.value) == ("P", 3_000)
    assert open_polls.reason.startswith("met the target; incident S1 was still open at the end and its "
                                        "voter-minutes still growing (its polling stations were open)")
    closed_polls = _rated(_outage_file("18:00"))  # counted 10:00-16:00: 3,600, final
    assert (closed_polls.rating, closed_polls.value) == ("P", 3_600)
    assert closed_polls.reason.startswith("met the target; incident S1 was still open at the end, but its "
                                          "voter-minutes had stopped growing")
