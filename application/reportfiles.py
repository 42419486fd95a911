"""A run folder's report files: laid out, rendered (``scores.json`` on the other core for a long run) and written.

Each file is written as every output of a run folder is (:func:`~ballotdrill.application.folder.write_output`):
to a temporary file beside it, synced and renamed over it, recorded with its digest.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ballotdrill.application.folder import write_output
from ballotdrill.application.journalfile import RunFolderError, one_line
from ballotdrill.application.livefeed import MALFORMED
from ballotdrill.journal.collector import collector_paused
from ballotdrill.journal.forked import made_apart
from ballotdrill.scenarios.safetext import markdown_text

if TYPE_CHECKING:
    from ballotdrill.report import Report
    from ballotdrill.scenarios.scenario import ScenarioFile

REPORT_FILES = {"html": "report.html", "md": "report.md", "json": "scores.json"}
"""Each report format and the file it is written to in a run folder."""


def write_report_files(run_dir: Path, assemble: Callable[[], Report], doc: ScenarioFile, scenario: str,
                       formats: Sequence[str], problem: str, apart: bool = False) -> tuple[Report, list[Path]]:
    """Lay out the report ``assemble`` gives (the scores and the report's rows of the run), render and write it.

    ``apart``: render ``scores.json`` (data only, no lay-out) in a forked child meanwhile, where this process can
    fork (a long run's report: its lay-out and HTML on one core, its JSON on the other)."""
    from ballotdrill.application.risks import with_risks
    from ballotdrill.report import render_html, render_json, render_markdown
    from ballotdrill.report.build import laid_out

    renderers = {"html": render_html, "md": render_markdown, "json": render_json}
    json_apart = None
    try:
        with collector_paused():  # bounded work making few cycles; collections over the scorer's state cost a third
            assembled = assemble()
            if apart and "json" in formats:
                json_apart = made_apart(partial(_json_bytes, assembled, doc, scenario))
            report = with_risks(laid_out(assembled), doc, scenario)
            texts = {fmt: mark_unverified(fmt, renderers[fmt](report), problem) for fmt in formats
                     if fmt != "json" or json_apart is None}
            if json_apart is not None:
                wait, json_apart = json_apart, None  # waited for once, also if a Ctrl-C lands in the wait
                made = wait()
                text = made.decode("utf-8", "surrogatepass") if made is not None else render_json(report)
                texts["json"] = mark_unverified("json", text, problem)
    except MALFORMED as exc:
        raise malformed(run_dir, exc) from None
    finally:
        if json_apart is not None:  # stopped before its text was wanted: the child is waited for all the same
            json_apart()
    written: list[Path] = []
    for fmt in formats:
        path = run_dir / REPORT_FILES[fmt]
        write_output(path, partial(_write_text, text=texts[fmt]), folder=run_dir)
        written.append(path)
    return report, written


def _json_bytes(assembled: Report, doc: ScenarioFile, scenario: str) -> bytes:
    """``scores.json`` of an assembled report: the laid-out sections are not in it, the risks are."""
    from ballotdrill.application.risks import with_risks
    from ballotdrill.report import render_json

    return render_json(with_risks(assembled, doc, scenario)).encode("utf-8", "surrogatepass")


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def mark_unverified(fmt: str, text: str, problem: str) -> str:
    """A report (html, md or json) marked, at its top, as made from a run that failed its check (``--force``)."""
    if not problem:
        return text
    note = f"Unverified run: {problem}. This report was made with --force."
    if fmt == "md":
        return f"> **{markdown_text(note)}**\n\n{text}"
    if fmt == "json":
        data = json.loads(text)
        return json.dumps({"unverified": note, **data}, indent=2, ensure_ascii=False) + "\n"
    banner = (f'<p role="alert" style="border:3px solid #b00;padding:.5em;font-weight:bold">'
              f"{html.escape(note)}</p>")
    at = text.find(">", text.find("<body")) + 1 if "<body" in text else 0
    return text[:at] + banner + text[at:]


def malformed(run_dir: Path, exc: BaseException) -> RunFolderError:
    """The error for a run whose journal rows or stored scenario the scorer or the report cannot take."""
    return RunFolderError(f"{run_dir}: cannot report on this run: a journal row or the stored scenario is "
                          f"malformed ({type(exc).__name__}: {one_line(exc)})")
