"""The report page's cells, tables and charts written in Python give the bytes the template's macros gave."""

from __future__ import annotations

from typing import ClassVar

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined
from markupsafe import escape

from ballotdrill.report.html_parts import PageParts, shown, svg
from ballotdrill.report.view import Cell, Table
from ballotdrill.scenarios.safetext import html_value
from ballotdrill.scoring.svg import Chart, Shape

# The macros as the template had them: the reference the Python parts must match byte for byte.
MACROS = """{% macro svg(c) -%}
<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{{ c.id }}" viewBox="0 0 {{ c.width|int }} \
{{ c.height|int }}" role="img" aria-label="{{ c.label }}">
{% for sh in c.shapes %}
<{{ sh.tag }}{% for k, v in sh.attrs %} {{ k }}="{{ v }}"{% endfor %}>{% if sh.title %}<title>{{ sh.title }}</title>\
{% endif %}{{ sh.text }}</{{ sh.tag }}>
{% endfor %}
</svg>
{%- endmacro %}
{% macro badge(rating) -%}
<span class="badge r{{ rating if rating in "PSMU" and rating|length == 1 else "other" }}" \
title="{{ r.rating_scale.get(rating, rating) }}">{{ rating }}</span>
{%- endmacro %}
{% macro cell(c) -%}
{% if c.rating %}{{ badge(c.rating) }}{% if c.text %} {% endif %}{% endif -%}
{% if c.flag and not c.tag %}<span class="flag {{ c.flag }}">{{ c.text }}</span>{% elif c.strong %}<strong>\
{{ c.text }}</strong>{% elif c.code %}<code>{{ c.text }}</code>{% else %}{{ c.text }}{% endif -%}
{% if c.tag %} <span class="flag {{ c.flag }}">{{ c.tag }}</span>{% endif -%}
{% if c.note %}<br><span class="muted">{{ c.note }}</span>{% endif -%}
{% if c.evidence %}<br><span class="evidence">rows {{ c.evidence }}</span>{% endif -%}
{%- endmacro %}
{% macro table(b) -%}
<table{% if b.compact %} class="links"{% endif %}>
<tr>{% for h in b.header %}<th{% if b.numeric[loop.index0] %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr>
{% for row in b.rows %}
{% set mark = b.row_marks[loop.index0] if b.row_marks else "" %}
<tr{% if mark %} class="link-{{ mark }}"{% endif %}>{% for c in row %}<td{% if b.numeric[loop.index0] %} \
class="num"{% endif %}>{{ cell(c) }}</td>{% endfor %}</tr>
{% endfor %}
</table>
{%- endmacro %}
"""

ENV = Environment(autoescape=True, undefined=StrictUndefined, finalize=html_value, trim_blocks=True,
                  lstrip_blocks=True, keep_trailing_newline=True)


class _Report:
    rating_scale: ClassVar[dict[str, str]] = {"P": "Performed <well>", "S": "Some \x1b challenges",
                                              "NE": "Not exercised"}


MODULE = ENV.from_string(MACROS).make_module({"r": _Report()})


def _macro(name: str, value: object) -> str:
    return str(getattr(MODULE, name)(value))


# Text as a scenario's author may write it: markup, quotes, controls, bidirectional overrides, line breaks.
texts = st.text(alphabet=st.sampled_from([*"ab <>&'\"\n\t\x1b\x7f\u202e\u2028é—#,", "P", "S", "M", "U"]),
                max_size=12)
cells = st.builds(Cell, text=texts, flag=st.sampled_from(["", "ok", "warn", "bad"]), tag=texts,
                  rating=st.sampled_from(["", "P", "S", "M", "U", "NE", "PS", "<x>"]), strong=st.booleans(),
                  code=st.booleans(), note=texts, evidence=texts)


@settings(deadline=None)
@given(st.one_of(texts, st.integers(), st.floats(allow_nan=False), st.none()))
def test_a_value_is_shown_as_the_template_shows_it(value: object) -> None:
    assert shown(value) == str(escape(html_value(value)))


@settings(max_examples=300, deadline=None)
@given(cells)
def test_a_cell_is_the_macros_bytes(c: Cell) -> None:
    assert str(PageParts(_Report.rating_scale).cell(c)) == _macro("cell", c)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(lambda width: st.builds(
    Table, header=st.lists(texts, min_size=width, max_size=width),
    numeric=st.lists(st.booleans(), min_size=width, max_size=width),
    rows=st.lists(st.lists(cells, min_size=width, max_size=width), max_size=3),
    compact=st.booleans())), st.data())
def test_a_table_is_the_macros_bytes(b: Table, data: st.DataObject) -> None:
    marks = data.draw(st.one_of(st.just([]), st.lists(st.sampled_from(["", "retry", "drop", "<x>"]),
                                                      min_size=len(b.rows), max_size=len(b.rows))))
    b = b.model_copy(update={"row_marks": marks})
    assert str(PageParts(_Report.rating_scale).table(b)) == _macro("table", b)


@settings(max_examples=100, deadline=None)
@given(st.builds(Chart, id=texts, width=st.floats(0, 2000), height=st.floats(0, 2000), label=texts,
                 shapes=st.lists(st.builds(Shape, tag=st.sampled_from(["rect", "text", "path"]),
                                           attrs=st.lists(st.tuples(texts, texts), max_size=3).map(tuple),
                                           text=texts, title=texts), max_size=4)))
def test_a_chart_is_the_macros_bytes(c: Chart) -> None:
    assert str(svg(c)) == _macro("svg", c)
