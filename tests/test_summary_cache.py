"""The summary cache behind ``list`` and ``validate``: a hit answers exactly as a full check would, without YAML
or pydantic; a changed file, name or code is a miss; a corrupt entry is ignored and rewritten; a cache that cannot
be written is skipped; a file with errors is never cached."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from format_helpers import BASE, replace_once

from ballotdrill.scenarios import cache, summary

ROOT = Path(__file__).resolve().parent.parent

WARNED = BASE.replace("  procedures:\n",
                      "  procedures:\n    p0:\n      trigger: {type: flood}\n      steps:\n"
                      "        - {id: s0, actor: cell-a}\n", 1)
"""A valid file with one warning (a procedure no incident can start), at line 11."""

_PROBE = """
import sys
from ballotdrill.cli import main
sys.argv = ["ballotdrill", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""

FULL_CHECK = ("pydantic", "yaml", "ballotdrill.scenarios.scenario")
"""Modules a full check loads and an answer from the cache does not."""


class Ran:
    def __init__(self, done: subprocess.CompletedProcess[str]) -> None:
        stderr, _, modules = done.stderr.rpartition("\nMODULES ")
        self.said = (done.returncode, done.stdout, stderr)
        self.modules = set(modules.split())

    @property
    def checked_in_full(self) -> bool:
        return all(name in self.modules for name in FULL_CHECK)

    @property
    def from_cache(self) -> bool:
        return not any(name in self.modules for name in (*FULL_CHECK, "typer"))


def ballotdrill(*args: str, cwd: Path, **env: str) -> Ran:
    """``ballotdrill ARGS`` as a fresh process (the cache folder from the test's environment unless given)."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env}, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return Ran(done)


def entries() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"], "ballotdrill").glob("*.json"))


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    (tmp_path / "warned.yaml").write_text(WARNED)
    return tmp_path


@pytest.mark.parametrize("args", [("validate", "warned.yaml"), ("validate", "warned.yaml", "--strict", "--json"),
                                  ("list", "--file", "warned.yaml"), ("list", "--json", "-f", "warned.yaml")])
def test_the_second_run_answers_from_the_cache_and_says_the_same(warned: Path, args: tuple[str, ...]) -> None:
    first = ballotdrill(*args, cwd=warned)
    second = ballotdrill(*args, cwd=warned)
    assert first.checked_in_full and second.from_cache
    assert second.said == first.said
    if args[0] == "validate":
        assert "warned.yaml:11:" in first.said[2]  # the warning, located, comes through the cache
    assert len(entries()) == 1


def test_a_changed_file_is_checked_again(warned: Path) -> None:
    path = warned / "warned.yaml"
    original = ballotdrill("validate", "warned.yaml", cwd=warned)
    path.write_text(replace_once(WARNED, "title: T", "title: Renamed"))
    assert "Renamed" in ballotdrill("list", "--file", "warned.yaml", cwd=warned).said[1]
    path.write_text(replace_once(WARNED, "actor: cell-b,", "actor: cell-bb,"))
    broken = ballotdrill("validate", "warned.yaml", cwd=warned)
    assert broken.checked_in_full
    assert broken.said[0] == 2 and "warned.yaml:18:27:" in broken.said[2] and "cell-bb" in broken.said[2]
    path.write_text(WARNED)
    again = ballotdrill("validate", "warned.yaml", cwd=warned)
    assert again.from_cache and again.said == original.said


def test_the_same_bytes_under_another_name_are_not_the_same_answer(warned: Path) -> None:
    (warned / "copy").mkdir()
    (warned / "copy" / "warned.yaml").write_text(WARNED)
    here = ballotdrill("validate", "warned.yaml", cwd=warned)
    there = ballotdrill("validate", "copy/warned.yaml", cwd=warned)
    assert there.checked_in_full
    assert "copy/warned.yaml:11:" in there.said[2] and "copy/" not in here.said[2]


def test_a_file_with_errors_is_never_cached(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(replace_once(BASE, "actor: cell-b,", "actor: cell-bb,"))
    first = ballotdrill("validate", "bad.yaml", cwd=tmp_path)
    second = ballotdrill("validate", "bad.yaml", cwd=tmp_path)
    assert first.checked_in_full and second.checked_in_full and second.said == first.said
    assert first.said[0] == 2 and entries() == []


CORRUPTIONS = {
    "empty": lambda text: "",
    "truncated": lambda text: text[: len(text) // 2],
    "a character changed": lambda text: text.replace('"T"', '"X"'),
    "not text": lambda text: "\udcff\x00garbage",
    "another shape, digest right": lambda text: _signed(text.replace('"T", "06:00"', '"T", 6')),
    "a count as text, digest right": lambda text: _signed(text.replace(', 1, 0, [', ', "1", 0, [')),
}


def _signed(text: str) -> str:
    body = text.partition("\n")[2]
    return f"{hashlib.sha256(body.encode()).hexdigest()}\n{body}"


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupt_entry_is_ignored_and_written_again(warned: Path, corruption: str) -> None:
    args = ("list", "--file", "warned.yaml", "--json")
    first = ballotdrill(*args, cwd=warned)
    (entry,) = entries()
    text = entry.read_text()
    spoiled = CORRUPTIONS[corruption](text)
    assert spoiled != text
    entry.write_text(spoiled, errors="surrogateescape")
    again = ballotdrill(*args, cwd=warned)
    assert again.checked_in_full and again.said == first.said
    assert entry.read_text() == text and cache.load(entry.stem, entry.parent) is not None


@pytest.mark.parametrize("where", ["under-a-file", "cache-dir-is-a-file"])
def test_a_cache_that_cannot_be_written_is_skipped(warned: Path, where: str) -> None:
    (warned / "a-file").write_text("")
    (warned / "home" / "ballotdrill").parent.mkdir()
    (warned / "home" / "ballotdrill").write_text("")
    folder = warned / "a-file" / "cache" if where == "under-a-file" else warned / "home"
    with_cache = ballotdrill("validate", "warned.yaml", cwd=warned)
    for _ in range(2):
        without = ballotdrill("validate", "warned.yaml", cwd=warned, XDG_CACHE_HOME=str(folder))
        assert without.checked_in_full and without.said == with_cache.said


def test_the_cache_lives_in_the_users_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "ballotdrill"
    for ignored in ("", "relative/cache"):  # the XDG specification: an empty or relative value is ignored
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        assert cache.cache_dir() == tmp_path / "home" / ".cache" / "ballotdrill"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "ballotdrill"


def test_an_entry_is_keyed_on_the_code_that_checked_the_file(monkeypatch: pytest.MonkeyPatch, warned: Path) -> None:
    path = str(warned / "warned.yaml")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"code A")
    real = summary.summarize_file(path)
    key = cache.entry_key(WARNED.encode(), path, b"code A")
    forged = real._replace(scenarios=(real.scenarios[0]._replace(title="kept by code A"),))
    cache.store(key, summary.as_json(forged))
    assert summary.summarize_file(path) == forged  # the entry is what answers
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"code B")
    assert summary.summarize_file(path) == real  # other code: checked again
    monkeypatch.setattr(cache, "code_fingerprint", lambda: None)  # no fingerprint: no cache at all
    assert summary.summarize_file(path) == real


def test_the_fingerprint_covers_every_source_and_the_libraries_versions(tmp_path: Path) -> None:
    files = cache.code_files()
    assert files is not None and cache.code_fingerprint() is not None
    names = {path.name for path in files}
    here = ROOT / "scenarios"
    assert {path.name for path in here.glob("*.py")} <= names
    assert {"version.py", "__init__.py"} <= names and files[-2].parent.name == "pydantic"
    copies = []
    for n, path in enumerate(files):
        copy = tmp_path / str(n) / path.name
        copy.parent.mkdir()
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    before = cache.fingerprint(copies, "python")
    assert cache.fingerprint(copies, "another python") != before
    for copy in (copies[0], copies[len(copies) // 2], copies[-2], copies[-1]):
        data = copy.read_bytes()
        copy.write_bytes(data + b"\n")
        assert cache.fingerprint(copies, "python") != before, copy
        copy.write_bytes(data)
    assert cache.fingerprint(copies, "python") == before
    copies[0].unlink()
    assert cache.fingerprint(copies, "python") is None


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for n in range(cache.MAX_ENTRIES + 3):
        cache.store(f"k{n:03d}", {"n": n}, tmp_path)
        os.utime(tmp_path / f"k{n:03d}.json", ns=(n * 10**9, n * 10**9))
    cache.store("newest", {"n": -1}, tmp_path)
    kept = sorted(path.stem for path in tmp_path.glob("*.json"))
    assert len(kept) == cache.MAX_ENTRIES and "newest" in kept and "k000" not in kept
    assert cache.load("newest", tmp_path) == {"n": -1} and cache.load("k000", tmp_path) is None
    assert not list(tmp_path.glob("*.tmp"))
    assert json.loads((tmp_path / "newest.json").read_text().partition("\n")[2])["key"] == "newest"
