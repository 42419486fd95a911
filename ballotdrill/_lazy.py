"""Packages whose names are imported on first use, so that a command pays only for what it uses."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name in ``homes`` is imported from its submodule when asked for.

    ``homes`` maps a name to the submodule (relative to ``package``) that defines it. The package
    keeps the same names under ``TYPE_CHECKING`` for mypy and readers.
    """
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's name
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        namespace[name] = value
        return value

    return __getattr__
