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
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

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

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = _known_keys(cls)
        for key in data:
            if key not in known:
                hint = did_you_mean(str(key), sorted(f.alias or n for n, f in cls.model_fields.items()))
                raise PydanticCustomError(
                    "unknown_field",
                    "unknown key '{key}'{hint}",
                    {"key": str(key), "hint": hint or f" (allowed here: {', '.join(sorted(known))})"},
                )
        return data


@cache
def _known_keys(model: type[Model]) -> frozenset[str]:
    """The keys ``model`` accepts (each field's alias and name), worked out once per class, not per value."""
    return frozenset({f.alias or name for name, f in model.model_fields.items()} | set(model.model_fields))
