"""Exports stream a journal: the same bytes as writing each event, one row (OCEL: the work in flight) in memory."""

from __future__ import annotations

import csv
import io
import json
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scoring_helpers import sample_events, scenario_file, write_run
from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import export_run
from ballotdrill.exercise import run_exercise
from ballotdrill.exports import write_csv_rows, write_jsonl_rows, write_ocel_json
from ballotdrill.exports.ocel import OcelEvent, OcelObject, OcelWalker, shared_events
from ballotdrill.journal import COLUMNS, Event, canonical_json, read_events
from ballotdrill.journal.rows import stored_rows
from ballotdrill.journal.seal import seal
from ballotdrill.journal.store import events_of
from ballotdrill.scenarios import BallotdrillError, library_path, load_file, load_text
from ballotdrill.scenarios.safetext import csv_cell

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from engine_vs_simpy import scenario_yaml

ODD = ["N\"1\\", "=HYPERLINK(\"x\")", "é ü 中文 \u2028", "tab\there\nnew", "-1", None]
"""Incident, actor and step values a hand-made journal may hold: quotes, backslashes, controls, Unicode."""


def reference_jsonl(events: list[Event]) -> bytes:
    return "".join(e.to_json() + "\n" for e in events).encode()


def reference_csv(events: list[Event]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in events:  # every cell made spreadsheet-safe, as the CSV was written one event at a time
        writer.writerow([csv_cell(cell) for cell in (e.seq, repr(e.t), e.kind, e.incident, e.actor, e.step,
                                                     canonical_json(e.data) if e.data else "")])
    return out.getvalue().encode()


def odd_journal(tmp_path: Path) -> list[Event]:
    events = sample_events()
    for i, odd in enumerate(ODD):
        events.append(Event(len(events), 1000.0 + i / 3, "action_taken", odd, odd, odd,
                            {"action": odd or "", "by": "player", "nested": {"b": [1, 2.5], "a": "\x00"}}))
    events.append(Event(len(events), 1e-7, "resolved", "N9", None, None, {}))
    events.append(Event(len(events), -2.5, "resolved", "N9", None, None, {}))
    write_run(tmp_path / "run", events, scenario_file())
    with sqlite3.connect(tmp_path / "run" / "journal.sqlite") as db:  # canonical data, as the engine stores it
        db.executemany("UPDATE events SET data = ? WHERE seq = ?",
                       [(canonical_json(e.data) if e.data else None, e.seq) for e in events])
    db.close()
    seal(tmp_path / "run" / "journal.sqlite")  # sealed over the stored form, as a finished run is
    return events


def test_streamed_jsonl_and_csv_are_the_bytes_of_each_event_written_out(tmp_path: Path) -> None:
    events = odd_journal(tmp_path)
    journal = tmp_path / "run" / "journal.sqlite"
    assert write_jsonl_rows(stored_rows(journal), tmp_path / "j.jsonl") == len(events)
    assert write_csv_rows(stored_rows(journal), tmp_path / "j.csv") == len(events)
    assert (tmp_path / "j.jsonl").read_bytes() == reference_jsonl(events)
    assert (tmp_path / "j.csv").read_bytes() == reference_csv(events)
    assert list(read_events(tmp_path / "j.jsonl")) == events
    with (tmp_path / "j.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells and "'-2.5" in cells and "'-1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_real_run_exports_the_same_bytes_as_its_events(tmp_path: Path) -> None:
    doc = load_file(library_path())
    run_exercise(doc, "combined-hybrid-day", seed=2, out=tmp_path / "run")
    events = list(read_events(tmp_path / "run" / "journal.sqlite"))
    done = export_run(tmp_path / "run", jsonl=tmp_path / "j.jsonl", csv=tmp_path / "j.csv")
    assert [d.events for d in done] == [len(events), len(events)]
    assert (tmp_path / "j.jsonl").read_bytes() == reference_jsonl(events)
    assert (tmp_path / "j.csv").read_bytes() == reference_csv(events)


def test_data_that_is_not_a_json_object_is_refused_with_its_seq(tmp_path: Path) -> None:
    odd_journal(tmp_path)
    with sqlite3.connect(tmp_path / "run" / "journal.sqlite") as db:
        db.execute("UPDATE events SET data = '[1, 2]' WHERE seq = 5")
    result = CliRunner().invoke(cli.app, ["export", str(tmp_path / "run"), "--jsonl", str(tmp_path / "j.jsonl")])
    assert result.exit_code != 0 and "the journal was changed after the run ended" in str(result.exception)
    # used anyway (--force), the streamed export still refuses the row, by its seq
    result = CliRunner().invoke(cli.app, ["export", str(tmp_path / "run"), "--jsonl", str(tmp_path / "j.jsonl"),
                                          "--force"])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and "seq 5" in str(result.exception)
    assert "data is not a JSON object" in str(result.exception)


def test_ocel_sqlite_export_through_the_command_and_no_partial_file_on_failure(tmp_path: Path) -> None:
    odd_journal(tmp_path)
    result = CliRunner().invoke(cli.app, ["export", str(tmp_path / "run"), "--ocel", str(tmp_path / "log.sqlite")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "log.sqlite") as db:
        assert db.execute("SELECT count(*) FROM event").fetchone()[0] == len(read_events_list(tmp_path))
    (tmp_path / "log.db").mkdir()  # a folder where the log should go: refused before anything is written
    with pytest.raises(BallotdrillError, match=r"log\.db is a folder"):
        export_run(tmp_path / "run", ocel=tmp_path / "log.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.db", "log.sqlite", "run"]


def read_events_list(tmp_path: Path) -> list[Event]:
    return list(read_events(tmp_path / "run" / "journal.sqlite"))


class _Peak:
    """A sink that notes how many objects the walk holds open at each event."""

    def __init__(self) -> None:
        self.walker: OcelWalker | None = None
        self.peak = self.events = self.objects = 0

    def event(self, event: OcelEvent) -> None:
        assert self.walker is not None
        self.events += 1
        self.peak = max(self.peak, len(self.walker.objects) + len(self.walker.work))

    def object(self, obj: OcelObject) -> None:
        self.objects += 1

    def finish(self, event_types: dict[str, dict[str, str]]) -> None:
        pass


@pytest.mark.parametrize("incidents", [300, 3000])
def test_the_ocel_walk_holds_only_the_work_in_flight(incidents: int) -> None:
    doc = load_text(scenario_yaml(incidents), "bench")
    events = run_exercise(doc, "bench", seed=1).events
    sink = _Peak()
    sink.walker = OcelWalker(sink, doc, "bench")
    assert sink.walker.walk(iter(events)) == sink.events == len(events)
    # Every step instance and handoff is an object, yet at most a few dozen are open at once
    # (about 70 % load on five agencies), whether 300 or 3,000 incidents went through.
    assert sink.objects > 6 * incidents
    assert sink.peak < 150, sink.peak


def test_the_ocel_json_file_is_one_document(tmp_path: Path) -> None:
    odd_journal(tmp_path)
    export_run(tmp_path / "run", ocel=tmp_path / "log.json")
    log = json.loads((tmp_path / "log.json").read_text(encoding="utf-8"))
    assert set(log) == {"objectTypes", "eventTypes", "objects", "events"}
    ids = {o["id"] for o in log["objects"]}
    assert len(ids) == len(log["objects"])
    assert all(r["objectId"] in ids for e in log["events"] for r in e["relationships"])


def reference_csv_rows(rows: list[tuple[object, ...]]) -> bytes:
    """CSV of stored rows one at a time through ``csv.writer``, every cell made spreadsheet-safe."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for seq, t, kind, incident, actor, step, data in rows:
        writer.writerow([csv_cell(cell) for cell in (seq, repr(t) if type(t) is float else t, kind, incident, actor,
                                                     step, "" if data in ("", "{}") else data)])
    return out.getvalue().encode()


ODD_CELLS = [("kind", "a,b"), ("kind", 'say "x"'), ("incident", "-1"), ("actor", "@me"), ("step", "line\nbreak"),
             ("step", "cr\rhere"), ("data", "{}"), ("data", "{ }"), ("data", ""), ("t", -0.0), ("t", -3.5), ("t", 7),
             ("seq", -4), ("incident", "=1+2"), ("actor", "\tx"), ("incident", "")]
"""One odd value per case: cells csv quotes, would-be formulas, empty data, numbers of another type."""


@pytest.mark.parametrize(("column", "value"), ODD_CELLS)
def test_csv_blocks_with_and_without_odd_cells_are_csv_writers_bytes(tmp_path: Path, column: str,
                                                                     value: object) -> None:
    """Plain blocks take the one-pass format; a block with one odd row among thousands goes through
    csv.writer; either way the bytes are those of csv.writer row by row."""
    base = [(seq, 1.0 + seq / 7, "step_started", f"I{seq // 9}", "a1", None if seq % 5 else "s",
             f'{{"procedure":"p","wait":{seq % 4}.5}}' if seq % 3 else None) for seq in range(3 * 8192 + 5)]
    odd = list(base[9000])
    odd[COLUMNS.index(column)] = value
    rows = [*base[:9000], tuple(odd), *base[9001:]]
    assert write_csv_rows(rows, tmp_path / "j.csv") == len(rows)  # type: ignore[arg-type]
    assert (tmp_path / "j.csv").read_bytes() == reference_csv_rows(rows)


@pytest.mark.parametrize("where", [(0,), (8191, 8192), (63, 64, 65, 4000, 4001), tuple(range(8100, 8300, 3))])
def test_odd_rows_scattered_over_blocks_leave_csv_writers_bytes(tmp_path: Path, where: tuple[int, ...]) -> None:
    """Odd rows at a block's edges, next to each other and every few rows (a part of a block is formatted in one
    pass when plain, the rest by csv.writer): the bytes are csv.writer's row by row, in the journal's order."""
    rows: list[tuple[object, ...]] = [
        (seq, 0.5 + seq, "step_started", f"I{seq // 9}", "a1", "s", '{"procedure":"p"}') for seq in range(2 * 8192 + 9)]
    for n, seq in enumerate(where):
        column, value = ODD_CELLS[n % len(ODD_CELLS)]
        odd = list(rows[seq])
        odd[COLUMNS.index(column)] = value
        rows[seq] = tuple(odd)
    assert write_csv_rows(rows, tmp_path / "j.csv") == len(rows)  # type: ignore[arg-type]
    assert (tmp_path / "j.csv").read_bytes() == reference_csv_rows(rows)


@pytest.mark.parametrize("times", [(0.0, -0.0), (7, 7.0), (2.5, 2.5, 2.5), (7.0, 7), (-0.0, 0.0, 0.0), (1e-7, 1e16)])
def test_times_shared_by_neighbouring_rows_are_each_written_as_their_own_value(tmp_path: Path,
                                                                              times: tuple[float, ...]) -> None:
    """Each distinct time's text is made once per block; values that compare equal but are written differently (0.0
    and -0.0, 7 and 7.0) still get their own text, in JSON Lines and in CSV."""
    rows: list[tuple[object, ...]] = [
        (seq, 10.0 + seq // 3, "step_started", f"I{seq // 9}", "a1", "s", '{"procedure":"p"}') for seq in range(9000)]
    for n, t in enumerate(times):
        for seq in (n, 8190 + n, 8500 + n):  # the first block, across its edge, inside the second
            rows[seq] = (seq, t, *rows[seq][2:])
    assert write_jsonl_rows(rows, tmp_path / "j.jsonl") == len(rows)  # type: ignore[arg-type]
    expected = "".join(json.dumps({"seq": seq, "t": t, "kind": kind, "incident": incident, "actor": actor,
                                   "step": step, "data": json.loads(str(data))}, sort_keys=True,
                                  separators=(",", ":")) + "\n"
                       for seq, t, kind, incident, actor, step, data in rows)
    assert (tmp_path / "j.jsonl").read_text(encoding="utf-8") == expected
    assert write_csv_rows(rows, tmp_path / "j.csv") == len(rows)  # type: ignore[arg-type]
    assert (tmp_path / "j.csv").read_bytes() == reference_csv_rows(rows)


def test_events_sharing_one_data_text_give_the_walks_log_byte_for_byte(tmp_path: Path) -> None:
    """Rows with the same data text share one decoded dict and their attributes are typed once per kind: the same
    text under two kinds, a kind whose attribute turns from integer to float, and one whose attribute is an integer
    again after a boolean, still give the log that decoding every row on its own gives."""
    odd_journal(tmp_path)
    rows = list(stored_rows(tmp_path / "run" / "journal.sqlite"))
    end = rows[-1][0]
    for n, (kind, data) in enumerate([("action_taken", '{"x":1}'), ("inject_delivered", '{"x":1}'),
                                      ("action_taken", '{"x":2.5}'), ("inject_delivered", '{"x":1}'),
                                      ("action_taken", '{"x":1}'), ("action_taken", '{"x":"one"}'),
                                      ("note", '{"y":1}'), ("note", '{"y":true}'), ("note", '{"y":1}')]):
        rows.append((end + 1 + n, 2000.0 + n, kind, "N1", "interior", None, data))
    doc = scenario_file()
    assert write_ocel_json(events_of(rows), tmp_path / "each.json", doc, "test") == len(rows)
    assert write_ocel_json(shared_events(rows), tmp_path / "shared.json", doc, "test") == len(rows)
    assert (tmp_path / "shared.json").read_bytes() == (tmp_path / "each.json").read_bytes()
    types = {t["name"]: {a["name"]: a["type"] for a in t["attributes"]}
             for t in json.loads((tmp_path / "shared.json").read_text(encoding="utf-8"))["eventTypes"]}
    assert types["inject_delivered"]["x"] == "integer" and types["action_taken"]["x"] == "float"
    assert types["note"]["y"] == "integer"  # the shared data's third event is typed again: a boolean came between


def test_the_export_command_keeps_freed_memory_where_the_c_library_is_glibc() -> None:
    """The export command asks glibc's ``malloc`` to keep what each block frees (no fresh page faults for the
    next block); elsewhere it changes nothing and says so."""
    # in a process of its own: the setting lasts for the whole process, and this one runs the other tests
    probe = subprocess.run([sys.executable, "-c", "from ballotdrill.exports.heap import keep_freed_memory as k; "
                            "print(k())"], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == str(platform.libc_ver()[0] == "glibc")
