"""The scenario's MSEL as rows: what happens when, to whom, and what is expected."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import NamedTuple

from ballotdrill.scenarios.coverage import objective_subjects
from ballotdrill.scenarios.safetext import json_output, spreadsheet_text
from ballotdrill.scenarios.scenario import Condition, Inject, Scenario
from ballotdrill.scenarios.timefmt import format_clock, format_duration


class MselRow(NamedTuple):
    """One row of the master scenario events list, in the HSEEP template's terms."""

    id: str
    time: str
    sort_key: float
    kind: str
    to: str
    event: str
    expected: str
    sender: str = ""
    notes: str = ""
    objective: str = ""
    definition: str = ""


MSEL_COLUMNS = ("event number", "scenario time", "event type", "from", "to", "message",
                "expected participant response", "notes", "exercise objective", "definition")
"""The HSEEP MSEL template's columns, as written by :func:`write_msel_csv`; ``definition`` holds the
inject itself as JSON, so ``import-msel`` reads back exactly what was written."""

_EVENT_TYPES = {"timed": "inject", "background": "inject (repeating)", "contingency": "contingency inject",
                "settings": "scenario settings"}


def msel_rows(scenario: Scenario) -> list[MselRow]:
    """The scenario's injects as MSEL rows, in time order (contingencies at their check time or last)."""
    pairs = zip(scenario.inject_ids(), scenario.injects, strict=True)
    subjects = objective_subjects(scenario)
    rows = []
    for inject_id, inj in pairs:
        incident = (inj.incident.id or inject_id) if inj.incident is not None else None
        objectives = [o for o, (incidents, _) in subjects.items() if incident is not None and incident in incidents]
        definition = json_output(json.dumps(inj.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                                            ensure_ascii=False))  # every control a JSON escape: read back exactly
        rows.append(_row(inject_id, inj, scenario)._replace(objective=" ".join(objectives), definition=definition))
    return sorted(rows, key=lambda r: r.sort_key)


def settings_row(name: str, scenario: Scenario) -> MselRow:
    """The scenario's own settings (window, election or polls, roles, load, objectives: all but the injects) as the
    MSEL's first row, a ``scenario settings`` row whose ``definition`` ``import-msel`` reads back exactly."""
    settings = scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"injects"})
    definition = json_output(json.dumps(settings, ensure_ascii=False))
    objectives = len(scenario.objectives)
    event = (f"scenario {name}: {scenario.title} (its window, polling hours and {objectives} objective"
             f"{'' if objectives == 1 else 's'} in the definition)")
    window = f"{format_clock(scenario.start)}-{format_clock(scenario.end)}"
    return MselRow(name, window, scenario.start, "settings", "", event, "", "SimCell", definition=definition)


def _row(inject_id: str, inj: Inject, scenario: Scenario) -> MselRow:
    if inj.every is not None:
        start = inj.start if inj.start is not None else scenario.start
        end = inj.end if inj.end is not None else scenario.end
        time = f"{format_clock(start)}-{format_clock(end)}"
        sort_key = start
    elif inj.at is not None:
        time, sort_key = format_clock(inj.at), inj.at
    else:
        time, sort_key = "when", scenario.end
    if inj.when is not None:
        test = condition_words(inj.when)
        time = f"{time} if {test}" if inj.at is not None else f"when {test}"
    sender = "SimCell"
    if inj.incident is not None:
        inc = inj.incident
        label = inc.title or inc.type.replace("_", " ")
        facts = ", ".join([f"severity {inc.severity}", *([f"owner {inc.owner}"] if inc.owner else []),
                           *([f"{inc.voting} voting"] if inc.voting else [])])
        event = f"incident {inc.id or inject_id}: {label} ({facts})"
        if inj.every is not None:
            event = f"{arrival_rate(inj, scenario)}: {label} ({facts})"
        to = inj.detected_by.actor if inj.detected_by is not None else ""
    elif inj.message is not None:
        event, to = f"message: {inj.message.text}", inj.message.to
        sender = inj.message.sender or sender
    else:
        assert inj.action is not None
        act = inj.action
        event = f"action: {act.name}" + (f" (incident {act.incident})" if act.incident else "")
        to = act.actor
    return MselRow(inject_id, time, sort_key, inj.kind, to, event, inj.expected, sender, inj.notes)


def condition_words(cond: Condition) -> str:
    """A condition as the MSEL's scenario-time cell says it (``D2 is ended before cy-mitigate``, ``N1 reach >
    50,000``, ``D2 ended by itself before cy-mitigate completed``), which the MSEL import reads back."""
    state = f"{cond.is_ or cond.is_not}{f' ({cond.level})' if cond.level else ''}"
    state += f" before {cond.before}" if cond.before else ""
    tests = ([f"is {state}"] if cond.is_ else [f"is not {state}"] if cond.is_not
             else [f"reach > {cond.reach_above:,}"] if cond.reach_above is not None else [])
    if cond.ended_before is not None:
        tests.append(f"ended by itself before {cond.ended_before} completed")
    return f"{cond.incident} {' and '.join(tests)}"


def arrival_rate(inj: Inject, scenario: Scenario) -> str:
    """How often a background inject arrives, as played: its mean gap over the scenario's ``background_factor``, each
    profile period's factor, and its ``limit`` (``every ~10m, ×3 08:00-09:00, at most 174``)."""
    parts = [f"every ~{format_duration(inj.every.mean / scenario.background_factor) if inj.every else '?'}"]
    parts += [f"×{period.factor:g} {period.start}-{period.end}" for period in inj.profile or []]
    if inj.limit is not None:
        parts.append(f"at most {inj.limit:,}")
    return ", ".join(parts)


def write_msel_csv(rows: list[MselRow], path: Path, settings: MselRow | None = None) -> None:
    """Write MSEL rows as a spreadsheet (CSV, UTF-8 with a BOM so spreadsheet programs read the accents), after the
    scenario's ``settings`` row (:func:`settings_row`) when given."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MSEL_COLUMNS)
        for row in [settings, *rows] if settings is not None else rows:
            writer.writerow([spreadsheet_text(cell) for cell in (
                row.id, row.time, _EVENT_TYPES.get(row.kind, row.kind), row.sender, row.to, row.event, row.expected,
                row.notes, row.objective, row.definition)])
