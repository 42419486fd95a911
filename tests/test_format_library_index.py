"""The library's summaries shipped with the package: up to date (like a lock file), answering a first ``list`` or
``validate`` of the library exactly as a full check would, without YAML or pydantic; any other bytes, or other
sources, are checked in full."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from format_helpers import replace_once
from test_summary_cache import WARNED, ballotdrill, entries

from ballotdrill.scenarios import cache, library_index, summary
from ballotdrill.scenarios import make_library_index as make
from ballotdrill.scenarios.library import library_path
from ballotdrill.scenarios.loader import check_file

ROOT = Path(__file__).resolve().parent.parent

MISSED = ("import sys; from ballotdrill.scenarios import library_index; library_index._entries = lambda: {}; "
          "from ballotdrill.cli import main; sys.argv = ['ballotdrill', *sys.argv[1:]]; main()")
"""``ballotdrill`` with the shipped index left out: every file checked in full (or answered by the user's cache)."""


def test_the_shipped_index_is_up_to_date() -> None:
    assert library_index.INDEX.read_text(encoding="utf-8") == make.text(make.build()), (
        "scenarios/library_index.json is stale: regenerate it with `make library-index` "
        "(python -m ballotdrill.scenarios.make_library_index)")


def test_the_index_covers_every_library_file_and_is_taken_as_shipped() -> None:
    for name in library_index.LIBRARY_FILES:
        raw = (library_path().parent / name).read_bytes()
        assert summary.from_json(library_index.lookup(raw)) is not None, name
    assert library_index.lookup(b"scenarios: {}\n") is None


@pytest.fixture
def fresh_index() -> Iterator[None]:
    library_index._entries.cache_clear()
    yield
    library_index._entries.cache_clear()


@pytest.mark.parametrize("shown", ["library", "copy/scenarios.yaml"])
def test_a_library_file_is_answered_as_its_full_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      fresh_index: None, shown: str) -> None:
    monkeypatch.chdir(tmp_path)
    if shown == "library":
        shown = str(library_path())
    else:
        Path(shown).parent.mkdir()
        Path(shown).write_bytes(library_path().read_bytes())
    checked = check_file(shown)
    assert summary.summarize_file(shown) == summary.summarize(checked)
    assert entries() == []  # answered by the index: nothing checked, nothing written to the user's cache


def _index_of(files: list[Path], where: Path) -> Path:
    """An index made of ``files`` (as the library's would be), written to ``where``."""
    index = where / "index.json"
    index.write_text(make.text(make.build(files)), encoding="utf-8")
    return index


def test_warnings_are_shown_under_the_name_the_file_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             fresh_index: None) -> None:
    (tmp_path / "warned.yaml").write_text(WARNED)
    monkeypatch.setattr(library_index, "INDEX", _index_of([tmp_path / "warned.yaml"], tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.yaml").write_text(WARNED)
    for shown in ("warned.yaml", "elsewhere/other.yaml"):
        found = summary.summarize_file(shown)
        assert found == summary.summarize(check_file(shown))
        assert [str(w).split(":")[:2] for w in found.warnings] == [[shown, "11"]]
    assert entries() == []


def test_other_bytes_or_other_sources_are_checked_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           fresh_index: None) -> None:
    (tmp_path / "warned.yaml").write_text(WARNED)
    monkeypatch.setattr(library_index, "INDEX", _index_of([tmp_path / "warned.yaml"], tmp_path))
    forged = json.loads(library_index.INDEX.read_text())
    (entry,) = forged["files"].values()
    entry["scenarios"][0][1] = "kept by the index"
    library_index.INDEX.write_text(make.text(forged))
    monkeypatch.chdir(tmp_path)
    assert summary.summarize_file("warned.yaml").scenarios[0].title == "kept by the index"  # the index answers
    Path("edited.yaml").write_text(replace_once(WARNED, "title: T", "title: T2"))
    assert summary.summarize_file("edited.yaml").scenarios[0].title == "T2"  # other bytes: checked in full
    library_index._entries.cache_clear()
    monkeypatch.setattr(cache, "sources_fingerprint", lambda: b"other sources")
    assert summary.summarize_file("warned.yaml").scenarios[0].title == "T"  # other sources: checked in full
    library_index._entries.cache_clear()
    monkeypatch.setattr(cache, "sources_fingerprint", lambda: None)  # sources not installed: no index
    assert summary.summarize_file("warned.yaml").scenarios[0].title == "T"


@pytest.mark.parametrize("corruption", ["", "{", "[]", '{"format": 1}', '{"format": 2, "sources": "", "files": {}}'])
def test_an_index_that_does_not_read_back_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     fresh_index: None, corruption: str) -> None:
    (tmp_path / "index.json").write_text(corruption)
    monkeypatch.setattr(library_index, "INDEX", tmp_path / "index.json")
    assert library_index.lookup(library_path().read_bytes()) is None
    assert summary.summarize_file(str(library_path())) == summary.summarize(check_file(library_path()))


@pytest.mark.parametrize("args", [("list",), ("list", "--json"), ("validate", "LIBRARY"),
                                  ("validate", "LIBRARY", "--strict", "--json")])
def test_a_first_list_or_validate_of_the_library_needs_neither_yaml_nor_pydantic(args: tuple[str, ...]) -> None:
    args = tuple(str(library_path()) if arg == "LIBRARY" else arg for arg in args)
    first = ballotdrill(*args, cwd=ROOT)
    assert first.from_cache and entries() == []
    full = subprocess.run([sys.executable, "-c", MISSED, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert (full.returncode, full.stdout, full.stderr) == first.said
    assert len(entries()) == 1  # that one was checked in full, and kept in the user's cache
