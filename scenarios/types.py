"""Annotated field types shared by the format's models.

The model modules (here, ``distributions``, ``election``, ``structure``, ``scenario``) keep their
annotations as real objects, without ``from __future__ import annotations``: pydantic would
otherwise evaluate every field's annotation from its text each time the classes are made, at
every start of a command that validates a file (tests/test_startup.py).
"""

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError, PydanticKnownError

from ballotdrill.scenarios.suggest import did_you_mean
from ballotdrill.scenarios.timefmt import (
    format_clock,
    format_day,
    format_duration,
    parse_clock,
    parse_day,
    parse_duration,
)

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"

Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=80)]
"""An identifier: letters, digits, '-' and '_' (no dots, so override paths stay unambiguous)."""

Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*[smhd]\s*)+$",
                    "description": "a duration: 90s, 15m, 2h, 3d or 1h30m"}),
]
"""A duration in minutes, written ``90s``, ``15m``, ``2h``, ``3d``."""

ClockTime = Annotated[
    float,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^(D\s*([+-]\s*\d{1,3})?\s+)?\d{1,2}:\d{2}$",
                    "description": "HH:MM on election day, or D-2 18:00 / D+1 09:00"}),
]
"""A time in minutes since 00:00 on election day."""

Day = Annotated[
    int,
    BeforeValidator(parse_day),
    PlainSerializer(format_day, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^D\s*([+-]\s*\d{1,3})?$",
                    "description": "a day: D (election day), D-7, D+1"}),
]
"""A day as days after election day (``D-7`` is -7)."""

Level = Literal["municipal", "provincial", "federal"]
LEVELS: tuple[str, ...] = ("municipal", "provincial", "federal")
"""Coordination levels, lowest first (Belgian phases: mayor, governor, minister)."""

Severity = Literal[1, 2, 3, 4]
SEVERITIES: tuple[int, ...] = (1, 2, 3, 4)


class Model(BaseModel):
    """Base of every format model: immutable, no unknown keys (with a suggestion)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid", strict=True,
                              allow_inf_nan=False, defer_build=True)

    @model_validator(mode="wrap")
    @classmethod
    def _reject_unknown_keys(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """Every unknown key is a problem of its own (with a suggestion), told beside the problems of the keys
        known, which are still validated: a file with a typo and a wrong value gets both in one pass."""
        if not isinstance(data, dict):
            return handler(data)
        known = _known_keys(cls)
        unknown = [key for key in data if key not in known]
        if not unknown:
            return handler(data)
        names = sorted(f.alias or n for n, f in cls.model_fields.items())
        errors: list[InitErrorDetails] = []
        meant: set[str] = set()
        allowed = f" (allowed here: {', '.join(sorted(known))})"
        for key in unknown:
            hint = did_you_mean(str(key), names)
            meant.add(hint.partition("'")[2].rpartition("'")[0])
            errors.append(InitErrorDetails(
                type=PydanticCustomError("unknown_field", "unknown key '{key}'{hint}",
                                         {"key": str(key), "hint": hint or allowed}),
                loc=(key if isinstance(key, (str, int)) and not isinstance(key, bool) else str(key),),
                input=data[key]))
        try:
            handler({key: value for key, value in data.items() if key in known})
        except ValidationError as exc:  # a field an unknown key was meant for is not also told as missing
            errors += [_again(e) for e in exc.errors(include_url=False)
                       if not (e["type"] == "missing" and e["loc"] and e["loc"][0] in meant)]
        raise ValidationError.from_exception_data(cls.__name__, errors)


def _again(error: ErrorDetails) -> InitErrorDetails:
    """A validation error of the keys known, raised again beside the unknown keys' (its type, place, input, context)."""
    ctx = error.get("ctx")
    try:
        PydanticKnownError(error["type"], ctx)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):  # one of ours (unknown_field of a model inside): its message as it is
        kind: str | PydanticCustomError = PydanticCustomError(error["type"], error["msg"], ctx)
    else:
        kind = error["type"]
    again = InitErrorDetails(type=kind, loc=error["loc"], input=error["input"])
    if ctx is not None:
        again["ctx"] = ctx
    return again


@cache
def _known_keys(model: type[Model]) -> frozenset[str]:
    """The keys ``model`` accepts (each field's alias and name), worked out once per class, not per value."""
    return frozenset({f.alias or name for name, f in model.model_fields.items()} | set(model.model_fields))
