"""A sweep point's label says what was played: a grid value a variant sets over is labelled by the variant's value
(and the grid's it replaced), never by the grid's alone; a grid value the variant leaves alone reads as before."""

from __future__ import annotations

from pathlib import Path

from sweep_helpers import EXAMPLE

from ballotdrill.scenarios.yamlread import read_file
from ballotdrill.sweep import build_points, parse_axis, read_variant


def _labels(tmp_path: Path, settings: str) -> list[str]:
    variant = tmp_path / "v.yaml"
    variant.write_text(f"name: six\nset:\n{settings}", encoding="utf-8")
    axes = [parse_axis("structure.actors.desk.staff=1,2")]
    _, points = build_points(read_file(str(EXAMPLE)), None, [], axes, [read_variant(variant)])
    return [p.label for p in points]


def test_a_grid_value_the_variant_overrides_is_labelled_by_what_was_played(tmp_path: Path) -> None:
    labels = _labels(tmp_path, "  structure.actors.desk.staff: 6\n")
    assert labels == ["baseline @ staff=1", "six @ staff=6 (the variant's, not the grid's 1)",
                      "baseline @ staff=2", "six @ staff=6 (the variant's, not the grid's 2)"]


def test_a_variant_replacing_the_actor_plays_its_staff_not_the_grid_s(tmp_path: Path) -> None:
    labels = _labels(tmp_path, "  structure.actors.desk: {name: Front desk, staff: 2}\n")
    assert labels == ["baseline @ staff=1", "six @ staff=2 (the variant's, not the grid's 1)",
                      "baseline @ staff=2", "six @ staff=2"]  # the same as the grid's: nothing to say


def test_a_variant_elsewhere_keeps_the_grid_label(tmp_path: Path) -> None:
    labels = _labels(tmp_path, "  structure.actors.cell.staff: 3\n")
    assert labels == ["baseline @ staff=1", "six @ staff=1", "baseline @ staff=2", "six @ staff=2"]
