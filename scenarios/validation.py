"""Pydantic validation errors turned into located one-line problems."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ballotdrill.scenarios.errors import Problem
from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.yamlread import Document, Path

_SHOWN = 40


def show(value: Any) -> str:
    """A short repr of an offending input."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def problems_from(exc: ValidationError, doc: Document, limit: int = 20) -> list[Problem]:
    """One problem per pydantic error, placed at the YAML node it concerns."""
    found: list[Problem] = []
    for err, path, field, at_key in _union_resolved(exc.errors(include_url=False), doc):
        message = err["msg"] if err["type"] == "merged_union" else _message(err, field)
        if not path and err["type"] in ("dict_type", "model_type", "model_attributes_type"):
            got = show(err.get("input"))
            message = f"a scenario file is a mapping of keys to values, starting with 'version: 1' (got {got})"
        if err["type"] == "unknown_field":  # its location ends with the key itself
            at_key = True
        problem = doc.problem(path, message, key=at_key)
        if problem not in found:
            found.append(problem)
        if len(found) >= limit:
            break
    return sorted(found, key=lambda p: (p.line, p.col))


_TYPE_WORDS = {
    "string_type": "text", "list_type": "a list", "float_type": "a number", "float_parsing": "a number",
    "finite_number": "a finite number",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values", "model_attributes_type": "a mapping of keys to values",
}

Located = tuple[Any, Path, str, bool]


def _union_resolved(errors: list[Any], doc: Document) -> list[Located]:
    """Errors with their data paths; of a union's branches only those that fit the data best are kept.

    A plain union (``text | list``) reports one error per branch. The branch whose errors lie
    deepest in the data is the one the author meant (a list with a bad item); when every branch
    fails at the value itself (a number where text or a list is expected), one merged error
    says what the value may be.
    """
    located: list[tuple[Located, tuple[Any, ...] | None]] = []
    for err in errors:
        path, field, at_key, branch = _path_of(err["loc"], doc, missing=err["type"] == "missing")
        located.append(((err, path, field, at_key), branch))
    groups: dict[tuple[Any, ...], dict[Any, list[int]]] = {}
    for index, (_, branch) in enumerate(located):
        if branch is not None:
            groups.setdefault(branch[:-1], {}).setdefault(branch[-1], []).append(index)
    dropped: set[int] = set()
    merged: dict[int, Located] = {}
    for by_tag in groups.values():
        if len(by_tag) < 2:
            continue
        depth = {tag: max(len(located[i][0][1]) for i in indices) for tag, indices in by_tag.items()}
        best = max(depth.values())
        kept = [i for tag, indices in by_tag.items() if depth[tag] == best for i in indices]
        dropped.update(i for indices in by_tag.values() for i in indices if i not in kept)
        kinds = [located[i][0][0]["type"] for i in kept]
        if len(kept) > 1 and all(k in _TYPE_WORDS for k in kinds) and len({located[i][0][1] for i in kept}) == 1:
            err, path, field, at_key = located[kept[0]][0]
            words = list(dict.fromkeys(_TYPE_WORDS[k] for k in kinds))
            either = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
            message = f"'{field}' must be {either} (got {show(err.get('input'))})"
            merged[kept[0]] = ({"type": "merged_union", "msg": message}, path, field, at_key)
            dropped.update(kept[1:])
    return [merged.get(i, item) for i, (item, _) in enumerate(located) if i not in dropped]


def _path_of(
    loc: tuple[str | int, ...], doc: Document, *, missing: bool = False
) -> tuple[Path, str, bool, tuple[Any, ...] | None]:
    """The data path behind a pydantic location, the field it names, whether it concerns a key,
    and the location up to the first union tag (which the data never holds), if any."""
    path: list[str | int] = []
    at_key = False
    branch: tuple[Any, ...] | None = None
    for n, part in enumerate(loc):
        if part == "[key]":
            at_key = True
            continue
        candidate = (*path, part)
        # A name absent from the data is a missing field only at the end of a "missing" error's location;
        # elsewhere it is a union's tag (e.g. 'exponential', 'str'), which the data never holds.
        if candidate in doc.values or (missing and n == len(loc) - 1 and _is_missing_field(candidate, doc)):
            path.append(part)
        elif branch is None:
            branch = tuple(loc[: n + 1])
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
    return tuple(path), field, at_key, branch


def _is_missing_field(path: Path, doc: Document) -> bool:
    parent = path[:-1]
    return parent in doc.values and isinstance(path[-1], str) and isinstance(_get(doc.data, parent), dict)


def _get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _in_digits(value: object) -> str:
    """For a whole number written otherwise (``1e9``: YAML reads it as text), how to write it."""
    if isinstance(value, str) and not any(mark in value for mark in "eE."):
        return ""  # digits already ("2" quoted: text, told as such by the value shown)
    try:
        number = float(str(value)) if isinstance(value, (str, float)) else None
    except ValueError:
        return ""
    if number is None or not number.is_integer() or abs(number) > 1e15:
        return ""
    return f" written in digits: {int(number)}"


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
    if kind == "literal_error" and field == "version" and isinstance(err.get("input"), int):
        return (f"'version' must be 1, the only scenario format this version of ballotdrill reads (got {got}); "
                "a file written for a newer format needs a newer ballotdrill")
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
        return (f"'{field}' must be a name of ASCII letters, digits, '-' and '_', starting with a letter or digit "
                f"(got {got})")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[kind]
        bound = next(iter(ctx.values()), "?")
        return f"'{field}' must be {op} {bound} (got {got})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field}' must be a whole number{_in_digits(err.get('input'))} (got {got})"
    if kind in ("float_parsing", "float_type"):
        return f"'{field}' must be a number (got {got})"
    if kind == "finite_number":
        return f"'{field}' must be a finite number (got {got})"
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
