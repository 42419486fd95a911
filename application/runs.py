"""Run folders: run a scenario into one, load one, write its reports, read a decisions file.

Every front end (the command line, the live console, the server, sweeps) calls these; none
of them composes a run folder by hand.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ballotdrill.application.risks import risk_section
from ballotdrill.journal import JOURNAL_FILE, Event, Kind, RunStarted, read_events, read_meta
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.scenario import ScenarioFile
from ballotdrill.scenarios.timefmt import parse_clock

if TYPE_CHECKING:  # the engine and the report are imported when a run or a report is made
    from ballotdrill.exercise.run import Progress
    from ballotdrill.report import Report


class Run(NamedTuple):
    """A run folder's journal, scenario file, scenario name and meta."""

    events: list[Event]
    doc: ScenarioFile
    scenario: str
    meta: dict[str, str]


class RunFiles(NamedTuple):
    """A run folder's scenario file, scenario name, meta and journal file, its events not read."""

    journal: Path
    doc: ScenarioFile
    scenario: str
    meta: dict[str, str]


JSONL_FILE = "journal.jsonl"
META_FILE = "meta.json"


class RunFolderError(BallotdrillError):
    """A folder that holds no readable run (no journal, a damaged one, or no scenario file in its meta)."""


def open_run(run_dir: Path) -> RunFiles:
    """Find a run folder's journal (``journal.sqlite``, or ``journal.jsonl`` + ``meta.json``) and read its meta.

    The events stay on disk: a caller streams them (:func:`read_events`, :func:`stored_rows`).
    """
    run_dir = Path(run_dir)
    sqlite_path, jsonl_path = run_dir / JOURNAL_FILE, run_dir / JSONL_FILE
    hint = "create one with 'ballotdrill run --out FOLDER'"
    try:
        if sqlite_path.is_file():
            journal, meta = sqlite_path, read_meta(sqlite_path)
        elif jsonl_path.is_file() and (run_dir / META_FILE).is_file():
            raw = json.loads((run_dir / META_FILE).read_text(encoding="utf-8"))
            journal = jsonl_path
            meta = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}
        else:
            raise RunFolderError(f"{run_dir}: no {JOURNAL_FILE} here (nor {JSONL_FILE} with {META_FILE}); {hint}")
        if "document" not in meta:
            raise RunFolderError(f"{run_dir}: the journal's meta has no 'document' (the scenario file); {hint}")
        doc = ScenarioFile.model_validate(json.loads(meta["document"]))
        # The scenario's name: the meta's, else the run_started row's (the journal's first).
        first = next(itertools.islice(read_events(journal), 1), None)
        started = first.fields(RunStarted).scenario if first is not None and first.kind == Kind.RUN_STARTED else None
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {exc})") from None
    return RunFiles(journal, doc, meta.get("scenario") or str(started or doc.default_scenario), meta)


def load_run(run_dir: Path) -> Run:
    """Read ``journal.sqlite`` (or ``journal.jsonl`` + ``meta.json``) from a run folder, every event in memory."""
    files = open_run(run_dir)
    try:
        events = list(read_events(files.journal))
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise RunFolderError(f"{run_dir}: cannot read the run ({type(exc).__name__}: {exc})") from None
    return Run(events, files.doc, files.scenario, files.meta)


REPORT_FILES = {"html": "report.html", "md": "report.md", "json": "scores.json"}
"""Each report format and the file it is written to in a run folder."""


def write_reports(run_dir: Path, formats: Sequence[str] = tuple(REPORT_FILES)) -> tuple[Report, list[Path]]:
    """Rebuild the report from the run folder's journal and write the asked formats into it."""
    from ballotdrill.report import build_report, render_html, render_json, render_markdown

    for fmt in formats:
        if fmt not in REPORT_FILES:
            raise BallotdrillError(f"--format must be one of {', '.join(REPORT_FILES)} (got {fmt!r})")
    renderers = {"html": render_html, "md": render_markdown, "json": render_json}
    run = load_run(Path(run_dir))
    report = build_report(run.events, run.doc, run.scenario, run.meta)
    risks = risk_section(run.doc, run.scenario)
    if risks is not None:
        report = report.model_copy(update={"sections": [*report.sections, risks]})
    written: list[Path] = []
    for fmt in formats:
        path = Path(run_dir) / REPORT_FILES[fmt]
        try:
            path.write_text(renderers[fmt](report), encoding="utf-8", newline="\n")
        except OSError as exc:
            raise BallotdrillError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
        written.append(path)
    return report, written


def new_run_dir(scenario: str, seed: int, root: Path = Path("runs")) -> Path:
    """A fresh folder under ``root``: ``SCENARIO-seedN``, then ``-2``, ``-3`` … (never an existing one)."""
    base = root / f"{scenario}-seed{seed}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def parse_until(text: str | None) -> float | None:
    """``--until`` as a clock time in minutes (None: the scenario's end)."""
    if text is None:
        return None
    try:
        return parse_clock(text)
    except ValueError as exc:
        raise BallotdrillError(f"--until: {exc}") from None


MAX_DECISIONS_BYTES = 1024 * 1024
"""A decisions file is a few lines per decision step; anything larger is not one."""


def read_decisions(path: Path | None) -> dict[str, str]:
    """A decisions file: a JSON object of request key to option (empty when no file is given).

    Held to the scenario files' standard: at most :data:`MAX_DECISIONS_BYTES`, UTF-8, no duplicate
    keys. Whether each key fits the scenario is checked before the run (``check_record``).
    """
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_DECISIONS_BYTES + 1)
    except OSError as exc:
        raise BallotdrillError(f"{path}: cannot read the decisions file ({exc.strerror or exc})") from None
    if len(raw) > MAX_DECISIONS_BYTES:
        raise BallotdrillError(f"{path}: the decisions file is over {MAX_DECISIONS_BYTES // 1024} KiB; "
                               "it holds one line per recorded decision")

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}; keep only one")
            seen[key] = value
        return seen

    try:
        data = json.loads(raw.decode("utf-8").removeprefix("\ufeff"), object_pairs_hook=no_duplicates)
    except UnicodeDecodeError as exc:
        raise BallotdrillError(f"{path}: byte {exc.start} is not UTF-8; save the decisions file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise BallotdrillError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise BallotdrillError(f"{path}: cannot read the decisions file ({exc or 'nested too deeply'})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise BallotdrillError(
            f'{path}: a decisions file is a JSON object of request key to option, e.g. {{"N1:proc:step:1": "debunk"}}')
    return data


class RunOutcome(NamedTuple):
    """A finished batch run: its folder, how many events it journalled, and its report."""

    folder: Path
    events: int
    report: Report


def run_to_folder(doc: ScenarioFile, scenario: str, *, seed: int, folder: Path, until: str | None = None,
                  decisions: Mapping[str, str] | None = None, source: str = "",
                  progress: Progress | None = None, overrides: Sequence[str] = ()) -> RunOutcome:
    """Play ``scenario`` in batch into ``folder`` (journal and stored scenario file) and write its reports.

    ``overrides``: the ``--set PATH=VALUE`` texts ``doc`` was loaded with, recorded in the run's meta
    (key ``overrides``, a JSON list) so the report and ``compare`` can say what made this run.
    """
    from ballotdrill.exercise.run import run_exercise

    result = run_exercise(doc, scenario, seed=seed, until_clock=parse_until(until), out=folder,
                          decisions=decisions, source=source, progress=progress,
                          meta={"overrides": json.dumps(list(overrides))})
    report, _ = write_reports(folder, tuple(REPORT_FILES))
    return RunOutcome(folder, result.count, report)
