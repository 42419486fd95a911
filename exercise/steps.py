"""The work path of a run: procedure runs, their steps queued and served at desks, and what a step's end does.

Mixed into :class:`ballotdrill.exercise.engine.Exercise`, which owns the state named below (as
:class:`~ballotdrill.exercise.handoffs.HandoffPath` is); kept apart so the engine stays one idea per
module. A step is a :class:`WorkItem` that reschedules itself; its hot rows are appended packed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import simpy

from ballotdrill.exercise.desk import Desk
from ballotdrill.exercise.incidents import IncidentState
from ballotdrill.exercise.setup import Setup
from ballotdrill.exercise.streams import Streams
from ballotdrill.exercise.waves import finite
from ballotdrill.exercise.work import END_INDEX, Handoff, ProcedureRun, WorkItem
from ballotdrill.journal import Data, Journal, Kind, Row, VotingExtended, packed
from ballotdrill.journal.kinds import (
    EFFECT_FAILED,
    VOTING_EXTENDED,
    WAVE_SLOWED,
)

# The hot rows are appended directly, so they carry the kind's plain value (a ``marshal`` frame takes no enum).
_STEP_STARTED = Kind.STEP_STARTED.value
_STEP_COMPLETED = Kind.STEP_COMPLETED.value
_STEP_QUEUED = Kind.STEP_QUEUED.value
_PROCEDURE_STARTED = Kind.PROCEDURE_STARTED.value
_PROCEDURE_ENDED = Kind.PROCEDURE_ENDED.value


class StepPath:
    """Starting procedures, queueing and serving their steps, and the effects of a completed step."""

    env: simpy.Environment
    journal: Journal
    setup: Setup
    streams: Streams
    desks: dict[str, Desk]
    _row: Callable[[Row], None]
    _duration_streams: dict[str, random.Random]
    _pack: bool
    """Rows of a packed kind carry their optional fields packed (:attr:`FeedingSink.packs_optional`), not as a dict."""
    _send: Callable[[Handoff], None]
    """Send work to the actor of its next step (the handoff path's)."""

    # -- the engine's ---------------------------------------------------------------------------------------

    def _ask(self, item: WorkItem) -> None:
        raise NotImplementedError

    def _escalate(self, state: IncidentState, level: str, by: str) -> None:
        raise NotImplementedError

    def _contain(self, state: IncidentState, actor: str | None, how: str) -> None:
        raise NotImplementedError

    def _maybe_resolve(self, state: IncidentState) -> None:
        raise NotImplementedError

    def _watch_reach(self, state: IncidentState) -> None:
        raise NotImplementedError

    # -- procedures and steps -------------------------------------------------------------------------------

    def _start_procedure(self, state: IncidentState, name: str, origin: str | None) -> None:
        plan = self.setup.plans[name]
        number = state.procedures.get(name, 0) + 1
        state.procedures[name] = number
        state.open_runs += 1
        if plan.contains:
            state.stoppable = True
        now = self.env._now
        run = ProcedureRun(state, plan, number, now)
        self._row((now, _PROCEDURE_STARTED, state.id, None, None, packed.procedure_started(procedure=name, run=number)))
        self._goto(run, 0, origin)

    def _goto(self, run: ProcedureRun, index: int, sender: str | None) -> None:
        if sender is None or sender == run.actors[index]:  # queued at once (as _enqueue, one call less a step)
            self.desks[run.desks[index]].submit(WorkItem(run, index, self.env._now), run.incident.severity)
            return
        channel = run.plan.steps[index].channel
        self._send(Handoff(run, index, sender, self.setup.chains[channel] if channel else [], self.env._now))

    def _enqueue(self, run: ProcedureRun, index: int) -> None:
        self.desks[run.desks[index]].submit(WorkItem(run, index, self.env._now), run.incident.severity)

    def _queued(self, item: WorkItem, waiting: int, on_duty: int) -> None:
        crew = item.run.plan.crews[item.index]
        self._row((self.env._now, _STEP_QUEUED, item.run.incident.id, item.actor, item.step.id,
                   packed.step_queued(on_duty=on_duty, procedure=item.run.name, queue=waiting) if crew is None
                   else {"on_duty": on_duty, "procedure": item.run.name, "queue": waiting, **crew}))

    def _start_step(self, item: WorkItem) -> None:
        env = self.env
        now = env._now
        step, run = item.step, item.run
        crew = run.plan.crews[item.index]
        self._row((now, _STEP_STARTED, run.incident.id, item.actor, step.id,
                   packed.step_started(procedure=run.name, wait=now - item.queued_at) if crew is None
                   else {"procedure": run.name, "wait": now - item.queued_at, **crew}))
        item.wake(env, run.plan.durations[item.index](self._duration_streams[item.actor]), self._complete)

    def _complete(self, item: WorkItem) -> None:
        journal = self.journal
        if len(journal.rows) >= journal.batch:  # Journal.flush_if_full, inline: every step's end
            journal.flush()
        if item.step.decision is not None:
            self._ask(item)
        else:
            self._finish(item, item.run.plan.next_index[item.index])

    def _finish(self, item: WorkItem, nxt: int) -> None:
        now = self.env._now
        run, step, index = item.run, item.step, item.index
        state = run.incident
        extra = run.plan.extras[index]
        elapsed = now - run.started_at
        actor = item.actor
        data: Data
        if not extra:
            data = packed.step_completed(elapsed=elapsed, procedure=run.name)
        elif self._pack:  # a target or deadline, packed: no journal keeps the row
            data = packed.step_completed(elapsed=elapsed, procedure=run.name) + run.plan.targets[index]
        else:
            data = {"procedure": run.name, "elapsed": elapsed, **extra}
        self._row((now, _STEP_COMPLETED, state.id, actor, step.id, data))
        self.desks[run.desks[index]].release(item.need)
        state.completed.add(step.id)
        if step.escalate is not None:
            self._escalate(state, step.escalate, actor)
        if step.effect is not None:
            self._effect(state, item, now)
        if nxt == END_INDEX:
            self._end_run(run, "completed")
        else:
            self._goto(run, nxt, actor)

    def _effect(self, state: IncidentState, item: WorkItem, now: float) -> None:
        """What a completed step with an ``effect`` does: extend voting, slow the wave, or (try to) contain."""
        step = item.step
        if step.extend_voting is not None:
            self._extend_voting(state, item, step.extend_voting - self.setup.clock0)
        elif step.slows:
            self._slow(state, item)
        elif state.contained_at is None:
            chance = step.chance
            if chance >= 1.0:
                self._contain(state, item.actor, "effect")
            elif chance > 0:
                rng = state.effects
                if rng is None:
                    rng = state.effects = self.streams.make(f"incident/{state.id}/effects")
                if rng.random() < chance:
                    self._contain(state, item.actor, "effect")
                    return
                self.journal.record(now, EFFECT_FAILED, state.id, item.actor, item.step.id,
                                    {"procedure": item.run.name, "contain": chance})

    def _extend_voting(self, state: IncidentState, item: WorkItem, until: float) -> None:
        """A decision keeping the incident's stations open until ``until``: never earlier, never once it has passed;
        one decided after the close it extends is journalled but keeps nothing open (:meth:`VotingExtended.keeps`)."""
        opened, closed = state.polls
        now = self.env._now
        if until <= closed or until <= now:
            return
        row = VotingExtended(item.run.name, until, closed)
        if row.keeps(now):
            state.polls = (opened, until)
        self.journal.record(now, VOTING_EXTENDED, state.id, item.actor, item.step.id, row._asdict())

    def _slow(self, state: IncidentState, item: WorkItem) -> None:
        """A step's slowing effect: the uncontained wave doubles more slowly from now on."""
        wave, effect = state.wave, item.step.effect
        if wave is None or effect is None or state.contained_at is not None:
            return
        now = self.env._now
        before = wave.doubling
        wave.slow(now, doubling=effect.doubling, growth=effect.growth)
        self.journal.record(now, WAVE_SLOWED, state.id, item.actor, item.step.id, {
            "procedure": item.run.name, "reach": wave.reach(now), "doubling": finite(wave.doubling),
            "previous": finite(before)})
        self._watch_reach(state)

    def _end_run(self, run: ProcedureRun, outcome: str) -> None:
        state = run.incident
        state.open_runs -= 1
        self._row((self.env._now, _PROCEDURE_ENDED, state.id, None, None,
                   packed.procedure_ended(outcome=outcome, procedure=run.name, run=run.number)))
        if state.open_runs == 0 and state.contained_at is None and not state.stoppable and outcome == "completed":
            self._contain(state, None, "completed")
        self._maybe_resolve(state)
