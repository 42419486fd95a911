"""Checks across the file: every name points at something defined, every graph ends."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ballotdrill.scenarios import owners, roles
from ballotdrill.scenarios.scenario import Action, Condition, Inject, Scenario, ScenarioFile
from ballotdrill.scenarios.structure import END, OWNER, Procedure, Structure
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import format_clock, format_duration, format_end
from ballotdrill.scenarios.yamlread import Path

Finding = tuple[Path, str]

MIN_LOOP_MINUTES = 1 / 60
"""A loop of steps in batch play takes at least this long per pass on average (one second)."""
MIN_LOOP_TEXT = "1s"


def check(doc: ScenarioFile) -> list[Finding]:
    """Every cross-reference problem in ``doc``, each with the data path it concerns."""
    return list(dict.fromkeys([*roles.check(doc), *_structure(doc.structure), *_played(doc), *_scenarios(doc),
                               *owners.check(doc)]))


def _played(doc: ScenarioFile) -> Iterator[Finding]:
    """The checks that read a step's actor, on the structure as each scenario plays it (one pass without roles).

    A step naming a role is checked against the actor each scenario gives that role; a problem is reported
    once per step (for the first scenario that has it), saying which actor plays the role where.
    """
    structure = doc.structure
    resolvable = next(roles.check(doc), None) is None  # else the roles' own problems are reported, steps unresolved
    castings = roles.castings(doc) if resolvable else [roles.Casting({}, ())]
    reported: set[Path] = set()
    for casting in castings:
        played = roles.as_played(doc, casting.scenarios[0]) if casting.cast else doc
        found = [*_step_actors(structure, casting),
                 *(finding for name, proc in played.structure.procedures.items()
                   for finding in _timeless_loops(proc, ("structure", "procedures", name), played.structure))]
        yield from ((path, message) for path, message in found if path[:5] not in reported)
        reported.update(path[:5] for path, _ in found)


def _step_actors(structure: Structure, casting: roles.Casting) -> Iterator[Finding]:
    """Each step names an actor, a role or ``owner``; its post and staff fit the actor that does it."""
    actors, role_names = structure.actors, structure.roles
    for pname, proc in structure.procedures.items():
        for i, step in enumerate(proc.steps):
            spath: Path = ("structure", "procedures", pname, "steps", i)
            where = f"step '{step.id}'"
            if step.actor == OWNER:
                continue  # the incident's owner: checked against each incident that may start it (owners.py)
            if step.actor in role_names:
                if step.actor not in casting.cast:
                    continue  # a role that does not resolve: reported by roles.check
                name, played_by = casting.cast[step.actor], casting.played_by(step.actor)
            elif step.actor in actors:
                name, played_by = step.actor, ""
            else:
                kind = "actor or role" if role_names else "actor"
                yield (*spath, "actor"), _missing(kind, step.actor, [*actors, *role_names], where)
                continue
            actor = actors[name]
            if step.post is not None and step.post not in actor.posts:
                message = _missing("post", step.post, actor.posts, where)
                yield (*spath, "post"), f"{message}{played_by}; list it under actor '{name}''s 'posts'"
            if step.staff > 1 and step.staff > actor.most_staff:
                yield (*spath, "staff"), (f"{where} needs {step.staff} staff but actor '{name}'{played_by} never has "
                                          f"more than {actor.most_staff} on duty; it could never start")


def _missing(kind: str, name: str, known: Iterable[str], where: str) -> str:
    choices = sorted(set(known))
    hint = did_you_mean(name, choices)
    if not hint:
        hint = f" (defined: {', '.join(choices)})" if 0 < len(choices) <= 8 else ""
    return f"{where} names {kind} '{name}', which is not defined{hint}"


def _structure(structure: Structure) -> Iterator[Finding]:
    actors, channels = structure.actors, structure.channels
    base: Path = ("structure",)
    if structure.default_channel is not None and structure.default_channel not in channels:
        yield (*base, "default_channel"), _missing("channel", structure.default_channel, channels, "'default_channel'")
    for name, channel in channels.items():
        if channel.fallback is not None and channel.fallback not in channels:
            yield (*base, "channels", name, "fallback"), _missing("channel", channel.fallback, channels,
                                                                  f"channel '{name}'")
    yield from _fallback_cycles(structure)
    for aname, actor in actors.items():
        for j, message in actor.shift_overlaps():
            yield (*base, "actors", aname, "shifts", j), message
    all_actions = {a for actor in actors.values() for a in actor.actions}
    for pname, proc in structure.procedures.items():
        ppath: Path = (*base, "procedures", pname)
        action = proc.trigger.action
        if action is not None and action not in all_actions:
            message = _missing("action", action, all_actions, f"procedure '{pname}'")
            yield (*ppath, "trigger", "action"), message + "; list it under an actor's 'actions'"
        ids = [s.id for s in proc.steps]
        for i, step in enumerate(proc.steps):
            spath: Path = (*ppath, "steps", i)
            where = f"step '{step.id}'"
            if step.via is not None and step.via not in channels:
                yield (*spath, "via"), _missing("channel", step.via, channels, where)
            if step.next is not None and step.next != END and step.next not in ids:
                yield (*spath, "next"), _missing("step", step.next, [*ids, END], where)
            if step.decision is not None:
                for oname, option in step.decision.options.items():
                    if option.next != END and option.next not in ids:
                        yield ((*spath, "decision", "options", oname, "next"),
                               _missing("step", option.next, [*ids, END], f"option '{oname}' of {where}"))
        yield from _dead_ends(proc, ppath)


def _fallback_cycles(structure: Structure) -> Iterator[Finding]:
    channels = structure.channels
    reported: set[str] = set()
    for start in channels:
        chain = structure.fallback_chain(start)
        if channels[chain[-1]].fallback == start and start not in reported:
            reported.update(chain)
            loop = " -> ".join([*chain, start])
            yield (("structure", "channels", start, "fallback"),
                   f"fallback channels form a cycle ({loop}); end the chain")


def _dead_ends(proc: Procedure, ppath: Path) -> Iterator[Finding]:
    """Steps from which no path reaches the end (only when every name resolves)."""
    ids = {s.id: i for i, s in enumerate(proc.steps)}
    successors = {s.id: proc.successors(i) for i, s in enumerate(proc.steps)}
    if any(n != END and n not in ids for nexts in successors.values() for n in nexts):
        return
    reaches = {END}
    changed = True
    while changed:
        changed = False
        for sid, nexts in successors.items():
            if sid not in reaches and any(n in reaches for n in nexts):
                reaches.add(sid)
                changed = True
    for sid, i in ids.items():
        if sid not in reaches:
            yield ((*ppath, "steps", i),
                   f"step '{sid}' never reaches the end of its procedure (it loops back with no way out); "
                   "give it a 'next' or an option that leads to 'end'")
            return


def _timeless_loops(proc: Procedure, ppath: Path, structure: Structure) -> Iterator[Finding]:
    """A loop on the batch path (``next`` or a decision's default) that takes (almost) no time per pass
    would never let time advance: refused under :data:`MIN_LOOP_MINUTES` of expected time per pass."""
    ids = {s.id: i for i, s in enumerate(proc.steps)}
    batch_next: list[int | None] = []
    for i, step in enumerate(proc.steps):
        nxt = step.decision.options[step.decision.default].next if step.decision else proc.successors(i)[0]
        if nxt != END and nxt not in ids:
            return
        batch_next.append(None if nxt == END else ids[nxt])

    def pass_time(i: int) -> float:
        """Expected minutes from step ``i`` starting to the next one starting: its duration and any handoff."""
        step = proc.steps[i]
        following = batch_next[i]
        if following is None or proc.steps[following].actor == step.actor:
            return step.duration.mean
        channel = proc.steps[following].via or structure.default_channel
        latency = structure.channels[channel].latency.mean if channel in structure.channels else 0.0
        return step.duration.mean + latency

    for start in range(len(proc.steps)):
        path: list[int] = [start]
        at = batch_next[start]
        while at is not None and at not in path:
            path.append(at)
            at = batch_next[at]
        if at == start and sum(pass_time(k) for k in path) < MIN_LOOP_MINUTES:
            loop = " -> ".join(proc.steps[k].id for k in [*path, start])
            yield ((*ppath, "steps", start),
                   f"in batch play this procedure loops through steps that take no time ({loop}: "
                   f"{format_duration(sum(pass_time(k) for k in path))} per pass on average, under the "
                   f"{MIN_LOOP_TEXT} floor), "
                   "so the run would never advance; give one of them a duration or change the decision's default")
            return


def _scenarios(doc: ScenarioFile) -> Iterator[Finding]:
    if doc.default is not None and doc.default not in doc.scenarios:
        yield ("default",), _missing("scenario", doc.default, doc.scenarios, "'default'")
    resolvable = roles.resolvable(doc)
    for sname, scenario in doc.scenarios.items():
        yield from _scenario(doc, sname, scenario, _Cast(doc, sname, resolvable))


class _Cast:
    """The actors a scenario's injects may name: an actor, or a role (the actor the scenario gives it)."""

    def __init__(self, doc: ScenarioFile, scenario: str, resolvable: bool) -> None:
        self.doc, self.scenario = doc, scenario
        self.actors, self.roles = doc.structure.actors, doc.structure.roles
        self.cast = roles.cast_of(doc, scenario) if resolvable else {}

    def actor(self, name: str, path: Path, where: str) -> tuple[str | None, list[Finding]]:
        """The actor ``name`` stands for (None: it names nothing, or a role that does not resolve, which
        :func:`roles.check` reports), and the problem to report."""
        if name in self.actors:
            return name, []
        if name in self.roles:
            return self.cast.get(name), []
        kind = "actor or role" if self.roles else "actor"
        return None, [(path, _missing(kind, name, [*self.actors, *self.roles], where))]

    def played_by(self, name: str) -> str:
        """`` (role 'organiser' is played by 'region' in scenario 'local')`` for a role, else empty."""
        return roles.played_by(self.doc, self.scenario, name)


def _scenario(doc: ScenarioFile, sname: str, scenario: Scenario, cast: _Cast) -> Iterator[Finding]:
    base: Path = ("scenarios", sname)
    incidents = scenario.incident_ids()
    seen_ids: dict[str, int] = {}
    window = f"{format_clock(scenario.start)}-{format_end(scenario.start, scenario.end)}"
    yield from _hours(scenario, base)
    all_actions = {a for actor in doc.structure.actors.values() for a in actor.actions}
    all_steps = {s.id for p in doc.structure.procedures.values() for s in p.steps}
    for n, (inject_id, inject) in enumerate(zip(scenario.inject_ids(), scenario.injects, strict=True)):
        ipath: Path = (*base, "injects", n)
        if inject_id in seen_ids:
            yield (*ipath, "id"), f"inject id '{inject_id}' is used twice (first as inject {seen_ids[inject_id] + 1})"
        seen_ids.setdefault(inject_id, n)
        if inject.incident is not None and inject.every is None:
            incident_id = inject.incident.id or inject_id
            if incidents.get(incident_id) != n:
                yield (*ipath, "incident", "id"), f"incident id '{incident_id}' is used twice in this scenario"
        for key in ("at", "start", "end"):
            value = getattr(inject, key)
            if value is not None and not scenario.start <= value <= scenario.end:
                label = {"start": "from", "end": "to"}.get(key, key)
                yield (*ipath, label), (f"'{label}' ({format_clock(value)}) lies outside the scenario's "
                                        f"window ({window}); move it inside or widen 'start'/'end'")
        if inject.incident is not None and inject.incident.voting not in (None, *scenario.closes):
            yield (*ipath, "incident", "voting"), (
                f"incident names voting '{inject.incident.voting}', but the election's 'closes' gives only "
                f"{', '.join(scenario.closes)}; add a '{inject.incident.voting}' close or drop 'voting'")
        if inject.start is not None and inject.end is not None and inject.end <= inject.start:
            yield (*ipath, "to"), "'to' must be after 'from'"
        if inject.message is not None:
            yield from cast.actor(inject.message.to, (*ipath, "message", "to"), "the message")[1]
        if inject.action is not None:
            yield from _action(inject.action, cast, incidents, (*ipath, "action"))
        for k, mitigation in enumerate(inject.incident.mitigated_by if inject.incident is not None else []):
            if mitigation.action not in all_actions:
                yield ((*ipath, "incident", "mitigated_by", k, "action"),
                       _missing("action", mitigation.action, all_actions, "the mitigation")
                       + "; list it under the 'actions' of the actor who takes it")
        if inject.detected_by is not None:
            yield from cast.actor(inject.detected_by.actor, (*ipath, "detected_by", "actor"), "'detected_by'")[1]
        if inject.when is not None:
            yield from _condition(inject.when, scenario, incidents, all_steps, (*ipath, "when"))
    yield from _continuations(scenario, incidents, base)
    step_ids = {s.id for p in doc.structure.procedures.values() for s in p.steps}
    procedures = doc.structure.procedures
    for n, objective in enumerate(scenario.objectives):
        opath: Path = (*base, "objectives", n, "measure")
        measure = objective.measure
        interval = measure.interval
        if interval is not None:
            for point in interval:
                if point.incident not in incidents:
                    yield (*opath, "time"), _missing("incident", point.incident, incidents,
                                                     f"objective '{objective.id}'")
                if point.step is not None and point.step not in step_ids:
                    yield (*opath, "time"), _missing("step", point.step, step_ids, f"objective '{objective.id}'")
        elif measure.kind == "on_time":
            if measure.subject != "all" and measure.subject not in procedures:
                yield (*opath, "on_time"), _missing("procedure", measure.subject, [*procedures, "all"],
                                                    f"objective '{objective.id}'")
        elif measure.subject not in incidents:
            yield (*opath, measure.kind), _missing("incident", measure.subject, incidents,
                                                   f"objective '{objective.id}'")
        elif measure.kind == "votes_lost":
            problem = _votes_lost(scenario, scenario.injects[incidents[measure.subject]], measure.subject)
            if problem:
                yield (*opath, measure.kind), f"objective '{objective.id}' {problem}"
        if measure.kind == "votes_lost" and not float(objective.target_value).is_integer():
            yield (*base, "objectives", n, "target"), (
                f"objective '{objective.id}' has a votes_lost target of {objective.target_value:g}: votes are lost "
                "whole; give a whole number of votes (0: none lost)")


def _votes_lost(scenario: Scenario, inject: Inject, incident: str) -> str:
    """What makes a ``votes_lost`` measure of ``incident`` (started by ``inject``) meaningless, or ''."""
    spec = inject.incident
    if spec is None or not spec.voters:
        return (f"measures the votes lost of incident '{incident}', which holds up no voters; give it 'voters' (how "
                "many it holds up while it lasts) or measure something else")
    way = spec.voting
    closes = scenario.closes.get(way, scenario.polls_window[1]) if way else scenario.polls_window[1]
    if inject.at is not None and inject.at >= closes:
        voting = f"{way} voting closes" if way else "the polls close"
        return (f"measures the votes lost of incident '{incident}', which starts at {format_clock(inject.at)}, once "
                f"{voting} ({format_clock(closes)}): it disrupts no voting, so no vote can be lost; start it before "
                "the close or measure something else")
    return ""


def _hours(scenario: Scenario, base: Path) -> Iterator[Finding]:
    """Polling hours said once: in 'polls' or in the election block."""
    if scenario.polls is not None and scenario.election is not None and scenario.election.gives_hours:
        yield (*base, "election"), ("both 'polls' and 'election' give polling hours; keep one (the election's "
                                    "'opens' and 'closes' can say when paper and electronic voting close)")


def _action(action: Action, cast: _Cast, incidents: Iterable[str], path: Path) -> Iterator[Finding]:
    actor, problems = cast.actor(action.actor, (*path, "actor"), "the action")
    yield from problems
    if actor is not None and action.name not in cast.actors[actor].actions:
        yield (*path, "name"), (_missing("action", action.name, cast.actors[actor].actions,
                                         f"actor '{actor}'{cast.played_by(action.actor)}")
                                + f"; list it under actor '{actor}''s 'actions'")
    if action.incident is not None and action.incident not in incidents:
        yield (*path, "incident"), _missing("incident", action.incident, incidents, "the action")


def _condition(cond: Condition, scenario: Scenario, incidents: Mapping[str, int], steps: set[str],
               path: Path) -> Iterator[Finding]:
    if cond.incident not in incidents:
        yield (*path, "incident"), _missing("incident", cond.incident, incidents, "the condition")
    elif cond.ended_before is not None and (spec := scenario.injects[incidents[cond.incident]].incident) is not None \
            and spec.duration is None:
        yield (*path, "ended_before"), (f"incident '{cond.incident}' has no 'duration', so it never ends by itself "
                                        "and 'ended_before' can never hold; give it a 'duration' or test it otherwise")
    for key in ("before", "ended_before"):
        step = getattr(cond, key)
        if step is not None and step not in steps:
            yield (*path, key), _missing("step", step, steps, f"'{key}'")


def _continuations(scenario: Scenario, incidents: Mapping[str, int], base: Path) -> Iterator[Finding]:
    """Each ``continues`` names another scripted incident of the scenario, and no chain loops back."""
    carried: dict[str, str] = {}
    for n, (inject_id, inject) in enumerate(zip(scenario.inject_ids(), scenario.injects, strict=True)):
        spec = inject.incident
        if spec is None or spec.continues is None:
            continue
        path: Path = (*base, "injects", n, "incident", "continues")
        own = spec.id or inject_id
        if inject.every is not None:
            yield path, ("a background arrival cannot continue an incident (objectives name scripted incidents); "
                         "drop 'continues' or make the inject timed or a contingency")
        elif spec.continues == own:
            yield path, f"incident '{own}' cannot continue itself; name the incident it carries on"
        elif spec.continues not in incidents:
            yield path, _missing("incident", spec.continues, incidents, "'continues'")
        else:
            carried[own] = spec.continues
    looped: set[str] = set()
    for n, (inject_id, inject) in enumerate(zip(scenario.inject_ids(), scenario.injects, strict=True)):
        spec = inject.incident
        own = (spec.id or inject_id) if spec is not None else ""
        seen = [own]
        while own in carried and own not in looped:
            own = carried[own]
            if own == seen[0]:
                looped.update(seen)
                yield ((*base, "injects", n, "incident", "continues"),
                       f"'continues' goes round in a loop: {' -> '.join([*seen, own])}; one incident must start "
                       "the chain")
                break
            if own in seen:
                break
            seen.append(own)
