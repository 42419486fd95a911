"""Shared by the sweep tests: the small example scenario and its variant, and a sweep into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ballotdrill import application

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "sweep.yaml"
VARIANT = ROOT / "docs" / "examples" / "variants" / "second-desk.yaml"


def sweep(tmp: Path, name: str, **options: Any) -> application.SweepOutcome:
    """A sweep of the example into ``tmp/name`` (options as for ``sweep_to_folder``)."""
    options.setdefault("workers", 1)
    return application.sweep_to_folder(EXAMPLE, None, out=tmp / name, **options)
