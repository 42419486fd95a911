"""The bottleneck is a real queue, not one long wait: hand-made cases with known answers.

- an actor where only one piece of work waited (once (a 90th percentile of three step starts is their longest wait) is
  not the bottleneck over one where work queued behind other work, whatever its single wait;
- among queues, the bottleneck is where work waited longest in all, and the line says so;
- with no queue anywhere, no actor is the bottleneck, and the line says where the longest single wait was;
- work that waited one piece at a time, never two at once, is a gap in staffing or cover, not a queue: no
  bottleneck (and the line says so); two waiting at once make it one;
- the sweep's per-run bottleneck (``bottlenecks``) follows the same rule;
- the line gives the bottleneck's utilisation in its busiest hour beside the whole run's, which alone reads as idle
  beside a queue that built up in a rush.
"""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report
from ballotdrill.scoring.bottleneck import bottleneck_line
from ballotdrill.scoring.model import ActorLoad
from ballotdrill.scoring.summary import bottlenecks


def _file(calls: int) -> dict[str, Any]:
    """``calls`` calls at 10:00 to one-person 'desk' (20 min each: waits 0, 20, 40 ...); one spy case at 10:00 for
    'vsse', on duty only from 12:00 (a single wait of 2 h), and two more at 13:00 and 14:00 (no wait)."""
    procedures = {
        "p": {"trigger": {"type": "call"}, "steps": [
            {"id": "answer", "actor": "desk", "duration": {"dist": "fixed", "value": "20m"}}]},
        "q": {"trigger": {"type": "spy"}, "steps": [
            {"id": "look", "actor": "vsse", "duration": {"dist": "fixed", "value": "10m"}}]}}
    injects = [incident(f"C{n}", "10:00", "call") for n in range(1, calls + 1)]
    injects += [incident("S1", "10:00", "spy"), incident("S2", "13:00", "spy"), incident("S3", "14:00", "spy")]
    return file_of({"desk": {"staff": 1},
                    "vsse": {"staff": 0, "shifts": [{"from": "12:00", "to": "23:00", "staff": 1}]}},
                   procedures, injects)


def test_a_queue_is_the_bottleneck_over_one_long_single_wait() -> None:
    data = _file(6)
    report = build_report(checked(data), load(data), "s")
    loads = {a.actor: a for a in report.scores.load}
    # desk: waits 0, 20, 40, 60, 80, 100 (p90 100 min, 300 min in all, 5 waiting at 10:00);
    # vsse: one wait of 2 h among 3 starts (p90 = max = 120 min), never more than one waiting
    assert (loads["desk"].wait_p90, loads["desk"].longest_queue) == (100.0, 5)
    assert (loads["vsse"].wait_p90, loads["vsse"].longest_queue, loads["vsse"].steps) == (120.0, 1, 3)
    key = report.analysis.key
    assert key.bottleneck == "desk"
    assert key.bottleneck_text.startswith("desk was the bottleneck: 5 h 00 min of queue wait in all, 5 of 6 "
                                          "piece(s) of work waited, longest queue 5 (90th-percentile wait 1 h 40 min")
    assert [row[0] for row in bottlenecks(report.scores)] == ["desk"]  # what a sweep counts per run


def test_one_long_wait_alone_is_no_bottleneck() -> None:
    data = _file(1)  # one call: no wait at the desk
    report = build_report(checked(data), load(data), "s")
    key = report.analysis.key
    assert key.bottleneck is None
    assert key.bottleneck_text == (
        "No actor was a bottleneck: wherever the 90th-percentile queue wait reached 15 min, a single piece of work had "
        "waited (one long wait is not a queue); the longest was 2 h 00 min at vsse (1 of 3 piece(s) of work waited "
        "there).")
    assert bottlenecks(report.scores) == []
    vsse = next(f for f in report.analysis.improvements if f.actor == "vsse" and f.cause == "queue")
    # its finding says the same, in its title and root cause too
    assert (vsse.title, vsse.root_cause) == ("One long wait at vsse",
                                             "one long wait at vsse: 1 of the 1 long wait(s) began with nobody on duty")
    assert vsse.detail.endswith(" Only one piece of work waited here: one long wait, not a queue that built up.")


def _one_at_a_time(third: str) -> dict[str, Any]:
    """Three 1-hour calls to one-person 'desk': at 10:00 (no wait), 10:05 (waits till 11:00: 55 min) and ``third``
    (11:30: waits till 12:00, 30 min, while the second is being answered, so never two waiting at once; 10:10: it
    queues behind the second, two waiting from 10:10 to 11:00, and waits till 12:00: 1 h 50 min)."""
    answer = {"id": "answer", "actor": "desk", "duration": {"dist": "fixed", "value": "1h"}}
    return file_of({"desk": {"staff": 1}}, {"p": {"trigger": {"type": "call"}, "steps": [answer]}},
                   [incident("C1", "10:00", "call"), incident("C2", "10:05", "call"), incident("C3", third, "call")])


def test_waits_one_at_a_time_are_a_staffing_gap_not_a_bottleneck() -> None:
    data = _one_at_a_time("11:30")
    report = build_report(checked(data), load(data), "s")
    desk = report.scores.load[0]
    # waits 0, 55 and 30 min: the 90th percentile (the 3rd of 3) is 55 min, 2 of 3 waited, never 2 at once
    assert (desk.wait_p90, desk.waited, desk.longest_queue) == (55.0, 2, 1)
    key = report.analysis.key
    assert key.bottleneck is None
    assert key.bottleneck_text == (
        "No actor was a bottleneck: wherever the 90th-percentile queue wait reached 15 min, work waited one piece "
        "at a time, never two at once (a gap in staffing or cover, not a queue that built up); the longest was "
        "55 min at desk (2 of 3 piece(s) of work waited there, never more than 1 at a time).")
    assert bottlenecks(report.scores) == []  # a sweep counts no bottleneck in this run either
    finding = next(f for f in report.analysis.improvements if f.actor == "desk" and f.cause == "queue")
    assert finding.title == "Long waits one at a time at desk"
    assert finding.root_cause == ("a gap in staffing or cover at desk: work waited one piece at a time, never two at "
                                  "once")
    assert finding.detail.endswith(" Work waited here one piece at a time, never two at once: a gap in staffing or "
                                   "cover rather than a queue that built up.")


def test_two_waiting_at_once_make_the_queue_the_bottleneck() -> None:
    data = _one_at_a_time("10:10")
    report = build_report(checked(data), load(data), "s")
    desk = report.scores.load[0]
    assert (desk.wait_p90, desk.waited, desk.longest_queue) == (110.0, 2, 2)  # waits 0, 55, 110 min
    assert report.analysis.key.bottleneck == "desk"
    assert report.analysis.key.bottleneck_text.startswith(
        "desk was the bottleneck: 2 h 45 min of queue wait in all, 2 of 3 piece(s) of work waited, longest queue 2")
    assert [row[0] for row in bottlenecks(report.scores)] == ["desk"]
    finding = next(f for f in report.analysis.improvements if f.title == "Queue at desk")
    assert "one piece at a time" not in finding.detail and "one long wait" not in finding.detail
    assert finding.root_cause == "queue at desk"


def test_a_bottleneck_whose_waits_all_began_with_nobody_on_duty_says_so() -> None:
    # the six calls come at 10:00 to a desk on duty only from 11:00: all six wait (60, 80, ... 160 min), all queued
    # with nobody on duty; with the desk on duty from the start (above), five of six waited behind busy staff
    data = _file(6)
    data["structure"]["actors"]["desk"] = {"staff": 0, "shifts": [{"from": "11:00", "to": "23:00", "staff": 1}]}
    key = build_report(checked(data), load(data), "s").analysis.key
    assert key.bottleneck == "desk"
    assert key.bottleneck_text.endswith(" Every one of those waits began with nobody on duty: a gap in shift cover "
                                        "before a lack of staff.")
    staffed = build_report(checked(_file(6)), load(_file(6)), "s").analysis.key
    assert staffed.bottleneck == "desk" and "nobody on duty" not in staffed.bottleneck_text


def test_with_short_waits_only_the_line_tells_the_highest_percentile_and_the_longest_wait_apart() -> None:
    # desk: 90th-percentile wait 29 s, its longest 7 min; vsse: p90 5 min, longest 6 min. The highest 90th percentile
    # is vsse's; the longest single wait is the desk's (before: "the longest was 5 min at vsse (max 6 min, …)", the
    # percentile read as the longest wait)
    loads = [ActorLoad(actor="desk", name="Desk", steps=12, wait_p90=29 / 60, wait_max=7.0, waited=2, longest_queue=1,
                       utilisation=0.5),
             ActorLoad(actor="vsse", name="VSSE", steps=3, wait_p90=5.0, wait_max=6.0, waited=1, longest_queue=1,
                       utilisation=0.2)]
    assert bottleneck_line(loads).text == (
        "No actor was a bottleneck: no 90th-percentile queue wait reached 15 min; the highest was 5 min at VSSE; "
        "the longest single wait was 7 min at Desk. Utilisation at VSSE: 20% over the whole run.")
    # both at one actor: said once
    assert bottleneck_line(loads[1:]).text == (
        "No actor was a bottleneck: no 90th-percentile queue wait reached 15 min; the highest was 5 min at VSSE "
        "(its longest single wait 6 min). Utilisation at VSSE: 20% over the whole run.")


def test_the_bottleneck_line_gives_its_busiest_hours_utilisation_beside_the_runs() -> None:
    # six 20-min calls at 10:00 to a one-person desk on duty 06:00-23:00 (the file's day, 1,020 min): busy
    # 10:00-12:00, three calls started in each hour (the earlier, 10:00-11:00, is the busiest) and full; over the run
    # 120 of 1,020 on-duty minutes, 12% (alone, it read "bottleneck … utilisation 12%": idle, not a rush)
    data = _file(6)
    text = build_report(checked(data), load(data), "s").analysis.key.bottleneck_text
    assert text.endswith("(90th-percentile wait 1 h 40 min, max 1 h 40 min). Utilisation: 100% in its busiest hour, "
                         "10:00–11:00 (3 piece(s) of work started); 12% over the whole run.")
