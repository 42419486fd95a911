"""Legal deadlines of steps the response never reached: a procedure dropped before them, or still short of them when
the run stopped.

A legal deadline runs from its procedure's start whether or not the work gets to its step. A procedure run that a
dropped handoff stopped (``procedure_ended``, outcome ``dropped``) never does the step that handoff carried nor any
after it; one still under way when the run stopped has not done the steps after its open work. The steps counted are
those on the designed path (each decision's default) from where the work stopped: the dropped handoff's step and
those after it; after a step still queued or in progress (itself measured as a step instance), or from the step a
handoff still travelling carries. Such a step's deadline is *missed* once it passed before the run stopped (the step
never done), and *not yet due* when the run stopped first. A procedure run that completed did every step its path
called for: a step on a branch it did not take had no deadline to meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ballotdrill.journal import Event, HandoffFailed, Kind
from ballotdrill.journal.packed import Packed
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.designed import default_path
from ballotdrill.scoring.feed import Handlers, RowHandlers
from ballotdrill.scoring.measured import HandoffMeasure, StepMeasure

__all__ = ["DeadlineWatch", "Unreached", "open_work"]


class Unreached(NamedTuple):
    """A step with a legal deadline its procedure run never reached."""

    incident: str
    procedure: str
    step: str
    actor: str
    """The step's actor in the structure (a role as the structure names it)."""
    deadline: float
    """Minutes from the procedure's start (the structure's ``deadline.within``)."""
    basis: str
    due_at: float
    """t when the deadline passed (or would have passed)."""
    missed: bool
    """The deadline passed before the run stopped, the step never done (False: not yet due at the stop)."""
    at: str
    """The step the work had reached: the dropped handoff's, or the one open (or travelling) when the run stopped."""
    how: str
    """``dropped`` (a handoff dropped, no fallback left); at the stop ``queued``, ``in_progress`` or ``in_transit``."""
    stopped_at: float
    """t the procedure was dropped, else where the run stopped."""
    channel: str | None = None
    """The channel the handoff was dropped on."""
    sender: str = ""
    evidence: tuple[int, ...] = ()
    """The dropped handoff's last ``handoff_failed`` row."""


class _Run:
    """A procedure run with a deadline step: when it started, and the handoff that dropped it."""

    __slots__ = ("drop", "dropped", "started")

    def __init__(self, started: float) -> None:
        self.started = started
        self.drop: tuple[str, str | None, str, int] | None = None
        """(step, channel, sender, row) of the handoff whose last attempt failed with no fallback left."""
        self.dropped: float | None = None


class DeadlineWatch:
    """The procedure runs of procedures with a legal deadline, from their start to their completion (forgotten then)
    or drop (kept); :meth:`unreached` says which deadlines their work never reached."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.watched = frozenset(name for name, proc in structure.procedures.items()
                                 if any(s.deadline is not None for s in proc.steps))
        self.runs: dict[tuple[str, str], _Run] = {}
        self.held: dict[str, int] = {}
        """Per incident, how many of its runs :attr:`runs` holds."""
        self.let_go: dict[str, tuple[str, str]] = {}
        """A background arrival let go while a run of it was still kept (dropped): its inject and incident type, for
        the aggregates its deadlines never reached count in."""

    def handlers(self) -> Handlers:
        return {Kind.HANDOFF_FAILED: self._failed} if self.watched else {}

    def row_handlers(self) -> RowHandlers:
        if not self.watched:  # nothing to watch: no cost per row
            return {}
        return {Kind.PROCEDURE_STARTED: self._started, Kind.PROCEDURE_ENDED: self._ended}

    def _started(self, seq: int, row: Packed) -> None:  # ProcedureStarted: procedure, run
        procedure = str(row[5][0] or "")
        if procedure in self.watched:
            key = (row[2] or "", procedure)
            self.held[key[0]] = self.held.get(key[0], 0) + (key not in self.runs)
            self.runs[key] = _Run(row[0])

    def _ended(self, seq: int, row: Packed) -> None:  # ProcedureEnded: outcome, procedure, run
        key = (row[2] or "", str(row[5][1] or ""))
        run = self.runs.get(key)
        if run is None:
            return
        if row[5][0] == "dropped":
            run.dropped = row[0]
        else:
            del self.runs[key]
            self.held[key[0]] -= 1
            if not self.held[key[0]]:
                del self.held[key[0]]

    def _failed(self, event: Event) -> None:
        failed = event.fields(HandoffFailed)
        if failed.next is not None:
            return
        run = self.runs.get((event.incident or "", str(failed.procedure or "")))
        if run is not None:
            run.drop = (event.step or "", failed.channel, event.actor or "", event.seq)

    def letting_go(self, incident: str, inject: str, kind: str) -> None:
        """Background arrival ``incident`` (of ``inject``, of type ``kind``) is folded in and let go: keep where it
        came from if a run of it is still watched."""
        if incident in self.held:
            self.let_go[incident] = (inject, kind)

    def unreached(self, until: float, open_work: Mapping[tuple[str, str], tuple[str, str]]) -> list[Unreached]:
        """The deadlines never reached, by incident and procedure; ``open_work``: per (incident, procedure) still
        under way at the stop, its open step and how it stood (``queued``, ``in_progress``, or ``in_transit`` for the
        step a handoff still travelling carries)."""
        out: list[Unreached] = []
        evidence: tuple[int, ...]
        for (incident, procedure), run in sorted(self.runs.items()):
            proc = self.structure.procedures[procedure]
            if run.dropped is not None:
                if run.drop is None:
                    continue
                at, channel, sender, row = run.drop
                how, stopped, inclusive, evidence = "dropped", run.dropped, True, (row,)
            elif (incident, procedure) in open_work:
                at, how = open_work[(incident, procedure)]
                channel, sender, stopped, inclusive, evidence = None, "", until, how == "in_transit", ()
            else:
                continue
            for spec in default_path(proc, at, inclusive):
                if spec.deadline is None:
                    continue
                due = run.started + float(spec.deadline.within)
                out.append(Unreached(incident, procedure, spec.id, spec.actor, float(spec.deadline.within),
                                     spec.deadline.basis, due, due <= until + 1e-9, at, how, stopped, channel, sender,
                                     evidence))
        return out


def open_work(steps: Iterable[tuple[int, StepMeasure]],
              chains: Iterable[tuple[int, HandoffMeasure]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Per (incident, procedure) with work open when the run stopped: its step still queued or in progress, else the
    step a handoff still travelling carries, and how it stood (:meth:`DeadlineWatch.unreached`)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for _, step in steps:
        if step.status != "completed":
            out[(step.incident, step.procedure)] = (step.step, step.status)
    for _, chain in chains:
        if chain.status == "in_transit":
            out.setdefault((chain.incident, chain.procedure), (chain.step, "in_transit"))
    return out
