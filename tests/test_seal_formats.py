"""The seal's row digest, both formats: what it covers, checked alone or in an export's own pass."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import struct
import sys
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line

from ballotdrill.application import export_run
from ballotdrill.exercise import run_exercise
from ballotdrill.journal import read_events
from ballotdrill.journal.seal import BLOCK, SEAL_KEY, RowDigest, seal, verify
from ballotdrill.scenarios import BallotdrillError, load_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine_vs_simpy import scenario_yaml


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of more than one block of rows, sealed as a run seals it, and its JSON Lines export."""
    folder = tmp_path_factory.mktemp("seal") / "run"
    run_exercise(load_text(scenario_yaml(500), "bench"), "bench", seed=1, out=folder)
    export_run(folder, jsonl=folder.parent / "before.jsonl")
    return folder


def copy_of(finished: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    folder.mkdir()
    for item in finished.iterdir():
        (folder / item.name).write_bytes(item.read_bytes())
    return folder


def rows_and_meta(journal: Path) -> tuple[list[tuple[object, ...]], dict[str, str]]:
    with sqlite3.connect(journal) as db:
        rows = db.execute("SELECT seq, t, kind, incident, actor, step, data FROM events ORDER BY seq").fetchall()
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    db.close()
    return rows, meta


def seal_the_old_way(journal: Path) -> None:
    """Version 1, as runs were sealed before: SHA-256 of each covered meta entry's ``repr`` and of each row's
    ``repr``, a line each; no ``version`` in the seal."""
    rows, meta = rows_and_meta(journal)
    meta.pop(SEAL_KEY, None)
    digest = hashlib.sha256()
    for key in sorted(meta):
        digest.update(repr((key, meta[key])).encode() + b"\n")
    for row in rows:
        digest.update(repr(row).encode() + b"\n")
    value = json.dumps({"rows": len(rows), "digest": digest.hexdigest(), "meta": sorted(meta)}, sort_keys=True)
    with sqlite3.connect(journal) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (SEAL_KEY, value))
    db.close()


def marshal_2(rows: list[tuple[object, ...]]) -> bytes:
    """``marshal.dumps(rows, 2)`` written out by hand from its format: what a version 2 digest is made of."""
    def value(v: object) -> bytes:
        if v is None:
            return b"N"
        if isinstance(v, int):
            return b"i" + struct.pack("<i", v)
        if isinstance(v, float):
            return b"g" + struct.pack("<d", v)
        assert isinstance(v, str)
        text = v.encode("utf-8", "surrogatepass")
        return b"u" + struct.pack("<i", len(text)) + text
    return b"[" + struct.pack("<i", len(rows)) + b"".join(
        b"(" + struct.pack("<i", len(row)) + b"".join(map(value, row)) for row in rows)


def test_a_version_2_digest_is_the_meta_then_marshal_format_2_of_each_block_of_rows(finished: Path) -> None:
    journal = finished / "journal.sqlite"
    rows, meta = rows_and_meta(journal)
    sealed = json.loads(meta[SEAL_KEY])
    assert sealed["version"] == 2 and sealed["rows"] == len(rows) > BLOCK
    expected = hashlib.sha256()
    for key in sealed["meta"]:
        expected.update(repr((key, meta[key])).encode() + b"\n")
    for start in range(0, len(rows), BLOCK):
        expected.update(marshal_2(rows[start:start + BLOCK]))
    assert sealed["digest"] == expected.hexdigest()
    digest = RowDigest(meta, sealed["meta"])
    digest.update([(0, 1.5, "kind", None, "a", "é \udc80", '{"x":1}')])
    check = hashlib.sha256()
    for key in sealed["meta"]:
        check.update(repr((key, meta[key])).encode() + b"\n")
    check.update(marshal_2([(0, 1.5, "kind", None, "a", "é \udc80", '{"x":1}')]))
    assert digest.hexdigest() == check.hexdigest()


CHANGES = {
    "one ulp later": "UPDATE events SET t = {later} WHERE seq = 7",
    "a blob for text": "UPDATE events SET incident = CAST(incident AS BLOB) WHERE seq = (SELECT min(seq) FROM events "
                       "WHERE incident IS NOT NULL)",
    "data edited": "UPDATE events SET data = replace(data, '\"wait\":', '\"wait\": ') WHERE seq = (SELECT max(seq) "
                   "FROM events WHERE data LIKE '%\"wait\":%')",
    "last row deleted, another duplicated in its place": "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);"
                         "INSERT INTO events SELECT (SELECT max(seq) FROM events) + 1, t, kind, incident, actor, step, "
                         "data FROM events WHERE seq = 3",
}


def change(journal: Path, case: str) -> None:
    with sqlite3.connect(journal) as db:
        (t,) = db.execute("SELECT t FROM events WHERE seq = 7").fetchone()
        for statement in CHANGES[case].format(later=repr(math.nextafter(t, math.inf))).split(";"):
            assert db.execute(statement).rowcount == 1, statement
    db.close()


@pytest.mark.parametrize("old_way", [False, True], ids=["version 2", "version 1"])
@pytest.mark.parametrize("case", list(CHANGES))
def test_a_changed_row_is_found_by_the_check_and_by_an_exports_own_pass(
        finished: Path, tmp_path: Path, case: str, old_way: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_of(finished, tmp_path)
    journal = folder / "journal.sqlite"
    if old_way:
        seal_the_old_way(journal)
    assert verify(journal).state == "sealed"
    if old_way:  # an intact journal sealed the old way still exports, the same bytes
        export_run(folder, jsonl=tmp_path / "old.jsonl")
        assert (tmp_path / "old.jsonl").read_bytes() == (finished.parent / "before.jsonl").read_bytes()
    change(journal, case)
    verdict = verify(journal)
    assert verdict.state == "changed"
    assert verdict.detail == "its rows or its meta (stored scenario, seed, decisions) differ from what was sealed"
    (tmp_path / "out.csv").write_text("mine\n", encoding="utf-8")
    for option, out in (("--jsonl", "out.jsonl"), ("--csv", "out2.csv"), ("--ocel", "out.json"),
                        ("--ocel", "out.sqlite")):
        result = in_process(("export", "run", option, out), tmp_path, monkeypatch, capsys)
        one_line(result, "run: the journal was changed after the run ended (its rows or its meta",
                 "add --force to use it anyway")
    result = in_process(("export", "run", "--csv", "out.csv"), tmp_path, monkeypatch, capsys)
    one_line(result, "out.csv already exists; ballotdrill does not overwrite it: choose another name, or "
                     "remove the file first")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "mine\n"  # nothing overwritten
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv", "run", *(["old.jsonl"] * old_way)])
    if case == "a blob for text":  # used anyway, the export still refuses a value no export can hold
        with pytest.raises(BallotdrillError, match=r"cannot read the run .*journal row seq \d+: a value of another"):
            export_run(folder, jsonl=tmp_path / "forced.jsonl", force=True)
        return
    forced = export_run(folder, jsonl=tmp_path / "forced.jsonl", force=True)
    assert forced[0].events == len(list(read_events(journal)))


def test_a_seal_of_an_unknown_version_is_not_readable(finished: Path, tmp_path: Path) -> None:
    folder = copy_of(finished, tmp_path)
    journal = folder / "journal.sqlite"
    with sqlite3.connect(journal) as db:
        (value,) = db.execute("SELECT value FROM meta WHERE key = ?", (SEAL_KEY,)).fetchone()
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value.replace('"version": 2', '"version": 3'), SEAL_KEY))
    db.close()
    assert verify(journal) == (verify(journal).state, verify(journal).rows, "its seal is not readable")
    with pytest.raises(BallotdrillError, match="its seal is not readable"):
        export_run(folder, jsonl=tmp_path / "j.jsonl")


def test_sealing_again_gives_the_same_seal(finished: Path, tmp_path: Path) -> None:
    folder = copy_of(finished, tmp_path)
    journal = folder / "journal.sqlite"
    before = rows_and_meta(journal)[1][SEAL_KEY]
    assert seal(journal) == json.loads(before)["rows"]
    assert rows_and_meta(journal)[1][SEAL_KEY] == before


@pytest.mark.parametrize("number", ["NaN", "-Infinity", "inf", "nan"])
def test_a_non_finite_number_the_run_itself_wrote_is_refused_by_its_seq(
        finished: Path, tmp_path: Path, number: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Sealed over it (as if the engine had written it), so only the export's own check can find it."""
    folder = copy_of(finished, tmp_path)
    journal = folder / "journal.sqlite"
    with sqlite3.connect(journal) as db:
        (seq,) = db.execute("SELECT max(seq) FROM events WHERE data LIKE '%\"wait\":%'").fetchone()
        db.execute("UPDATE events SET data = replace(data, '\"wait\":', '\"wait\":' || ? || ',\"was\":') "
                   "WHERE seq = ?", (number, seq))
    db.close()
    seal(journal)
    assert verify(journal).state == "sealed"
    for option, out in (("--jsonl", "out.jsonl"), ("--csv", "out.csv"), ("--ocel", "out.json")):
        result = in_process(("export", "run", option, out), tmp_path, monkeypatch, capsys)
        one_line(result, f"journal row seq {seq}: its data is not a JSON object")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
