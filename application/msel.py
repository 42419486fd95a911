"""Import an MSEL spreadsheet as a scenario file against a given response structure."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml

from ballotdrill.scenarios.errors import BallotdrillError
from ballotdrill.scenarios.loader import load_file, load_text
from ballotdrill.scenarios.msel_import import Imported, build_scenario
from ballotdrill.scenarios.rawfile import decode, read_bytes
from ballotdrill.scenarios.safetext import BEYOND_JSON, json_output


class _PlainDumper(yaml.SafeDumper):
    """Writes every value out (the strict reader refuses anchors and aliases); text holding a control character
    beyond C0 (DEL, C1, a bidirectional override) double-quoted, where it is written escaped (:func:`_escaped`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if BEYOND_JSON.search(data) else None)


_PlainDumper.add_representer(str, _text)


def _written(header: str, data: dict[str, Any]) -> str:
    """``header`` (comment lines) and ``data`` as YAML with no raw control character: PyYAML escapes C1 and DEL in
    double quotes but writes a bidirectional override raw (it would reorder the file's text in an editor), so those
    are written as ``\\u`` escapes, which a double-quoted scalar reads back as the character (only such scalars can
    hold one: :class:`_PlainDumper`), and a comment shows as they are (a file name's)."""
    return json_output(header + yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=110))


def parse_maps(maps: list[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` flags as a mapping; a flag without '=' is refused."""
    mapping: dict[str, str] = {}
    for flag in maps:
        column, sep, field = flag.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise BallotdrillError(f"--map {flag}: expected COLUMN=FIELD, e.g. --map 'Inject text=message'")
        mapping[column.strip()] = " ".join(field.strip().lower().split())
    return mapping


def _scenario_name(csv_path: Path) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", csv_path.stem).strip("-_")[:80]
    return name or "imported-msel"


def import_msel(csv_path: Path, structure: Path, out: Path, maps: list[str] | None = None, *,
                name: str | None = None, title: str = "") -> Imported:
    """Read ``csv_path``, build the scenario against ``structure``'s structure, check it and write ``out``.

    ``out`` is never overwritten. The written file is read back by the scenario loader before it is kept.
    """
    if out.exists():
        raise BallotdrillError(f"{out}: already exists; import-msel never overwrites a file, choose another --out")
    mapping = parse_maps(maps or [])
    source = str(csv_path)
    raw = read_bytes(source, source, "the spreadsheet", "split it")
    structure_file = load_file(structure)
    imported = build_scenario(decode(raw, source), source, structure_file, name=name or _scenario_name(csv_path),
                              title=title, mapping=mapping)
    header = f"# Scenario imported from the MSEL {csv_path.name} against the structure of {structure.name}.\n" + (
        "# Its window, polling hours, roles and objectives are the spreadsheet's scenario settings row.\n"
        if imported.settings else
        "# Check the window (start, end) and add the election's polling hours and objectives: a spreadsheet\n"
        "# without a scenario settings row (show --csv writes one) does not say them.\n") + (
        "\n".join(textwrap.wrap(f"The structure's procedures no inject here can start are left out "
                                f"({len(imported.dropped)}): {', '.join(imported.dropped)}.", 100,
                                initial_indent="# ", subsequent_indent="#   ")) + "\n" if imported.dropped else "")
    text = _written(header, imported.data)
    load_text(text, str(out))
    try:
        with open(out, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise BallotdrillError(f"{out}: already exists; import-msel never overwrites a file") from None
    except OSError as exc:
        raise BallotdrillError(f"{out}: cannot write ({exc.strerror or exc})") from None
    return imported
