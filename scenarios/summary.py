"""What ``list`` and ``validate`` show of a scenario file, and how it is kept in the cache.

A summary holds every scenario's row of the list and the file's warnings exactly as a full
check finds them. :func:`summarize_file` answers from the cache when the same bytes were checked
by the same code before (see :mod:`.cache`; the library's own files are answered by the summaries
shipped with the package, :mod:`.library_index`), and otherwise reads, validates and cross-checks the
file in full, then keeps the answer. A file with errors is never cached: its errors come from a
full check every time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from ballotdrill.scenarios import cache, library_index
from ballotdrill.scenarios.errors import Problem
from ballotdrill.scenarios.rawfile import decode, read_bytes

if TYPE_CHECKING:
    from ballotdrill.scenarios.loader import Checked


class ScenarioEntry(NamedTuple):
    """One scenario's row of ``ballotdrill list``."""

    name: str
    title: str
    start: str
    end: str
    injects: int
    objectives: int
    basis: tuple[str, ...]


class FileSummary(NamedTuple):
    """A checked scenario file as ``list`` and ``validate`` show it."""

    default: str
    scenarios: tuple[ScenarioEntry, ...]
    warnings: tuple[Problem, ...]


def summarize(checked: Checked) -> FileSummary:
    """The summary of a file that passed its full check."""
    from ballotdrill.scenarios.timefmt import format_clock, format_end

    doc = checked.doc
    return FileSummary(
        doc.default_scenario,
        tuple(ScenarioEntry(name, sc.title, format_clock(sc.start), format_end(sc.start, sc.end), len(sc.injects),
                            len(sc.objectives), tuple(sc.basis)) for name, sc in doc.scenarios.items()),
        tuple(checked.warnings),
    )


def summarize_file(path: str) -> FileSummary:
    """The summary of the scenario file at ``path`` (shown under that name): from the summaries shipped with the
    library when it is a library file, else from the cache when it holds one.

    Raises :class:`.ScenarioError` with the same problems as a full check.
    """
    raw = read_bytes(path, path)
    shipped = from_json(library_index.lookup(raw))
    if shipped is not None:
        return shipped._replace(warnings=tuple(w._replace(source=path) for w in shipped.warnings))
    code = cache.code_fingerprint()
    key = cache.entry_key(raw, path, code) if code is not None else None
    if key is not None:
        kept = from_json(cache.load(key))
        if kept is not None:
            return kept
    from ballotdrill.scenarios.loader import check_document
    from ballotdrill.scenarios.yamlread import parse

    summary = summarize(check_document(parse(decode(raw, path), path)))
    if key is not None:
        cache.store(key, as_json(summary))
    return summary


def as_json(summary: FileSummary) -> dict[str, Any]:
    """The summary as JSON data, for the cache."""
    return {"default": summary.default,
            "scenarios": [[*entry[:6], list(entry.basis)] for entry in summary.scenarios],
            "warnings": [[p.source, p.line, p.col, p.message] for p in summary.warnings]}


def from_json(data: Any) -> FileSummary | None:
    """The summary :func:`as_json` wrote, or None for anything else (every field's type is checked)."""
    try:
        scenarios = tuple(_entry(*row) for row in data["scenarios"])
        warnings = tuple(_problem(*row) for row in data["warnings"])
        default = data["default"]
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(default, str) or default not in {entry.name for entry in scenarios}:
        return None
    return FileSummary(default, scenarios, warnings)


def _entry(name: Any, title: Any, start: Any, end: Any, injects: Any, objectives: Any,
           basis: Any) -> ScenarioEntry:
    _typed((name, title, start, end), str)
    _typed((injects, objectives), int)
    if not isinstance(basis, list):
        raise TypeError("basis")
    _typed(basis, str)
    return ScenarioEntry(name, title, start, end, injects, objectives, tuple(basis))


def _problem(source: Any, line: Any, col: Any, message: Any) -> Problem:
    _typed((source, message), str)
    _typed((line, col), int)
    return Problem(source, line, col, message)


def _typed(values: Any, kind: type) -> None:
    if not all(type(value) is kind for value in values):  # exact: a bool is not a count
        raise TypeError(kind.__name__)
