"""Two runs' figures told in the report's words: a side's value as its report gives it, and what the differences
of their inputs let a reader conclude (the notes of a comparison; :mod:`~.compare` pairs the figures)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ballotdrill.scoring.bottleneck import bottleneck_line
from ballotdrill.scoring.model import Frozen, IncidentTimes, ObjectiveResult, Scores
from ballotdrill.scoring.plan import PlanItem
from ballotdrill.scoring.ratings import bands
from ballotdrill.scoring.text import HARM_MEASURES, UNITS, as_clocks_read, measure_value, took_from


def bottleneck_words(scores: Scores) -> str:
    """The run's bottleneck as its report's key findings name it (:func:`~.bottleneck.bottleneck_line`), or
    ``none``."""
    found = bottleneck_line(scores.load).bottleneck
    return found.name if found is not None else "none"


def fix_first_words(plan: Sequence[PlanItem]) -> str:
    """The run's "Fix first", by the finding its report leads the plan with: ``nothing to fix``, or ``nothing urgent
    (the first minor one: …)`` when it weighs 0, as the key findings say."""
    if not plan:
        return "nothing to fix"
    first = plan[0]
    return first.finding if first.weight else f"nothing urgent (the first minor one: {first.finding})"


class InputDifference(Frozen):
    """One way the two runs' inputs differ: a run setting, an override, or a value of the scenario file."""

    what: str
    a: str
    b: str


STOPPED = "stopped at"
"""The input difference of two runs that stopped at different times (``--until``, or one cut short)."""

NOT_EXERCISED = "not exercised"
"""An objective not exercised, as a comparison's value says it (and why, after a colon)."""


def shown_value(objective: ObjectiveResult, judged: float | None) -> float | str:
    """An objective's value for the comparison: the value its rating judged, or, when there is none (still open when
    the run stopped, never done), what the report says in its place (``12,000 so far, still open``, ``not done in
    3 h 00 min``); an objective not exercised, ``not exercised:`` and why (``ended by itself (after 12 min)``), even
    when it has a value: an incident that went away by itself exercised nothing, so its time is no one's doing. Text
    has no difference and is never better."""
    text = objective.value_text
    if objective.rating == "NE":
        why = text if text not in ("", "—", NOT_EXERCISED) else objective.reason
        return f"{NOT_EXERCISED}: {why}" if why else NOT_EXERCISED
    if judged is not None:
        return judged
    return text if text not in ("", "—") else "no value"


def value_words(objective: ObjectiveResult | None, value: float | str | None) -> str:
    """An objective's value in the report's words when they say more than its number (``ended by itself (after
    1 h 00 min 39 s)``, ``44,731 at the end, not contained``); empty when they are the number's. A harm count the
    report shows with the digits that keep it on its side of the target and bands (``20.4`` beside a 20 target,
    :func:`~.text.number`) keeps them, with its unit as the comparison gives a count's (``20.4 station-min``)."""
    if objective is None or not isinstance(value, float | int):
        return ""
    text = objective.value_text
    if text in ("", "—", measure_value(objective.kind, value)):
        return ""
    marks = bands(objective.target, objective.lower_is_better)
    if objective.kind in HARM_MEASURES and text == measure_value(objective.kind, value, marks):
        return f"{text} {UNITS[objective.kind]}"
    return text


def time_as_told(side: str, scores: Scores, incident: IncidentTimes | None, field: str) -> dict[str, Any]:
    """A scripted incident's time to ``field`` as the report tells it (:func:`~.text.took_from`, as the clocks of
    its start and of the moment read), and the time so shown; an incident that ended by itself ``ended by itself
    after …`` (nobody contained it)."""
    took = None if incident is None else getattr(incident, field)
    if incident is None or took is None:
        return {}
    text = took_from(scores.start, incident.started_at, took)
    if field == "to_contain" and incident.contained_how == "ended":
        text = f"ended by itself after {text}"
    return {f"{side}_text": text,
            f"{side}_shown": as_clocks_read(scores.start, incident.started_at, incident.started_at + took)}


SEED_ONLY = ("A and B differ only by their seed: they are two draws of the same exercise, so every difference "
             "below is chance, not the effect of anything.")
SAME_INPUTS_DIFFER = ("A and B had the same inputs, so they played the same exercise, yet their results differ: "
                      "one of them was changed after it ran, so no row is marked better. 'ballotdrill report' on "
                      "each checks its journal against its seal.")
SMALL_NOTE = ("A difference marked ≈ is small (within 10 %, or 5 points of a share): one seed per side cannot "
              "tell it from luck.")
DIFFERENT_WINDOWS = ("A and B stopped at different times, so each measure covers its own window: "
                     "a difference can come from the stop alone (a run that stopped earlier has had less time to do "
                     "harm or to finish its work, and what comes after its stop never happened in it), so no row is "
                     "marked better. Compare runs that stop at the same time.")
SWEEP_HINT = ("To tell a real difference from luck, run 'ballotdrill sweep SCENARIO --variant FILE': paired runs "
              "on the same seeds, with confidence intervals.")
META_INPUTS = ("scenario", "seed", "overrides", "decisions", "version", "source")
"""The run settings :func:`~.compare.input_differences` compares first; every other difference is a scenario file's
value."""
META_ABSENT = {"overrides": "[]"}
"""What a run's meta without one of :data:`META_INPUTS` stands for, so a key missing on one side is no difference
by itself: a sweep's replication kept by an older version has no ``overrides``, and whatever its point changed
still shows as the stored scenario file's values."""
LIVE_INPUTS = {"answer": "live answers", "action": "live actions", "discuss": "live discussion answers",
               "inject": "live ad-hoc injects", "send_now": "live send-nows", "note": "live notes",
               "speed": "live speed changes"}
"""A live journal's input kinds a comparison sets side by side, and each one's name as an input difference (a
pause, a resume, a stop or a restart changes nothing simulated; where a run ended is :data:`STOPPED`)."""
UNSIMULATED = {LIVE_INPUTS["note"]: "a note is only written down",
               LIVE_INPUTS["speed"]: "a speed change only sets how fast the exercise clock ran against the wall clock"}
"""Live inputs that change nothing simulated, so no measure's difference can come from them (listed apart), and why."""
FILE_VALUES_NAMED = 3
"""How many differing values of the scenario files a note names before it counts the rest."""


def notes(inputs: Sequence[InputDifference]) -> list[str]:
    """What two single runs with these input differences can say: every input that differs and changes what is
    simulated is named as a possible cause, the others (:data:`UNSIMULATED`) apart as none, and one seed per side is
    one draw. Only runs that differ in nothing simulated but their seed are two draws of the same exercise."""
    inert = [d.what for d in inputs if d.what in UNSIMULATED]
    inputs = [d for d in inputs if d.what not in UNSIMULATED]
    inert_text = f"their {_and(inert)}, which change nothing simulated ({_and([UNSIMULATED[w] for w in inert])})" \
        if inert else ""
    if not inputs:
        return [f"A and B differ only in {inert_text}: with the same seed, they played the same exercise."] \
            if inert else []
    aside = [f"They also differ in {inert_text}: no difference below comes from them."] if inert else []
    what = {d.what for d in inputs}
    window = [DIFFERENT_WINDOWS] if STOPPED in what else []
    if what == {"seed"}:
        return [SEED_ONLY, *aside, SMALL_NOTE, SWEEP_HINT]
    causes = differing_inputs(inputs)
    head = f"A and B differ in {_and(causes)}: "
    if "seed" in what:
        head += ("every difference below can come from any of these, and their different seeds add luck (different "
                 "draws of the incidents and delays).")
    elif what == {STOPPED}:
        head += ("with the same seed and the same inputs, every difference below comes from where they stopped.")
    else:
        source = "that change" if len(causes) == 1 else "any of these"
        head += (f"every difference below can come from {source}. They share their seed: both drew their incidents "
                 "from the same random streams (common random numbers), yet each side is one draw, so a difference "
                 "can still be luck.")
    return [head, *aside, *window, SMALL_NOTE, SWEEP_HINT]


def differing_inputs(inputs: Sequence[InputDifference]) -> list[str]:
    """Each input that differs, in words, in the order of the inputs table (the scenario files' values counted
    together, the first :data:`FILE_VALUES_NAMED` by path). A value an override sets is told with the overrides, as
    what they changed, never as a second change: the stored files are the files after their overrides."""
    live = set(LIVE_INPUTS.values())
    values = [d for d in inputs if d.what != STOPPED and d.what not in META_INPUTS and d.what not in live]
    keys = _override_keys(next((d for d in inputs if d.what == "overrides"), None))
    set_by = [d for d in values if _set_by(d.what, keys)]
    rest = [d.what for d in values if d not in set_by]
    out: list[str] = []
    for d in inputs:
        if d.what == STOPPED:
            out.append(f"where they stopped ({d.a} against {d.b})")
        elif d.what == "seed":
            out.append("their seed")
        elif d.what == "scenario":
            out.append("their scenario")
        elif d.what == "overrides":
            told = [f"{v.what} ({v.a} against {v.b})" for v in set_by]
            out.append("their --set overrides" + (f", which set {_named(told)}" if told else ""))
        elif d.what == "decisions":
            out.append("their recorded decisions")
        elif d.what == "version":
            out.append(f"the version of ballotdrill that ran them ({d.a} against {d.b})")
        elif d.what in live:
            out.append(f"their {d.what}")
        elif d.what == "source":
            out.append("the scenario file they were read from" + ("" if rest else " (not its content)"))
    if rest:
        out.append(f"{len(rest)} {'other ' if set_by else ''}value{'s' if len(rest) > 1 else ''} of the scenario "
                   f"file ({_named(rest)})")
    return out


def _named(parts: Sequence[str]) -> str:
    """The first :data:`FILE_VALUES_NAMED` of ``parts``, then how many more."""
    return ", ".join(parts[:FILE_VALUES_NAMED]) + (
        f" and {len(parts) - FILE_VALUES_NAMED} more" if len(parts) > FILE_VALUES_NAMED else "")


def _override_keys(overrides: InputDifference | None) -> list[str]:
    """The paths the ``--set`` overrides of either run set (``a.b.0.c``), from their recorded lists."""
    keys: list[str] = []
    for side in (overrides.a, overrides.b) if overrides is not None else ():
        try:
            listed = json.loads(side)
        except ValueError:
            continue
        keys += [str(item).partition("=")[0].strip() for item in listed] if isinstance(listed, list) else []
    return keys


def _set_by(path: str, keys: Sequence[str]) -> bool:
    """Whether the scenario file's value at ``path`` (``a.b[0].c``) is one an override at ``keys`` sets (the path
    itself or a value within it)."""
    dotted = _dotted(path)
    return any(dotted == key or dotted.startswith(key + ".") for key in map(_dotted, keys) if key)


def _dotted(path: str) -> str:
    """``a.b[0].c`` → ``a.b.0.c``."""
    return re.sub(r"\[(\d+)\]", r".\1", path)


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
