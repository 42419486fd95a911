"""The two ways a score record is built: validated, or by the scorer's own builders without validation and checked
before the scores keep it."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=BaseModel)
_new_object = object.__new__
_set_slot = object.__setattr__


def unchecked(cls: type[F], values: dict[str, Any]) -> F:
    """A ``cls`` record of ``values`` made without validating them (a third of the cost).

    For the scorer's own builders only: ``values`` holds every field of ``cls``, in its order, already of its type
    (rounded floats, bools, fresh lists), so the record equals the validated one. A background arrival folded into
    the aggregates and let go is built this way; every record the scores keep is validated again (:func:`checked`).
    """
    record = _new_object(cls)
    _set_slot(record, "__dict__", values)
    _set_slot(record, "__pydantic_fields_set__", set(values))
    _set_slot(record, "__pydantic_extra__", None)
    _set_slot(record, "__pydantic_private__", None)
    return record


def checked(record: F) -> F:
    """``record`` once validated: itself, when validation gives back every value unchanged and of the same type
    (so its JSON is the validated record's); a ``ValidationError`` or ``ValueError`` when not. The validated copy
    is let go: a report's records are not held twice."""
    values = record.__dict__
    for name, value in type(record)(**values).__dict__.items():
        kept = values[name]
        if kept is not value and (type(kept) is not type(value) or kept != value):
            raise ValueError(f"{type(record).__name__} {values.get('incident')!r}: {name} was built as {kept!r}, "
                             f"validated as {value!r}")
    return record
