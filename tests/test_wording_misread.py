"""Words a director would misread, made plain; each case made by hand, its right words known.

- The handoff line says what it ranks by ("the most failed attempts", "dropped the most handoffs"), never "worst",
  and names the channel with the highest failure rate, with its figures, when that is another.
- An on-time objective's band names its edge: "at least 64% (80% of the 80% target)", never "within 80% of the
  target" (which reads as the 80 % target itself); its value keeps its side of the target and the edges.
- An end point that had not come when a run stopped is told in a sentence it fits: "incident N1 had not been
  detected when the run stopped at …", never "incident N1 detected had not happened".
"""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scenarios.measures import Point
from ballotdrill.scoring.channelkey import channel_line
from ballotdrill.scoring.exercised import had_not
from ballotdrill.scoring.model import ChannelStats
from ballotdrill.scoring.ratings import rate
from ballotdrill.scoring.text import percent


def test_the_handoff_line_names_its_ranking_and_the_least_reliable_channel() -> None:
    # phone: 5 of 21 failed (24 %); rapid: 2 of 2 (100 %): phone has more failures, rapid never worked
    phone = ChannelStats(channel="phone", attempts=21, failures=5, evidence=[88, 90])
    rapid = ChannelStats(channel="rapid", attempts=2, failures=2, evidence=[258, 264])
    line = channel_line([phone, rapid])
    assert line.lead == phone
    assert line.text == ("phone had the most failed attempts: 5 of 21 attempt(s) failed (24%), no handoff dropped. "
                         "The highest failure rate was rapid's: 2 of 2 attempt(s) failed (100%).")
    assert line.evidence == [88, 90, 258, 264]
    assert "worst" not in line.text


def test_the_handoff_line_leads_with_drops_and_says_nothing_more_when_the_lead_is_also_least_reliable() -> None:
    mail = ChannelStats(channel="mail", attempts=4, failures=3, drops=1)
    phone = ChannelStats(channel="phone", attempts=30, failures=6)
    line = channel_line([phone, mail])
    assert line.text == ("mail dropped the most handoffs: 1 dropped on it (no channel left to try); 3 of 4 attempt(s) "
                         "failed (75%).")
    assert channel_line([ChannelStats(channel="phone", attempts=3)]).text == "No handoff failed on any channel."


def test_an_on_time_band_names_its_edge_not_a_share_of_the_target() -> None:
    assert rate(0.72, 0.8, False) == ("S", "below the target, at least 64% (80% of the 80% target)")
    assert rate(0.58, 0.8, False) == ("M", "below 64% (80% of the 80% target), at least 40% (50% of the 80% target)")
    assert rate(0.3, 0.8, False) == ("U", "below 40% (50% of the 80% target)")
    assert rate(0.5, 0.75, False)[1] == "below 60% (80% of the 75% target), at least 37.5% (50% of the 75% target)"


def test_a_share_beside_its_target_and_edges_keeps_its_side() -> None:
    marks = (0.8, 0.64, 0.4)
    assert percent(0.7996, marks) == "79.96%"  # "80%" would read as met beside an S
    assert percent(0.638, marks) == "63.8%"  # "64%" would read as on the S edge beside an M
    assert (percent(0.72, marks), percent(0.8, marks), percent(0.7996)) == ("72%", "80%", "80%")


def test_a_point_that_had_not_come_is_told_in_a_sentence_it_fits() -> None:
    assert had_not(Point("N1", "detected")) == "incident N1 had not been detected"
    assert had_not(Point("N1", "started")) == "incident N1 had not started"
    assert had_not(Point("N1", "completed", "publish")) == "step publish for incident N1 had not completed"


def test_a_cut_run_tells_an_end_point_still_to_come_in_words_that_fit() -> None:
    # X1 at 10:00; 'fix' by a, 60 min, from 10:00: the objective is from X1's start to 'fix' completed, 2 h. Cut at
    # 10:30: the step is under way, 30 min into the target
    data = file_of({"a": {"staff": 1}},
                   {"p": {"trigger": {"type": "bomb"}, "steps": [{"id": "fix", "actor": "a", "duration": "60m"}]}},
                   [incident("X1", "10:00", "bomb")], end="14:00")
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "On-scene security",
                                             "measure": {"time": "from incident X1 start to step fix completed"},
                                             "target": "2h"}]
    o1 = assemble(checked(data, until_clock=10 * 60 + 30), load(data), "s").scores.objectives[0]
    assert (o1.rating, o1.reason) == (
        "NE", "step fix for incident X1 had not completed when the run stopped at 10:30, 30 min into the 2 h 00 min "
              "target")
