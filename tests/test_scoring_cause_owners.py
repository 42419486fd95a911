"""Who a cause names and how a cut run is told: the containing step's organisation, a tie among senders, a run
stopped early. Small hand-made scenarios with fixed durations."""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown


def _report(data: dict[str, Any], **kwargs: Any) -> Any:
    doc = load(data)
    return build_report(checked(data, **kwargs), doc, "s")


def _wave(doubling: str = "10m", via: str | None = None, correct: str = "30m", takedown_for: str = "60m",
          **extra: Any) -> dict[str, Any]:
    """N1 at 10:00: 1,000 reached, doubling every ``doubling`` (every 10 min: passes 5,000 at about 10:23),
    detected at once by the press office, whose 'correct' (``correct``, 30 min) only slows it (doubling every hour
    from then); the platform's 'takedown' (``takedown_for``, 60 min, handed over ``via`` a channel) contains it.
    O1: reach within 5,000."""
    takedown: dict[str, Any] = {"id": "takedown", "actor": "plat", "duration": takedown_for,
                                "effect": {"contain": 1.0}}
    if via is not None:
        takedown["via"] = via
    data = file_of({"press": {"staff": 1, "organisation": "Prime Minister's Office"},
                    "plat": {"staff": 1, "organisation": "Platform"}},
                   {"p": {"trigger": {"type": "disinfo"}, "steps": [
                       {"id": "correct", "actor": "press", "duration": correct, "effect": {"doubling": "60m"}},
                       takedown]}},
                   [incident("N1", "10:00", "disinfo", spec={"reach": {"initial": 1000, "doubling": doubling,
                                                                        "cap": 10_000_000}},
                             detected_by={"actor": "press", "after": "0m"})],
                   start="10:00", end="14:00", **extra)
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Public information", "measure": {"reach": "N1"}, "target": 5000}]
    return data


def test_an_earlier_containing_step_is_owned_by_the_containing_steps_organisation() -> None:
    report = _report(_wave())
    o1 = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert o1.recommendation.startswith("Give p an earlier containing step")
    # the press office only slows the wave; the platform's takedown is the containing step
    assert o1.lever == "step:p/takedown" and o1.responsible == "Platform" and o1.actor == "plat"
    assert report.analysis.plan[0].responsible == "Platform"


def test_a_run_cut_short_says_not_contained_when_it_stopped_not_never_contained() -> None:
    # the takedown would complete at 11:30; the run stops at 10:45 with N1 still spreading
    report = _report(_wave(), until_clock=10.75 * 60)
    text = render_markdown(report)
    o1 = next(o for o in report.scores.objectives if o.id == "O1")
    assert o1.rating == "U" and "was not contained when the run stopped at 10:45" in o1.reason
    assert "N1 was never contained" not in text and "it was never contained" not in text
    finding = next(f for f in report.analysis.improvements if f.title.startswith("Objective O1"))
    assert "it was not contained when the run stopped at 10:45" in finding.root_cause
    whole = render_markdown(_report(_wave(), until_clock=11.75 * 60))  # cut after the takedown
    assert "N1 was never contained" not in whole and "it was never contained" not in whole


def _two_senders(from_a: int) -> dict[str, Any]:
    """a (Municipality) hands ``from_a`` incidents' step to b, c (Police) one, all over a radio that always
    fails (one retry, 2 failed attempts each) and falls back to a courier."""
    return file_of({"a": {"staff": 2, "organisation": "Municipality"}, "b": {"staff": 3},
                    "c": {"staff": 1, "organisation": "Police"}},
                   {"p": {"trigger": {"type": "x"}, "steps": [
                       {"id": "s1", "actor": "a", "duration": "5m"},
                       {"id": "s2", "actor": "b", "duration": "5m", "via": "radio"}]},
                    "q": {"trigger": {"type": "y"}, "steps": [
                        {"id": "t1", "actor": "c", "duration": "5m"},
                        {"id": "t2", "actor": "b", "duration": "5m", "via": "radio"}]}},
                   [*(incident(f"X{i}", "10:00", "x", detected_by={"actor": "a", "after": "0m"})
                      for i in range(1, from_a + 1)),
                    incident("Y1", "10:00", "y", detected_by={"actor": "c", "after": "0m"})],
                   channels={"radio": {"latency": "1m", "reliability": 0.0, "retries": 1, "fallback": "courier"},
                             "courier": {"latency": "10m"}}, start="10:00", end="12:00")


def test_senders_tied_on_failed_handoffs_and_attempts_are_named_together() -> None:
    tied = next(f for f in _report(_two_senders(1)).analysis.improvements if f.title == "Handoffs failed on radio")
    assert tied.responsible == "Municipality and Police"  # one handoff, two failed attempts each
    ahead = next(f for f in _report(_two_senders(2)).analysis.improvements if f.title == "Handoffs failed on radio")
    assert ahead.responsible == "Municipality"  # two handoffs against one


RADIO = {"radio": {"latency": "1m", "reliability": 0.0, "retries": 0, "fallback": "courier"},
         "courier": {"latency": "60m"}}
"""A radio that always fails (usual latency 1 min), falling back to a courier of an hour: 59 min of delay."""


def test_a_failed_channel_explains_a_reach_it_could_have_kept_under_the_target() -> None:
    # doubling every hour: 5,000 passed at about 12:19 (60 min x log2 5); designed: correct 30 + radio 1 +
    # takedown 60 = 11:31, in time; played: 30 + 61 + 60 = 12:31, past it. Without the 59 min: 11:32, in time
    report = _report(_wave("60m", "radio", channels=RADIO))
    radio = next(f for f in report.analysis.improvements if f.lever == "channel:radio" and not f.weighed_with)
    assert [e.split()[0] for e in radio.explains] == ["O1"]


def test_a_failed_channel_explains_a_reach_it_would_have_kept_in_a_better_band() -> None:
    # 'correct' at 10:05 (1,414 reached) slows the wave to doubling every hour: 5,000 passed at about 11:54; the
    # radio failed from 10:06 to 11:05 (59 min of delay before then, material) and the takedown (120 min) contains
    # it at 13:06 with 11,445 reached, more than twice the target: M. Even without the 59 min the takedown comes
    # after 11:54 (5 + 1 + 120 min: 12:06), not in time; but by 12:07 the wave had reached at most
    # 1,414 x 2^(122/60) = 5,785, within 1.25 x the target: S. Taking the radio's delay away turns M into S
    report = _report(_wave("10m", "radio", "5m", "120m", channels=RADIO))
    o1 = report.scores.objectives[0]
    assert (o1.value, o1.rating) == (11445.0, "M")
    radio = next(f for f in report.analysis.improvements if f.lever == "channel:radio" and not f.weighed_with)
    assert radio.explains == ["O1 (M)"]


def test_a_wait_just_under_the_queue_threshold_is_never_shown_as_reaching_it() -> None:
    from ballotdrill.scoring.digest import QUEUE_P90
    from ballotdrill.scoring.summary import wait_text

    assert QUEUE_P90 == 15.0
    assert wait_text(14.88) == "14.9 min"  # "15 min" would read as a queue the rule did not count
    assert wait_text(15.0) == "15 min"
    assert wait_text(14.4) == "14 min"
    assert wait_text(52.0) == "52 min" and wait_text(None) == "—"
