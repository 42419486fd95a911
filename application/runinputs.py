"""What a run is given besides its scenario: a fresh folder, ``--until`` and a decisions file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.safetext import terminal_text
from ballotdrill.scenarios.timefmt import parse_clock

if TYPE_CHECKING:
    from ballotdrill.scenarios.scenario import ScenarioFile


def fresh_folder(base: Path) -> Path:
    """``base``, or ``base-2``, ``base-3`` … : the first that does not exist yet."""
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


SEED_DIGITS = 20
"""Digits of a seed a default folder's name gives in full (every 64-bit seed); a longer seed is cut, as a name of
more than 255 bytes cannot be made."""


def seed_text(seed: int) -> str:
    """``seed`` as a default folder's name gives it: in full up to :data:`SEED_DIGITS` digits, else its first ones
    and its length (``99999999999999999999-of-300-digits``; the run or sweep keeps it whole)."""
    text = str(seed)
    digits = text.lstrip("-")
    if len(digits) <= SEED_DIGITS:
        return text
    return f"{text[:len(text) - len(digits) + SEED_DIGITS]}-of-{len(digits)}-digits"


def new_run_dir(scenario: str, seed: int, root: Path = Path("runs")) -> Path:
    """A fresh folder under ``root``: ``SCENARIO-seedN``, then ``-2``, ``-3`` … (never an existing one)."""
    return fresh_folder(root / f"{scenario}-seed{seed_text(seed)}")


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
    example = '{"N1:proc:step:1": "debunk"}'
    if not isinstance(data, dict):
        raise BallotdrillError(f"{path}: a decisions file is a JSON object of request key to option, e.g. {example} "
                               f"(this one holds a JSON {_json_kind(data)})")
    for key, value in data.items():
        if not isinstance(value, str):
            shown = terminal_text(key if len(key) <= 80 else key[:77] + "...")
            raise BallotdrillError(f"{path}: key '{shown}' maps to a JSON {_json_kind(value)}; each request key "
                                   f"maps to an option's name as a string, e.g. {example}")
    return data


def _json_kind(value: object) -> str:
    """What JSON calls ``value``'s type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number"}.get(type(value), "value")


def check_decisions(path: Path, record: Mapping[str, str], doc: ScenarioFile, scenario: str) -> None:
    """Each recorded decision of the file at ``path`` fits ``scenario`` as it plays: one line naming the file
    and every key that does not (the run checks the same again, where the file's name is not known)."""
    if not record:
        return
    from ballotdrill.exercise.decisions import check_record, problems_line
    from ballotdrill.scenarios.roles import as_played

    played = as_played(doc, scenario)
    problems = check_record(record, played.structure, played.scenarios[scenario])
    if problems:
        raise BallotdrillError(f"{path}: {problems_line(problems)}")
