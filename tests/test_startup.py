"""Start-up: the first commands an analyst types import only what they use (figures in bench/startup.py)."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ballotdrill import cli

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "startup.py"

_PROBE = """
import sys
from ballotdrill.cli import main
sys.argv = ["ballotdrill", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""

NEVER = ("simpy", "jinja2", "ballotdrill.exercise", "ballotdrill.scoring",
         "ballotdrill.report", "ballotdrill.exports", "ballotdrill.sweep", "ballotdrill.live")
"""What none of these commands needs: the engine, scoring, reports, exports, sweeps, the live console."""


def loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    line = done.stderr.rpartition("\nMODULES ")[2]
    return set(line.split())


@pytest.mark.parametrize("args", [("--help",), ("list",), ("validate", str(ROOT / "scenarios.yaml")),
                                  ("show", "results-night-ddos")])
def test_first_commands_import_neither_engine_nor_scoring_nor_templates(args: tuple[str, ...]) -> None:
    modules = loaded(*args)
    assert "ballotdrill.cli" in modules
    heavy = sorted(m for m in modules if m.startswith(NEVER))
    assert heavy == []


def test_help_loads_no_scenario_model_and_no_markdown_or_traceback_renderer() -> None:
    modules = loaded("--help")
    assert "pydantic" not in modules and "ballotdrill.scenarios.scenario" not in modules
    assert "importlib.metadata" not in modules  # the version is looked up for --version only
    assert "typer.rich_utils" in modules
    assert not {"rich.markdown", "markdown_it", "rich.traceback", "rich.syntax", "pygments"} & modules


def test_list_and_validate_load_no_help_renderer_and_validate_no_table() -> None:
    for args in (("list",), ("validate", str(ROOT / "scenarios.yaml"))):
        modules = loaded(*args)
        assert not {"rich.markdown", "markdown_it", "typer.rich_utils"} & modules, args  # --help's renderer
    assert "rich.table" not in loaded("validate", str(ROOT / "scenarios.yaml"))  # it prints lines, not tables


def test_commands_hold_real_annotations() -> None:
    """typer reads every command's signature at each start: string annotations would be compiled and evaluated
    (twice per command) on every ``ballotdrill`` call."""
    for name, command in cli.COMMANDS:
        strings = [p for p, a in inspect.get_annotations(command).items() if isinstance(a, str)]
        assert strings == [], (name, strings)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup") / "run"
    done = subprocess.run([sys.executable, "-m", "ballotdrill", "run", "results-night-ddos", "--out", str(folder),
                           "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"] > 0
    return folder


def test_a_run_still_finds_everything_it_needs(finished_run: Path) -> None:
    assert (finished_run / "report.html").is_file()


def test_json_lines_and_csv_exports_load_no_report_scoring_engine_ocel_typer_or_models(finished_run: Path,
                                                                                        tmp_path: Path) -> None:
    """They stream a sealed journal's rows: the report package (scoring and Jinja2 with it), the engine, the OCEL
    writers, typer and the scenario models (the seal vouches for the stored scenario, which they do not use) would
    cost more CPU at every start than formatting 10,000 incidents' rows, and none of them is used."""
    jsonl, csv = tmp_path / "j.jsonl", tmp_path / "j.csv"
    modules = loaded("export", str(finished_run), "--jsonl", str(jsonl), "--csv", str(csv))
    assert jsonl.is_file() and csv.is_file()
    assert "ballotdrill.exports.lines" in modules
    unused = ("simpy", "jinja2", "ballotdrill.exercise.engine", "ballotdrill.exercise.run", "ballotdrill.scoring",
              "ballotdrill.report", "ballotdrill.exports.ocel", "ballotdrill.sweep", "ballotdrill.live", "typer",
              "pydantic", "yaml", "ballotdrill.scenarios.scenario")
    heavy = sorted(m for m in modules if m.startswith(unused))
    assert heavy == []


@pytest.mark.bench
def test_startup_benchmark_reduced_form_prints_ratios() -> None:
    out = subprocess.run([sys.executable, str(BENCH), "--quick", "--json"], check=True, capture_output=True,
                         text=True, timeout=300).stdout
    figures = json.loads(out)
    assert set(figures["commands"]) == {"--help", "list, cold cache", "list, warm cache", "validate, cold cache",
                                        "validate, warm cache", "validate, cold cache, in a terminal",
                                        "validate, warm cache, in a terminal", "validate a new file, cold cache",
                                        "validate a new file, warm cache"}
    assert figures["libraries"]["cpu_seconds"] > 0
    for row in figures["commands"].values():
        assert row["ratio"] > 0 and row["heavy_imports"] == []
    validate = figures["commands"]
    assert "rich" not in validate["validate, warm cache"]["libraries"]  # its line goes to a pipe: no rich
    assert "rich" in validate["validate, warm cache, in a terminal"]["libraries"]


@pytest.mark.bench
def test_startup_phases_take_a_cold_list_apart() -> None:
    out = subprocess.run([sys.executable, str(BENCH), "--phases", "--quick", "--json"], check=True,
                         capture_output=True, text=True, timeout=300).stdout
    parts = json.loads(out)
    assert {"python -c pass", "pydantic.main", "reading the YAML (its data alone)", "validating"} <= set(parts)
    assert all(seconds >= 0 for seconds in parts.values())


def test_library_path_is_the_file_importlib_resources_finds() -> None:
    from importlib.resources import as_file, files

    from ballotdrill.scenarios import library_path

    with as_file(files("ballotdrill") / "scenarios.yaml") as found:
        assert library_path() == Path(found)
    assert library_path().is_file()


def test_format_models_hold_real_annotations() -> None:
    """pydantic evaluates string annotations from their text whenever the classes are made (each validating start)."""
    from ballotdrill.scenarios import distributions, election, scenario, structure, types

    models = {m for module in (distributions, election, scenario, structure) for m in vars(module).values()
              if isinstance(m, type) and issubclass(m, types.Model)}
    assert len(models) > 30
    strings = {(m.__name__, name) for m in models for name, a in inspect.get_annotations(m).items()
               if isinstance(a, str)}
    assert strings == set()


def test_validate_and_json_list_to_a_pipe_load_no_rich() -> None:
    """Their lines go to a pipe here (as in a CI job): written as rich would, without loading it
    (tests/test_output_plain.py checks the lines are the same)."""
    for args in (("validate", str(ROOT / "scenarios.yaml")), ("list", "--json")):
        modules = loaded(*args)
        assert "ballotdrill.commands.output" in modules, args
        assert not [m for m in modules if m == "rich" or m.startswith("rich.")], args


_WORKER_PROBE = """
import sys
import ballotdrill.sweep.worker
sys.stdout.write(" ".join(sorted(sys.modules)))
"""


def test_a_sweeps_fork_server_loads_neither_aggregate_nor_comparisons_nor_templates() -> None:
    """A sweep's fork server preloads ``ballotdrill.sweep.worker`` for its workers before the first replication can
    start: playing and measuring, not what only the sweep's own process uses."""
    done = subprocess.run([sys.executable, "-c", _WORKER_PROBE], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=True)
    modules = set(done.stdout.split())
    assert {"ballotdrill.exercise.engine", "ballotdrill.scoring.runmeasures"} <= modules
    assert not {"ballotdrill.sweep.aggregate", "ballotdrill.sweep.render", "ballotdrill.sweep.execute", "jinja2",
                "ballotdrill.scoring.compare", "ballotdrill.scoring.findings"} & modules


_IMPORT_SUBMODULES = "import ballotdrill.scoring.score, ballotdrill.scoring.compare, ballotdrill.sweep.aggregate\n"
_PRINT_NAMES = """
import sys
import ballotdrill.scoring.findings
from ballotdrill.scoring import analyse, compare, score
from ballotdrill.sweep import aggregate
sys.stdout.write(" " + " ".join(type(x).__name__ for x in (score, compare, aggregate, analyse)))
"""


@pytest.mark.parametrize("first", ["submodules", "names"])
def test_a_lazy_packages_name_is_its_object_whichever_is_imported_first(first: str) -> None:
    """``scoring.score``, ``scoring.compare`` and ``sweep.aggregate`` are functions of submodules of the same name: the
    package's name stays the function when the submodule is imported before the name is asked for, or after."""
    probe = (_IMPORT_SUBMODULES + _PRINT_NAMES if first == "submodules"
             else _PRINT_NAMES + _IMPORT_SUBMODULES + _PRINT_NAMES)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=True)
    assert set(done.stdout.split()) == {"function"}
