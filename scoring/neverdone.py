"""What a legal deadline of a step the response never reached is told: why the step was never done (its procedure
dropped, or still short of it when the run stopped), when the deadline passed, and the cause on its lever."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ballotdrill.scoring.advice import Advisor, Cause, channel_lever, step_lever
from ballotdrill.scoring.stepcause import branch_cause, options_taken
from ballotdrill.scoring.text import between, clock, minutes
from ballotdrill.scoring.unreached import Unreached
from ballotdrill.scoring.usual import DIRECT

__all__ = ["UNREACHED_SHOWN", "missed_listed", "never_done", "not_yet_due"]

UNREACHED_SHOWN = 10
"""Deadlines of one step that passed with it never reached, listed one by one (the count covers them all)."""

_STOOD = {"queued": "waiting", "in_progress": "in progress", "in_transit": "travelling"}


def missed_listed(unreached: Iterable[Unreached]) -> list[tuple[Unreached, str]]:
    """The missed deadlines of steps never reached to list, the first :data:`UNREACHED_SHOWN` of each step, the first
    of those with what its detail adds when there were more (how many in all)."""
    missed = [item for item in unreached if item.missed]
    alike = Counter((item.procedure, item.step) for item in missed)
    told: Counter[tuple[str, str]] = Counter()
    out = []
    for item in missed:
        key = (item.procedure, item.step)
        told[key] += 1
        if told[key] <= UNREACHED_SHOWN:
            out.append((item, f" ({alike[key]:,} deadlines of '{item.step}' passed with it never done; the first "
                        f"{UNREACHED_SHOWN} listed)" if alike[key] > UNREACHED_SHOWN and told[key] == 1 else ""))
    return out


def never_done(item: Unreached, advice: Advisor) -> tuple[str, Cause]:
    """The detail of a missed deadline of a step never reached, and its cause: the drop that stopped the procedure
    (on the channel's lever, as the drop's own finding), else the delays before the step (on the step's lever)."""
    at = clock(advice.start, item.stopped_at)
    whose = advice.structure.roles.get(item.actor, item.actor) if advice.structure is not None else item.actor
    began = item.due_at - item.deadline
    if item.how == "dropped":
        where = f"{item.procedure} stopped at {at} when the handoff of '{item.at}' was dropped on " \
                f"{item.channel or 'a direct handover'} (no fallback left)"
        cause = Cause("drop", f"the response stopped when '{item.at}' from {advice.who(item.sender)} was dropped on "
                      f"{item.channel or 'a direct handover'} at {at} (no fallback left): {item.procedure} went no "
                      f"further, so '{item.step}' was never done", list(item.evidence),
                      advice.channel(item.channel or DIRECT), item.sender, channel_lever(item.channel))
    else:
        where = f"when the run stopped at {at}, {item.procedure} had got no further than '{item.at}' " \
                f"({_STOOD.get(item.how, item.how)}), {between(advice.start, began, item.stopped_at)} after it began"
        default = advice.designed_to(item.incident, item.procedure, item.step)
        choices = options_taken(advice, item.incident, item.procedure, item.stopped_at)  # along the path it took
        designed = advice.designed_to(item.incident, item.procedure, item.step, choices[0]) if choices[0] \
            else default
        lever = step_lever(item.procedure, item.step)
        if designed is not None and designed >= item.deadline and choices[0] \
                and (default is None or default < item.deadline):  # the branch it took, not the design, is late
            cause = branch_cause(advice, item.procedure, item.step, choices, designed, default,
                                 f"the {minutes(item.deadline)} legal deadline of '{item.step}'", whose)
            cause = cause._replace(text=f"{cause.text}, past its {minutes(item.deadline)} legal deadline; {where}")
        elif designed is not None and designed >= item.deadline:  # the design reaches it only past its deadline
            cause = Cause("target", f"path longer than its {minutes(item.deadline)} legal deadline: the designed "
                          f"path reaches '{item.step}' after {minutes(designed, (item.deadline,))}; {where}", [],
                          f"Fit the path to the {minutes(item.deadline)} legal deadline of '{item.step}', which the "
                          f"response cannot move: weigh the steps of {item.procedure} before it, or shorten them",
                          whose, lever)
        else:
            cause = Cause("upstream", f"delays before the step: {where}; '{item.step}' was never reached", [],
                          f"Shorten the steps and handoffs of {item.procedure} before '{item.step}' (see the earlier "
                          "late steps and queues), or start it earlier", whose, lever)
    detail = (f"'{item.step}' was never done: {where}. Its {minutes(item.deadline)} legal deadline "
              f"({item.basis or 'no basis given'}) passed at {clock(advice.start, item.due_at)}, before the run "
              "stopped.")
    return detail, cause


def not_yet_due(item: Unreached, start: float) -> str:
    """A deadline the run stopped before: not missed, and said so (a dropped procedure will never reach the step)."""
    reached = (f"will not be reached: its procedure stopped at {clock(start, item.stopped_at)} when a handoff was "
               "dropped" if item.how == "dropped" else "had not been reached when the run stopped")
    return (f"'{item.step}' ({item.procedure}) {reached}; its {minutes(item.deadline)} legal deadline falls at "
            f"{clock(start, item.due_at)}, after the stop: not yet due.")
