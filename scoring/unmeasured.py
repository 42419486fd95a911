"""Harm no objective measures: a scripted incident's reach, voter- or station-minutes that no objective counts,
though by the run's own measures it is large — at least :data:`LARGE_SHARE` of the run's total of it, and more than
the largest target an objective sets on that measure (what the exercise tolerates where it does measure it). On a
measure no objective sets a target on, the share alone makes it large, unless an objective rates the incident's harm
on another measure (a votes-lost objective on its voters, say): a harm nobody set a target for is the one a director
most needs to hear of.

Each such incident gets an area for improvement (:func:`unmeasured_findings`): how much harm it did, against that
target and the run's total; how it ended (contained, its procedures completed, ended by itself, or still open when
the run stopped; a wave at its cap); and what let it grow, read from the journal: its detection, its containing
steps that completed without containing it, its handoffs dropped, and the findings whose delays are behind its harm
(their share of the time it did harm, :mod:`.harmshare`). When the response has a lever on it — a containing step
that failed, whose fix is a likelier or a further one (``procedure:P``, as :mod:`.leftopen`'s) — it is weighed as
that lever's finding, by the harm done after the failure (:func:`behind_failures`); else its weight is 0 (its fix is
an objective to measure it, not a change to the response; the delays behind it weigh on their own findings). The
key findings name the heaviest (:func:`key_line`), whatever its weight.

Left out: background arrivals are told per inject in the background table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from ballotdrill.scenarios.structure import Structure
from ballotdrill.scoring.delays import Span
from ballotdrill.scoring.harmshare import ScriptedHarm, harm_shares
from ballotdrill.scoring.leftopen import failed_containments, further_step_fix
from ballotdrill.scoring.model import Handoff, Harm, IncidentTimes, ObjectiveResult, Scores, StepResult
from ballotdrill.scoring.plan import capability_of, element_of
from ballotdrill.scoring.ranking import MATERIAL_SHARE, HarmBehind
from ballotdrill.scoring.text import HARM_MEASURES, HARM_NOUNS, chance_words, clock, number, percent, took_from

NO_TARGET_CAPABILITY = "Operational coordination"
"""The capability of a finding on harm no objective of the exercise sets a target for (no objective to take it from)."""
NO_TARGET_PRIORITY = 4
"""The own priority of a finding on harm no objective of the exercise sets a target for, with no lever of the
response on it (no failed containment): its fix is only a target to set (Planning), so at equal weight it comes after
the response's own findings. With a target elsewhere on the measure, or a lever, it is 2."""
SHARE_EDGES = (0.0, 1.0)
"""A share of the run's harm is told on its side of none and all (99.6 % is never "100%", all of it)."""
LARGE_SHARE = 0.25
"""Harm no objective measures is large from this share of the run's total of its measure (and past every target an
objective sets on that measure)."""
PLANNING_TEAM = "Exercise planning team"
"""Who sets an exercise's objectives: responsible for measuring a harm no objective measures."""

__all__ = ["LARGE_SHARE", "Large", "behind_failures", "key_line", "large_unmeasured", "unmeasured_findings"]


class Large(NamedTuple):
    """One measure of an incident's harm that no objective measures and that is large."""

    measure: str
    amount: float
    share: float
    """Of the run's total of the measure."""
    bar: ObjectiveResult | None
    """The objective setting the largest target on the measure (None: no objective sets one)."""


class _Improve(Protocol):
    def __call__(self, size: float, **fields: Any) -> None: ...


class _Titled(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def lever(self) -> str: ...


class _Told(Protocol):
    @property
    def cause(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def incidents(self) -> list[str]: ...
    @property
    def evidence(self) -> list[int]: ...


def _measured(scores: Scores) -> dict[str, set[str]]:
    """Per harm measure, the incidents an objective measures it on (a votes-lost objective measures its incident's
    voters)."""
    out: dict[str, set[str]] = {m: set() for m in HARM_MEASURES}
    for obj in scores.objectives:
        kind = "voter_minutes" if obj.kind == "votes_lost" else obj.kind
        if kind in out:
            for o in (obj, obj.as_measured):
                out[kind].update(o.subject.split())
    return out


def _bars(scores: Scores) -> dict[str, ObjectiveResult]:
    """Per harm measure an objective measures, the objective with the largest target on it (the first of equals)."""
    out: dict[str, ObjectiveResult] = {}
    for obj in scores.objectives:
        if obj.kind in HARM_MEASURES and (obj.kind not in out or obj.target > out[obj.kind].target):
            out[obj.kind] = obj.as_measured
    return out


def large_unmeasured(scores: Scores) -> dict[str, list[Large]]:
    """Per scripted incident, each measure of its harm no objective measures that is large (see the module)."""
    measured, bars = _measured(scores), _bars(scores)
    rated = set().union(*measured.values())  # incidents whose harm an objective rates, on some measure
    scripted = {i.incident for i in scores.incidents if not i.background}
    out: dict[str, list[Large]] = {}
    for row in scores.harm:
        if row.incident not in scripted:
            continue
        for m in HARM_MEASURES:
            bar = bars.get(m)
            amount, total = float(getattr(row, m)), float(getattr(scores.totals, m))
            past = amount > bar.target if bar is not None else amount > 0 and row.incident not in rated
            if row.incident not in measured[m] and total > 0 and past and amount >= LARGE_SHARE * total:
                out.setdefault(row.incident, []).append(Large(m, amount, min(1.0, amount / total), bar))
    return out


def _done(large: Large, capped: float | None, start: float) -> str:
    """``reached 500,000 people, its cap (from 23:41)`` / ``cost 2,475 station-minutes`` (beside the bar's target,
    on its side of it; with no bar, as the incident table tells it)."""
    amount = number(large.amount, (large.bar.target,) if large.bar is not None else ())
    if large.measure == "reach":
        return f"reached {amount} people" + (f", its cap (from {clock(start, capped)})" if capped is not None else "")
    return f"cost {amount} {HARM_NOUNS[large.measure]}"


def _against(larges: Sequence[Large]) -> str:
    """``96% of the run's reach and 25 times the 20,000 O3 allows N1, and no objective measures its reach``; on
    measures no objective sets a target on, ``100% of the run's voter-minutes, a measure no objective of the exercise
    sets a target on`` (which says no objective measures it)."""
    targeted = [_past(large, large.bar) for large in larges if large.bar is not None]
    free = [_share(large) for large in larges if large.bar is None]
    untargeted = [f"{' and '.join(free)}, {'a measure' if len(free) == 1 else 'measures'} no objective of the "
                  "exercise sets a target on"] if free else []
    nouns = " and ".join(HARM_NOUNS[large.measure] for large in larges if large.bar is not None)
    return " and ".join([*targeted, *untargeted]) + (f", and no objective measures its {nouns}" if nouns else "")


def _share(large: Large) -> str:
    """``96% of the run's reach`` (never "100%" for less than all of it)."""
    return f"{percent(large.share, SHARE_EDGES)} of the run's {HARM_NOUNS[large.measure]}"


def _past(large: Large, bar: ObjectiveResult) -> str:
    """``96% of the run's reach and 25 times the 20,000 O3 allows N1`` (``bar``: its objective with the largest
    target)."""
    if bar.target <= 0:
        past = f"where {bar.id} allows {bar.subject} none"
    else:
        ratio = large.amount / bar.target
        past = (f"{ratio:.0f} times" if ratio >= 10 else f"{ratio:.1f} times" if ratio >= 2 else "more than") + \
            f" the {number(bar.target)} {bar.id} allows {bar.subject}"
    return f"{_share(large)} and {past}"


def _ending(times: IncidentTimes, scores: Scores, names: Mapping[str, str]) -> str:
    """How the incident ended, or that it had not when the run stopped."""
    start = scores.start
    if times.to_contain is None:
        stop = scores.until if scores.until is not None else scores.end
        return f"it was still open when the run stopped ({clock(start, stop)})"
    at = clock(start, times.started_at + times.to_contain)
    after = took_from(start, times.started_at, times.to_contain)
    if times.contained_how == "ended":
        return f"it ended by itself at {at}, {after} after it began, before any response contained it"
    if times.contained_how == "completed":
        return f"its procedures completed at {at}, {after} after it began (no step of theirs contains it)"
    who = names.get(times.contained_by or "", times.contained_by or "the response")
    return f"{who} contained it at {at}, {after} after it began"


def _still_open(times: IncidentTimes, steps: Sequence[StepResult], handoffs: Sequence[Handoff],
                told: object) -> str:
    """Why an incident still open at the end was, when the finding has not told it (``told``: a failed containment
    or a dropped handoff, said already): its response still under way, ended, or never begun."""
    if times.to_contain is not None or times.to_detect is None or told:
        return ""
    running = next((s for s in steps if s.completed_at is None), None)
    if running is not None:
        return (f": its response was still under way ('{running.step}' "
                f"{'in progress' if running.started_at is not None else 'waiting'})")
    travelling = next((h for h in handoffs if h.incident == times.incident and h.status == "in_transit"), None)
    if travelling is not None:
        return f": its response was still under way (the handoff of '{travelling.step}' still travelling)"
    return ": its procedures ended without containing it" if steps else ": no step of any procedure had started for it"


def _listed(items: Sequence[str], most: int = 3) -> str:
    shown = list(items[:most]) + ([f"{len(items) - most} more"] if len(items) > most else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _lever_step(times: IncidentTimes, failed: Sequence[tuple[StepResult, float]]) -> StepResult | None:
    """The containing step whose failure is the response's lever on an incident's harm: the last to fail, unless a
    step of the response contained it after all."""
    return failed[-1][0] if failed and times.contained_how != "effect" else None


def behind_failures(harm: HarmBehind, scores: Scores, scripted: Mapping[str, ScriptedHarm],
                    structure: Structure | None) -> HarmBehind:
    """``harm`` (the run's, and the part behind each lever) with the harm of each large incident no objective measures
    done after the containing step that failed on it (:func:`_lever_step`), on that step's procedure: as
    :mod:`.leftopen` counts a background incident's, the stretch from the failure to its end as that lever's delay
    (:func:`~.harmshare.harm_shares` over its harm window; taken alone, beside none of its other delays)."""
    times_of = {i.incident: i for i in scores.incidents}
    harm_of = {h.incident: h for h in scores.harm}
    stop = scores.until if scores.until is not None else scores.end or 0.0
    levers = {lever: dict(amounts) for lever, amounts in harm.levers.items()}
    for incident, large in large_unmeasured(scores).items():
        times = times_of[incident]
        last = _lever_step(times, failed_containments(times, [s for s in scores.steps if s.incident == incident],
                                                       structure))
        kept = scripted.get(incident)
        if last is None or last.completed_at is None:
            continue
        lever = f"procedure:{last.procedure}"
        end = times.started_at + times.to_contain if times.to_contain is not None else stop
        shares = harm_shares([Span(lever, last.completed_at, end)], times.started_at, end,
                             kept.capped if kept is not None else None, harm_of[incident].polls)
        amounts = levers.setdefault(lever, dict.fromkeys(HARM_MEASURES, 0.0))
        for big in large:
            amounts[big.measure] = amounts.get(big.measure, 0.0) + big.amount * shares[big.measure].get(lever, 0.0)
    return HarmBehind(harm.total, levers, harm.unanswered)


def unmeasured_findings(improve: _Improve, scores: Scores, names: Mapping[str, str], structure: Structure | None,
                        scripted: Mapping[str, ScriptedHarm], levers: Sequence[_Titled]) -> None:
    """An area for improvement per scripted incident whose harm no objective measures and is large, given to
    ``improve`` (a finding's size and fields). ``scripted``: the digest's :class:`~.harmshare.ScriptedHarm` per
    incident (its cap, the levers behind its harm); ``levers``: the areas for improvement found so far, whose titles
    name those levers."""
    start = scores.start
    times_of = {i.incident: i for i in scores.incidents}
    harm_of: dict[str, Harm] = {h.incident: h for h in scores.harm}
    titles: dict[str, str] = {}
    for found in levers:
        titles.setdefault(found.lever, found.title)
    for incident, large in large_unmeasured(scores).items():
        times, harm = times_of[incident], harm_of[incident]
        kept = scripted.get(incident)
        capped = kept.capped if kept is not None else None
        steps = [s for s in scores.steps if s.incident == incident]
        failed = failed_containments(times, steps, structure)
        dropped = [h for h in scores.handoffs if h.incident == incident and h.status == "dropped"]
        done = " and ".join(_done(big, capped, start) for big in large)
        nouns = " and ".join(HARM_NOUNS[big.measure] for big in large)
        detected = "" if times.to_detect is None else "at once" if times.to_detect <= 0 else \
            f"after {took_from(start, times.started_at, times.to_detect)}"
        told = [f"It began at {clock(start, times.started_at)} and was " + (
            f"detected {detected}" + (f" by {names.get(times.detected_by, times.detected_by)}"
                                      if times.detected_by else "") if detected else "never detected")]
        stop = scores.until if scores.until is not None else scores.end
        window = (times.to_contain if times.to_contain is not None else (stop or 0.0) - times.started_at)
        why = ["never detected"] if not detected else [f"detected {detected}"] if (
            times.to_detect or 0.0) >= MATERIAL_SHARE * window > 0 else []  # a detection that took a material time
        if failed:
            named = [f"'{s.step}' ({names.get(s.actor, s.actor)}, {clock(start, s.completed_at)}, "
                     f"{chance_words(chance)})" for s, chance in failed]
            told.append(f"{_listed(named)} completed without containing it")
            why.append(f"{_listed([repr(s.step) for s, _ in failed])} did not contain it")
        if dropped:
            told.append(f"the handoff of {_listed([repr(h.step) for h in dropped])} was dropped (no fallback left)")
            why.append("its response stopped at a dropped handoff")
        behind: dict[str, float] = {}
        for big in large:
            for lever, share in (kept.behind.get(big.measure, {}) if kept is not None else {}).items():
                if lever in titles:
                    behind[lever] = max(behind.get(lever, 0.0), share)
        if behind:
            delays = [f"“{titles[lever]}” ({percent(share)} of the time it did harm)"
                      for lever, share in sorted(behind.items(), key=lambda ls: -ls[1])]
            told.append(f"the delays behind its {nouns}: {_listed(delays)}")
        told.append(_ending(times, scores, names) + _still_open(times, steps, scores.handoffs, failed or dropped))
        why.append(f"no objective measures its {nouns}")
        bars = " and ".join(dict.fromkeys(f"{b.bar.id} does for {b.bar.subject}" for b in large if b.bar))
        untargeted = " and ".join(HARM_NOUNS[b.measure] for b in large if b.bar is None)
        like = " and ".join([*([f"as {bars}"] if bars else []),
                             *([f"a target on {untargeted}, which none sets"] if untargeted else [])])
        measure_it = f"give {incident}'s {nouns} an objective of its own ({like}), so the exercise rates the " \
            "response to it"
        last = _lever_step(times, failed)
        fix = f"{further_step_fix(last.step, times.type, last.procedure)}; and {measure_it}" if last is not None \
            else measure_it[0].upper() + measure_it[1:]
        evidence = {*times.evidence, *harm.evidence, *(s.evidence[-1] for s, _ in failed if s.evidence),
                    *(h.evidence[-1] for h in dropped if h.evidence)}
        improve(
            max(big.share for big in large),
            title=f"Harm no objective measures: {incident} " + " and ".join(_done(big, None, start) for big in large),
            detail=f"{incident} ({times.title or times.type}) {done}: "
            f"{_against(large)}. "
            + "; ".join(told) + ".",
            root_cause="; ".join(why), cause="unmeasured", actor=last.actor if last else times.detected_by,
            priority=2 if last is not None or any(big.bar for big in large) else NO_TARGET_PRIORITY,
            lever=f"procedure:{last.procedure}" if last is not None else f"harm:{incident}",
            element=element_of("unmeasured"), capability=capability_of(
                scores, {incident}, None, next((b.bar.capability for b in large if b.bar), NO_TARGET_CAPABILITY)),
            responsible="" if last is not None else PLANNING_TEAM,
            incidents=[incident], evidence=sorted(evidence), recommendation=fix)


def key_line(improvements: Sequence[_Told]) -> tuple[str, list[int]]:
    """The key findings' line on harm no objective measures: the heaviest such finding's detail (and how many more),
    with its evidence; empty when there is none."""
    found = [f for f in improvements if f.cause == "unmeasured"]
    if not found:
        return "", []
    more = found[1:]
    also = (f" Also large and unmeasured: {', '.join(i for f in more for i in f.incidents)} (see the areas for "
            "improvement).") if more else ""
    return found[0].detail + also, list(found[0].evidence)
