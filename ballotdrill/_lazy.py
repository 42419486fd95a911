"""Packages whose names are imported on first use, so that a command pays only for what it uses."""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable
from typing import Any


class _KeepsExportedNames(types.ModuleType):
    """A lazy package one of whose names is also the name of the submodule that defines it (``scoring.score``, the
    function, in ``scoring/score.py``). Importing a submodule sets it as its package's attribute, which would hide
    the name; the package keeps the submodule's own object of that name instead, as an eager ``from .score import
    score`` in its ``__init__`` left it, whichever is imported first."""

    _shadowed: frozenset[str] = frozenset()
    """The package's names that are also their submodules' names."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._shadowed and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


def lazy_names(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name in ``homes`` is imported from its submodule when asked for.

    ``homes`` maps a name to the submodule (relative to ``package``) that defines it. The package
    keeps the same names under ``TYPE_CHECKING`` for mypy and readers. A name that is its own submodule's name
    stays the name's object once that submodule is imported (:class:`_KeepsExportedNames`).
    """
    module = importlib.import_module(package)
    namespace = module.__dict__
    shadowed = frozenset(name for name, home in homes.items() if name == home)
    if shadowed:
        module.__class__ = type("LazyPackage", (_KeepsExportedNames,), {"_shadowed": shadowed})

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's name
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        namespace[name] = value
        return value

    return __getattr__
