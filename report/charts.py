"""Inline SVG charts as plain shapes (no markup here): the HTML template draws them.

Keeping geometry apart from markup means every label goes through Jinja's autoescaping.
Charts: an incident-and-step Gantt timeline with targets marked, a handoff matrix
between actors (count, mean latency and failures per sender and receiver), and an hourly load heatmap per actor.
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import fmean

from ballotdrill.scenarios.timefmt import format_clock as tick_label
from ballotdrill.scoring.bottleneck import ranked_queues
from ballotdrill.scoring.model import Scores
from ballotdrill.scoring.summary import wait_text
from ballotdrill.scoring.svg import Chart, trimmed
from ballotdrill.scoring.text import minutes, percent
from ballotdrill.scoring.work import LinkRow, WorkTables

MAX_INCIDENTS = 40
MAX_STEPS = 30
MAX_BACKGROUND = 15
"""Background arrivals drawn (as bars, without their steps) before the rest are summarised."""
LABEL_W = 230.0
WIDTH = 1040.0


def _legend(chart: Chart, x: float, y: float, items: list[tuple[str, str]]) -> None:
    """Swatches with labels in a row at (x, y)."""
    for cls, label in items:
        if cls in ("mk-detect", "mk-contain"):
            chart.add("path", d=f"M{trimmed(x + 6)} {trimmed(y - 10)} l5 7 l-5 7 l-5 -7 z", class_=cls)
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


def gantt(scores: Scores, labels: dict[str, str], names: dict[str, str], work: WorkTables | None = None) -> Chart:
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
    listed = len(background) if work is None else work.background_drawn
    hidden = len(relevant) - len(background) + listed - len(shown)
    lo = min((inc.started_at for inc in shown), default=0.0)
    hi = max([until, *(s.completed_at or 0.0 for s in scores.steps)]) if shown else until
    lo, hi = lo - (hi - lo) * 0.02, hi + (hi - lo) * 0.01 + 1
    plot_w = WIDTH - LABEL_W - 20
    top = 60.0
    height = top + sum(22 if kind == "incident" else 17 for kind, _ in rows) + 30 + (17 if hidden else 0)
    chart = Chart(WIDTH, max(height, 110.0), "Timeline of incidents and procedure steps", id="gantt", trim=True)

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
            ended = "ended by itself" if inc.contained_how == "ended" else "contained"
            marks = ((inc.to_detect, "mk-detect", "detected"), (inc.to_contain, "mk-contain", ended))
            for at, cls, what in marks:
                if at is not None:
                    cx = x(inc.started_at + at)
                    chart.add("path", title=f"{label}: {what} after {minutes(at)}", class_=cls,
                              d=f"M{trimmed(cx)} {trimmed(y + 1)} l5 9 l-5 9 l-5 -9 z")
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
        chart.add("text", f"… and {hidden:,} more incident(s): see the tables below", x=8, y=y + 12,
                  class_="row-step")
    if not shown:
        chart.add("text", "No incident in this run.", x=LABEL_W, y=top + 30, class_="empty")
    return chart


SLOW_LATENCY = 10.0
"""Mean latency (minutes) from which a link between two actors counts as slow in the handoff matrix."""
LATENCY_BANDS = ((2.0, "lat0", "< 2 min"), (5.0, "lat1", "2–5 min"), (SLOW_LATENCY, "lat2", "5–10 min"),
                 (math.inf, "lat3", "≥ 10 min: slow"))
CELL_W, CELL_H, MATRIX_LABEL_W = 52.0, 46.0, 226.0


class Link(LinkRow):
    """Every handoff from one actor to another, summed (:class:`LinkRow`): a cell of the handoff matrix, a row of
    its table, with how the report shows it."""

    @property
    def shown_latency(self) -> float | None:
        """The mean latency as the report prints it (whole minutes from one minute up), for banding."""
        mean = self.mean_latency
        return mean if mean is None or mean < 1 else float(round(mean))

    @property
    def slow(self) -> bool:
        return self.shown_latency is not None and self.shown_latency >= SLOW_LATENCY

    @property
    def band(self) -> str:
        """The matrix cell's shading class: ``lat0`` to ``lat3`` by mean latency, ``lat-none`` if never received."""
        shown = self.shown_latency
        return "lat-none" if shown is None else next(cls for bound, cls, _ in LATENCY_BANDS if shown < bound)

    @property
    def state(self) -> str:
        """``drop`` when a handoff was dropped or never received, ``retry`` after failed attempts, else ``ok``."""
        return "drop" if self.lost else ("retry" if self.failures else "ok")


def actor_order(scores: Scores, work: WorkTables | None = None) -> dict[str, int]:
    """Each actor in a handoff, numbered in the order it first sends or receives one (``work``: over every
    handoff of the run; None: those of ``scores``)."""
    if work is not None:
        return dict(work.actor_order)
    order: dict[str, int] = {}
    for h in scores.handoffs:
        order.setdefault(h.sender, len(order))
        order.setdefault(h.receiver, len(order))
    return order


def handoff_links(scores: Scores, work: WorkTables | None = None) -> list[Link]:
    """One :class:`Link` per (sender, receiver) pair, by sender then receiver in :func:`actor_order` (``work``:
    over every handoff of the run; None: those of ``scores``)."""
    if work is not None:
        return [Link(**dict(x)) for x in work.links]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, h in enumerate(scores.handoffs):
        groups.setdefault((h.sender, h.receiver), []).append(i)
    links = []
    for (sender, receiver), idx in groups.items():
        chains = [scores.handoffs[i] for i in idx]
        lat = [c.latency for c in chains if c.latency is not None]
        channels = sorted({c.first_channel or "direct" for c in chains}
                          | {c.channel or "direct" for c in chains if c.status == "received"})
        links.append(Link(sender=sender, receiver=receiver, channels=channels, count=len(chains),
                          mean_latency=fmean(lat) if lat else None, max_latency=max(lat) if lat else None,
                          failures=sum(c.failures for c in chains), lost=sum(c.status == "dropped" for c in chains),
                          ping_pongs=sum(c.ping_pong for c in chains)))
    order = actor_order(scores)
    return sorted(links, key=lambda link: (order[link.sender], order[link.receiver]))


def link_note(link: Link) -> str:
    """What went wrong on a link, in words (failed attempts, dropped or lost handoffs, slow), or empty."""
    parts = []
    if link.failures:
        parts.append(f"{link.failures} failed attempt(s)")
    if link.lost:
        parts.append(f"{link.lost} dropped or lost")
    if link.slow:
        parts.append("slow")
    return ", ".join(parts)


def handoff_graph(scores: Scores, names: dict[str, str], work: WorkTables | None = None) -> Chart:
    """Handoffs as a sender × receiver matrix: per cell the count, mean latency and failures.

    A matrix never crosses: every pair of actors has its own cell, however many actors there
    are. Cells are shaded by mean latency (the darkest band is slow), outlined in orange after
    failed attempts and in dashed red when a handoff was dropped or lost; the bottleneck actor's
    row and column labels are marked. Actors keep the order in which they first hand off or
    receive work, in rows and columns alike.
    """
    links = handoff_links(scores, work)
    order = actor_order(scores, work)
    senders = sorted({link.sender for link in links}, key=order.__getitem__)
    receivers = sorted({link.receiver for link in links}, key=order.__getitem__)
    queues = ranked_queues(scores.load)  # the key findings' bottleneck (a queue, most minutes waited in all)
    bottleneck = queues[0].actor if queues else None
    heads = {r: shorten(names.get(r, r), 30) for r in receivers}
    head_h = 8 + 6.6 * 0.71 * max((len(text) for text in heads.values()), default=0)
    top = 62 + head_h
    width = max(WIDTH, MATRIX_LABEL_W + len(receivers) * CELL_W + 130)
    chart = Chart(width, top + len(senders) * CELL_H + 34,
                  "Handoff matrix: sender by receiver, with count, mean latency and failures", id="handoffs", trim=True)
    _legend(chart, 8, 16, [(f"{cls} mx-ok", text) for _, cls, text in LATENCY_BANDS]
            + [("lat-none mx-ok", "never received")])
    marks = [("lat0 mx-retry", "failed attempts, all delivered"), ("lat-none mx-drop", "dropped or lost"),
             ("mx-self", "same actor")]
    _legend(chart, 8, 36, marks + ([("node-bottleneck", "bottleneck actor")] if bottleneck else []))
    if not links:
        chart.add("text", "No handoff in this run.", x=20, y=80, class_="empty")
        chart.height = 110.0
        return chart
    x0 = MATRIX_LABEL_W
    chart.add("text", "from ↓   to →", x=8, y=top - 8, class_="axis")
    for c, actor in enumerate(receivers):
        name = names.get(actor, actor)
        cx = x0 + c * CELL_W + CELL_W / 2
        if actor == bottleneck:
            chart.add("rect", x=cx - 9, y=top - 19, width=head_h + 4, height=17, class_="node-bottleneck",
                      transform=f"rotate(-45 {trimmed(cx - 2)} {trimmed(top - 6)})")
        chart.add("text", heads[actor], title=name, x=cx - 2, y=top - 6, class_="col-label",
                  transform=f"rotate(-45 {trimmed(cx - 2)} {trimmed(top - 6)})")
    for r, actor in enumerate(senders):
        name = names.get(actor, actor)
        y = top + r * CELL_H
        if actor == bottleneck:
            chart.add("rect", x=4, y=y + 4, width=x0 - 10, height=CELL_H - 8, class_="node-bottleneck")
        label = _two_lines(name, 31)
        for k, line in enumerate(label):
            chart.add("text", line, title=name, x=8, y=y + CELL_H / 2 + 4 + (k - (len(label) - 1) / 2) * 15,
                      class_="row-inc")
        for c in range(len(receivers)):
            chart.add("rect", x=x0 + c * CELL_W + 1, y=y + 1, width=CELL_W - 2, height=CELL_H - 2,
                      class_="mx-self" if receivers[c] == actor else "mx-empty")
    for link in links:
        r, c = senders.index(link.sender), receivers.index(link.receiver)
        x, y = x0 + c * CELL_W, top + r * CELL_H
        note = link_note(link)
        tip = (f"{names.get(link.sender, link.sender)} → {names.get(link.receiver, link.receiver)} "
               f"({', '.join(link.channels)}): {link.count:,} handoff(s), mean latency {minutes(link.mean_latency)}"
               + (f"; {note}" if note else ""))
        chart.add("rect", title=tip, x=x + 1, y=y + 1, width=CELL_W - 2, height=CELL_H - 2,
                  class_=f"{link.band} mx-{link.state}")
        bad = [f"{link.failures} failed"] if link.failures else []
        bad += [f"{link.lost} lost"] if link.lost else []
        lines = [(f"{link.count:,}×", "mx-count")]
        lines += [(minutes(link.mean_latency), "mx-lat")] if link.mean_latency is not None else []
        lines += [(text, "mx-bad") for text in bad]
        step = 13.0 if len(lines) <= 3 else 10.5
        first = y + CELL_H / 2 + 4 - (len(lines) - 1) * step / 2
        for k, (text, cls) in enumerate(lines):
            chart.add("text", text, title=tip, x=x + CELL_W / 2, y=first + k * step,
                      class_=cls if step == 13.0 else f"{cls} tight", text_anchor="middle")
    failing = sum(link.state != "ok" for link in links)
    slow = sum(link.slow for link in links)
    chart.add("text", f"{len(links)} link(s) between {len(order)} actor(s): {failing} with failed attempts or "
              f"losses, {slow} slow (mean latency ≥ {minutes(SLOW_LATENCY)}). Rows send, columns receive.",
              x=8, y=top + len(senders) * CELL_H + 22, class_="legend")
    return chart


def _two_lines(text: str, width: int) -> list[str]:
    """``text`` on one line, or two lines broken at a word boundary, the second cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return [text]
    space = text.rfind(" ", 0, width + 1)
    if space < width // 2:
        return [shorten(text, width)]
    return [text[:space], shorten(text[space + 1:], width)]


def load_chart(scores: Scores) -> Chart:
    """Per actor: hourly utilisation as a heatmap, overall utilisation as a bar, p90 queue wait."""
    actors = scores.load
    hours = sorted({h.hour for a in actors for h in a.hours})
    top, row_h = 50.0, 26.0
    chart = Chart(WIDTH, top + row_h * max(1, len(actors)) + 36, "Load per actor by clock hour", id="load",
                  trim=True)
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
        chart.add("text", f"{percent(actor.utilisation)} · {wait_text(actor.wait_p90)}",
                  x=bar_x + 128, y=y + 17, class_="legend")
    return chart
