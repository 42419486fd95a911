"""Compare two runs from their scores: each run's ``scores.json`` when it was made from that sealed journal,
else its journal streamed once through the scorer (one journal at a time, never held in memory).

A ``scores.json`` is taken when it names the seal its journal's meta holds now (row count, digest, and
a digest of the meta entries the seal covers: stored scenario, seed, overrides, decisions), the
version of ballotdrill that scored it is this one, and its scores match the digest written with them
(bound to that seal: scores edited afterwards do not), and the journal holds as many rows as its seal counts (one
``count(*)``: a journal with rows deleted or added is refused, or with ``--force`` scored, as ``report`` and
``export`` do). Then no row of the journal is read: the scores are those the run was scored with when it was
sealed (a row edited in place is found by ``report``, which re-checks every row against the seal).
Otherwise — no ``scores.json``, unreadable, made with ``--force``, from another journal, from an
older version — the journal is checked against its seal and scored, and the caller is told why.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from ballotdrill.application.folder import refuse_if_busy
from ballotdrill.application.journalfile import damaged
from ballotdrill.application.live_inputs import LiveInput, live_input_differences, read_live_inputs
from ballotdrill.application.reportfiles import REPORT_FILES
from ballotdrill.application.runs import (
    UNFINISHED_HARM,
    RunFiles,
    RunProblem,
    check_run_but_rows,
    open_run,
    run_problem,
    stream_run,
)
from ballotdrill.journal import JOURNAL_FILE, read_meta
from ballotdrill.journal.seal import sealed, settle
from ballotdrill.report.report import ReportFeed
from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scoring import Comparison, Scores, compare
from ballotdrill.scoring.compare import input_differences, ungraded
from ballotdrill.scoring.comparewords import fix_first_words
from ballotdrill.scoring.plan import PlanItem

SCORES_FILE = REPORT_FILES["json"]


class Side(NamedTuple):
    """One run of a comparison: its files, its scores and its report's improvement plan when ``scores.json`` could
    be taken, else why not."""

    folder: Path
    files: RunFiles | None
    scores: Scores | None
    why_not: str
    plan: list[PlanItem] | None = None


def compare_runs(folder_a: Path, folder_b: Path, *, force: bool = False,
                 say: Callable[[str], None] | None = None) -> Comparison:
    """Compare two (sealed) run folders of one scenario: how their inputs differ (settings, overrides, the stored
    scenario files, a live exercise's inputs), then measure by measure (A, then B).

    Each run's scores come from its ``scores.json`` when that is valid for its journal; else its journal is
    checked and streamed once through the scorer, A then B, and ``say`` is told so in one line first.
    Two runs of different scenarios are refused: their incidents and objectives cannot be matched by id.
    """
    sides = [_recorded(Path(folder), force=force) for folder in (folder_a, folder_b)]
    problems = [RunProblem() if side.scores is not None else run_problem(side.folder, force=force) for side in sides]
    checked = [side if side.scores is not None else side._replace(files=open_run(side.folder)) for side in sides]
    a, b = (side.files for side in checked)
    assert a is not None and b is not None
    if a.scenario != b.scenario:
        raise BallotdrillError(
            f"{folder_a} is a run of scenario {a.scenario!r} and {folder_b} of {b.scenario!r}: compare sets two "
            "runs of one scenario side by side (incidents and objectives are matched by id); compare each "
            "scenario's runs, or read each run's report")
    played = [(side.scores, side.plan or []) if side.scores is not None else _streamed(side, say, problem.unfinished)
              for side, problem in zip(checked, problems, strict=True)]
    scores = [score for score, _ in played]
    inputs = input_differences(a.meta, b.meta, a.doc.model_dump(mode="json", by_alias=True),
                               b.doc.model_dump(mode="json", by_alias=True))
    live_a, live_b = (_live_inputs(side.folder) for side in sides)
    inputs += live_input_differences(live_a, live_b, scores[0].start, scores[1].start)
    comparison = compare(scores[0], scores[1], str(folder_a), str(folder_b), inputs,
                         a.doc.scenarios[a.scenario].continuations() if a.scenario in a.doc.scenarios else None,
                         (fix_first_words(played[0][1]), fix_first_words(played[1][1])))
    unfinished = [f"{key.upper()} {problem.standing or 'did not finish'}: {UNFINISHED_HARM.removeprefix('; ')}."
                  for key, problem in zip("ab", problems, strict=True) if problem.unfinished]
    scored_from = {key: SCORES_FILE if side.scores is not None else f"journal ({side.why_not})"
                   for key, side in zip("ab", sides, strict=True)}
    rows = ungraded(comparison.rows) if unfinished else comparison.rows  # a side that did not finish: no grade
    return comparison.model_copy(update={"notes": [*unfinished, *comparison.notes], "scored_from": scored_from,
                                         "rows": rows})


def _streamed(side: Side, say: Callable[[str], None] | None, unfinished: bool) -> tuple[Scores, list[PlanItem]]:
    """A run's scores and its report's improvement plan, from one pass over its journal (as its report is made)."""
    if say is not None:
        say(f"{side.folder}: {side.why_not}; scoring its journal instead (one pass)")
    assert side.files is not None
    feed = ReportFeed(side.files.doc, side.files.scenario, unfinished=unfinished)
    stream_run(side.folder, side.files, feed.feed)
    report = feed.assemble()
    return report.scores, report.analysis.plan


def _recorded(folder: Path, *, force: bool = False) -> Side:
    """A run's scores from its ``scores.json`` when they are valid for its sealed journal; else why not."""
    if refuse_if_busy(folder, force=force):
        return Side(folder, None, None, "it is being played live")
    journal, path = folder / JOURNAL_FILE, folder / SCORES_FILE
    if not journal.is_file():
        return Side(folder, None, None, f"it has no {JOURNAL_FILE}")
    if not path.is_file():
        return Side(folder, None, None, f"it has no {SCORES_FILE}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        settle(journal)  # a journal closed while someone read it keeps its last commits in its WAL file
        meta = read_meta(journal)
    except (OSError, UnicodeError, ValueError, sqlite3.Error) as exc:
        return Side(folder, None, None, f"its {SCORES_FILE} or journal is not readable ({type(exc).__name__})")
    why_not = _stale(data, meta)
    if why_not:
        return Side(folder, None, None, why_not)
    problem, _ = check_run_but_rows(folder, force=force)  # its row count against the seal's: a count(*), no row read
    if problem.state:  # only with --force (refused otherwise, in report's and export's words): scored from its rows
        return Side(folder, None, None, problem.text)
    try:
        scores = Scores.model_validate(data["scores"])
        plan = [PlanItem.model_validate(item) for item in data["analysis"]["plan"]]
    except (KeyError, TypeError, ValidationError):
        return Side(folder, None, None, f"its {SCORES_FILE} does not hold scores this version reads")
    files = open_run(folder)  # the meta's stored scenario file; no row is read
    if scores.scenario != files.scenario:
        return Side(folder, None, None, f"its {SCORES_FILE} is of scenario {scores.scenario!r}, its journal of "
                                        f"{files.scenario!r}")
    return Side(folder, files, scores, "", plan)


def _stale(data: object, meta: dict[str, str]) -> str:
    """Why a ``scores.json``'s data is not the scores of the sealed journal whose meta is ``meta`` (empty: it is)."""
    from ballotdrill import __version__
    from ballotdrill.report.report import ScoresSource, scores_digest

    if not isinstance(data, dict):
        return f"its {SCORES_FILE} is not a JSON object"
    if "unverified" in data:
        return f"its {SCORES_FILE} was made with --force from a run that failed its check"
    try:
        source = ScoresSource.model_validate(data.get("journal"))
    except ValidationError:
        return f"its {SCORES_FILE} does not say which sealed journal it was made from (an older version's?)"
    seal = sealed(meta)
    if seal is None:
        return "its journal has no seal"
    if (source.rows, source.digest, source.meta_digest) != tuple(seal):
        return f"its {SCORES_FILE} was not made from this journal as it is sealed now (stale)"
    if source.scored_with != __version__:
        return f"its {SCORES_FILE} was scored by ballotdrill {source.scored_with}, not {__version__}"
    if not source.scores_digest:
        return f"its {SCORES_FILE} carries no digest of its scores (an older version's?)"
    if source.scores_digest != scores_digest(source.digest, data.get("scores")):
        return f"its {SCORES_FILE} was changed after it was written (its scores no longer match their digest)"
    return ""


def _live_inputs(folder: Path) -> list[LiveInput]:
    """A run folder's live inputs; a journal that cannot be read is told as every other reader tells it."""
    try:
        return read_live_inputs(folder / JOURNAL_FILE)
    except sqlite3.Error as exc:
        raise damaged(folder, exc) from None
