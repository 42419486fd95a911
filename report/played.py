"""What people did in a live exercise, for the report: players' decisions and actions, discussion answers, notes."""

from __future__ import annotations

from collections.abc import Sequence

from ballotdrill.journal import ActionTaken, DecisionMade, Event, Kind
from ballotdrill.journal.events import AnsweredLate, DecisionRequested, DiscussionAnswered, Note
from ballotdrill.scenarios.timefmt import seconds_words
from ballotdrill.scoring.model import Frozen


class PlayedInput(Frozen):
    """One human input as the journal shows it; ``seq`` is the journal row (the evidence)."""

    seq: int
    t: float
    what: str
    """``decision`` (a player's answer, or the default taken when none came by the timeout), ``action``,
    ``discussion`` or ``note``."""
    who: str
    subject: str
    text: str
    until: float | None = None
    """For a decision still open when the journal ends: when the exercise ended (None: it stopped unfinished)."""
    open: bool = False
    """A decision request no answer or timeout closed before the journal's end (its row is the request's)."""


def played_inputs(events: Sequence[Event], still_open: Sequence[Event] = ()) -> list[PlayedInput]:
    """The rows a person made, and the ``decision_requested`` rows ``still_open`` at the journal's end (a played
    actor's decision nobody took), in journal order (empty for a batch run)."""
    found: list[PlayedInput] = []
    ended: float | None = None
    for e in events:
        if e.kind == Kind.RUN_ENDED:
            ended = e.t
        if e.kind == Kind.DECISION_MADE:
            made = e.fields(DecisionMade)
            if made.by in ("player", "facilitator", "timeout"):
                text = {"player": made.option, "facilitator": f"{made.option} (answered by the facilitator)",
                        "timeout": f"no answer by the timeout: default {made.option}"}[made.by]
                found.append(PlayedInput(seq=e.seq, t=e.t, what="decision", who=e.actor or "", subject=made.request,
                                         text=text))
        elif e.kind == Kind.ACTION_TAKEN and (taken := e.fields(ActionTaken)).by in ("player", "facilitator"):
            found.append(PlayedInput(seq=e.seq, t=e.t, what="action", who=e.actor or "", subject=e.incident or "",
                                     text=taken.action + (" (taken by the facilitator)" if taken.by == "facilitator"
                                                          else "")))
        elif e.kind == Kind.DISCUSSION_ANSWERED:
            said = e.fields(DiscussionAnswered)
            found.append(PlayedInput(seq=e.seq, t=e.t, what="discussion", who=e.actor or "",
                                     subject=f"inject {said.inject}, question {said.number}: {said.question}",
                                     text=said.answer + (" (typed by the facilitator)" if said.by == "facilitator"
                                                         else "")))
        elif e.kind == Kind.ANSWERED_LATE:
            late = e.fields(AnsweredLate)
            found.append(PlayedInput(seq=e.seq, t=e.t, what="decision", who=e.actor or "", subject=late.request,
                                     text=f"late: '{late.option}' answered {seconds_words(late.late)} after the "
                                          f"timeout (the default {late.default} had applied)"
                                          + (" (answered by the facilitator)" if late.by == "facilitator" else "")))
        elif e.kind == Kind.NOTE:
            note = e.fields(Note)
            found.append(PlayedInput(seq=e.seq, t=e.t, what="note", who=note.by, subject="", text=note.text))
    found += [PlayedInput(seq=e.seq, t=e.t, what="decision", who=e.actor or "", subject=key, until=ended, open=True,
                          text="not decided: " + ("the exercise ended first" if ended is not None
                                                  else "still open where the journal stops (stopped unfinished)"))
              for e in still_open for key in [e.fields(DecisionRequested).request]]
    return sorted(found, key=lambda p: p.seq)
