"""Inline SVG charts as plain shapes (no markup here): the HTML template draws them.

Keeping geometry apart from markup means every label goes through Jinja's autoescaping.
Charts: an incident-and-step Gantt timeline with targets marked, a handoff graph between
actors with latencies on the edges, and an hourly load heatmap per actor.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from scenarios.timefmt import format_clock as tick_label
from scoring.model import Scores
from scoring.text import minutes, percent

MAX_INCIDENTS = 40
MAX_STEPS = 30
MAX_BACKGROUND = 15
"""Background arrivals drawn (as bars, without their steps) before the rest are summarised."""
LABEL_W = 230.0
WIDTH = 1040.0


@dataclass(frozen=True)
class Shape:
    """One SVG element: a tag, its attributes, optional text and an optional tooltip."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    text: str = ""
    title: str = ""


@dataclass
class Chart:
    """An SVG drawing: size, shapes, and a one-line description for screen readers."""

    id: str
    width: float
    height: float
    label: str
    shapes: list[Shape] = field(default_factory=list)

    def add(self, tag: str, text: str = "", title: str = "", **attrs: float | str) -> None:
        pairs = tuple((k.rstrip("_").replace("_", "-"), _fmt(v)) for k, v in attrs.items())
        self.shapes.append(Shape(tag, pairs, text, title))


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    out = f"{value:.1f}"
    return out[:-2] if out.endswith(".0") else out


def _legend(chart: Chart, x: float, y: float, items: list[tuple[str, str]]) -> None:
    """Swatches with labels in a row at (x, y)."""
    for cls, label in items:
        if cls in ("mk-detect", "mk-contain"):
            chart.add("path", d=f"M{_fmt(x + 6)} {_fmt(y - 10)} l5 7 l-5 7 l-5 -7 z", class_=cls)
        else:
            chart.add("rect", x=x, y=y - 9, width=12, height=12, class_=cls)
        chart.add("text", label, x=x + 17, y=y + 1, class_="legend")
        x += 30 + 6.2 * len(label)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-–(/") + "…"


def _tick_step(span: float) -> float:
    for step in (15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080):
        if span / step <= 12:
            return float(step)
    return 20160.0


def gantt(scores: Scores, labels: dict[str, str], names: dict[str, str]) -> Chart:
    """Incidents (start to resolution) and their steps (queue wait, work), targets and deadlines marked.

    Row labels are cut at a word boundary with an ellipsis; every label and bar carries the
    full text as its tooltip (an SVG ``<title>``).
    """
    until = scores.until or 0.0
    steps_by_incident: dict[str, list[int]] = defaultdict(list)
    for i, result in enumerate(scores.steps):
        steps_by_incident[result.incident].append(i)
    harmed = {h.incident for h in scores.harm if h.nonzero}
    relevant = [inc for inc in scores.incidents
                if steps_by_incident.get(inc.incident) or inc.severity >= 2 or inc.incident in harmed]
    scripted = [inc for inc in relevant if not inc.background][:MAX_INCIDENTS]
    background = [inc for inc in relevant if inc.background]
    shown = scripted + background[:MAX_BACKGROUND]
    rows: list[tuple[str, int]] = []
    for inc_index, inc in enumerate(shown):
        rows.append(("incident", inc_index))
        if not inc.background:
            rows.extend(("step", s) for s in steps_by_incident.get(inc.incident, [])[:MAX_STEPS])
    hidden = len(relevant) - len(shown)
    lo = min((inc.started_at for inc in shown), default=0.0)
    hi = max([until, *(s.completed_at or 0.0 for s in scores.steps)]) if shown else until
    lo, hi = lo - (hi - lo) * 0.02, hi + (hi - lo) * 0.01 + 1
    plot_w = WIDTH - LABEL_W - 20
    top = 60.0
    height = top + sum(22 if kind == "incident" else 17 for kind, _ in rows) + 30 + (17 if hidden else 0)
    chart = Chart("gantt", WIDTH, max(height, 110.0), "Timeline of incidents and procedure steps")

    def x(t: float) -> float:
        return LABEL_W + (t - lo) / (hi - lo) * plot_w

    _legend(chart, 8, 14, [("bar-inc", "incident, start to resolution"), ("open-end", "still open at the end"),
                           ("mk-detect", "detected"), ("mk-contain", "contained")])
    _legend(chart, 8, 32, [("bar-wait", "step: queue wait"), ("bar-ok", "on time"), ("bar-late", "late"),
                           ("bar-open", "unfinished"), ("mk-target", "target"), ("mk-deadline", "legal deadline")])
    step = _tick_step(hi - lo)
    first_tick = math.ceil((scores.start + lo) / step) * step
    tick = first_tick
    while tick <= scores.start + hi:
        tx = x(tick - scores.start)
        chart.add("line", x1=tx, y1=top - 8, x2=tx, y2=height - 24, class_="grid")
        chart.add("text", tick_label(tick), x=tx, y=height - 10, class_="axis", text_anchor="middle")
        tick += step
    y = top
    for kind, index in rows:
        if kind == "incident":
            inc = shown[index]
            end = inc.started_at + (inc.to_resolve if inc.to_resolve is not None else until - inc.started_at)
            label = f"{inc.incident}: {inc.title}" if inc.title else labels.get(inc.incident, inc.incident)
            label = label if inc.incident in label else f"{inc.incident}: {label}"
            chart.add("text", shorten(label, 34), title=label, x=8, y=y + 14, class_="row-inc")
            chart.add("rect", title=f"{label}: {minutes(end - inc.started_at)}", x=x(inc.started_at), y=y + 3,
                      width=max(1.5, x(end) - x(inc.started_at)), height=14,
                      class_="bar-inc" if inc.to_resolve is not None else "bar-inc open-end")
            marks = ((inc.to_detect, "mk-detect", "detected"), (inc.to_contain, "mk-contain", "contained"))
            for at, cls, what in marks:
                if at is not None:
                    cx = x(inc.started_at + at)
                    chart.add("path", title=f"{label}: {what} after {minutes(at)}", class_=cls,
                              d=f"M{_fmt(cx)} {_fmt(y + 1)} l5 9 l-5 9 l-5 -9 z")
            y += 22
            continue
        s = scores.steps[index]
        row_title = f"{s.procedure} / {s.step} by {names.get(s.actor, s.actor)}"
        chart.add("text", shorten(f"{s.step} · {names.get(s.actor, s.actor)}", 38), x=20, y=y + 12,
                  class_="row-step", title=row_title)
        if s.queued_at is not None and s.started_at is not None and s.started_at > s.queued_at:
            chart.add("rect", title=f"{row_title}: waited {minutes(s.wait)}", x=x(s.queued_at), y=y + 4,
                      width=max(1.0, x(s.started_at) - x(s.queued_at)), height=10, class_="bar-wait")
        begin = s.started_at if s.started_at is not None else s.queued_at
        if begin is not None:
            finish = s.completed_at if s.completed_at is not None else until
            cls = "bar-open" if s.completed_at is None else ("bar-late" if s.on_time is False else "bar-ok")
            tip = (f"{row_title}: {minutes(finish - begin)} of work"
                   + (f", {minutes(s.late_by)} late" if s.late_by else ""))
            chart.add("rect", title=tip, x=x(begin), y=y + 3, width=max(1.5, x(finish) - x(begin)), height=12,
                      class_=cls)
        if s.completed_at is not None and s.elapsed is not None:
            origin = s.completed_at - s.elapsed
            for value, cls, what in ((s.target, "mk-target", "target"), (s.deadline, "mk-deadline", "deadline")):
                if value is not None:
                    mx = x(origin + value)
                    chart.add("line", title=f"{row_title}: {what} {minutes(value)}", x1=mx, y1=y + 1, x2=mx,
                              y2=y + 17, class_=cls)
        y += 17
    if hidden:
        chart.add("text", f"… and {hidden} more incident(s): see the tables below", x=8, y=y + 12,
                  class_="row-step")
    if not shown:
        chart.add("text", "No incident in this run.", x=LABEL_W, y=top + 30, class_="empty")
    return chart


def handoff_graph(scores: Scores, names: dict[str, str]) -> Chart:
    """Actors as nodes, handoffs as arrows labelled with count and mean latency; failures in red."""
    edges: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, h in enumerate(scores.handoffs):
        edges[(h.sender, h.receiver)].append(i)
    actors = sorted({a for pair in edges for a in pair})
    chart = Chart("handoffs", WIDTH, 470.0, "Handoff graph between actors")
    _legend(chart, 20, 18, [("sw-ok", "all received"), ("sw-retry", "failed attempts, delivered"),
                            ("sw-drop", "dropped or lost"), ("node-bottleneck", "bottleneck actor")])
    if not actors:
        chart.add("text", "No handoff in this run.", x=20, y=80, class_="empty")
        chart.height = 110.0
        return chart
    cx, cy, radius = WIDTH / 2, 255.0, 170.0
    pos: dict[str, tuple[float, float]] = {}
    for k, actor in enumerate(actors):
        angle = -math.pi / 2 + 2 * math.pi * k / len(actors)
        pos[actor] = (cx + radius * 1.9 * math.cos(angle), cy + radius * math.sin(angle))
    waited = [a for a in scores.load if a.wait_p90]
    bottleneck = max(waited, key=lambda a: (a.wait_p90 or 0.0, a.wait_mean or 0.0, a.actor)).actor if waited else None
    node_r = 44.0
    for (a, b), idx in sorted(edges.items()):
        chains = [scores.handoffs[i] for i in idx]
        lat = [c.latency for c in chains if c.latency is not None]
        failures = sum(c.failures for c in chains)
        lost = sum(c.status != "received" for c in chains)
        cls = "edge-drop" if lost else ("edge-retry" if failures else "edge-ok")
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / dist, dx / dist
        bend = 0.18 * dist if (b, a) in edges else 0.06 * dist
        qx, qy = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
        sx, sy = _toward(x1, y1, qx, qy, node_r)
        ex, ey = _toward(x2, y2, qx, qy, node_r + 4)
        width = 1.5 + min(5.0, len(chains) * 0.8)
        tip = (f"{names.get(a, a)} → {names.get(b, b)}: {len(chains)} handoff(s), mean latency "
               f"{minutes(fmean(lat) if lat else None)}, {failures} failed attempt(s), {lost} dropped/lost")
        chart.add("path", title=tip, d=f"M{_fmt(sx)} {_fmt(sy)} Q{_fmt(qx)} {_fmt(qy)} {_fmt(ex)} {_fmt(ey)}",
                  class_=cls, stroke_width=width)
        ux, uy = ex - qx, ey - qy
        ul = math.hypot(ux, uy) or 1.0
        ux, uy = ux / ul, uy / ul
        tip_x, tip_y = ex + ux * 4, ey + uy * 4
        base_x, base_y = tip_x - ux * 12, tip_y - uy * 12
        points = (f"{_fmt(tip_x)},{_fmt(tip_y)} {_fmt(base_x - uy * 6)},{_fmt(base_y + ux * 6)} "
                  f"{_fmt(base_x + uy * 6)},{_fmt(base_y - ux * 6)}")
        chart.add("polygon", points=points, class_=cls.replace("edge", "head"))
        mx, my = 0.25 * x1 + 0.5 * qx + 0.25 * x2, 0.25 * y1 + 0.5 * qy + 0.25 * y2
        text = f"{len(chains)}× · {minutes(fmean(lat)) if lat else 'never received'}"
        chart.add("text", text, title=tip, x=mx, y=my - 3, class_="edge-label", text_anchor="middle")
        if failures or lost:
            chart.add("text", f"{failures} failed" + (f", {lost} lost" if lost else ""), x=mx, y=my + 11,
                      class_="edge-label bad", text_anchor="middle")
    for actor in actors:
        px, py = pos[actor]
        name = names.get(actor, actor)
        chart.add("circle", title=name, cx=px, cy=py, r=node_r,
                  class_="node node-bottleneck" if actor == bottleneck else "node")
        lines = _wrap(name, 13)
        if len(lines) > 3:
            lines = [*lines[:2], shorten(lines[2] + " " + lines[3], 13)]
            if not lines[2].endswith("…"):
                lines[2] += "…"
        for k, line in enumerate(lines):
            chart.add("text", line, title=name, x=px, y=py - 4 + (k - 0.5 * (len(lines) - 1)) * 13 + 4,
                      class_="node-label", text_anchor="middle")
    return chart


def _toward(x: float, y: float, tx: float, ty: float, by: float) -> tuple[float, float]:
    d = math.hypot(tx - x, ty - y) or 1.0
    return x + (tx - x) / d * by, y + (ty - y) / d * by


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word[: width + 4])
    return lines or [text]


def load_chart(scores: Scores) -> Chart:
    """Per actor: hourly utilisation as a heatmap, overall utilisation as a bar, p90 queue wait."""
    actors = scores.load
    hours = sorted({h.hour for a in actors for h in a.hours})
    top, row_h = 50.0, 26.0
    chart = Chart("load", WIDTH, top + row_h * max(1, len(actors)) + 36, "Load per actor by clock hour")
    _legend(chart, LABEL_W, 16, [("u0", "idle"), ("u1", "< 25%"), ("u2", "25–50%"), ("u3", "50–75%"),
                                ("u4", "≥ 75% busy"), ("off", "nobody on duty")])
    heat_w = WIDTH - LABEL_W - 250
    cell = heat_w / max(1, len(hours))
    label_every = max(1, math.ceil(len(hours) / 16))
    for k, hour in enumerate(hours):
        text = tick_label(hour * 60.0)
        if k % label_every == 0 and LABEL_W + k * cell + 2 + 6.5 * len(text) <= LABEL_W + heat_w:
            chart.add("text", text, x=LABEL_W + k * cell + 2, y=top - 6, class_="axis")
    bar_x = LABEL_W + heat_w + 16
    chart.add("text", "utilisation · p90 wait", x=bar_x, y=top - 6, class_="axis")
    for r, actor in enumerate(actors):
        y = top + r * row_h
        chart.add("text", shorten(actor.name, 32), title=actor.name, x=8, y=y + 16, class_="row-inc")
        index = {h.hour: h for h in actor.hours}
        for k, hour in enumerate(hours):
            h = index.get(hour)
            duty, busy = (h.on_duty, h.busy) if h else (0.0, 0.0)
            share = busy / duty if duty else None
            cls = "off" if share is None else "u" + str(0 if busy == 0 else 1 + min(3, int(share * 4)))
            tip = f"{actor.name}, {tick_label(hour * 60.0)}: " + (
                "nobody on duty" if share is None else f"{percent(share)} busy, {h.starts if h else 0} step(s) started")
            chart.add("rect", title=tip, x=LABEL_W + k * cell, y=y + 3, width=max(1.0, cell - 1), height=row_h - 6,
                      class_=cls)
        util = actor.utilisation or 0.0
        chart.add("rect", x=bar_x, y=y + 6, width=120, height=row_h - 12, class_="bar-track")
        chart.add("rect", title=f"utilisation {percent(actor.utilisation)}", x=bar_x, y=y + 6,
                  width=max(0.0, min(120.0, 120 * util)), height=row_h - 12, class_="bar-util")
        chart.add("text", f"{percent(actor.utilisation)} · {minutes(actor.wait_p90)}", x=bar_x + 128, y=y + 17,
                  class_="legend")
    return chart
