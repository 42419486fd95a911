"""Evaluators' operations on finished runs: compare two runs, export a journal for other tools."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ballotdrill.application.runs import load_run
from ballotdrill.exports import ocel_json, write_csv, write_jsonl
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scoring import Comparison, compare, score


def compare_runs(folder_a: Path, folder_b: Path) -> Comparison:
    """Score two run folders from their journals and compare them measure by measure (A, then B)."""
    a, b = (load_run(folder) for folder in (folder_a, folder_b))
    return compare(score(a.events, a.doc, a.scenario), score(b.events, b.doc, b.scenario), str(folder_a), str(folder_b))


class Exported(NamedTuple):
    """One file an export wrote: its format, path and how many events it holds (None for OCEL)."""

    format: str
    path: Path
    events: int | None


def export_run(folder: Path, *, jsonl: Path | None = None, csv: Path | None = None,
               ocel: Path | None = None) -> list[Exported]:
    """Write a run's journal as JSON Lines, CSV and/or an OCEL 2.0 JSON log."""
    if jsonl is None and csv is None and ocel is None:
        raise BallotdrillError("say what to export: --jsonl FILE, --csv FILE and/or --ocel FILE")
    run = load_run(folder)
    done: list[Exported] = []
    try:
        if jsonl is not None:
            done.append(Exported("jsonl", jsonl, write_jsonl(run.events, jsonl)))
        if csv is not None:
            done.append(Exported("csv", csv, write_csv(run.events, csv)))
        if ocel is not None:
            ocel.write_text(ocel_json(run.events, run.doc, run.scenario, run.meta.get("date")),
                            encoding="utf-8", newline="\n")
            done.append(Exported("ocel", ocel, None))
    except OSError as exc:
        raise BallotdrillError(f"{exc.filename}: cannot write ({exc.strerror})") from None
    return done
