"""The discrete-event engine: a scenario's injects played against a response structure.

Work moves by SimPy events with callbacks rather than a process per action: a step, a handoff
attempt or an arrival is one scheduled event, not a generator. The work path lives in
:mod:`~ballotdrill.exercise.steps`, the handoff path in :mod:`~ballotdrill.exercise.handoffs`, what
runs of the same scenario share in :mod:`~ballotdrill.exercise.setup`, the clock in
:mod:`~ballotdrill.exercise.clock`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, cast

import simpy

from ballotdrill.exercise.arrivals import Arrivals, RateProfile
from ballotdrill.exercise.channels import open_lines
from ballotdrill.exercise.clock import at_delay, play
from ballotdrill.exercise.decisions import Answer, DecisionProvider, DecisionRequest, DefaultDecisions
from ballotdrill.exercise.desk import open_desks
from ballotdrill.exercise.handoffs import HandoffPath
from ballotdrill.exercise.incidents import IncidentPlan, IncidentState, condition_before_start
from ballotdrill.exercise.prevention import NONE as NO_MITIGATION
from ballotdrill.exercise.prevention import ActionLog, Taken
from ballotdrill.exercise.setup import Setup
from ballotdrill.exercise.steps import StepPath
from ballotdrill.exercise.streams import Streams, StreamsOf
from ballotdrill.exercise.work import WorkItem
from ballotdrill.journal import Journal, Kind
from ballotdrill.journal.kinds import (
    ACTION_TAKEN,
    DECISION_MADE,
    DECISION_REQUESTED,
    ESCALATED,
    INJECT_DELIVERED,
    MITIGATED,
    RUN_ENDED,
    RUN_STARTED,
)
from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import Inject, ScenarioFile
from ballotdrill.scenarios.types import LEVELS

# An incident's rows are appended directly, so they carry the kind's plain value (a ``marshal`` frame takes no enum).
_INCIDENT_STARTED = Kind.INCIDENT_STARTED.value
_DETECTED = Kind.DETECTED.value
_CONTAINED = Kind.CONTAINED.value
_RESOLVED = Kind.RESOLVED.value

_UNMARKED: Mapping[str, object] = MappingProxyType({})
"""An inject's row keys beyond the scenario's own: none (a batch run's rows)."""


class Exercise(StepPath, HandoffPath):
    """One run of one scenario: build it, ``run(until)`` (as often as needed), then ``finish()``.

    ``setup``: what runs of this scenario file and scenario share (:class:`Setup`), built here when not given;
    a sweep builds it once per point and worker. The run is the same either way.
    """

    def __init__(self, doc: ScenarioFile, scenario: str, journal: Journal, *, seed: int = 0,
                 decisions: DecisionProvider | None = None, setup: Setup | None = None) -> None:
        doc = as_played(doc, scenario)  # a caller normally gives it resolved already (then it is the same file)
        if setup is None or setup.doc is not doc or setup.name != scenario:
            setup = Setup(doc, scenario)
        self.setup = setup
        self.doc = doc
        self.name = scenario
        self.scenario = setup.scenario
        self.structure = setup.structure
        self.journal = journal
        self.seed = seed
        self.decisions = decisions or DefaultDecisions()
        self.streams = Streams(seed)
        self.env = simpy.Environment(initial_time=0.0)
        self.clock0 = setup.clock0
        self.horizon = setup.horizon
        self.polls = setup.polls
        """Simulation minutes when the polls open and the last close."""
        self.incidents: dict[str, IncidentState] = {}
        self.desks = open_desks(self.structure, journal, self._now, self._start_step, self._queued)
        self.in_transit = 0
        self.pending: dict[str, tuple[simpy.Event, WorkItem, DecisionRequest]] = {}
        self._watchers: dict[str, list[tuple[str, Inject]]] = {}
        self._pack: bool = getattr(journal.sink, "packs_optional", False)
        """Optional fields of a packed kind go into the row's tuple, not a dict (nothing keeps the rows; the one feed
        reads either alike): :class:`~ballotdrill.exercise.run.FeedingSink`."""
        self._row = journal.rows.append
        """Append a row tuple directly (the hot paths, data packed); each work or handoff callback checks the batch."""
        self._duration_streams = StreamsOf(self.streams, "actor")
        self._channel_streams = StreamsOf(self.streams, "channel")
        self._lines = open_lines(self.structure)
        """The lines of each channel with a capacity."""
        self._delivered: set[str] = set()
        self._actions = ActionLog()
        """Actions taken so far, for the incidents they mitigate when they come."""
        self._started = False
        self._finished = False

    # -- set-up --------------------------------------------------------------------------------

    def _now(self) -> float:
        return self.env._now

    def _at(self, t: float, action: Callable[[], None], *, last: bool = False) -> None:
        """Call ``action`` at simulation time ``t`` (now if ``t`` is not in the future); ``last``: after everything
        else at that instant."""
        at_delay(self.env, max(0.0, t - self.env._now), lambda _event: action(), last=last)

    def start(self, until: float | None = None) -> None:
        """Journal the start, put staff on duty and schedule every inject.

        ``until`` is where the whole run will stop (``run_started.data.until``); default the scenario's end.
        """
        if until is None:
            until = self.horizon
        self._started = True
        started = {"scenario": self.name, "seed": self.seed, "start": self.clock0, "end": self.horizon, "until": until,
                   "polls": list(self.polls)}
        if self.scenario.election is not None and self.scenario.election.closes:
            started["closes"] = dict(self.setup.closes)
        self.journal.record(0.0, RUN_STARTED, data=started)
        for name, changes in self.setup.staff.items():
            self.desks[name].set_staff(changes[0][1])
            for t, staff in changes[1:]:
                self._at(t, lambda desk=self.desks[name], staff=staff: desk.set_staff(staff))  # type: ignore[misc]
        for inject_id, inject in self.setup.injects:
            if inject.every is not None:
                self._schedule_arrivals(inject_id, inject)
            elif inject.at is None:
                assert inject.when is not None
                if inject.when.is_not is not None and inject.when.ended_before is None:
                    # Holds from the start until its state arrives, and states never go away: now or never. With
                    # 'ended_before' it holds only from the incident's end by itself on: watched as the others.
                    self._at(0.0, lambda i=inject_id, inj=inject: self._timed(i, inj), last=True)  # type: ignore[misc]
                else:
                    self._watchers.setdefault(inject.when.incident, []).append((inject_id, inject))
            else:  # a timed condition is read at its time as it stands once everything else at that instant is done
                self._at(inject.at - self.clock0, lambda i=inject_id, inj=inject: self._timed(i, inj),  # type: ignore[misc]
                         last=inject.when is not None)

    def run(self, until: float) -> None:
        """Advance the simulation to ``until`` minutes (the events at ``until`` itself stay pending).

        A run played in steps is journalled as stopping at the scenario's end unless :meth:`start` said otherwise.
        """
        if not self._started:
            self.start()
        if until > self.env._now:
            play(self.env, until)  # as ``env.run(until)``, standing exactly at ``until`` afterwards

    def finish(self) -> None:
        """Journal what is still open and flush the journal."""
        if self._finished:
            return
        self._finished = True
        now = self.env._now
        open_incidents = [i.id for i in self.incidents.values() if i.resolved_at is None]
        open_steps = sum(len(d.queue) + d.running for d in self.desks.values()) + self.in_transit
        harm = {i: h for i in open_incidents if (h := self.incidents[i].harm(now))}
        self.journal.record(now, RUN_ENDED, data={
            "open_incidents": open_incidents, "open_steps": open_steps, "harm": harm})
        self.journal.flush()

    # -- injects ---------------------------------------------------------------------------------

    def _schedule_arrivals(self, inject_id: str, inject: Inject) -> None:
        spec = inject.incident
        assert spec is not None
        prefix = spec.id or inject_id
        start = (inject.start if inject.start is not None else self.scenario.start) - self.clock0
        stop = (inject.end if inject.end is not None else self.scenario.end) - self.clock0
        factor = self.scenario.background_factor
        profile = RateProfile(inject, factor, self.clock0) if inject.profile else None
        assert inject.every is not None
        plan = self.setup.incident_plan(inject_id, inject)
        Arrivals(self.env, inject, self.setup.sampler(inject.every), self.streams.get(f"arrivals/{inject_id}"), start,
                 stop, lambda n: self._start_incident(f"{prefix}-{n}", plan), rate=factor, profile=profile)

    def _timed(self, inject_id: str, inject: Inject) -> None:
        if inject.when is not None:
            state = self.incidents.get(inject.when.incident)
            holds = state.holds(inject.when, self.env._now) if state else condition_before_start(inject.when)
            if not holds:
                return
        self._deliver(inject_id, inject)

    def deliver(self, inject_id: str, inject: Inject, *, adhoc: bool = False, by: str | None = None,
                held: bool | None = None) -> None:
        """Deliver an inject now: a facilitator's ad-hoc inject (``adhoc``: journalled with ``adhoc: true``), or a
        scheduled one released early (``by``: who sent it, journalled; ``held``: for a contingency, whether its
        condition held then).

        An inject is delivered once: its scheduled time or condition later does nothing.
        """
        marked: dict[str, object] = {"adhoc": True} if adhoc else {}
        if by is not None:
            marked["by"] = by
        if held is not None:
            marked["held"] = held
        self._deliver(inject_id, inject, marked)

    def was_delivered(self, inject_id: str) -> bool:
        """Whether the inject ``inject_id`` has been delivered (or its action taken) in this run."""
        return inject_id in self._delivered

    def settle(self) -> None:
        """Process every event due at the current time (an answer just given takes effect now)."""
        env = self.env
        while env.peek() <= env.now:
            env.step()

    def _deliver(self, inject_id: str, inject: Inject, marked: Mapping[str, object] = _UNMARKED) -> None:
        """Deliver an inject; ``marked``: the row's keys of a live exercise's inject (a batch run's rows have none)."""
        if inject_id in self._delivered:
            return
        self._delivered.add(inject_id)
        contingency = inject.when is not None
        if inject.action is not None:
            act = inject.action
            self.take_action(act.actor, act.name, act.incident, by="scenario")
            return
        if inject.message is not None:
            msg = inject.message
            self.journal.record(self.env._now, INJECT_DELIVERED, None, msg.to, None, {
                "inject": inject_id, "type": "message", "text": msg.text, "from": msg.sender,
                "contingency": contingency, **marked})
            return
        assert inject.incident is not None
        incident_id = inject.incident.id or inject_id
        if incident_id in self.incidents:
            return
        self.journal.record(self.env._now, INJECT_DELIVERED, incident_id, None, None, {
            "inject": inject_id, "type": "incident", "text": inject.incident.title, "from": "",
            "contingency": contingency, **marked})
        self._start_incident(incident_id, self.setup.incident_plan(inject_id, inject))

    # -- incidents -------------------------------------------------------------------------------

    def _start_incident(self, incident_id: str, plan: IncidentPlan) -> None:
        journal = self.journal
        if len(journal.rows) >= journal.batch:  # Journal.flush_if_full, inline: an arrival's or an inject's
            journal.flush()  # callback, whose rows are appended directly
        now = self.env._now
        mitigations = self._actions.mitigations(plan.spec, incident_id) if plan.mitigated else NO_MITIGATION
        state = IncidentState(incident_id, plan, now, mitigations.growth, watched=incident_id in self._watchers)
        self.incidents[incident_id] = state
        self._row((now, _INCIDENT_STARTED, incident_id, None, None, plan.data))
        for applied in mitigations.applied:
            self.journal.record(now, MITIGATED, incident_id, applied.taken.actor, None, applied.data())
        duration, detection = plan.duration, plan.detection
        if duration is not None or detection is not None:
            rng = self.streams.make(f"incident/{incident_id}")
            if duration is not None:
                end = now + duration(rng) * mitigations.duration
                at_delay(self.env, max(0.0, end - now), lambda _event: self._ended(state))  # as _at, one call less
            if detection is not None:
                delay = detection(rng) * mitigations.detection
                detector = plan.detector
                at_delay(self.env, max(0.0, now + delay - now), lambda _event: self._detect(state, detector))
        if detection is None:
            self._detect(state, None)
        if state.watched:
            self._watch_reach(state)
            self._notify(state)

    def _watch_reach(self, state: IncidentState) -> None:
        """Wake the contingencies waiting for the wave to pass their reach when, at its present rate, it will."""
        for _, watched in self._watchers.get(state.id, []):
            cond = watched.when
            if cond is not None and cond.reach_above is not None:
                delay = state.reach_crossing(cond.reach_above, self.env._now)
                if delay is not None:  # a wake-up from now, so the time is exactly now + delay
                    at_delay(self.env, delay, lambda _event: self._notify(state))

    def _detect(self, state: IncidentState, actor: str | None) -> None:
        journal = self.journal
        if len(journal.rows) >= journal.batch:  # Journal.flush_if_full, inline: a timer's callback, whose rows
            journal.flush()  # are appended directly
        state.detected_at = self.env._now
        state.detector = actor
        self._row((self.env._now, _DETECTED, state.id, actor, None, None))
        if state.resolved_at is None:
            self._trigger(state, actor)
        if state.watched:
            self._notify(state)

    def _trigger(self, state: IncidentState, origin: str | None) -> None:
        """Start every procedure whose trigger now matches and that has not run for this incident."""
        plan = state.plan
        for name in self.setup.triggered((plan.type, plan.severity, state.level, plan.owner)):
            if name not in state.procedures:
                self._start_procedure(state, name, origin)

    def _escalate(self, state: IncidentState, level: str, by: str) -> None:
        new = LEVELS.index(level)
        if new <= state.level:
            return
        old, state.level = LEVELS[state.level], new
        self.journal.record(self.env._now, ESCALATED, state.id, None, None, {
            "from": old, "to": level, "by": by, "actors": list(self.setup.summoned[level])})
        if state.resolved_at is None:
            self._trigger(state, by)
        if state.watched:
            self._notify(state)

    def _contain(self, state: IncidentState, actor: str | None, how: str) -> None:
        if state.contained_at is not None:
            return
        state.contained_at = self.env._now
        self._row((self.env._now, _CONTAINED, state.id, actor, None, {"how": how, **state.harm(self.env._now)}))
        if state.watched:
            self._notify(state)
        self._maybe_resolve(state)

    def _ended(self, state: IncidentState) -> None:
        journal = self.journal
        if len(journal.rows) >= journal.batch:  # Journal.flush_if_full, inline: a timer's callback, whose rows
            journal.flush()  # are appended directly
        if state.contained_at is None:
            state.end_by_itself()
        self._contain(state, None, "ended")

    def _maybe_resolve(self, state: IncidentState) -> None:
        if state.resolved_at is None and state.contained_at is not None and state.open_runs == 0:
            state.resolved_at = self.env._now
            self._row((self.env._now, _RESOLVED, state.id, None, None, None))
            if state.watched:
                self._notify(state)
            if state.background:
                del self.incidents[state.id]

    def _notify(self, state: IncidentState) -> None:
        """Release contingency injects waiting on this incident whose condition now holds (called for an incident
        some contingency waits on: :attr:`IncidentState.watched`)."""
        waiting = self._watchers.get(state.id)
        if not waiting:
            return
        now = self.env._now
        due = [(i, inj) for i, inj in waiting if inj.when is not None and state.holds(inj.when, now)]
        if due:
            self._watchers[state.id] = [w for w in waiting if w not in due]
            for inject_id, inject in due:
                self._deliver(inject_id, inject)

    # -- decisions -------------------------------------------------------------------------------

    def _ask(self, item: WorkItem) -> None:
        run, step = item.run, item.step
        decision = step.decision
        assert decision is not None
        state = run.incident
        base = f"{state.id}:{run.name}:{step.id}"
        state.asked[base] = state.asked.get(base, 0) + 1
        request = DecisionRequest(f"{base}:{state.asked[base]}", state.id, run.name, step.id, item.actor,
                                  tuple(decision.options), decision.default, decision.timeout, self.env._now)
        self.journal.record(self.env._now, DECISION_REQUESTED, state.id, item.actor, step.id, {
            "procedure": run.name, "request": request.key, "options": list(request.options),
            "default": request.default, "timeout": request.timeout})
        answer = self.decisions.decide(request)
        if answer is not None:
            self._decided(item, request, answer)
            return
        answered = self.env.event()
        self.pending[request.key] = (answered, item, request)
        timeout = self.env.timeout(request.timeout)

        def settle(_event: Any) -> None:
            if request.key not in self.pending:
                return
            del self.pending[request.key]
            chosen = cast(Answer, answered.value) if answered.triggered else Answer(request.default, "timeout")
            self._decided(item, request, chosen)

        answered.callbacks.append(settle)
        timeout.callbacks.append(settle)

    def answer(self, key: str, option: str, by: str = "player") -> bool:
        """A live answer to a pending decision (``by``: ``player``, or ``facilitator`` at the console); False if none
        is pending or the option is unknown."""
        pending = self.pending.get(key)
        if pending is None or option not in pending[2].options:
            return False
        event = pending[0]
        if not event.triggered:
            event.succeed(Answer(option, by))
        return True

    def _decided(self, item: WorkItem, request: DecisionRequest, answer: Answer) -> None:
        step = item.step
        assert step.decision is not None
        self.journal.record(self.env._now, DECISION_MADE, request.incident, request.actor, request.step, {
            "procedure": request.procedure, "request": request.key, "option": answer.option, "by": answer.by})
        self._finish(item, item.run.plan.index(step.decision.options[answer.option].next))

    # -- player actions --------------------------------------------------------------------------

    def take_action(self, actor: str, action: str, incident: str | None = None, by: str = "player") -> None:
        """A spontaneous action; starts, once per incident, the procedures it triggers for ``incident``.

        Only for a detected incident: procedures never start before detection (docs/journal.md).
        """
        self.journal.record(self.env._now, ACTION_TAKEN, incident, actor, None, {"action": action, "by": by})
        self._actions.add(action, Taken(self.env._now, actor, incident))
        state = self.incidents.get(incident) if incident is not None else None
        if state is None or state.resolved_at is not None or state.detected_at is None:
            return
        spec = state.spec
        for name, proc in self.structure.procedures.items():
            trig = proc.trigger
            if (trig.action == action and name not in state.procedures and spec.severity >= trig.min_severity
                    and (trig.type is None or spec.type in trig.types) and trig.owned(spec.owner)
                    and (trig.level is None or state.level >= LEVELS.index(trig.level))):
                self._start_procedure(state, name, actor)
