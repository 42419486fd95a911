"""The report's view models: what each section shows, as blocks both renderers lay out.

A section is a list of blocks (headings, paragraphs, key-value lists, tables, finding cards,
charts, collapsible details). Every number in a block is already formatted text; the HTML
and Markdown renderers only lay blocks out, so no section is computed twice and no renderer
computes a measure.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ballotdrill.scoring.model import Frozen
from ballotdrill.scoring.text import clock

Flag = Literal["", "ok", "warn", "bad"]
"""How a cell is marked: plain, a neutral tag, a warning or a failure."""


class Cell(Frozen):
    """One table cell or value: text, optionally tagged, with a muted second line."""

    text: str
    flag: Flag = ""
    """With no ``tag``: the whole text is shown as a tag of this colour (Markdown: bold when warn or bad)."""
    tag: str = ""
    """A short tag after the text (``open``, ``late``), coloured by ``flag``."""
    rating: str = ""
    """A rating badge (``P``, ``S``, ``M``, ``U`` or another rating the scoring names) shown before the text."""
    strong: bool = False
    code: bool = False
    note: str = ""
    evidence: str = ""
    """Journal rows (``#12, #13``), shown after the text."""


def cell(text: object, **kw: object) -> Cell:
    """A :class:`Cell` from any value (``None`` as an em dash; a whole number as a count, grouped: ``50,000``).

    Cells are immutable, and a report's tables repeat the same few thousand (``—``, ``0 min``, an actor's name, a
    status): each one is validated once and the same cell handed out again (:data:`_MADE`)."""
    shown = "—" if text is None else f"{text:,}" if type(text) is int else str(text)
    key = (shown, *kw.items()) if kw else shown
    made = _MADE.get(key)
    if made is None:
        if len(_MADE) >= _MADE_MAX:
            _MADE.clear()
        made = _MADE[key] = Cell(text=shown, **kw)  # type: ignore[arg-type,unused-ignore]
    return made


_MADE: dict[object, Cell] = {}
"""The cells made so far by their text and options (emptied when it holds :data:`_MADE_MAX`)."""
_MADE_MAX = 20_000


class Heading(Frozen):
    type: Literal["heading"] = "heading"
    text: str
    id: str = ""


class Para(Frozen):
    type: Literal["para"] = "para"
    text: str
    muted: bool = False
    label: str = ""
    """A bold lead-in (``Root cause:``)."""
    markdown_only: bool = False
    """Shown only in Markdown (e.g. where the HTML shows a collapsed list instead)."""


class Items(Frozen):
    """A bulleted list."""

    type: Literal["items"] = "items"
    items: list[Cell]


class KeyValues(Frozen):
    type: Literal["kv"] = "kv"
    rows: list[tuple[str, list[Cell]]]
    key_box: bool = False
    """The key-findings box (HTML: a highlighted definition list)."""


class Table(Frozen):
    type: Literal["table"] = "table"
    header: list[str]
    numeric: list[bool] = Field(default_factory=list)
    rows: list[list[Cell]]
    row_marks: list[str] = Field(default_factory=list)
    """Per row, an optional mark (``retry``, ``drop``) the HTML shows as a coloured edge."""
    compact: bool = False

    @model_validator(mode="before")
    @classmethod
    def _numeric_per_column(cls, data: Any) -> Any:
        if isinstance(data, dict):
            header, numeric = data.get("header", []), list(data.get("numeric") or [])
            data = {**data, "numeric": (numeric + [False] * len(header))[:len(header)]}
        return data


class Card(Frozen):
    """A strength or an area for improvement."""

    type: Literal["card"] = "card"
    kind: Literal["strength", "improvement"]
    title: str
    tag: str = ""
    lines: list[Para] = Field(default_factory=list)
    evidence: str = ""


class Chart(Frozen):
    """One of the report's SVG charts (HTML only)."""

    type: Literal["chart"] = "chart"
    name: Literal["gantt", "handoffs", "load"]


class Details(Frozen):
    """A collapsed block (HTML ``<details>``); Markdown shows it as a sub-heading unless ``markdown`` is off."""

    type: Literal["details"] = "details"
    id: str
    summary: str
    blocks: list[Block]
    markdown: bool = True
    muted_summary: bool = True


Block = Annotated[Heading | Para | Items | KeyValues | Table | Card | Chart | Details, Field(discriminator="type")]


class Section(Frozen):
    """A numbered part of the report (or an appendix) and its blocks."""

    id: str
    title: str
    blocks: list[Block]


Details.model_rebuild()


class Context:
    """What every section's layout needs: actor names and the clock of the run."""

    def __init__(self, names: dict[str, str], start: float) -> None:
        self.names, self.start = names, start

    def who(self, key: str | None) -> str:
        """An actor's display name (its key when it has none)."""
        return self.names.get(key or "", key or "—")

    def at(self, t: float | None) -> str:
        """The clock time of journal time ``t``."""
        return clock(self.start, t)
