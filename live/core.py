"""The exercise task's state: one exercise, the inputs applied to it, and what each actor has been shown.

Only the task that owns a :class:`LiveCore` calls it. Every input is checked against the
current state first; a refused input changes nothing. An accepted input is applied at the
current simulation time and recorded with it, so :mod:`ballotdrill.live.rebuild` can replay it.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from ballotdrill.exercise.decisions import LiveDecisions
from ballotdrill.exercise.engine import Exercise
from ballotdrill.journal import Event, Journal, Kind, ProcedureEnded, Row, unpack
from ballotdrill.journal.events import CTRL_C, AnsweredLate, DecisionMade, DecisionRequested, InjectDelivered
from ballotdrill.live.adhoc import check_adhoc
from ballotdrill.live.describe import describe
from ballotdrill.live.inputs import Input, InputError
from ballotdrill.live.late import LateAnswer, closed
from ballotdrill.live.numbers import find_request, label
from ballotdrill.live.released import unheld
from ballotdrill.live.store import Store, TimedInput
from ballotdrill.scenarios.deadconfig import unanswered
from ballotdrill.scenarios.roles import as_played
from ballotdrill.scenarios.scenario import Inject, ScenarioFile
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import format_clock_precise

GRID = 2.0 ** 20
"""Slices end on multiples of 1/GRID minutes (about 57 µs of simulated time). SimPy stops at ``now + (t - now)``,
which can miss ``t`` by a rounding step; between multiples of a power of two the difference and the sum are
exact, so a replay in other slices reaches every recorded input time exactly."""


STARTED_PAUSED = "start"
"""A ``pause`` input's and ``paused`` row's ``by`` when the exercise started paused (``--start-paused``)."""


class Outcome(NamedTuple):
    """What became of an input: accepted (with its number) or refused, and one line saying so."""

    ok: bool
    message: str
    n: int = 0


class Request(NamedTuple):
    """A decision put to a played actor: its number among that actor's requests (1, 2, …) and what it offers."""

    number: int
    key: str
    incident: str
    actor: str
    step: str
    options: tuple[str, ...]
    default: str
    asked_at: float
    deadline: float


class Decided(NamedTuple):
    """How a played actor's decision request closed: the option taken, by whom (``player``, ``facilitator``,
    ``timeout``), and when; ``ended``: not decided, the exercise ended first (no option)."""

    request: Request
    option: str
    by: str
    t: float


class Shown(NamedTuple):
    """Something shown to a played actor: a message or a discussion question."""

    t: float
    inject: str
    kind: str
    """``message`` or ``question``."""
    text: str
    sender: str = ""
    number: int = 0
    """The question's number within its inject (1, 2, …); 0 for a message."""


class _Tee:
    """The journal's sink: rows go to the store, and the core sees them first."""

    def __init__(self, core: LiveCore, store: Store) -> None:
        self.core = core
        self.store = store

    def write(self, first_seq: int, rows: list[Row]) -> None:
        self.core.observe(first_seq, rows)
        self.store.write(first_seq, rows)

    def close(self) -> None:
        pass


def check_played(played: Iterable[str], actors: Iterable[str], roles: Iterable[str], scenario: str) -> None:
    """Refuse a ``--play`` name that is neither an actor nor one of ``roles``, suggesting the nearest of both
    (``--play organizer``: did you mean 'organiser'?)."""
    actors, names = sorted(actors), {*actors, *roles}
    for name in played:
        if name not in names:
            what = "actor or role" if len(names) > len(actors) else "actor"
            raise InputError(f"--play names {what} '{name}', which is not defined{did_you_mean(name, sorted(names))}; "
                             f"the actors are {', '.join(actors)} (or name a role of the structure; "
                             f"'ballotdrill show {scenario}' lists both)")


class LiveCore:
    """One exercise played with people: advance it, apply inputs, commit, and read what each actor sees."""

    def __init__(self, doc: ScenarioFile, scenario: str, *, seed: int, played: Iterable[str], store: Store,
                 speed: float = 60.0, history: int = 200) -> None:
        self.doc = doc = as_played(doc, scenario)
        self.name = scenario
        self.played = tuple(dict.fromkeys(played))
        check_played(self.played, doc.structure.actors, (), scenario)
        self.store = store
        self.tee = _Tee(self, store)
        self.journal = Journal(self.tee, batch=1 << 40)  # flushed at each commit, never mid-slice
        self.exercise = Exercise(doc, scenario, self.journal, seed=seed, decisions=LiveDecisions(set(self.played)))
        self.horizon = self.exercise.horizon
        self.clock0 = self.exercise.clock0
        self.speed = speed
        self.paused = False
        self.ended = False
        self.count = 0
        """Inputs accepted so far."""
        self.injects = dict(zip(self.exercise.scenario.inject_ids(), self.exercise.scenario.injects, strict=True))
        self.adhoc: set[str] = set()
        """Ids of the facilitator's ad-hoc injects."""
        self.requests: dict[str, Request] = {}
        self.numbers: dict[tuple[str, int], str] = {}
        """Each request's key by its actor and number (per played actor: ``live/numbers.py``)."""
        self.asked: dict[str, int] = dict.fromkeys(self.played, 0)
        """Requests put to each played actor so far (the last one's number)."""
        self.decided: dict[str, list[Decided]] = {actor: [] for actor in self.played}
        """Each played actor's closed requests, in the order they closed."""
        self.answered_late: dict[str, tuple[float, str]] = {}
        """Each timed-out request whose late answer was kept: when, and the option (a second one is not kept)."""
        self.shown: dict[str, list[Shown]] = {actor: [] for actor in self.played}
        self.started: set[str] = set()
        self.dirty: set[str] = set(self.played)
        """Played actors whose view may have changed since :meth:`take_dirty` (the server wakes only theirs)."""
        self.involved: dict[str, dict[str, None]] = {actor: {} for actor in self.played}
        """The incidents each played actor has had a part in (detected, been handed, been asked about), in order."""
        self.lines: deque[str] = deque(maxlen=history)
        self.followers: list[Callable[[Event, str], None]] = []
        """Called for each row observed, with its line."""
        self.steps: dict[str, str] = {}
        """Each incident's latest step line (``step (what, actor)``), for the console, facilitator and evaluator."""
        self.own_steps: dict[str, dict[str, str]] = {actor: {} for actor in self.played}
        """Each played actor's latest step line on each incident: its own steps, and handoffs to or from it."""
        self.step_procedures: dict[str, str] = {}
        self.own_procedures: dict[str, dict[str, str]] = {actor: {} for actor in self.played}
        """The procedure of each of those lines (a line becomes ``PROCEDURE ended (OUTCOME)`` when its run ends)."""
        self.exercise.start(self.horizon)

    # -- time ----------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return float(self.exercise.env.now)

    def clock(self, t: float | None = None) -> str:
        return format_clock_precise(self.clock0 + (self.now if t is None else t))

    def advance(self, t: float) -> None:
        """Run the simulation to ``t`` on the :data:`GRID` (never past the scenario's end, where the exercise ends)."""
        if self.ended:
            return
        self.exercise.run(min(math.floor(t * GRID) / GRID, self.horizon))
        if self.now >= self.horizon:
            self._finish()
        self.journal.flush()

    def _finish(self) -> None:
        """End the exercise here: a decision still open closes undecided (``by: ended``), no longer shown as open."""
        for r in self.open_requests():
            self.decided[r.actor].append(Decided(r, "", "ended", self.now))
        self.exercise.finish()
        self.ended = True

    def commit(self) -> None:
        """Write the journal rows and inputs of this slice through, in one transaction."""
        self.journal.flush()
        self.store.commit(self.now)

    # -- inputs --------------------------------------------------------------------------------

    def apply(self, item: Input) -> Outcome:
        """Check ``item`` against the current state and apply it now; a refused input changes nothing."""
        if self.ended:
            return Outcome(False, "the exercise has ended")
        handler = getattr(self, f"_do_{item.kind}", None)
        if handler is None:
            return Outcome(False, f"unknown input kind {item.kind!r}")
        ok = True
        try:
            recorded, message = handler(dict(item.data))
        except LateAnswer as late:  # refused, and kept: the report tells an answer after the timeout from none
            item, ok = Input("late_answer", late.recorded), False
            recorded, message = self._do_late_answer(dict(late.recorded))[0], str(late)
        except InputError as exc:
            return Outcome(False, str(exc))
        except (KeyError, TypeError, ValueError) as exc:
            return Outcome(False, f"malformed {item.kind} input ({type(exc).__name__}: {exc})")
        self.count += 1
        self.store.add_input(TimedInput(self.count, self.now, Input(item.kind, recorded)))
        if item.kind in ("pause", "resume", "speed", "end"):
            self.dirty.update(self.played)
        if not self.ended:
            self.exercise.settle()
        self.journal.flush()
        return Outcome(ok, message, self.count)

    def _do_answer(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        ref, option, player = str(data["request"]), str(data["option"]), data.get("player")
        by = str(data.get("by") or "player")  # inputs recorded before ``by`` existed were all journalled as a player's
        request = find_request(ref, player, self.requests, self.numbers, self.exercise.pending)
        if request is None:
            # a player hears of its own requests only, never of another agency's
            raise InputError(f"no decision request {ref!r}{'' if player is None else f' for {player}'}; "
                             f"open requests: {self._open_list(player)}")
        key, named = request.key, request.number if player is not None else label(request)
        if key not in self.exercise.pending:
            raise closed(self, request, option, by)
        if option not in request.options:
            raise InputError(f"{option!r} is not an option of request {named}; "
                             f"options: {', '.join(request.options)}{did_you_mean(option, request.options)}")
        self.exercise.answer(key, option, by=by)
        recorded = {"request": key, "option": option, "player": player}
        return (recorded | {"by": by}) if "by" in data else recorded, f"request {named}: {option}"

    def _do_late_answer(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        r, late = self.requests[str(data["request"])], int(data["late"])
        recorded = {k: str(data[k]) for k in ("option", "by", "default")} | {"request": r.key, "late": late}
        self.journal.record(self.now, Kind.ANSWERED_LATE, r.incident, r.actor, r.step, recorded)
        named = r.number if recorded["by"] == "player" else label(r)
        return recorded, f"request {named}: '{recorded['option']}' recorded as late"

    def _do_action(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        actor, name, incident = str(data["actor"]), str(data["action"]), data.get("incident")
        by = str(data.get("by") or "player")
        self._check_played(actor)
        actions = self.doc.structure.actors[actor].actions
        if name not in actions:
            raise InputError(f"{actor} has no action {name!r}; its actions: {', '.join(actions) or 'none'}"
                             f"{did_you_mean(name, actions)}")
        if incident is not None and "by" in data and by == "player":  # a player acts on the incidents in its view
            if incident not in self.involved[actor]:
                raise InputError(f"no incident {incident!r} in {actor}'s view; its incidents: "
                                 f"{', '.join(self.involved[actor]) or 'none yet'}")
        elif incident is not None and incident not in self.started:
            raise InputError(f"no incident {incident!r} has started; started: "
                             f"{', '.join(sorted(self.started)) or 'none yet'}")
        self.exercise.take_action(actor, name, incident, by=by)
        recorded = {"actor": actor, "action": name, "incident": incident}
        return (recorded | {"by": by}) if "by" in data else recorded, f"{actor}: {name}"

    def _do_discuss(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        actor, inject, number, text = str(data["actor"]), str(data["inject"]), int(data["question"]), str(data["text"])
        self._check_played(actor)
        asked = [s for s in self.shown[actor] if s.kind == "question" and s.inject == inject]
        if not asked:
            raise InputError(f"{actor} has no discussion question from inject {inject!r}")
        question = next((s for s in asked if s.number == number), None)
        if question is None:
            raise InputError(f"inject {inject} has questions 1 to {len(asked)}, not {number}")
        by = {"by": str(data["by"])} if data.get("by") else {}  # absent: recorded before ``by`` was (replayed so)
        self.journal.record(self.now, Kind.DISCUSSION_ANSWERED, None, actor, None, {
            "inject": inject, "number": number, "question": question.text, "answer": text, **by})
        return ({"actor": actor, "inject": inject, "question": number, "text": text, **by},
                f"{actor} on {inject}.{number}")

    def _do_note(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        text, by = str(data["text"]), str(data.get("by") or "facilitator")
        self.journal.record(self.now, Kind.NOTE, None, None, None, {"text": text, "by": by})
        return {"text": text, "by": by}, "noted"

    def _do_inject(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        text = str(data["text"])
        auto = data.get("id") or self._free_id()
        inject_id, inject = check_adhoc(text, self.doc, self.name, self.clock0 + self.now, auto, self.started)
        self.injects[inject_id] = inject
        self.adhoc.add(inject_id)
        self.exercise.deliver(inject_id, inject, adhoc=True)
        reason = unanswered(self.doc, inject.incident.type) if inject.incident is not None else ""
        return {"text": text, "id": auto}, f"inject {inject_id} delivered" + (f"; {reason}" if reason else "")

    def _do_send_now(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        inject_id = str(data["inject"])
        inject = self.injects.get(inject_id)
        if inject is None:
            raise InputError(f"no inject {inject_id!r}{did_you_mean(inject_id, self.injects)}")
        if inject.every is not None:
            raise InputError(f"inject {inject_id} is a background arrival; it cannot be sent now")
        if self.exercise.was_delivered(inject_id):
            raise InputError(f"inject {inject_id} has already been delivered")
        note = unheld(self.exercise, inject)  # before it is delivered: what held when it was sent
        if "by" not in data:  # recorded before send-nows were journalled as such: replayed as it was
            self.exercise.deliver(inject_id, inject)
            return {"inject": inject_id}, f"inject {inject_id} sent now" + note
        by = str(data["by"])
        self.exercise.deliver(inject_id, inject, by=by, held=None if inject.when is None else not note)
        return {"inject": inject_id, "by": by}, f"inject {inject_id} sent now" + note

    def _do_pause(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        if self.paused:
            raise InputError("the exercise is already paused")
        wall = float(data.get("wall") or _wall())
        by = {"by": STARTED_PAUSED} if data.get("by") == STARTED_PAUSED else {}  # absent: the facilitator's pause
        self.paused = True
        self.journal.record(self.now, Kind.PAUSED, data={"wall": wall, **by})
        return {"wall": wall, **by}, "paused"

    def _do_resume(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        if not self.paused:
            raise InputError("the exercise is not paused")
        wall = float(data.get("wall") or _wall())
        self.paused = False
        self.journal.record(self.now, Kind.RESUMED, data={"wall": wall})
        return {"wall": wall}, "resumed"

    def _do_speed(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        value = float(data["speed"])
        if not 0 < value <= 100_000:
            raise InputError(f"speed must be above 0 and at most 100000 (got {value!r})")
        previous, self.speed = self.speed, value
        if "wall" not in data:  # recorded before speed changes were journalled: replayed as it was, without a row
            return {"speed": value}, f"speed {value:g}"
        wall = float(data["wall"] or _wall())
        self.journal.record(self.now, Kind.SPEED_CHANGED, data={"speed": value, "previous": previous, "wall": wall})
        return {"speed": value, "wall": wall}, f"speed {value:g}"

    def _do_stop(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        wall = float(data.get("wall") or _wall())
        by = {"by": str(data["by"])} if data.get("by") else {}  # absent: recorded before causes were (a Ctrl-C)
        self.journal.record(self.now, Kind.STOPPED, data={"wall": wall, **by})
        return {"wall": wall, **by}, "stopped"

    def _do_restart(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        wall = float(data.get("wall") or _wall())
        self.journal.record(self.now, Kind.RESTARTED, data={"speed": self.speed, "wall": wall})
        return {"wall": wall}, "carried on"

    def stop(self, by: str = CTRL_C) -> None:
        """Journal that the exercise stops unfinished here, ``by`` the facilitator's Ctrl-C or a termination signal
        (``SIGTERM``, ``SIGHUP``), and commit it with the rows played since the last commit; ``resume`` carries it
        on from this point."""
        self.journal.flush()
        self.apply(Input("stop", {"by": by}))
        self.commit()

    def _do_end(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        recorded = ({"wall": float(data["wall"] or _wall()), "by": str(data.get("by") or "facilitator")}
                    if "wall" in data else {})  # no wall: recorded before an end was journalled, replayed without a row
        if recorded:
            self.journal.record(self.now, Kind.ENDED_EARLY, data=recorded)
        self._finish()
        return recorded, "ended"

    def _check_played(self, actor: str) -> None:
        if actor not in self.played:
            raise InputError(f"actor {actor!r} is not played in this exercise; played: "
                             f"{', '.join(self.played) or 'none'}{did_you_mean(actor, self.played)}")

    def _free_id(self) -> str:
        n = 1
        while f"F{n}" in self.injects:
            n += 1
        return f"F{n}"

    def _open_list(self, player: str | None) -> str:
        """The open requests (a player's own only, without naming the actor)."""
        open_ = [str(r.number) if player else label(r) for r in self.open_requests(player)]
        return ", ".join(open_) or "none"

    # -- what the rows show ----------------------------------------------------------------------

    def observe(self, first_seq: int, rows: list[Row]) -> None:
        """Follow the journal: requests to played actors, messages and questions, the latest lines."""
        for seq, (t, kind, incident, actor, step, packed) in enumerate(rows, first_seq):
            event = Event(seq, t, kind, incident, actor, step, unpack(kind, packed))
            line = describe(self.clock(t), event)
            self.lines.append(line)
            if actor in self.involved:
                self.dirty.add(actor)
                if incident is not None:
                    self.involved[actor][incident] = None
            if incident is not None:
                self.dirty.update(a for a, incidents in self.involved.items() if incident in incidents)
            if kind == Kind.INCIDENT_STARTED and incident is not None:
                self.started.add(incident)
            elif kind in _STEP_KINDS and incident is not None:
                procedure = str(event.data.get("procedure") or "")
                self.steps[incident] = f"{step} ({_STEP_KINDS[kind]}, {actor})"
                self.step_procedures[incident] = procedure
                receiver = event.data.get("to") if kind == Kind.HANDOFF_SENT else None
                for who in (actor, receiver):
                    if isinstance(who, str) and who in self.own_steps:
                        self.own_steps[who][incident] = self.steps[incident]
                        self.own_procedures[who][incident] = procedure
            elif kind == Kind.PROCEDURE_ENDED and incident is not None:
                self._ended(incident, event.fields(ProcedureEnded))
            elif kind == Kind.DECISION_REQUESTED and actor in self.shown:
                asked = event.fields(DecisionRequested)
                number = self.asked[actor] = self.asked[actor] + 1  # per played actor: its first is #1
                self.requests[asked.request] = Request(
                    number, asked.request, str(incident), actor, str(step), tuple(asked.options), asked.default,
                    t, t + asked.timeout)
                self.numbers[(actor, number)] = asked.request
            elif kind == Kind.DECISION_MADE and actor in self.decided:
                made = event.fields(DecisionMade)
                if made.request in self.requests:
                    self.decided[actor].append(Decided(self.requests[made.request], made.option, made.by, t))
            elif kind == Kind.ANSWERED_LATE:
                late = event.fields(AnsweredLate)
                self.answered_late.setdefault(late.request, (t, late.option))
            elif kind == Kind.INJECT_DELIVERED:
                self._delivered(t, event.fields(InjectDelivered), actor)
            for follow in self.followers:
                follow(event, line)

    def _ended(self, incident: str, ended: ProcedureEnded) -> None:
        """A procedure run ended: where an incident's latest step line (or a player's) was of it, say so instead (a
        decision timed out and the procedure over no longer shows as the decision still being taken)."""
        line = f"{ended.procedure} ended ({ended.outcome})"
        if self.step_procedures.get(incident) == ended.procedure:
            self.steps[incident] = line
        for who, procedures in self.own_procedures.items():
            if procedures.get(incident) == ended.procedure:
                self.own_steps[who][incident] = line
                self.dirty.add(who)

    def _delivered(self, t: float, delivered: InjectDelivered, actor: str | None) -> None:
        inject = self.injects.get(delivered.inject)
        if delivered.type == "message" and actor in self.shown:
            self.shown[actor].append(Shown(t, delivered.inject, "message", delivered.text, delivered.from_))
        if inject is None or not inject.questions:
            return
        for who in self.addressees(inject):
            self.dirty.add(who)
            for number, question in enumerate(inject.questions, start=1):
                self.shown[who].append(Shown(t, delivered.inject, "question", question, number=number))

    def addressees(self, inject: Inject) -> tuple[str, ...]:
        """Who a discussion question goes to: the played actor the inject names, or every played actor."""
        named = (inject.message.to if inject.message is not None
                 else inject.detected_by.actor if inject.detected_by is not None else None)
        return (named,) if named in self.played else self.played

    def take_dirty(self) -> set[str]:
        """The played actors whose view may have changed since the last call (and forget them)."""
        dirty, self.dirty = self.dirty, set()
        if self.ended:
            dirty.update(self.played)
        return dirty

    def open_requests(self, actor: str | None = None) -> list[Request]:
        """Decisions still waiting for a player (of ``actor``, or of anyone)."""
        pending = {} if self.ended else self.exercise.pending
        return [r for r in self.requests.values() if r.key in pending and (actor is None or r.actor == actor)]


_STEP_KINDS: dict[str, str] = {
    Kind.STEP_QUEUED: "queued", Kind.STEP_STARTED: "started", Kind.HANDOFF_SENT: "handoff sent",
    Kind.STEP_COMPLETED: "completed"}


def _wall() -> float:
    """The wall clock (Unix seconds) for the rows of the exercise's clock (paused, resumed, speed, stop, restart)."""
    return round(time.time(), 3)
