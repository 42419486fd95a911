"""The response structure: actors, channels and procedures."""

from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ballotdrill.scenarios.distributions import ZERO, Distribution
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import format_clock, format_day, parse_clock
from ballotdrill.scenarios.types import ClockTime, Day, Duration, Level, Model, Name, Severity

END = "end"
"""The ``next`` of a step that ends its procedure."""
OWNER = "owner"
"""The ``actor`` of a step done by the incident's owner (the organisation that runs what is attacked)."""


class Period(Model):
    """A period of the day, ``HH:MM`` to ``HH:MM`` (crossing midnight if ``to`` <= ``from``)."""

    noun: ClassVar[str] = "period"
    start: str = Field(alias="from")
    end: str = Field(alias="to")

    @model_validator(mode="after")
    def _times_of_day(self) -> "Period":
        for key, text in (("from", self.start), ("to", self.end)):
            minutes = parse_clock(text)
            if not 0 <= minutes <= 1440:
                raise ValueError(f"{self.noun} '{key}' must be a time of day HH:MM (got {text!r})")
        return self

    @property
    def window(self) -> tuple[float, float]:
        """Minutes of the day when the period starts and how long it lasts."""
        start, end = parse_clock(self.start) % 1440, parse_clock(self.end) % 1440
        length = (end - start) % 1440 or 1440.0
        return start, length


def overlapping(windows: list[tuple[float, float]]) -> tuple[int, int] | None:
    """The first pair of periods (indexes) that overlap on the 24-hour circle, or None."""
    for i, (a_start, a_len) in enumerate(windows):
        for j in range(i + 1, len(windows)):
            b_start, b_len = windows[j]
            if (b_start - a_start) % 1440 < a_len or (a_start - b_start) % 1440 < b_len:
                return i, j
    return None


class Shift(Period):
    """A period of the day with its own staff.

    It applies every day, or only on the ``days`` named (the day it starts on, for one crossing midnight).
    """

    noun: ClassVar[str] = "shift"
    staff: int = Field(ge=0)
    days: list[Day] | None = Field(default=None, min_length=1)

    def on(self, day: int) -> bool:
        """Whether the shift starting on ``day`` (days after D) applies."""
        return self.days is None or day in self.days


def _common_day(a: Shift, a_start: float, a_len: float, b: Shift, b_start: float, b_len: float) -> str | None:
    """Where two shifts overlap: ``""`` (every day), the first day both hold (``D-1``), or None."""
    if a.days is None and b.days is None:
        return "" if overlapping([(a_start, a_len), (b_start, b_len)]) else None
    named = sorted({*(a.days or ()), *(b.days or ())})
    for day in range(named[0] - 1, named[-1] + 2):
        for a_day in (day - 1, day, day + 1):
            if not a.on(a_day):
                continue
            a0 = a_day * 1440 + a_start
            for b_day in (day - 1, day, day + 1):
                b0 = b_day * 1440 + b_start
                if b.on(b_day) and a0 < b0 + b_len and b0 < a0 + a_len:
                    return format_day(max(a_day, b_day))
    return None


class Actor(Model):
    """An agency or cell: serves work with the staff on duty."""

    name: str = ""
    description: str = ""
    basis: list[str] = Field(default=[])
    staff: int = Field(default=1, ge=0)
    shifts: list[Shift] = Field(default=[])
    posts: list[Name] = Field(default=[])
    """Named one-person posts (the spokesperson, the minister's sign-off): each serves one step at a time."""
    actions: list[Name] = Field(default=[])
    level: Level | None = None
    organisation: str = ""
    """The organisation the actor belongs to (responsible for its plan items); the actor itself when empty."""

    @property
    def most_staff(self) -> int:
        """The most staff ever on duty: the baseline or a shift's."""
        return max([self.staff, *(s.staff for s in self.shifts)])

    def staff_at(self, clock: float) -> int:
        """Staff on duty at ``clock`` (minutes since 00:00 on day D): its shift's then, else its baseline."""
        minute = clock % 1440
        for shift in self.shifts:
            start, length = shift.window
            if (minute - start) % 1440 < length and (shift.days is None or shift.on(int((clock - start) // 1440))):
                return shift.staff
        return self.staff

    def shift_overlaps(self) -> list[tuple[int, str]]:
        """Each shift (by index) that overlaps an earlier one, with what to tell the author."""
        windows = [s.window for s in self.shifts]
        found = []
        for j, (b_start, b_len) in enumerate(windows):
            for i in range(j):
                a_start, a_len = windows[i]
                day = _common_day(self.shifts[i], a_start, a_len, self.shifts[j], b_start, b_len)
                if day is not None:
                    on = "" if day == "" else f" on {day}"
                    found.append((j, f"shifts {i + 1} ({format_clock(a_start)}-{format_clock(a_start + a_len)}) "
                                     f"and {j + 1} ({format_clock(b_start)}-{format_clock(b_start + b_len)}) "
                                     f"overlap{on}; give each period of the day one shift"))
                    break
        return found


class Channel(Model):
    """How a handoff travels: latency, chance of getting through, retries, fallback, and how many lines."""

    name: str = ""
    basis: list[str] = Field(default=[])
    latency: Distribution = ZERO
    reliability: float = Field(default=1.0, ge=0.0, le=1.0)
    retries: int = Field(default=1, ge=0, le=10)
    fallback: Name | None = None
    owner: str = ""
    """The organisation that runs the channel (responsible for its plan items)."""
    capacity: int | None = Field(default=None, ge=1)
    """Attempts the channel carries at once (its lines); None: any number."""
    reliability_at_capacity: float | None = Field(default=None, ge=0.0, le=1.0)
    """The chance of getting through on the last free line (``reliability`` is on an idle channel)."""
    when_full: Literal["wait", "fail"] | None = None
    """What an attempt that finds every line in use does: waits for one (the default) or fails at once."""

    @model_validator(mode="after")
    def _lines(self) -> "Channel":
        if self.capacity is None:
            given = [k for k in ("reliability_at_capacity", "when_full") if getattr(self, k) is not None]
            if given:
                raise ValueError(f"'{given[0]}' goes with 'capacity' (how many attempts the channel carries at once)")
            return self
        if self.reliability_at_capacity is not None:
            if self.capacity < 2:
                raise ValueError("'reliability_at_capacity' needs a 'capacity' of at least 2 "
                                 "(with one line every attempt finds the channel idle)")
            if self.reliability_at_capacity > self.reliability:
                raise ValueError(f"'reliability_at_capacity' ({self.reliability_at_capacity:g}) is above "
                                 f"'reliability' ({self.reliability:g}); a channel does not get better as it fills")
        return self


class Option(Model):
    """One answer to a decision and the step it leads to."""

    next: Name
    label: str = ""


class Decision(Model):
    """A question the step's actor must answer; the default applies on timeout."""

    prompt: str = ""
    options: dict[Name, Option] = Field(min_length=1)
    default: Name
    timeout: Duration = 15.0

    @field_validator("default")
    @classmethod
    def _default_is_an_option(cls, default: str, info: ValidationInfo) -> str:
        options = info.data.get("options")
        if options is not None and default not in options:
            raise ValueError(
                f"'default' ({default!r}) must be one of the options "
                f"{sorted(options)}{did_you_mean(default, options)}"
            )
        return default


class Effect(Model):
    """What completing a step does to its incident: contain it (with a chance), slow its wave, or extend voting."""

    contain: float | None = Field(default=None, ge=0.0, le=1.0)
    resolve: bool = False
    doubling: Duration | None = Field(default=None, gt=0)
    """The wave's doubling time from the step's completion on (a slower spread)."""
    growth: float | None = Field(default=None, ge=0.0, le=1.0)
    """The wave's growth rate from the step's completion on, as a share of its rate until then (0: it stops)."""
    extend_voting: ClockTime | None = None
    """A decision keeping the incident's polling stations open until this clock time (its harm counts until then)."""

    @model_validator(mode="after")
    def _does_something(self) -> "Effect":
        contains = self.contain is not None or self.resolve
        slows = [k for k in ("doubling", "growth") if getattr(self, k) is not None]
        if not contains and not slows and self.extend_voting is None:
            raise ValueError("an effect needs 'contain' (a probability), 'resolve: true', 'doubling' or "
                             "'growth' (to slow a wave), or 'extend_voting' (a closing time)")
        if self.extend_voting is not None and (contains or slows):
            raise ValueError("an effect that extends voting ('extend_voting') does nothing else; give the "
                             f"{'containing' if contains else 'slowing'} to another step")
        if contains and slows:
            raise ValueError(f"an effect either contains ('contain', 'resolve') or slows a wave ({slows[0]!r}), "
                             "not both; give the slowing to another step")
        if len(slows) == 2:
            raise ValueError("a slowing effect has 'doubling' (a new doubling time) or 'growth' (a share of the "
                             "present rate), not both")
        return self

    @property
    def contains(self) -> bool:
        """Whether completing the step may contain its incident (it resolves it, or contains with a chance above 0):
        the completions the engine follows with a containment draw."""
        return self.resolve or (self.contain or 0.0) > 0

    @property
    def chance(self) -> float:
        """The chance that completing the step contains its incident, as the engine draws it: 1 when it resolves it,
        else its ``contain`` (0 when it only slows a wave or extends voting)."""
        return 1.0 if self.resolve else self.contain or 0.0

    @property
    def slows(self) -> bool:
        """Whether the effect slows a wave rather than containing the incident."""
        return self.doubling is not None or self.growth is not None


class Deadline(Model):
    """A legal deadline for completing a step, counted from the procedure's start."""

    within: Duration
    basis: str = ""


class Step(Model):
    """One unit of work by one actor; a change of actor is a handoff."""

    id: Name
    actor: Name
    """An actor of the structure, a role (the actor the scenario gives it does the step), or ``owner``: the
    incident's owner does the step."""
    title: str = ""
    duration: Distribution = ZERO
    via: Name | None = None
    staff: int = Field(default=1, ge=1)
    """Staff of its actor the step occupies at once (a crisis cell meeting as a whole)."""
    post: Name | None = None
    """One of its actor's posts that does the step (a bottleneck of one), instead of the actor's staff."""
    target: Duration | None = None
    deadline: Deadline | None = None
    decision: Decision | None = None
    next: Name | None = None
    escalate: Level | None = None
    effect: Effect | None = None

    @model_validator(mode="after")
    def _one_way_on(self) -> "Step":
        if self.decision is not None and self.next is not None:
            raise ValueError(
                f"step '{self.id}' has both 'decision' and 'next'; a decision's options say what comes next"
            )
        if self.post is not None and self.staff != 1:
            raise ValueError(f"step '{self.id}' has 'post' and 'staff: {self.staff}'; a post is one person")
        return self


class Trigger(Model):
    """When a procedure starts for an incident."""

    type: Name | list[Name] | None = None
    min_severity: Severity = 1
    level: Level | None = None
    action: Name | None = None
    owner: Name | None = None
    """Only for incidents this actor owns (an incident's ``owner``)."""

    @model_validator(mode="after")
    def _names_something(self) -> "Trigger":
        if self.type is None and self.level is None and self.action is None and self.owner is None:
            raise ValueError("a trigger needs 'type', 'level', 'action' or 'owner'")
        return self

    def owned(self, owner: str | None) -> bool:
        """Whether an incident owned by ``owner`` passes the trigger's ``owner`` filter."""
        return self.owner is None or self.owner == owner

    @property
    def types(self) -> tuple[str, ...]:
        if self.type is None:
            return ()
        return (self.type,) if isinstance(self.type, str) else tuple(self.type)


class Procedure(Model):
    """A playbook: steps run in order unless ``next`` or a decision says otherwise."""

    title: str = ""
    description: str = ""
    basis: list[str] = Field(default=[])
    owner: str = ""
    """The organisation that owns the procedure (responsible for its targets and steps in the plan)."""
    trigger: Trigger
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> "Procedure":
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id '{step.id}' is used twice in this procedure")
            if step.id == END:
                raise ValueError(f"'{END}' is reserved for 'next: end' and cannot be a step id")
            seen.add(step.id)
        return self

    def successors(self, index: int) -> list[str]:
        """The step ids (or ``end``) that may follow step ``index``."""
        step = self.steps[index]
        if step.decision is not None:
            return [o.next for o in step.decision.options.values()]
        if step.next is not None:
            return [step.next]
        return [self.steps[index + 1].id] if index + 1 < len(self.steps) else [END]

    def loops_back(self, index: int) -> bool:
        """Whether some path of successors leads from step ``index`` back to it (so it can run again)."""
        ids = {s.id: i for i, s in enumerate(self.steps)}
        seen: set[int] = set()
        todo = [index]
        while todo:
            for name in self.successors(todo.pop()):
                at = ids.get(name)
                if at == index:
                    return True
                if at is not None and at not in seen:
                    seen.add(at)
                    todo.append(at)
        return False


class Structure(Model):
    """The response structure the scenarios are played against."""

    name: str = ""
    description: str = ""
    default_channel: Name | None = None
    actors: dict[Name, Actor] = Field(min_length=1)
    roles: dict[Name, Name] = Field(default={}, exclude_if=lambda roles: not roles)
    """Each role a step may name as its ``actor``, and the actor that plays it unless a scenario says otherwise."""
    channels: dict[Name, Channel] = Field(default={})
    procedures: dict[Name, Procedure] = Field(default={})

    def fallback_chain(self, channel: str) -> list[str]:
        """``channel`` and its fallbacks in order, stopping before a repeat or an undefined name."""
        chain = [channel]
        fallback = self.channels[channel].fallback
        while fallback is not None and fallback in self.channels and fallback not in chain:
            chain.append(fallback)
            fallback = self.channels[fallback].fallback
        return chain
