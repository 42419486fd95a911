"""OCEL's SQLite form built inside SQLite is the walk's log, table by table, row for row; pm4py reads it."""

from __future__ import annotations

import gc
import random
import re
import resource
import sqlite3
import textwrap
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from format_helpers import run_cli
from scoring_helpers import sample_events, scenario_file, write_run
from typer.testing import CliRunner

from ballotdrill import cli
from ballotdrill.application import export_run
from ballotdrill.application.runs import open_run
from ballotdrill.exports import ocel_sql, ocel_sql_apart, write_ocel_sqlite
from ballotdrill.exports.ocel_sql import Unsupported, write_ocel_sqlite_from_journal
from ballotdrill.exports.ocel_sql_apart import building
from ballotdrill.exports.ocel_sql_side import Beside
from ballotdrill.exports.ocel_sql_time import MAX_DAYS, time_params, time_sql
from ballotdrill.exports.ocel_sqlite import NamesClash, SqliteSink
from ballotdrill.journal import Event, canonical_json
from ballotdrill.journal.rows import stored_rows
from ballotdrill.journal.seal import seal
from ballotdrill.journal.store import events_of

Tables = dict[str, tuple[list[tuple[str, str]], list[tuple[Any, ...]]]]


def tables(path: Path) -> Tables:
    """Every table of a database: its columns (name, declared type) and its rows, sorted (rows have no order)."""
    with sqlite3.connect(path) as db:
        names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {name: ([(row[1], row[2]) for row in db.execute(f'PRAGMA table_info("{name}")')],
                        sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)) for name in names}
    db.close()
    return found


def both_forms(folder: Path, tmp_path: Path) -> tuple[Tables, Tables]:
    """The log of a run folder by the walk and built in SQLite."""
    run = open_run(folder)
    walked, built = tmp_path / f"{folder.name}-walk.sqlite", tmp_path / f"{folder.name}-sql.sqlite"
    events = events_of(stored_rows(run.journal))
    count = write_ocel_sqlite(events, walked, run.doc, run.scenario, run.meta.get("date"))
    assert write_ocel_sqlite_from_journal(run.journal, built, run.doc, run.scenario, run.meta.get("date")) == count
    return tables(walked), tables(built)


def assert_same_log(walked: Tables, built: Tables) -> None:
    assert sorted(walked) == sorted(built)
    for name in walked:
        assert walked[name][0] == built[name][0], name
        assert walked[name][1] == built[name][1], name


def run_folder(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(cli.app, ["run", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("scenario", "seed", "until"), [
    ("combined-hybrid-day", "3", None),
    ("results-night-ddos", "1", None),
    ("ransomware-week-before", "2", None),
    ("combined-hybrid-day", "5", "14:00"),  # cut short: steps, handoffs and incidents left open
])
def test_the_sql_log_is_the_walks_on_library_runs(tmp_path: Path, scenario: str, seed: str, until: str | None) -> None:
    folder = run_folder(tmp_path, "run", scenario, "--seed", seed, *(("--until", until) if until else ()))
    walked, built = both_forms(folder, tmp_path)
    assert walked["object_step"][1] and walked["object_handoff"][1] and walked["object_object"][1]
    assert_same_log(walked, built)


CHAIN = textwrap.dedent(
    """\
    version: 1
    structure:
      actors:
        a: {staff: 1}
        b: {staff: 1, shifts: [{from: "10:00", to: "11:00", staff: 2}]}
      channels:
        phone: {latency: {dist: exponential, mean: 4m}, reliability: 0.7, fallback: mail}
        mail: {latency: 15m, reliability: 0.9}
      procedures:
        respond:
          trigger: {type: outage}
          steps:
            - {id: triage, actor: a, duration: {dist: exponential, mean: 20m}, target: 30m}
            - {id: check, actor: b, via: phone, duration: {dist: exponential, mean: 25m}, target: 40m}
            - {id: close, actor: a, via: phone, duration: {dist: exponential, mean: 10m}}
    scenarios:
      chain:
        title: A to B and back to A
        start: "08:00"
        end: "14:00"
        injects:
          - {at: "08:30", incident: {id: X1, type: outage, severity: 2}}
          - {every: {dist: exponential, mean: 6m}, from: "08:00", to: "13:00", incident: {type: outage}}
    """
)


def test_a_designed_a_to_b_to_a_chain_gives_the_walks_instances_and_handovers(tmp_path: Path) -> None:
    (tmp_path / "chain.yaml").write_text(CHAIN, encoding="utf-8")
    folder = run_folder(tmp_path, "chain", "chain", "--file", str(tmp_path / "chain.yaml"), "--seed", "4")
    walked, built = both_forms(folder, tmp_path)
    assert_same_log(walked, built)
    handed = [row for row in built["object_object"][1] if row[2] == "handed over by"]
    back_to_a = [row for row in handed if "/respond/close/" in row[0]]
    assert back_to_a and all("/respond/close/a/" in row[1] for row in back_to_a)
    channels = [row for row in built["object_handoff"][1] if row[2] == "channel"]
    assert channels  # a handoff tried on a second channel has its channel changed over time


def hand_made(tmp_path: Path, extra: list[tuple[Any, ...]]) -> Path:
    """The sample journal and ``extra`` rows ``(t, kind, incident, actor, step, data)``, stored canonically and
    sealed, as a finished run is."""
    events = sample_events()
    for t, kind, incident, actor, step, data in extra:
        events.append(Event(len(events), t, kind, incident, actor, step, data))
    folder = tmp_path / "run"
    write_run(folder, events, scenario_file())
    with sqlite3.connect(folder / "journal.sqlite") as db:
        db.executemany("UPDATE events SET data = ? WHERE seq = ?",
                       [(canonical_json(e.data) if e.data else None, e.seq) for e in events])
    db.close()
    seal(folder / "journal.sqlite")
    return folder


P = {"procedure": "disinfo-response"}
AWKWARD = [  # what the engine rarely or never writes, and the walk still has an answer for
    (900.0, "step_started", "N2", "info", "publish-debunk", P),  # before N2 started: an incident with no type yet
    (900.5, "incident_started", "N2", None, None, {"type": "x", "severity": 1, "level": "l", "title": ""}),
    (901.0, "step_completed", "N2", "info", "publish-debunk", {**P, "target": 5.0}),
    (901.0, "step_completed", "N2", "info", "publish-debunk", {**P, "target": 9.0}),  # twice: one target
    (902.0, "step_started", "N2", "info", "publish-debunk", P),  # after completing: a new instance
    (903.0, "step_queued", "N2", "info", "publish-debunk", P),  # queued: another
    (903.0, "step_started", "N2", "info", "publish-debunk", P),  # started after queued: the same one
    (904.0, "handoff_sent", "N2", "info", "assess", {**P, "to": "monitoring", "channel": "phone"}),
    (905.0, "handoff_failed", "N2", "info", "assess", {**P, "to": "monitoring", "channel": "phone", "next": None}),
    (906.0, "handoff_sent", "N2", "info", "assess", {**P, "to": "monitoring"}),  # a new one, no channel yet
    (907.0, "handoff_received", "N2", "monitoring", "assess", {**P, "from": "info", "channel": "mail"}),
    (908.0, "handoff_received", "N2", "monitoring", "assess", {**P, "from": "ghost", "channel": "fax"}),
    (909.0, "step_started", "N2", "monitoring", "assess", P),  # handed over by the last one received
    (909.5, "decision_requested", "N2", "monitoring", "assess", {**P, "request": 7, "default": "go"}),
    (909.6, "decision_made", "N2", "monitoring", "assess", {**P, "request": 7, "option": "stop", "default": "go"}),
    (910.0, "handoff_received", "N2", "interior", "wrap", {**P, "from": "monitoring", "channel": "phone"}),
    (911.0, "resolved", "N2", None, None, {}),
    (912.0, "step_started", "N2", "interior", "wrap", P),  # after the resolution: not handed over any more
    (913.0, "staff_changed", None, "newcomer", None, {"staff": 3}),  # an actor the scenario does not have
    (914.0, "staff_changed", None, "newcomer", None, {"staff": 5}),
    (915.0, "step_started", None, "info", "loose", P),  # work of no incident
    (916.0, "handoff_sent", "N3", "", "relay", {**P, "to": "info", "from": "info"}),
    (917.0, "note", "N3", "info", None, {"text": "é \u2028 \"q\"", "flag": True, "more": {"b": [1, 2.5], "a": None}}),
    (918.0, "note", "N3", "info", None, {"text": 5, "extra": 0.5}),  # a type changing: the first one's column
    (918.2, "note", "N3", "info", None, {"late": None, "text": "y"}),  # a null first: typed by the next value
    (918.4, "note", "N3", "info", None, {"late": [1], "text": "y"}),
]


def test_awkward_rows_give_the_walks_log(tmp_path: Path) -> None:
    walked, built = both_forms(hand_made(tmp_path, AWKWARD), tmp_path)
    assert_same_log(walked, built)
    assert ("handoff:N2/disinfo-response/assess/monitoring/2", "1970-01-01T00:00:00.000Z", None,
            "disinfo-response", "assess", "info", "monitoring", "mail") in built["object_handoff"][1]


@pytest.mark.parametrize("row", [
    (920.0, "step_started", "N/4", "info", "s", P),  # a "/" could make two step ids one
    (920.0, "step_started", "N4", "info", "s", {"procedure": 3}),  # a procedure that is not text
    (920.0, "handoff_sent", "N4", "info", "s", {"procedure": None, "to": "x"}),  # the walk names it "None"
    (920.0, "handoff_sent", "N4", "info", "s", {**P, "to": ["x"]}),
    (920.0, "handoff_sent", "N4", "info", "s", {**P, "to": "desk/2"}),
    (920.0, "decision_made", "N4", "info", "s", {"procedure": {"p": 1}, "request": "R9"}),
    (920.0, "decision_made", "N4", "info", "s", {**P, "request": 2.5}),
    (920.0, "note", "N4", "info", None, {"odd key": 1}),
    (920.0, "note", "N4", "info", None, {"it's": 1, 'a "quote"': 2}),
])
def test_rows_only_the_walk_names_exactly_are_left_to_it(tmp_path: Path, row: tuple[Any, ...]) -> None:
    folder = hand_made(tmp_path, [row])
    run = open_run(folder)
    with pytest.raises(Unsupported):
        write_ocel_sqlite_from_journal(run.journal, tmp_path / "log.sqlite", run.doc, run.scenario)
    assert not (tmp_path / "log.sqlite").exists() and len(list(tmp_path.iterdir())) == 1
    export_run(folder, ocel=tmp_path / "log.sqlite")  # the export walks it instead
    walked = tmp_path / "walked.sqlite"
    write_ocel_sqlite(events_of(stored_rows(run.journal)), walked, run.doc, run.scenario)
    assert_same_log(tables(walked), tables(tmp_path / "log.sqlite"))


def test_times_are_the_walks_to_the_millisecond() -> None:
    """``timedelta``'s rounding (half to even on the microsecond) and ``isoformat``'s cut, for times on either side
    of day D, exact halves of a microsecond and random ones, with the run's dates bound and written by ``strftime``."""
    rng = random.Random(15)
    starts = [0.0, -12960.0, 450.5, 1e-9]
    ts = [0.0, 1e-7, 2.29856680780791, 1 / 60e6 * 0.5, 2.5 / 60e6, 3.5 / 60e6, -2.5 / 60e6, 59.99999999,
          14400.0, 0.0166666666666, *(rng.uniform(-3000, 30000) for _ in range(3000)),
          *(rng.randrange(-10**6, 10**7) / 60e6 * 2 + 0.5 / 60e6 for _ in range(500))]
    day_zero = datetime(2026, 1, 1)
    with sqlite3.connect(":memory:") as db:
        for start in starts:
            bound, dated = time_params(day_zero, start, (min(ts), max(ts)))
            assert dated
            expected = [(day_zero + timedelta(minutes=start + t)).isoformat(timespec="milliseconds") + "Z"
                        for t in ts]
            for dates in (True, False):
                sql = f"SELECT {time_sql(':t', dates=dates)}, typeof({time_sql(':t', dates=dates)})"
                found = [db.execute(sql, {"t": t, **bound}).fetchone() for t in ts]
                assert found == [(text, "text") for text in expected]
    db.close()


def test_a_span_of_more_days_than_bound_writes_its_dates_by_strftime() -> None:
    day_zero = datetime(1980, 2, 29)
    long = (0.0, (MAX_DAYS + 1) * 1440.0)
    bound, dated = time_params(day_zero, 0.0, long)
    assert not dated and "dates" not in bound
    with sqlite3.connect(":memory:") as db:
        for t in (0.0, 1439.9999, long[1], long[1] - 0.5):
            found = db.execute(f"SELECT {time_sql(':t', dates=False)}", {"t": t, **bound}).fetchone()[0]
            assert found == (day_zero + timedelta(minutes=t)).isoformat(timespec="milliseconds") + "Z"
    db.close()


def test_pm4py_reads_the_sql_log_with_the_journals_counts(tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py", reason="pm4py is in the test extra: pip install -e '.[test]'")
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "2")
    export_run(folder, ocel=tmp_path / "log.sqlite")
    log = pm4py.read_ocel2_sqlite(str(tmp_path / "log.sqlite"))
    rows = list(stored_rows(open_run(folder).journal))
    kinds = Counter(row[2] for row in rows)
    activities = Counter(log.events["ocel:activity"])
    assert all(kinds[kind] == count for kind, count in activities.items())
    assert sum(activities.values()) == len(rows) - kinds["run_started"] - kinds["run_ended"]  # related to no object
    objects = Counter(log.objects["ocel:type"])
    assert objects["incident"] == len({row[3] for row in rows if row[3]})
    assert objects["step"] == sum(1 for row in tables(tmp_path / "log.sqlite")["object_step"][1] if row[2] is None)
    assert set(log.relations["ocel:oid"]) <= set(log.objects["ocel:oid"])


def test_a_changed_journal_is_refused_and_nothing_is_put_in_place(tmp_path: Path) -> None:
    folder = run_folder(tmp_path, "run", "results-night-ddos", "--seed", "1")
    export_run(folder, ocel=folder / "log.sqlite")  # an export ballotdrill wrote, so one it may replace
    older = (folder / "log.sqlite").read_bytes()
    files = sorted(p.name for p in folder.iterdir())
    with sqlite3.connect(folder / "journal.sqlite") as db:
        db.execute("UPDATE events SET t = t + 1 WHERE seq = (SELECT max(seq) FROM events WHERE kind = 'step_started')")
    db.close()
    result = run_cli("export", str(folder), "--ocel", str(folder / "log.sqlite"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "changed after the run ended" in result.stderr
    assert (folder / "log.sqlite").read_bytes() == older
    assert sorted(p.name for p in folder.iterdir()) == files


def test_the_collector_is_paused_over_the_build_and_restored_after(tmp_path: Path) -> None:
    """The build makes no reference cycles, so Python's collector is paused over it (it would walk what the pass
    keeps, again and again); it runs again afterwards, also when the check refuses the journal."""
    folder = run_folder(tmp_path, "run", "results-night-ddos", "--seed", "1")
    run = open_run(folder)
    during: list[bool] = []

    def check(blocks: Any) -> None:
        for _ in blocks:
            during.append(gc.isenabled())

    assert gc.isenabled()
    write_ocel_sqlite_from_journal(run.journal, tmp_path / "log.sqlite", run.doc, run.scenario, None, check)
    assert during and not any(during) and gc.isenabled()

    def refuse(blocks: Any) -> None:
        next(blocks)
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        write_ocel_sqlite_from_journal(run.journal, tmp_path / "other.sqlite", run.doc, run.scenario, None, refuse)
    assert gc.isenabled() and not (tmp_path / "other.sqlite").exists()


@pytest.mark.parametrize(("count", "limit"), [(0, None), (5, None), (256, None), (600, None), (7, 6), (2, 3)])
def test_rows_go_in_whole_and_in_order_many_a_statement(count: int, limit: int | None) -> None:
    from ballotdrill.exports.ocel_sqlite import insert_rows

    db = sqlite3.connect(":memory:")
    if limit is not None:  # an SQLite built with a low limit of bound values: fewer rows a statement, one at least
        db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    db.execute("CREATE TABLE t (a, b, c)")
    rows = [(f"e{n}", n * 0.5 if n % 3 else None, b"x" * (n % 2)) for n in range(count)]
    insert_rows(db, "INSERT INTO t", 3, rows)
    assert db.execute("SELECT a, b, c FROM t ORDER BY rowid").fetchall() == rows
    with pytest.raises(ValueError, match="other than 3 values"):
        insert_rows(db, "INSERT INTO t", 3, [("a", 1, 2)] * 300 + [("short", 1)] + [("a", 1, 2)] * 300)
    db.close()


def test_the_events_and_their_relationships_read_in_stretches_are_the_log_read_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log's thread reads the events and their relationships stretch by stretch of the journal whenever the pass
    has nothing for it, and all of them before the relationships are copied after the pass; the incidents are handed
    over a few at a time: a journal read in stretches of 37 rows, its incidents two at a time, gives the log one
    stretch and one handing over give, row for row."""
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3")
    run = open_run(folder)
    dumps = []
    for stretch, incidents in ((10**9, 10**9), (37, 2)):
        monkeypatch.setattr(ocel_sql, "STRETCH", stretch)
        monkeypatch.setattr(ocel_sql, "INCIDENTS_A_FILL", incidents)
        log = tmp_path / f"log-{stretch}.sqlite"
        write_ocel_sqlite_from_journal(run.journal, log, run.doc, run.scenario, run.meta.get("date"))
        with sqlite3.connect(log) as db:
            dumps.append(list(db.iterdump()))
            (events,) = db.execute("SELECT count(*) FROM event").fetchone()
            (incidents,) = db.execute("SELECT count(*) FROM object WHERE ocel_type = 'incident'").fetchone()
        db.close()
    assert events > 20 * 37 and incidents > 2 * 2 and dumps[0] == dumps[1]


def test_the_logs_thread_runs_what_it_is_given_first_and_what_waits_meanwhile_before_what_comes_after_settling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fills given to the log's thread run as soon as it is free; the ones for meanwhile when nothing is given, and
    every one of them before a fill given after ``settle`` (the relationships they make are copied then). (Its
    forked child's order: tests/test_exports_ocel_sql_apart.py.)"""
    monkeypatch.setattr(ocel_sql_apart, "can_fork", lambda: False)
    run = open_run(run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3"))
    log = sqlite3.connect(tmp_path / "log.sqlite", isolation_level=None, check_same_thread=False)
    done: list[str] = []
    free = threading.Event()

    def note(name: str) -> Callable[[sqlite3.Connection], None]:
        return lambda _: done.append(name)

    with building(log, SqliteSink(log), tmp_path / "log.sqlite", run.journal) as side:
        assert isinstance(side, Beside)
        side.run(lambda _: free.wait(30))
        side.meanwhile([note("a1"), note("a2"), note("a3")])
        side.run(note("given"))
        side.settle()
        side.run(note("after"))
        free.set()
        side.finish(lambda _: None)
    log.close()
    assert done == ["given", "a1", "a2", "a3", "after"]


@pytest.mark.usefixtures("forkable")
def test_the_log_built_beside_is_row_for_row_the_one_built_on_one_connection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most of the log is filled by a forked child (or, where none can be forked, a second thread) on a connection
    to the log, the main thread's event tables in a scratch file beside it, copied in at the end: every table's rows
    are in the order one connection gives them (a journal in WAL mode, whose readers do not hold writers off, is
    built on one connection), and the file beside is gone afterwards, also when the build fails."""
    folder = run_folder(tmp_path, "run", "combined-hybrid-day", "--seed", "3")
    run = open_run(folder)
    wal = tmp_path / "wal.sqlite"
    with sqlite3.connect(run.journal) as source, sqlite3.connect(wal) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    source.close()
    copy.close()
    logs = tmp_path / "logs"
    logs.mkdir()
    children = []
    for journal, name in ((run.journal, "apart.sqlite"), (wal, "one.sqlite"), (run.journal, "beside.sqlite")):
        if name == "beside.sqlite":
            monkeypatch.setattr(ocel_sql_apart, "can_fork", lambda: False)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        write_ocel_sqlite_from_journal(journal, logs / name, run.doc, run.scenario, run.meta.get("date"))
        children.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime > before.ru_utime)
    assert children == [True, False, False]  # (a child forked and reaped for the first only)
    dumps = []
    for name in ("apart.sqlite", "one.sqlite", "beside.sqlite"):
        with sqlite3.connect(logs / name) as db:
            dumps.append(list(db.iterdump()))
        db.close()
    assert dumps[0] == dumps[1] == dumps[2] and len(dumps[0]) > 1000
    assert sorted(p.name for p in logs.iterdir()) == ["apart.sqlite", "beside.sqlite", "one.sqlite"]

    def refuse(blocks: Any) -> None:
        next(blocks)
        raise ValueError("refused")

    monkeypatch.undo()
    with pytest.raises(ValueError, match="refused"):
        write_ocel_sqlite_from_journal(run.journal, logs / "other.sqlite", run.doc, run.scenario, None, refuse)
    assert sorted(p.name for p in logs.iterdir()) == ["apart.sqlite", "beside.sqlite", "one.sqlite"]


@pytest.mark.parametrize(("rows", "said"), [
    ([{"Flag": 1}, {"flag": 2}], "has attributes 'Flag' and 'flag'"),
    ([{"Flag": 1, "flag": None}, {"flag": 2}], "has attributes 'Flag' and 'flag'"),  # typed by a later value
    ([{"OCEL_TIME": "x"}], "has an attribute named 'OCEL_TIME', which the form keeps for the event's own column "
                           "'ocel_time'"),
])
def test_attribute_names_its_columns_cannot_hold_apart_are_refused_in_one_line(
        tmp_path: Path, rows: list[dict[str, Any]], said: str) -> None:
    """SQLite's column names ignore case, so ``Flag`` and ``flag`` of one event type cannot both be columns: the
    SQLite form is refused in one line saying which, by the build in SQLite and by the walk alike, with nothing
    left behind; the JSON form holds both."""
    folder = hand_made(tmp_path, [(930.0 + n, "note", "N4", "info", None, data) for n, data in enumerate(rows)])
    run = open_run(folder)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(NamesClash, match=re.escape(said)):
        write_ocel_sqlite_from_journal(run.journal, out / "log.sqlite", run.doc, run.scenario)
    with pytest.raises(NamesClash, match=re.escape(said)):
        write_ocel_sqlite(events_of(stored_rows(run.journal)), out / "log.sqlite", run.doc, run.scenario)
    assert not list(out.iterdir())
    result = run_cli("export", str(folder), "--ocel", str(out / "log.sqlite"))
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0, result.stderr
    assert said in result.stderr and "--ocel file ending in .json" in result.stderr
    assert not list(out.iterdir())
    assert run_cli("export", str(folder), "--ocel", str(out / "log.json")).returncode == 0


def test_a_log_whose_relative_path_starts_with_file_colon_is_written_there(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite reads a name starting 'file:' as a URI: the hidden files the build makes beside the log are opened by
    their absolute path, so a folder named 'file:x' is a folder like any other."""
    folder = run_folder(tmp_path, "run", "results-night-ddos")
    (tmp_path / "file:x").mkdir()
    monkeypatch.chdir(tmp_path)
    export_run(folder, ocel=Path("file:x/log.sqlite"))
    assert tables(tmp_path / "file:x" / "log.sqlite")["event"][1]
    assert sorted(p.name for p in (tmp_path / "file:x").iterdir()) == ["log.sqlite"]


@pytest.mark.parametrize("option", ["--ocel", "--jsonl", "--csv"])
def test_an_export_into_a_folder_that_does_not_exist_says_so(tmp_path: Path, option: str) -> None:
    folder = run_folder(tmp_path, "run", "results-night-ddos")
    target = tmp_path / "nope" / "out.sqlite"
    result = run_cli("export", str(folder), option, str(target), timeout=120)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert f"no folder '{tmp_path / 'nope'}' to write it in; create the folder first" in result.stderr
    assert not (tmp_path / "nope").exists()
