"""What every run of one scenario against one structure shares, worked out once and reused by each run.

A sweep plays hundreds of replications of the same point: each procedure's plan, each channel's fallback
chain, each actor's staff changes over the scenario's window and the procedures a kind of incident starts
are the same for all of them, so a worker builds a :class:`Setup` once and hands it to every run. Nothing
here draws a random number or holds a run's state; the caches it fills as runs ask are pure functions of
the scenario file, so a run with a shared set-up journals exactly what it journals with its own.
"""

from __future__ import annotations

from ballotdrill.exercise.desk import staff_changes
from ballotdrill.exercise.incidents import IncidentPlan
from ballotdrill.exercise.sampling import Sampler, sampler
from ballotdrill.exercise.work import Plan, incident_data
from ballotdrill.scenarios.distributions import Distribution
from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import Inject, ScenarioFile
from ballotdrill.scenarios.types import LEVELS

TriggerKey = tuple[str, int, int, "str | None"]
"""An incident's type, severity, level (index in ``LEVELS``) and owner: what decides the procedures it starts."""


class Setup:
    """The parts of a run that depend only on the scenario file and the scenario's name (read-only once built)."""

    __slots__ = ("_incident_plans", "_samplers", "_triggered", "chains", "clock0", "closes", "doc", "horizon",
                 "injects", "latency", "name", "plans", "polls", "reliability", "scenario", "staff", "structure",
                 "summoned")

    def __init__(self, doc: ScenarioFile, scenario: str) -> None:
        self.doc = doc = as_played(doc, scenario)  # the structure as the scenario plays it (its roles resolved)
        self.name = scenario
        self.scenario = doc.scenarios[scenario]
        self.structure = structure = doc.structure
        self.clock0 = self.scenario.start
        self.horizon = self.scenario.end - self.scenario.start
        opened, closed = self.scenario.polls_window
        self.polls = (opened - self.clock0, closed - self.clock0)
        """Simulation minutes when the polls open and the last close."""
        self.closes = {mode: t - self.clock0 for mode, t in self.scenario.closes.items()}
        """Simulation minutes when each way of voting closes."""
        self.injects: tuple[tuple[str, Inject], ...] = tuple(zip(self.scenario.inject_ids(), self.scenario.injects,
                                                                 strict=True))
        self.plans = {name: Plan(name, p, structure.default_channel) for name, p in structure.procedures.items()}
        self.chains = {name: structure.fallback_chain(name) for name in structure.channels}
        """Each channel and its fallbacks, in order."""
        self.latency = {name: sampler(channel.latency) for name, channel in structure.channels.items()}
        """Each channel's latency draw."""
        self.reliability = {name: channel.reliability for name, channel in structure.channels.items()}
        """Each channel's chance that an attempt gets through (on a channel without lines)."""
        self.staff = {name: staff_changes(actor, self.clock0, self.horizon) for name, actor in structure.actors.items()}
        """Each actor's ``(t, staff)`` at the start and wherever a shift boundary changes it."""
        self.summoned = {level: [name for name, actor in structure.actors.items() if actor.level == level]
                         for level in LEVELS}
        """The actors brought in when an incident is escalated to each level."""
        self._triggered: dict[TriggerKey, tuple[str, ...]] = {}
        self._incident_plans: dict[str, IncidentPlan] = {}
        self._samplers: dict[int, tuple[Distribution, Sampler]] = {}

    def sampler(self, dist: Distribution) -> Sampler:
        """The draw of one of the scenario's distributions (an incident's duration or detection delay, an arrival
        gap), made once: it draws what ``dist.sample`` draws (:func:`~ballotdrill.exercise.sampling.sampler`)."""
        found = self._samplers.get(id(dist))
        if found is None or found[0] is not dist:
            found = self._samplers[id(dist)] = (dist, sampler(dist))
        return found[1]

    def triggered(self, key: TriggerKey) -> tuple[str, ...]:
        """Procedures started by detection or escalation of an incident of this type, severity, level and owner."""
        names = self._triggered.get(key)
        if names is None:
            names = self._triggered[key] = self._matching(*key)
        return names

    def _matching(self, kind: str, severity: int, level: int, owner: str | None) -> tuple[str, ...]:
        found = []
        for name, proc in self.structure.procedures.items():
            trig = proc.trigger
            if trig.action is not None or (trig.type is not None and kind not in trig.types) or not trig.owned(owner):
                continue
            if severity >= trig.min_severity and (trig.level is None or level >= LEVELS.index(trig.level)):
                found.append(name)
        return tuple(found)

    def incident_plan(self, inject_id: str, inject: Inject) -> IncidentPlan:
        """What a run reads of the inject's incident as it plays (its ``incident_started`` fields among them), made
        once: shared by every arrival, every run (journal data is never changed once recorded)."""
        plan = self._incident_plans.get(inject_id)
        if plan is None or plan.spec is not inject.incident:
            plan = self._incident_plans[inject_id] = self._incident_plan(inject_id, inject)
        return plan

    def _incident_plan(self, inject_id: str, inject: Inject) -> IncidentPlan:
        spec = inject.incident
        assert spec is not None
        detection = inject.detected_by
        return IncidentPlan(
            spec, inject_id, background=inject.every is not None,
            polls=self.polls if spec.voting is None else (self.polls[0], self.closes[spec.voting]),
            data=incident_data(spec, inject_id),
            duration=None if spec.duration is None else self.sampler(spec.duration),
            detection=None if detection is None else self.sampler(detection.after),
            detector=None if detection is None else detection.actor)
