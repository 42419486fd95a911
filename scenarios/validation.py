"""Pydantic validation errors turned into located one-line problems."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from scenarios.errors import Problem
from scenarios.suggest import did_you_mean
from scenarios.yamlread import Document, Path

_SHOWN = 40


def show(value: Any) -> str:
    """A short repr of an offending input."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def problems_from(exc: ValidationError, doc: Document, limit: int = 20) -> list[Problem]:
    """One problem per pydantic error, placed at the YAML node it concerns."""
    found: list[Problem] = []
    for err in exc.errors(include_url=False):
        path, field, at_key = _path_of(err["loc"], doc)
        message = _message(err, field)
        if err["type"] == "unknown_field":
            path, at_key = (*path, err["ctx"]["key"]), True
        problem = doc.problem(path, message, key=at_key)
        if problem not in found:
            found.append(problem)
        if len(found) >= limit:
            break
    return sorted(found, key=lambda p: (p.line, p.col))


def _path_of(loc: tuple[str | int, ...], doc: Document) -> tuple[Path, str, bool]:
    """The data path behind a pydantic location (union tags dropped) and the field it names."""
    path: list[str | int] = []
    at_key = False
    for part in loc:
        if part == "[key]":
            at_key = True
            continue
        candidate = (*path, part)
        if candidate in doc.values or _is_missing_field(candidate, doc):
            path.append(part)
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
    return tuple(path), field, at_key


def _is_missing_field(path: Path, doc: Document) -> bool:
    parent = path[:-1]
    return parent in doc.values and isinstance(path[-1], str) and isinstance(_get(doc.data, parent), dict)


def _get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _message(err: Any, field: str) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = show(err.get("input"))
    if kind == "missing":
        return f"'{field}' is required here; add it"
    if kind == "unknown_field":
        return str(err["msg"])
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        return f"'{field}' must be one of {expected} (got {got}){did_you_mean(str(err.get('input')), choices)}"
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        return (f"'{ctx.get('discriminator', 'dist').strip(chr(39))}' must be one of {', '.join(tags)} "
                f"(got {show(ctx.get('tag'))}){did_you_mean(str(ctx.get('tag')), tags)}")
    if kind == "union_tag_not_found":
        return f"'{field}' needs a 'dist' key (fixed, uniform, triangular, exponential, lognormal or empirical)"
    if kind == "string_pattern_mismatch":
        return f"'{field}' must be a name of letters, digits, '-' and '_' (got {got})"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[kind]
        bound = next(iter(ctx.values()), "?")
        return f"'{field}' must be {op} {bound} (got {got})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field}' must be a whole number (got {got})"
    if kind in ("float_parsing", "float_type"):
        return f"'{field}' must be a number (got {got})"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{field}' must be true or false (got {got})"
    if kind in ("string_type", "string_too_long"):
        return f"'{field}' must be text{' of at most 80 characters' if kind == 'string_too_long' else ''} (got {got})"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' must be a mapping of keys to values (got {got})"
    if kind == "list_type":
        return f"'{field}' must be a list (got {got})"
    if kind == "too_short":
        return f"'{field}' must not be empty"
    return f"'{field}': {err['msg']} (got {got})"
