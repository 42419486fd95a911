"""The application layer: what every front end (command line, live console, server, sweeps) calls.

Run a scenario into a run folder, load a run, write its reports, compare runs, export a
journal, read a decisions file. Front ends parse, call this and show; they hold no domain logic.
"""

from ballotdrill.application.evaluate import Exported, compare_runs, export_run
from ballotdrill.application.runs import (
    REPORT_FILES,
    Run,
    RunFolderError,
    RunOutcome,
    check_scenarios,
    load_run,
    load_scenarios,
    new_run_dir,
    parse_until,
    read_decisions,
    run_to_folder,
    write_reports,
)

__all__ = [
    "REPORT_FILES",
    "Exported",
    "Run",
    "RunFolderError",
    "RunOutcome",
    "check_scenarios",
    "compare_runs",
    "export_run",
    "load_run",
    "load_scenarios",
    "new_run_dir",
    "parse_until",
    "read_decisions",
    "run_to_folder",
    "write_reports",
]
