"""Read an MSEL spreadsheet (CSV in the HSEEP template's columns) into a scenario against a given structure.

Each row is one MSEL event. ``inject`` and ``contingency inject`` rows become message injects to the
actor in ``to`` (or, when the row has a ``definition`` — the inject written out as JSON by
``show --csv`` — exactly that inject); an ``expected action`` row adds to the expected response of
the inject before it; a ``scenario settings`` row (``show --csv`` writes one first) gives the scenario's own
window, polling hours, roles and objectives, so that a written MSEL reads back as the scenario it came from.
Every problem names the spreadsheet row (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic import ValidationError

from ballotdrill.scenarios import crossref
from ballotdrill.scenarios.errors import Problem, ScenarioError
from ballotdrill.scenarios.rawfile import MAX_BYTES
from ballotdrill.scenarios.safetext import FORMULA_STARTS, json_output
from ballotdrill.scenarios.scenario import Inject, Scenario, ScenarioFile
from ballotdrill.scenarios.startable import startable_only
from ballotdrill.scenarios.structure import Structure
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import format_clock, parse_clock
from ballotdrill.scenarios.types import NAME_PATTERN as _NAME_PATTERN
from ballotdrill.scenarios.validation import problems_from
from ballotdrill.scenarios.yamlread import parse

FIELDS = ("event number", "scenario time", "event type", "from", "to", "message", "expected response",
          "objective", "notes", "definition")
"""What a column can hold; ``--map COLUMN=FIELD`` names one of these."""

_ALIASES = {
    "event no": "event number", "event #": "event number", "#": "event number", "id": "event number",
    "designated scenario time": "scenario time", "time": "scenario time",
    "type": "event type", "inject type": "event type",
    "expected participant response": "expected response", "expected player response": "expected response",
    "exercise objective": "objective", "objectives": "objective",
}
_EVENT_TYPES = {"inject": "inject", "inject (repeating)": "repeating", "contingency inject": "contingency",
                "contingency": "contingency", "expected action": "expected", "scenario settings": "settings"}
_TEST = (r"(?:(?P<not>is not|is)\s+(?P<state>\w+)(?:\s+\((?P<level>\w+)\))?(?:\s+before\s+(?P<before>\S+))?"
         r"|reach\s*>\s*(?P<reach>[\d,]+))")
_ENDED_BEFORE = r"ended by itself before\s+(?P<ended_before>\S+)\s+completed"
_CONDITION = re.compile(rf"^(?:(?P<at>.+?)\s+if\s+|when\s+)(?P<incident>\S+)\s+"
                        rf"(?:{_TEST}(?:\s+and\s+(?=ended )|$))?(?:{_ENDED_BEFORE})?$")
"""A contingency's scenario-time cell as the MSEL export writes it (``scenarios.msel.condition_words``): a test,
'ended by itself before STEP completed', or both joined by 'and'."""
_SIMCELL = "SimCell"


class Imported(NamedTuple):
    """A scenario file built from an MSEL: its data (the file format) and the model it validates to."""

    data: dict[str, Any]
    model: ScenarioFile
    rows: int
    settings: bool
    """The spreadsheet had a ``scenario settings`` row (``show --csv`` writes one): the window, polling hours, roles
    and objectives are the scenario's own, not guessed."""
    dropped: tuple[str, ...] = ()
    """The structure's procedures left out: no inject of the scenario can start them (:mod:`.startable`)."""


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _columns(header: list[str], mapping: Mapping[str, str], source: str) -> dict[str, int]:
    """Field -> column index, from the header, the aliases and ``mapping`` (COLUMN -> FIELD)."""
    wanted = {_norm(column): field for column, field in mapping.items()}
    for column, field in mapping.items():
        if field not in FIELDS:
            raise ScenarioError([Problem(source, 0, 0, f"--map {column}={field}: '{field}' is not a field; "
                                         f"use one of {', '.join(FIELDS)}{did_you_mean(field, FIELDS)}")])
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _norm(name)
        chosen = wanted.get(key) or (key if key in FIELDS else _ALIASES.get(key))
        if chosen is not None and chosen not in found:
            found[chosen] = index
    for column in mapping:
        if _norm(column) not in {_norm(h) for h in header}:
            raise ScenarioError([Problem(source, 0, 0, f"--map {column}=...: the spreadsheet has no column '{column}' "
                                         f"(its columns: {', '.join(header)})")])
    missing = [f for f in ("scenario time", "event type") if f not in found]
    if "message" not in found and "definition" not in found:
        missing.append("message")
    if missing:
        raise ScenarioError([Problem(source, 0, 0, f"row 1: no column for {', '.join(repr(m) for m in missing)} "
                                     f"(columns: {', '.join(header)}); name one with --map COLUMN=FIELD")])
    return found


class _Row(NamedTuple):
    number: int
    cells: dict[str, str]


def _problem(source: str, row: _Row, column: str, message: str) -> Problem:
    return Problem(source, 0, 0, f"row {row.number}, column '{column}': {message}")


def _clock(row: _Row, text: str, source: str) -> str:
    try:
        return format_clock(parse_clock(text))
    except ValueError:
        raise ScenarioError([_problem(source, row, "scenario time",
                                      f"cannot read {text!r} as a time (HH:MM, or D-1 18:00 / D+1 09:00)")]) from None


def _timing(row: _Row, kind: str, source: str) -> dict[str, Any]:
    text = row.cells.get("scenario time", "").strip()
    if kind == "inject":
        return {"at": _clock(row, text, source)}
    match = _CONDITION.match(text)
    if match is None or not (match["state"] or match["reach"] or match["ended_before"]):
        raise ScenarioError([_problem(source, row, "scenario time", f"cannot read {text!r} as a contingency "
                                      "(write 'when N1 is not contained', '19:00 if D1 is not contained', "
                                      "'when N1 reach > 50,000' or '20:30 if D1 ended by itself before mitigate "
                                      "completed')")])
    when: dict[str, Any] = {"incident": match["incident"]}
    if match["reach"]:
        when["reach_above"] = int(match["reach"].replace(",", ""))
    elif match["state"]:
        when["is_not" if match["not"] == "is not" else "is"] = match["state"]
        if match["level"]:
            when["level"] = match["level"]
        if match["before"]:
            when["before"] = match["before"]
    if match["ended_before"]:
        when["ended_before"] = match["ended_before"]
    timing: dict[str, Any] = {"when": when}
    if match["at"]:
        timing["at"] = _clock(row, match["at"], source)
    return timing


def _from_columns(row: _Row, kind: str, source: str) -> dict[str, Any]:
    cells = row.cells
    if kind == "repeating":
        raise ScenarioError([_problem(source, row, "definition", "a repeating inject needs its definition "
                                      "(the 'definition' column that show --csv writes)")])
    to = cells.get("to", "").strip()
    text = cells.get("message", "").strip().removeprefix("message: ").strip()
    if not to:
        raise ScenarioError([_problem(source, row, "to", "empty; say which actor receives the message")])
    if not text:
        raise ScenarioError([_problem(source, row, "message", "empty; write the message the players receive")])
    message: dict[str, Any] = {"to": to, "text": text}
    sender = cells.get("from", "").strip()
    if sender and sender != _SIMCELL:
        message["from"] = sender
    return {**_timing(row, kind, source), "message": message}


def _from_definition(row: _Row, source: str, settings: bool = False) -> dict[str, Any]:
    """The row's ``definition``: an inject, or with ``settings`` a scenario's settings (all but its injects)."""
    text = row.cells.get("definition", "")
    if not text:
        raise ScenarioError([_problem(source, row, "definition", "a scenario settings row needs its definition (the "
                                      "'definition' column that show --csv writes)")])
    where = f"{source}: row {row.number}, column 'definition'"
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = parse(text, where).data
    what = "a scenario's settings" if settings else "an inject"
    if not isinstance(data, dict) or (settings and "injects" in data):
        raise ScenarioError([_problem(source, row, "definition", f"not {what} (a mapping of keys to values"
                                      f"{', without injects' if settings else ''})")])
    try:
        Scenario.model_validate(data) if settings else Inject.model_validate(data)
    except ValidationError as exc:
        doc = parse(json.dumps(data), where)
        raise ScenarioError([Problem(where, 0, 0, p.message) for p in problems_from(exc, doc, limit=1)]) from None
    return data


def _text(cell: str) -> str:
    """A cell's text, without the ``'`` a spreadsheet writer puts before a would-be formula (see ``csv_cell``)."""
    text = cell.strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _rows(text: str, source: str, mapping: Mapping[str, str]) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = list(reader)
    except csv.Error as exc:
        raise ScenarioError([Problem(source, 0, 0, f"row {reader.line_num}: not a readable CSV ({exc})")]) from None
    if not table:
        raise ScenarioError([Problem(source, 0, 0, "the spreadsheet is empty; it needs a header row")])
    columns = _columns(table[0], mapping, source)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(_Row(number, {f: _text(cells[i]) if i < len(cells) else "" for f, i in columns.items()}))
    if not rows:
        raise ScenarioError([Problem(source, 0, 0, "the spreadsheet has a header but no events")])
    return rows


def _event_kind(row: _Row, source: str) -> str:
    value = _norm(row.cells.get("event type", ""))
    kind = _EVENT_TYPES.get(value)
    if kind is None:
        raise ScenarioError([_problem(source, row, "event type", f"{value!r} is not an event type; use inject, "
                                      f"contingency inject or expected action{did_you_mean(value, _EVENT_TYPES)}")])
    return kind


def _inject(row: _Row, kind: str, source: str) -> dict[str, Any]:
    data = _from_definition(row, source) if row.cells.get("definition") else _from_columns(row, kind, source)
    event_id = row.cells.get("event number", "")
    if event_id:
        if not re.fullmatch(_NAME_PATTERN, event_id):
            raise ScenarioError([_problem(source, row, "event number", f"{event_id!r} is not a name (letters, digits, "
                                          "'-' and '_', starting with a letter or digit)")])
        data["id"] = event_id
    expected = row.cells.get("expected response", "")
    if expected and not data.get("expected"):
        data["expected"] = expected
    notes = [n for n in (data.get("notes", ""), row.cells.get("notes", "")) if n]
    objective = "" if row.cells.get("definition") else row.cells.get("objective", "")  # show --csv derives it
    if objective:
        notes.append(f"Objective: {objective}")
    if notes:
        data["notes"] = " ".join(dict.fromkeys(notes))
    return data


def _window(injects: list[dict[str, Any]]) -> tuple[float, float]:
    times = [parse_clock(inj[key]) for inj in injects for key in ("at", "from", "to") if key in inj]
    if not times:
        return parse_clock("06:00"), parse_clock("23:00")
    return (min(times) // 60) * 60, max(times) + 240


def build_scenario(text: str, source: str, structure_file: ScenarioFile, *, name: str, title: str = "",
                   mapping: Mapping[str, str] | None = None) -> Imported:
    """The scenario file (``structure_file``'s structure and one scenario ``name``) that the MSEL describes."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([Problem(source, 0, 0, f"the spreadsheet is over {MAX_BYTES // 1024} KiB; split it")])
    rows = _rows(text, source, mapping or {})
    injects: list[dict[str, Any]] = []
    origin: list[_Row] = []
    problems: list[Problem] = []  # every row's, reported together with the whole file's check
    refused = False  # the last inject row was refused: an expected action after it answers nothing read
    settings: dict[str, Any] | None = None
    settings_at: _Row | None = None
    for row in rows:
        try:
            kind = _event_kind(row, source)
            if kind == "settings":
                if settings is not None:
                    raise ScenarioError([_problem(source, row, "event type", "a second scenario settings row; "
                                                  "keep one")])
                settings, settings_at = _from_definition(row, source, settings=True), row
                continue
            if kind == "expected":
                if not refused:
                    _expect(row, injects, source)
                continue
            injects.append(_inject(row, kind, source))
            origin.append(row)
            refused = False
        except ScenarioError as exc:
            problems += exc.problems
            refused = True
    structure = _dump_structure(structure_file.structure)
    if settings is None:
        start, end = _window(injects)
        scenario = {"title": title or name, "description": f"Imported from the MSEL {source}.",
                    "start": format_clock(start), "end": format_clock(end), "injects": injects}
    else:
        scenario = {**{k: v for k, v in settings.items() if k != "objectives"}, "injects": injects,
                    **({"objectives": settings["objectives"]} if "objectives" in settings else {})}
        scenario["title"] = title or scenario["title"]
    data = {"version": 1, "default": name, "structure": structure, "scenarios": {name: scenario}}
    try:
        model = _check(data, origin, settings_at, source)
    except ScenarioError as exc:
        problems += exc.problems
    if problems:
        raise ScenarioError(sorted(problems, key=_row_number))
    cut, model = startable_only(data, model)
    dropped = tuple(name for name in structure["procedures"] if name not in cut["structure"]["procedures"])
    return Imported(cut, model, len(rows), settings is not None, dropped)


def _row_number(problem: Problem) -> int:
    """The spreadsheet row a problem is in (0: the whole file), to report every problem in the order of the rows."""
    found = re.match(r"row (\d+)", problem.message)
    return int(found.group(1)) if found else 0


def _expect(row: _Row, injects: list[dict[str, Any]], source: str) -> None:
    """An expected action row: added to the expected response of the inject before it."""
    if not injects:
        raise ScenarioError([_problem(source, row, "event type", "an expected action must follow the inject it "
                                      "answers")])
    actor = row.cells.get("to") or row.cells.get("from") or ""
    action = row.cells.get("message") or row.cells.get("expected response") or ""
    line = f"{actor}: {action}" if actor else action
    injects[-1]["expected"] = "; ".join(filter(None, [injects[-1].get("expected", ""), line]))


def _dump_structure(structure: Structure) -> dict[str, Any]:
    dumped: dict[str, Any] = structure.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return dumped


def _check(data: dict[str, Any], origin: list[_Row], settings_at: _Row | None, source: str) -> ScenarioFile:
    """Validate the whole file; a problem inside an inject is reported at that inject's row, one elsewhere in the
    scenario (an objective's) at its settings row."""
    text = json_output(json.dumps(data, ensure_ascii=False))  # C1, DEL and bidi controls as escapes YAML reads
    doc = parse(text, source)
    try:
        model = ScenarioFile.model_validate(doc.data)
        findings = [(path, message) for path, message in crossref.check(model)]
    except ValidationError as exc:
        findings = [(p, m) for p, m in _paths(exc)]
    problems = []
    for path, message in findings:
        if len(path) > 3 and path[0] == "scenarios" and path[2] == "injects" and isinstance(path[3], int):
            row = origin[path[3]]
            column = "to" if "message" in path and path[-1] == "to" else (
                "definition" if row.cells.get("definition") else "scenario time" if "when" in path else "event number")
            problems.append(_problem(source, row, column, message))
        elif settings_at is not None and len(path) > 2 and path[0] == "scenarios":
            problems.append(_problem(source, settings_at, "definition", message))
        else:
            problems.append(Problem(source, 0, 0, message))
    if problems:
        raise ScenarioError(problems)
    return model


def _paths(exc: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    return [(tuple(err["loc"]), err["msg"]) for err in exc.errors(include_url=False)]
