"""A lever's share of an incident's voter- and station-minutes is a share of the time they were done (its polls
open, until it was contained), not of its whole life: a wait before the polls opened kept nobody from voting, and
a short wait inside a short harm window is material there. Worked by hand."""

from __future__ import annotations

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report.report import assemble
from ballotdrill.scoring.findings import analyse
from ballotdrill.scoring.load import actor_names


def _shares(incident_at: str, b_from: str) -> tuple[float, dict[str, float]]:
    """X1 (100 voters) at ``incident_at``; the polls are open 08:00-14:00. 'triage' (30 min) at a, nobody on duty
    until 07:30; then 'repair' (60 min, contains X1) at b, nobody on duty until ``b_from``."""
    off = {"from": "06:00", "staff": 0}
    data = file_of({"a": {"staff": 1, "shifts": [{**off, "to": "07:30"}]},
                    "b": {"staff": 1, "shifts": [{**off, "to": b_from}]}},
                   {"p": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "triage", "actor": "a", "duration": "30m"},
                       {"id": "repair", "actor": "b", "duration": "60m", "effect": {"contain": 1.0}}]}},
                   [incident("X1", incident_at, "outage", spec={"voters": 100})], end="16:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00"}}
    report = assemble(checked(data), load(data), "s")
    harm = next(h for h in report.scores.harm if h.incident == "X1")
    shares: dict[str, float] = {}
    for f in report.analysis.improvements:  # a lever's first finding speaks for it: its share, the others' 0
        if f.lever.startswith("actor:"):
            shares[f.lever] = max(shares.get(f.lever, 0.0), f.harm_share)
    return harm.voter_minutes, shares


def test_a_wait_before_the_polls_open_is_behind_none_of_the_voter_minutes() -> None:
    # X1 at 06:00: triage waits 06:00-07:30 and runs to 08:00; repair waits 08:00-08:08 and contains X1 at 09:08.
    # Voter-minutes only while the polls are open: 08:00-09:08, 68 min x 100. a's 90 min all came before 08:00
    # (over its whole life it read 90 of 188 min, 48 %); b's 8 min are 8 of those 68 (12 %; of 188, under 5 %:
    # it read as no harm at all)
    minutes, shares = _shares("06:00", "08:08")
    assert minutes == 6800
    assert shares == {"actor:a": 0.0, "actor:b": round(8 / 68, 3)}


def test_a_wait_while_the_polls_are_open_keeps_its_share() -> None:
    # X1 at 08:00, with the polls: triage 08:00-08:30 (a on duty since 07:30), repair waits 08:30-09:00 and
    # contains X1 at 10:00. Its life is its harm window: b's 30 min are 30 of 120 min, as before
    minutes, shares = _shares("08:00", "09:00")
    assert minutes == 12000
    assert shares == {"actor:b": 0.25}


def _o1(target: int) -> tuple[str, dict[str, list[str]], dict[str, float], dict[str, float]]:
    """:func:`_shares`' day with X1 at 06:00 and repair's b from 08:08 (6,800 voter-minutes, contained at 09:08),
    and O1: X1's voter-minutes within ``target``. Its rating, what each actor lever explains, and each lever's harm
    share as the report's scorer digest and as complete scores alone give them."""
    off = {"from": "06:00", "staff": 0}
    data = file_of({"a": {"staff": 1, "shifts": [{**off, "to": "07:30"}]},
                    "b": {"staff": 1, "shifts": [{**off, "to": "08:08"}]}},
                   {"p": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "triage", "actor": "a", "duration": "30m"},
                       {"id": "repair", "actor": "b", "duration": "60m", "effect": {"contain": 1.0}}]}},
                   [incident("X1", "06:00", "outage", spec={"voters": 100})], end="16:00")
    data["scenarios"]["s"]["election"] = {"opens": "08:00", "closes": {"paper": "14:00"}}
    data["scenarios"]["s"]["objectives"] = [{"id": "O1", "capability": "Infrastructure systems",
                                             "measure": {"voter_minutes": "X1"}, "target": target}]
    doc = load(data)
    report = assemble(checked(data), doc, "s")
    explains: dict[str, list[str]] = {}
    for f in report.analysis.improvements:
        explains.setdefault(f.lever, []).extend(f.explains)
    alone = analyse(report.scores, actor_names(doc.structure), doc.structure)
    shares = {f.lever: f.harm_share for f in report.analysis.improvements}
    return report.scores.objectives[0].rating, explains, shares, {f.lever: f.harm_share for f in alone.improvements}


def test_a_voter_minutes_objective_s_stretch_starts_when_its_polls_open() -> None:
    # O1 within 5,000: passed at 08:50 (100 a minute from 08:00); 6,800 is 1.36 x the target: M. Its harm was done
    # from 08:00: 50 min to the passing, so b's 8-min wait (08:00-08:08) is 16 % of it, material (from X1's start at
    # 06:00 it read as 8 of 170 min, under 5 %: explaining nothing). Taken away, X1 is contained at 09:00: 6,000,
    # 1.2 x: S. a's 90-min gap in cover (06:00-07:30) came before the polls opened, yet it delayed the containment
    # all the same: taken away, X1 is contained at 07:38, before they open: 0, P. Each alone turns O1.
    rating, explains, shares, alone = _o1(5000)
    assert rating == "M"
    either = "taking either of the delays away alone would have turned it)"
    assert explains["actor:b"] == [f"O1 (M; shared with “One long wait at a”: {either}"]
    assert explains["actor:a"] == [f"O1 (M; shared with “Gap in shift cover at b”: {either}"]
    # complete scores alone (no scorer digest) know the polls from X1's harm record: the same shares
    assert shares["actor:b"] == round(8 / 68, 3)
    assert alone == shares

