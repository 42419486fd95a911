"""Votes lost: the voters an incident still held up when its polling stations closed (``votes_lost`` objectives).

The model's ``voters`` are the voters an incident holds up while it lasts (its voter-minutes count all of them every
minute). Those still held up when its stations close are turned away, so the rule is:

- its **close** is its way of voting's close (``voting``; else the last close), or the latest ``until`` of the
  response's ``voting_extended`` rows for it that were decided at or before the close they extend; one decided
  later found the stations closed and kept no voter, as the engine's voter-minutes count it
  (:meth:`~ballotdrill.journal.VotingExtended.keeps`);
- it **lost all its voters** when it was still going at that close: it started before its usual close and was
  contained (by the response or by itself) only after the close, or not at all in a run that reached it;
- it **lost none** when it was contained at or before the close, or started at or after its usual close (no voter
  was in line at it);
- lost is **not known yet** when the run stopped before the close with the incident still open.

Containing sooner or extending later never loses more. Read from the journal's own rows: ``run_started`` (the
closes), ``incident_started`` (its voters, its way of voting), ``voting_extended`` and ``contained``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NamedTuple

from ballotdrill.journal import Contained, Event, IncidentStarted, VotingExtended
from ballotdrill.journal.kinds import CONTAINED, INCIDENT_STARTED, RUN_STARTED, VOTING_EXTENDED
from ballotdrill.scoring.exercised import Verdict, Window
from ballotdrill.scoring.extensions import kept_no_voter
from ballotdrill.scoring.feed import Handlers
from ballotdrill.scoring.model import Harm, ObjectiveResult
from ballotdrill.scoring.pollwindow import Polls
from ballotdrill.scoring.text import between, clock, number

__all__ = ["VOTES_LOST_TERM", "Lost", "VotesLostCollector", "rate_lost", "votes_lost"]

EPS = 1e-9

VOTES_LOST_TERM = ("Votes lost", "an incident's voters (those it holds up while it lasts) still held up when its "
                   "polling stations closed, at its way of voting's close or the later one the response kept them "
                   "open to: all of them if it was still going then, none if it was over; rated P when none was "
                   "lost, U when they were, NE when the run cannot tell (it stopped before the close, or the incident "
                   "ended by itself before its usual close)")
"""Its line in the report's definitions (Appendix B), for a run with a ``votes_lost`` objective."""


class Extended(NamedTuple):
    """One ``voting_extended`` row of the incident: its seq, the step that decided it, the new close, the close it
    was to extend."""

    seq: int
    t: float
    """When it was decided."""
    step: str
    until: float
    previous: float
    kept: bool
    """Whether it kept the stations open (:meth:`VotingExtended.keeps`: decided at or before the close it extends)."""


class Lost(NamedTuple):
    """What decides one incident's votes lost."""

    voters: int
    started: float
    usual: float | None
    """t of its way of voting's close before any extension (None: the journal does not say)."""
    extensions: tuple[Extended, ...]
    contained: float | None
    """t when it was contained (None: still open when the run stopped)."""
    how: str | None
    """How it was contained (``effect``, ``completed``, ``ended``: by itself)."""
    rows: tuple[int, ...]
    """Its ``incident_started`` and ``contained`` rows."""

    @property
    def close(self) -> float | None:
        """t when its polling stations closed: the usual close, or the latest extension's."""
        if self.usual is None:
            return None
        return max([self.usual, *(e.until for e in self.extensions if e.kept)])

    def lost(self, until: float) -> float | None:
        """Its votes lost in a run stopped at ``until`` (None: not known, see the module's rule)."""
        close = self.close
        if close is None or self.usual is None:
            return None
        return votes_lost(self.voters, self.started, self.contained, self.usual, close, until)


def votes_lost(voters: float, started: float, contained: float | None, usual: float, close: float,
               until: float) -> float | None:
    """The votes lost by an incident holding up ``voters`` from ``started`` to ``contained`` (None: still open at
    ``until``, where the run stopped) whose stations close at ``close`` (``usual`` before any extension): all of
    them if it was still going at the close, none if it was over by then or began at or after the usual close;
    None when the run stopped before the close with it open."""
    if started >= min(usual, close) - EPS:
        return 0.0
    if contained is not None:
        return float(voters) if contained > close + EPS else 0.0
    return float(voters) if until >= close - EPS else None


class VotesLostCollector:
    """For the incidents ``votes_lost`` objectives measure: what decides their votes lost."""

    def __init__(self, incidents: Collection[str]) -> None:
        self.incidents = incidents
        self._polls = Polls()
        self.seen: dict[str, Lost] = {}

    def handlers(self) -> Handlers:
        if not self.incidents:
            return {}
        return {RUN_STARTED: self._run_started, INCIDENT_STARTED: self._started, VOTING_EXTENDED: self._extended,
                CONTAINED: self._contained}

    def _run_started(self, event: Event) -> None:
        self._polls = Polls.of(event)

    def _started(self, event: Event) -> None:
        incident = event.incident
        if incident is None or incident not in self.incidents or incident in self.seen:
            return
        spec = event.fields(IncidentStarted)
        usual = self._polls.usual_close(spec)
        self.seen[incident] = Lost(int(spec.voters or 0), event.t, usual, (), None, None, (event.seq,))

    def _extended(self, event: Event) -> None:
        lost = self.seen.get(event.incident or "")
        if lost is not None:
            row = event.fields(VotingExtended)
            made = Extended(event.seq, event.t, event.step or "", row.until, row.previous, row.keeps(event.t))
            self.seen[str(event.incident)] = lost._replace(extensions=(*lost.extensions, made))

    def _contained(self, event: Event) -> None:
        lost = self.seen.get(event.incident or "")
        if lost is not None and lost.contained is None:
            self.seen[str(event.incident)] = lost._replace(contained=event.t, how=event.fields(Contained).how,
                                                           rows=(*lost.rows, event.seq))

    def into(self, harms: Iterable[Harm], until: float) -> list[Harm]:
        """``harms`` with the votes lost of the incidents it measures, in a run stopped at ``until``."""
        seen = self.seen
        return [h if h.incident not in seen else h.model_copy(update={"votes_lost": seen[h.incident].lost(until)})
                for h in harms]

    def passed(self, objectives: Iterable[ObjectiveResult]) -> dict[str, float]:
        """Objective id -> t when a ``votes_lost`` objective's target was passed: its stations' close, for those
        that lost more votes than the target."""
        found: dict[str, float] = {}
        for obj in objectives:
            lost = self.seen.get(obj.measured or obj.subject)
            if obj.kind == "votes_lost" and lost is not None and lost.close is not None and \
                    obj.value is not None and obj.value > obj.target:
                found[obj.id] = lost.close
        return found


def rate_lost(incident: str, target: float, lost: Lost | None, window: Window) -> tuple[float | None, list[int],
                                                                                       Verdict | None, str]:
    """A ``votes_lost`` objective's value, evidence rows, verdict (NE, or U: votes were lost) and note (what kept
    them: a containment before the close, an extension), as :func:`~ballotdrill.scoring.ratings.measure_objective`
    reads them."""
    if lost is None:
        return None, [], Verdict("NE", window.never_started(incident), why="absent"), ""
    at = window.start
    evidence = [*lost.rows, *(e.seq for e in lost.extensions)]
    close, usual = lost.close, lost.usual
    if close is None or usual is None:
        return None, evidence, Verdict("NE", "the journal does not say when its polling stations close, so no vote "
                                       "lost can be counted", "not known"), ""
    voters = number(lost.voters, (target,))  # told beside the target
    closing = f"its polling stations' {clock(at, close)} close"
    kept = "" if close <= usual + EPS else (
        f"its polling stations were kept open past their usual {clock(at, usual)} close, to {clock(at, close)}, by "
        + ", ".join(f"'{e.step}' (row #{e.seq}" + (f", decided at {clock(at, e.t)}, {between(at, usual, e.t)} after "
                                                      "that close" if e.t > usual + EPS else "") + ")"
                    for e in lost.extensions if e.kept and e.until > usual + EPS))
    late = "".join(f"; '{e.step}' (row #{e.seq}, to keep them open until {clock(at, e.until)}) was "
                   + kept_no_voter(at, e.t, e.previous) for e in lost.extensions if not e.kept)
    if lost.voters <= target + EPS:
        return None, evidence, Verdict("NE", f"incident {incident} holds up {voters} voters, within the target: "
                                       "whatever the response did its votes lost could never pass it, so the "
                                       "objective was not put to the test", f"{voters} voters, within the target",
                                       why="never"), ""
    if lost.started >= usual - EPS:
        return 0.0, evidence, Verdict("NE", f"incident {incident} started at {clock(at, lost.started)}, at or "
                                      f"after its polling stations' usual {clock(at, usual)} close: it held up no "
                                      "voter in line at the close, so the objective was not put to the test",
                                      "0, started after the close", why="never"), ""
    value = lost.lost(window.until)
    if value is None:
        return None, evidence, Verdict("NE", f"incident {incident} was still open when the run stopped at "
                                       f"{clock(at, window.until)}, before {closing}: no vote had been lost yet",
                                       "none yet, still open", why="open"), ""
    if value > 0:
        how = ("never contained" if lost.contained is None else
               f"it ended by itself at {clock(at, lost.contained)}" if lost.how == "ended" else
               f"contained at {clock(at, lost.contained)}")
        shown = kept + ", not long enough: " if kept else ""
        return value, evidence, Verdict("U", f"incident {incident} was still going at {closing} ({how}): "
                                        f"{shown}its {voters} voters still held up were turned away{late}",
                                        f"{voters} lost"), ""
    assert lost.contained is not None  # none lost, started before the close: over by then
    if lost.how == "ended" and lost.contained <= usual + EPS:
        return 0.0, evidence, Verdict("NE", f"incident {incident} ended by itself at {clock(at, lost.contained)}, "
                                      f"before its polling stations' usual {clock(at, usual)} close: no vote was "
                                      "lost, and the response was not what kept them", "0, ended by itself",
                                      why="ended"), ""
    ended = "it ended by itself (its voters had voted)" if lost.how == "ended" else "it was contained"
    over = f"{ended} at {clock(at, lost.contained)}"
    return 0.0, evidence, None, f"; {kept}, and {over}, before then" if kept else f"; {over}, before {closing}"
