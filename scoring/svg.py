"""The SVG drawing vocabulary the report's and the sweep summary's charts share: a chart is a size, a label and shapes.

No markup here: each page's template (or its Python writer) writes the shapes out, escaping every value, so a chart
carries text as data. It sits below both (the layer rule keeps the sweep from importing the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Shape(NamedTuple):
    """One SVG element: a tag, its attributes, optional text and an optional tooltip."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    text: str = ""
    title: str = ""


def one_decimal(value: float | str) -> str:
    """An attribute's value: text as given, a number with one decimal (``12.0``)."""
    return value if isinstance(value, str) else f"{value:.1f}"


def trimmed(value: float | str) -> str:
    """An attribute's value: text as given, a number with one decimal unless it is zero (``12``, ``12.5``)."""
    out = one_decimal(value)
    return out[:-2] if out.endswith(".0") else out


@dataclass
class Chart:
    """An SVG drawing: its size, a one-line description for screen readers, its shapes; ``id`` names it on a page
    that has several; ``trim``: numbers written without a zero decimal (:func:`trimmed`, else :func:`one_decimal`)."""

    width: float
    height: float
    label: str
    shapes: list[Shape] = field(default_factory=list)
    id: str = ""
    trim: bool = False

    def add(self, tag: str, text: str = "", title: str = "", **attrs: float | str) -> None:
        """A shape: ``attrs`` as keywords, ``class_`` for ``class`` and ``_`` for ``-`` (``stroke_width``)."""
        number = trimmed if self.trim else one_decimal
        pairs = tuple((k.rstrip("_").replace("_", "-"), number(v)) for k, v in attrs.items())
        self.shapes.append(Shape(tag, pairs, text, title))
