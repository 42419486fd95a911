"""The report page's bulk written in Python for its template: table cells, tables and the SVG charts.

A large run's page holds tens of thousands of cells and thousands of chart shapes; as Jinja2 macros each
cost a macro call and a dozen attribute look-ups, most of the page's rendering. These give the very bytes
the macros gave: every value shown as the template shows ``{{ value }}`` (its controls made visible by
:func:`~ballotdrill.scenarios.safetext.html_value`, then HTML-escaped as autoescaping does), the markup
written as the macros wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2.filters import do_int
from markupsafe import Markup, escape

from ballotdrill.report.view import Cell, Table
from ballotdrill.scenarios.safetext import html_value
from ballotdrill.scoring.svg import Chart

LINKS = ' class="links"'
NUM = ' class="num"'


def shown(value: object) -> str:
    """``value`` as the template shows ``{{ value }}``: :func:`html_value` (controls made visible), then escaped
    as :func:`markupsafe.escape` escapes text (the same five entities); a printable ``str``, the common case,
    without either call."""
    if type(value) is str and value.isprintable():
        return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
                .replace('"', "&#34;"))
    return str(escape(html_value(value)))


class PageParts:
    """Writes cells, tables and charts for one report (its rating scale titles the rating badges)."""

    __slots__ = ("scale",)

    def __init__(self, scale: Mapping[str, str]) -> None:
        self.scale = scale

    def badge(self, rating: str) -> str:
        kind = rating if rating in "PSMU" and len(rating) == 1 else "other"
        title = shown(self.scale.get(rating, rating))
        return f'<span class="badge r{shown(kind)}" title="{title}">{shown(rating)}</span>'

    def cell_text(self, c: Cell) -> str:
        text = shown(c.text)
        if c.flag and not c.tag:
            text = f'<span class="flag {shown(c.flag)}">{text}</span>'
        elif c.strong:
            text = f"<strong>{text}</strong>"
        elif c.code:
            text = f"<code>{text}</code>"
        if c.rating:
            text = f"{self.badge(c.rating)}{' ' if c.text else ''}{text}"
        if c.tag:
            text = f'{text} <span class="flag {shown(c.flag)}">{shown(c.tag)}</span>'
        if c.note:
            text = f'{text}<br><span class="muted">{shown(c.note)}</span>'
        if c.evidence:
            text = f'{text}<br><span class="evidence">rows {shown(c.evidence)}</span>'
        return text

    def cell(self, c: Cell) -> Markup:
        """One cell's markup (a rating badge, the text as its flags say, a tag, a note, its journal rows)."""
        return Markup(self.cell_text(c))

    def table(self, b: Table) -> Markup:
        """A table block: its header row, then a row per line (a marked row coloured at its edge)."""
        numeric = [NUM if n else "" for n in b.numeric]
        head = "".join(f"<th{numeric[i]}>{shown(h)}</th>" for i, h in enumerate(b.header))
        parts = [f"<table{LINKS if b.compact else ''}>\n<tr>{head}</tr>\n"]
        marks, cell_text = b.row_marks, self.cell_text
        for n, row in enumerate(b.rows):
            mark = marks[n] if marks else ""
            edge = f' class="link-{shown(mark)}"' if mark else ""
            cells = "".join(f"<td{numeric[i]}>{cell_text(c)}</td>" for i, c in enumerate(row))
            parts.append(f"<tr{edge}>{cells}</tr>\n")
        parts.append("</table>")
        return Markup("".join(parts))


def svg(c: Chart) -> Markup:
    """A chart as an inline SVG element, a shape a line (its attributes, tooltip and text escaped)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{shown(c.id)}" viewBox="0 0 '
             f'{do_int(c.width)} {do_int(c.height)}" role="img" aria-label="{shown(c.label)}">\n']
    for sh in c.shapes:
        tag = shown(sh.tag)
        attrs = "".join(f' {shown(k)}="{shown(v)}"' for k, v in sh.attrs)
        title = f"<title>{shown(sh.title)}</title>" if sh.title else ""
        parts.append(f"<{tag}{attrs}>{title}{shown(sh.text)}</{tag}>\n")
    parts.append("</svg>")
    return Markup("".join(parts))
