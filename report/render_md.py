"""The after-action report as Markdown (its sections laid out as text), and as canonical JSON (``scores.json``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ballotdrill.report.json_text import indented_json
from ballotdrill.report.report import Report, scores_digest
from ballotdrill.report.view import Block, Card, Cell, Details, Heading, Items, KeyValues, Para, Table
from ballotdrill.scenarios.safetext import markdown_text


def md(text: object) -> str:
    """User text made inert in Markdown: no raw HTML, links, images, pipes or line breaks."""
    return markdown_text(text)


def _cell(c: Cell) -> str:
    text = md(c.text)
    if c.code and "`" not in c.text:
        text = f"`{c.text.replace('|', '')}`" if c.text else ""
    elif c.strong or (c.flag in ("warn", "bad") and not c.tag):
        text = f"**{text}**" if text else text
    out = " ".join(p for p in (f"**{md(c.rating)}**" if c.rating else "", text) if p)
    if c.tag:
        out += f" ({md(c.tag)})"
    if c.note:
        out += f" — {md(c.note)}"
    if c.evidence:
        out += f" (rows {c.evidence})"
    return out


def _table(t: Table) -> list[str]:
    lines = ["| " + " | ".join(md(h) for h in t.header) + " |",
             "|" + "|".join("---:" if i < len(t.numeric) and t.numeric[i] else "---" for i in range(len(t.header)))
             + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    return [*lines, ""]


def _card(c: Card) -> list[str]:
    kind = "Strength" if c.kind == "strength" else "Area for improvement"
    text = f"- **{kind}: {md(c.title)}**" + (f" ({md(c.tag)})" if c.tag else "") + "."
    for line in c.lines:
        text += " " + (f"**{md(line.label)}** " if line.label else "") + md(line.text)
    if c.evidence:
        text += f" Evidence: rows {c.evidence}."
    return [text]


def _blocks(blocks: Sequence[Block], depth: int) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += [f"{'#' * depth} {md(b.text)}", ""]
        elif isinstance(b, Para):
            out += [(f"**{md(b.label)}** " if b.label else "") + md(b.text), ""]
        elif isinstance(b, Items):
            out += [f"- {_cell(c)}" for c in b.items] + [""]
        elif isinstance(b, KeyValues):
            if b.key_box:
                out += [f"- **{md(k)}:** " + ", ".join(_cell(c) for c in v) for k, v in b.rows] + [""]
            else:
                out += ["| Item | Value |", "|---|---|",
                        *(f"| {md(k)} | " + "; ".join(_cell(c) for c in v) + " |" for k, v in b.rows), ""]
        elif isinstance(b, Table):
            out += _table(b)
        elif isinstance(b, Card):
            out += _card(b)
            if not isinstance(_next(blocks, b), Card):
                out.append("")
        elif isinstance(b, Details) and b.markdown:
            out += [f"{'#' * (depth + 1)} {md(b.summary)}", "", *_blocks(b.blocks, depth + 2)]
    return out


def _next(blocks: Sequence[Block], b: Block) -> Block | None:
    i = next(n for n, x in enumerate(blocks) if x is b)
    return blocks[i + 1] if i + 1 < len(blocks) else None


def render_markdown(report: Report) -> str:
    """The report in Markdown: the same sections as the HTML, charts and per-arrival lists left out."""
    out = [f"# After-action report: {md(report.overview.title)}", "", " · ".join(md(p) for p in report.cover), ""]
    for section in report.sections:
        out += [f"## {md(section.title)}", "", *_blocks(section.blocks, 3)]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    """``scores.json``: the report's data (sorted keys, stable); the laid-out sections are left out.

    Background arrivals are listed bounded (up to a cap per inject and the worst cases), every one
    counted in ``scores.background``'s aggregates; incident labels and headings of those listed.
    """
    scores = report.scores
    batch: dict[str, Any] = {"live": True} if report.live is None else {}  # a batch run's has no live clock
    if report.overview.sweep_point is None:  # only a sweep's kept replication names its point
        batch["overview"] = {"sweep_point"}
    if scores.background.capped:
        listed = {i.incident for i in scores.incidents}
        report = report.model_copy(update={
            "incident_labels": {k: v for k, v in report.incident_labels.items() if k in listed},
            "incident_headings": {k: v for k, v in report.incident_headings.items() if k in listed},
        })
    data = report.model_dump(mode="json", exclude=batch or None)
    if data.get("journal") is not None:  # sealed: the scores' digest, bound to the seal, written with them
        data["journal"]["scores_digest"] = scores_digest(data["journal"]["digest"], data["scores"])
    return indented_json(data)
