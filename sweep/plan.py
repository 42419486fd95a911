"""What a sweep runs: grid axes (``--grid``), variants (``--variant FILE``) and the points they make.

A point is one grid combination under one variant (or the baseline), as a validated scenario
file. Every point is built and checked before any replication runs, so a bad ``--set``,
``--grid`` or variant file is reported at once, as one located line.

A variant is a what-if of the response structure: its paths are under ``structure.`` only. One
that changed a scenario's objectives or targets would move the goalposts, and one that changed
its injects would face other incidents, so neither is a paired comparison: they are refused (a
grid axis or ``--set`` changes those, and says so). A variant file is YAML::

    name: second-cert-analyst            # optional; default: the file name without .yaml
    description: One more CERT analyst   # optional
    set:                                 # PATH: VALUE, as many as needed, applied in order
      structure.actors.national-cert.staff: 3
      structure.actors.liaison: {name: Liaison officer, staff: 1}
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ballotdrill.scenarios.errors import Problem, ScenarioError
from ballotdrill.scenarios.loader import load_document, pick
from ballotdrill.scenarios.overrides import Change, Override, Setting, apply_overrides, parse_path
from ballotdrill.scenarios.roles import as_played, cast_meta
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.types import NAME_PATTERN
from ballotdrill.scenarios.yamlread import Document, Mark, read_file
from ballotdrill.sweep.model import axis_names

BASELINE = "baseline"
"""The name of the points without a variant."""

_VARIANT_KEYS = ("name", "description", "set")


@dataclass(frozen=True)
class Axis:
    """One ``--grid PATH=V1,V2,...``: a data path and the values it takes, as typed."""

    text: str
    path: str
    values: tuple[str, ...]

    def overrides(self) -> list[Override]:
        return [Override(f"{self.path}={value}", flag="--grid") for value in self.values]


def parse_axis(text: str) -> Axis:
    """``PATH=V1,V2,...`` (commas inside brackets or quotes do not split), checked for form only."""
    label = f"--grid {text}"
    path, eq, rest = text.partition("=")
    if not eq or not path.strip():
        raise ScenarioError([Problem(label, 0, 0, "expected PATH=V1,V2,..., e.g. "
                                     "scenarios.opening-equipment-failures.background_factor=0.5,1,2")])
    parse_path(path, label)
    values = tuple(v.strip() for v in _split_top_level(rest))
    if not values or any(not v for v in values):
        raise ScenarioError([Problem(label, 0, 0, "give the values after '=' separated by commas, none empty")])
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ScenarioError([Problem(label, 0, 0, f"the value {seen[0]!r} is listed twice")])
    return Axis(text, path.strip(), values)


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


@dataclass(frozen=True)
class Variant:
    """A structure override file: a name, what it changes, and the changes themselves."""

    name: str
    source: str
    description: str
    settings: tuple[Setting, ...]

    @property
    def changes(self) -> list[str]:
        """Each change as ``PATH`` (for the report)."""
        return [".".join(str(p) for p in s.path) for s in self.settings]


def read_variant(path: Path) -> Variant:
    """Read a variant file; every problem is one located line."""
    source = str(path)
    doc = read_file(source)
    data = doc.data
    if not isinstance(data, dict):
        raise ScenarioError([Problem(source, 1, 1, "a variant file is a mapping with 'set' (PATH: VALUE lines) "
                                     "and optionally 'name' and 'description'")])
    scenario_keys = [key for key in ("version", "structure", "scenarios") if key in data]
    if scenario_keys:  # the scenario file given where a variant goes: say what each is
        mark = doc.keys.get((scenario_keys[0],), Mark(1, 1))
        raise ScenarioError([Problem(source, mark.line, mark.col,
                                     f"this is a scenario file (it has '{scenario_keys[0]}'), not a variant file: "
                                     "a variant file changes the structure for a sweep, with 'set' (PATH: VALUE "
                                     "lines under 'structure.') and optionally 'name' and 'description' (e.g. "
                                     "docs/examples/variants/election-coordination-cell.yaml); give a scenario "
                                     "file with --file")])
    for key in data:
        if key not in _VARIANT_KEYS:
            mark = doc.keys.get((key,), Mark(1, 1))
            raise ScenarioError([Problem(source, mark.line, mark.col,
                                         f"unknown key '{key}'{did_you_mean(str(key), _VARIANT_KEYS)}")])
    name = data.get("name", path.stem)
    description = data.get("description", "")
    if not isinstance(name, str) or not _is_name(name) or name == BASELINE:
        mark = doc.values.get(("name",), Mark(1, 1))
        raise ScenarioError([Problem(source, mark.line, mark.col,
                                     f"the variant's name {name!r} must be letters, digits, '-' or '_' "
                                     f"(and not '{BASELINE}'); set 'name:' in the file")])
    if not isinstance(description, str):
        mark = doc.values[("description",)]
        raise ScenarioError([Problem(source, mark.line, mark.col, "'description' must be text")])
    changes = data.get("set")
    if not isinstance(changes, dict) or not changes:
        mark = doc.values.get(("set",), Mark(1, 1))
        raise ScenarioError([Problem(source, mark.line, mark.col,
                                     "'set' must map each PATH to its new VALUE, e.g. "
                                     "'structure.actors.national-cert.staff: 3'")])
    settings = []
    for key in changes:
        key_mark = doc.keys.get(("set", key), Mark(1, 1))
        where = f"{source}:{key_mark.line}:{key_mark.col}"
        data_path = parse_path(str(key), where)
        if data_path[0] != "structure":
            raise ScenarioError([Problem(source, key_mark.line, key_mark.col, _not_structure(str(key), data_path))])
        settings.append(Setting(data_path, _subdocument(doc, ("set", key)), where))
    return Variant(name, source, description, tuple(settings))


def _not_structure(key: str, path: tuple[str | int, ...]) -> str:
    """Why a variant may not set ``key``: it would move the goalposts or change the incidents, not the response."""
    what = ("the scenario's objectives, so the variant would be judged against other targets" if "objectives" in path
            else "the scenario's incidents, so the variant would not face the baseline's"
            if path[0] == "scenarios" else "the scenario file, not the response structure")
    return (f"a variant changes the response structure only (paths under 'structure.'); '{key}' changes {what}. "
            f"Sweep it with --grid {key}=V1,V2 (each value reported on its own) or --set it for every point")


def _is_name(text: str) -> bool:
    return re.fullmatch(NAME_PATTERN.strip("^$"), text) is not None and len(text) <= 80


def _subdocument(doc: Document, prefix: tuple[str, ...]) -> Document:
    """The value at ``prefix`` as a document of its own, keeping its marks."""
    data = doc.data
    for part in prefix:
        data = data[part]
    n = len(prefix)
    return Document(doc.source, data, {p[n:]: m for p, m in doc.values.items() if p[:n] == prefix},
                    {p[n:]: m for p, m in doc.keys.items() if p[:n] == prefix})


@dataclass(frozen=True)
class Point:
    """One grid combination under one variant: its place in the sweep and its scenario file."""

    index: int
    grid: tuple[tuple[str, str], ...]
    variant: str
    doc: ScenarioFile
    overridden: tuple[tuple[str, str], ...] = ()
    """Grid paths the variant sets over the grid's value, each with the value played (``unset``: the variant
    replaced what held it without it)."""
    played: tuple[str, ...] = ()
    """What the point changes in the file, in the order applied (the sweep's ``--set``, the grid's values, the
    variant's settings), each as ``PATH=VALUE`` as ``run --set`` takes it: ``run --set`` of these plays it again."""
    cast: tuple[tuple[str, str], ...] = ()
    """The roles' entry of a run's meta (:func:`~ballotdrill.scenarios.roles.cast_meta`) for the point's file."""

    @property
    def label(self) -> str:
        """``second-cert @ staff=2``; a grid value the variant overrides is labelled by what was played:
        ``police-six @ staff=6 (the variant's, not the grid's 2)``."""
        names = axis_names([path for path, _ in self.grid])
        played = dict(self.overridden)
        where = ", ".join(f"{name}={value}" if path not in played else
                          f"{name}={played[path]} (the variant's, not the grid's {value})"
                          for name, (path, value) in zip(names, self.grid, strict=True))
        return f"{self.variant}" + (f" @ {where}" if where else "")


def build_points(document: Document, scenario: str | None, overrides: Sequence[str], axes: Sequence[Axis],
                 variants: Sequence[Variant]) -> tuple[str, list[Point]]:
    """The scenario's name and every point: grid combinations in axis order, each as baseline then variants."""
    paths = [axis.path for axis in axes]
    twice = [p for i, p in enumerate(paths) if p in paths[:i]]
    if twice:
        raise ScenarioError([Problem("--grid", 0, 0, f"the path {twice[0]!r} has two --grid options; "
                                     "give all its values in one")])
    names = [v.name for v in variants]
    same = [n for i, n in enumerate(names) if n in names[:i]]
    if same:
        raise ScenarioError([Problem("--variant", 0, 0, f"two variants are named {same[0]!r}; "
                                     "give one a different 'name:'")])
    base = [Override(text) for text in overrides]
    name, _ = pick(load_document(document, base), scenario)
    _check_set_not_gridded(base, axes)
    points: list[Point] = []
    for combo in itertools.product(*(axis.overrides() for axis in axes)):
        grid = tuple((axis.path, value) for axis, value in zip(axes, _values(combo), strict=True))
        for variant in (None, *variants):
            changes: list[Change] = [*base, *combo, *(variant.settings if variant else ())]
            loaded = load_document(document, changes)
            overridden = _overridden(document, changes, combo) if variant else ()
            points.append(Point(len(points), grid, variant.name if variant else BASELINE, as_played(loaded, name),
                                overridden, tuple(map(change_text, changes)),
                                tuple(cast_meta(loaded, name).items())))
    for variant in variants:
        _check_changes_something(variant, points)
    return name, points


def change_text(change: Change) -> str:
    """A change as ``run --set`` takes it: a ``--set`` or grid value as typed, a variant's setting as
    ``PATH=VALUE`` with its value as JSON (which YAML's flow syntax reads as the same value)."""
    if isinstance(change, Override):
        return change.text
    path, value = change.split()
    return ".".join(map(str, path)) + "=" + json.dumps(value.data, ensure_ascii=False, separators=(",", ":"),
                                                       default=str)


def _check_set_not_gridded(overrides: Sequence[Override], axes: Sequence[Axis]) -> None:
    """Refuse a ``--set`` that a ``--grid`` replaces at every point (its path, or a path it lies under): the grid is
    applied after it, so the value set would never be played."""
    for override in overrides:
        path, _ = override.split()
        for axis in axes:
            gridded = parse_path(axis.path, f"--grid {axis.text}")
            if path[:len(gridded)] == gridded:
                raise ScenarioError([Problem(override.label, 0, 0,
                                             f"--grid {axis.text} sets {axis.path} at every point, so this value "
                                             "would never be played; leave this --set out, or give its value "
                                             "among the grid's")])


def _check_changes_something(variant: Variant, points: Sequence[Point]) -> None:
    """Refuse a variant whose every point is its baseline's: each value it sets, the baseline has already (at every
    grid point), so its runs would be the baseline's and every comparison "no change"."""
    baseline = {p.grid: p.doc for p in points if p.variant == BASELINE}
    if any(p.doc != baseline[p.grid] for p in points if p.variant == variant.name):
        return
    where = variant.settings[0].where if variant.settings else variant.source
    raise ScenarioError([Problem(where, 0, 0,
                                 f"the variant {variant.name!r} changes nothing in this structure: the baseline has "
                                 f"every value it sets already ({', '.join(variant.changes)}), so its runs would "
                                 "be the baseline's; set a value the baseline does not have, or leave this "
                                 "--variant out")])


_UNSET = object()


def _overridden(document: Document, changes: Sequence[Change],
                combo: Sequence[Override]) -> tuple[tuple[str, str], ...]:
    """Each grid value of ``combo`` that ``changes`` (a variant's settings after it) leave other than the grid set
    it: its path and the value played, read from the data as changed."""
    data = apply_overrides(document, changes).data
    out = []
    for override in combo:
        path, value = override.split()
        played = _at(data, path)
        if played != value.data:
            path_text = override.text.partition("=")[0].strip()
            out.append((path_text, "unset" if played is _UNSET else _shown(played)))
    return tuple(out)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(data, dict) and str(part) in data:
            data = data[str(part)]
        elif isinstance(data, list) and isinstance(part, int) and -len(data) <= part < len(data):
            data = data[part]
        else:
            return _UNSET
    return data


def _shown(value: Any) -> str:
    """A value as a label shows it: text as it is, anything else as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)


def _values(combo: Sequence[Override]) -> list[str]:
    return [o.text.partition("=")[2] for o in combo]
