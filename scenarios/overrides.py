"""``--set PATH=VALUE``: change one value of a scenario file before it is validated."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ballotdrill.scenarios.errors import Problem, ScenarioError
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.yamlread import Document, Path, parse

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class Change(Protocol):
    """One change to a scenario file: where it came from (``label``), its data path and its parsed value."""

    @property
    def label(self) -> str: ...

    def split(self) -> tuple[Path, Document]: ...


@dataclass(frozen=True)
class Override:
    """One ``PATH=VALUE`` as the user typed it after ``flag`` (``--set``, or ``--grid`` for one grid value)."""

    text: str
    flag: str = "--set"

    @property
    def label(self) -> str:
        return f"{self.flag} {self.text}"

    def split(self) -> tuple[Path, Document]:
        """The data path and the parsed value.

        The value is YAML flow syntax, e.g. ``5``, ``"18:00"``, ``{dist: fixed, value: 5m}``.
        """
        path_text, eq, value_text = self.text.partition("=")
        if not eq or not path_text.strip():
            raise ScenarioError([Problem(self.label, 0, 0,
                                         "expected PATH=VALUE, e.g. structure.actors.national-cert.staff=5")])
        path = parse_path(path_text, self.label)
        try:
            value = parse(value_text if value_text.strip() else "''", self.label)
        except ScenarioError as exc:
            message = f"cannot read the value: {exc.problems[0].message}"
            raise ScenarioError([Problem(self.label, 0, 0, message)]) from None
        return path, value


@dataclass(frozen=True)
class Setting:
    """A change already parsed elsewhere (e.g. one entry of a variant file), with the label its problems carry."""

    path: Path
    value: Document
    where: str

    @property
    def label(self) -> str:
        return self.where

    def split(self) -> tuple[Path, Document]:
        return self.path, self.value


def parse_path(text: str, label: str) -> Path:
    """A dotted data path (``scenarios.NAME.injects.0.at`` or ``injects[0]``) as keys and list indexes."""
    path: list[str | int] = []
    pos = 0
    stripped = text.strip()
    for match in _SEGMENT.finditer(stripped):
        if match.start() != pos and stripped[pos:match.start()] != ".":
            break
        pos = match.end()
        name, index = match.groups()
        path.append(int(index) if index is not None else int(name) if name.isdigit() else name)
    if not path or pos != len(stripped):
        raise ScenarioError([Problem(label, 0, 0, f"cannot read the path {text!r}; "
                                     "separate keys with dots, e.g. scenarios.NAME.injects.0.at")])
    return tuple(path)


def apply_overrides(doc: Document, overrides: Sequence[Change]) -> Document:
    """A copy of ``doc`` with each override applied; problems under an override point at it."""
    data = copy.deepcopy(doc.data)
    labels = dict(doc.overrides)
    values = dict(doc.values)
    for override in overrides:
        path, value_doc = override.split()
        value = value_doc.data
        parent: Any = data
        for depth, part in enumerate(path[:-1]):
            parent = _step(parent, part, path[:depth], override)
        last = path[-1]
        if isinstance(parent, list):
            if not isinstance(last, int) or not -len(parent) <= last < len(parent):
                message = f"no item {last} in the list at '{_dotted(path[:-1])}' ({len(parent)} items)"
                raise ScenarioError([Problem(override.label, 0, 0, message)])
            parent[last] = value
        elif isinstance(parent, dict):
            last = str(last)
            parent[last] = value
        else:
            message = f"'{_dotted(path[:-1])}' holds a single value, not keys"
            raise ScenarioError([Problem(override.label, 0, 0, message)])
        target = (*path[:-1], last)
        labels[target] = override.label
        values.update({(*target, *rel): mark for rel, mark in value_doc.values.items()})
    return doc.replace(data=data, values=values, overrides=labels)


def _step(node: Any, part: str | int, before: Path, override: Change) -> Any:
    where = _dotted(before) or "the top"
    if isinstance(node, dict):
        key = str(part)
        if key not in node:
            raise ScenarioError([Problem(override.label, 0, 0,
                                         f"no key '{key}' at {where}{did_you_mean(key, [str(k) for k in node])}")])
        return node[key]
    if isinstance(node, list):
        if not isinstance(part, int) or not -len(node) <= part < len(node):
            message = f"no item {part!r} in the list at {where} ({len(node)} items)"
            raise ScenarioError([Problem(override.label, 0, 0, message)])
        return node[part]
    raise ScenarioError([Problem(override.label, 0, 0, f"{where} holds a single value, not keys")])


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)
