"""typer's rich help renderer, imported without the two modules ``--help`` never uses.

``typer.rich_utils`` imports ``rich.markdown`` (with markdown-it) and ``rich.traceback`` (with
pygments' syntax highlighting) at its top, for help written in Markdown (this app writes rich
markup) and for pretty tracebacks (switched off: the command line prints one line per error).
Together they are about a third of ``ballotdrill --help``'s start-up. While the renderer is
imported, each stands in as a small module whose class loads the real one the first time it is
used, so the help is drawn by the same code with the same result; the stand-ins leave
``sys.modules`` straight after, so any later import gets the real modules.
"""

import importlib
import sys
from types import ModuleType
from typing import Any

UNUSED = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))
"""The modules ``typer.rich_utils`` imports at its top that help in rich markup never touches, and the name it
takes from each."""


def import_renderer() -> None:
    """Import ``typer.rich_utils`` (if not yet imported) with :data:`UNUSED` standing in until used."""
    import_without("typer.rich_utils", UNUSED)


def import_without(target: str, unused: tuple[tuple[str, str], ...]) -> None:
    """Import ``target`` while each ``(module, name)`` of ``unused`` stands in for the real module; if ``target``
    wants more of one than ``name`` (a later release, say), it is imported again with the real modules."""
    if target in sys.modules:
        return
    standing_in = {module: _stand_in(module, name) for module, name in unused if module not in sys.modules}
    sys.modules.update(standing_in)
    try:
        __import__(target)  # the import statement's path, so that -X importtime shows it
    except (ImportError, AttributeError):
        pass  # imported below with the real modules
    finally:
        for module, stand_in in standing_in.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    if target not in sys.modules:
        __import__(target)


def _stand_in(module: str, name: str) -> ModuleType:
    """A module holding a class ``name`` that behaves as ``module.name`` by importing it when first used."""

    def real() -> Any:
        return getattr(importlib.import_module(module), name)

    class Loading(type):
        def __getattr__(cls, attribute: str) -> Any:  # class attributes: Traceback.from_exception
            return getattr(real(), attribute)

        def __instancecheck__(cls, instance: Any) -> bool:
            return isinstance(instance, real())

        def __subclasscheck__(cls, subclass: Any) -> bool:
            return issubclass(subclass, real())

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        return real()(*args, **kwargs)

    stand_in = ModuleType(module)
    setattr(stand_in, name, Loading(name, (), {"__new__": new, "__module__": module}))
    return stand_in
