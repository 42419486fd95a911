"""The application layer: what every front end (command line, live console, server, sweeps) calls.

Run a scenario into a run folder, load a run, write its reports, compare runs, export a
journal, read a decisions file, list decision points and write a decisions template, sweep many
replications into a folder. Front ends parse, call this and show; they hold no domain logic.
"""

from typing import TYPE_CHECKING

from ballotdrill._lazy import lazy_names

if TYPE_CHECKING:
    from ballotdrill.application.comparing import compare_runs
    from ballotdrill.application.decisions import (
        DecisionPoint,
        DecisionPoints,
        decision_points,
        points_json,
        write_template,
    )
    from ballotdrill.application.evaluate import Exported, ExportProgress, export_run
    from ballotdrill.application.folder import FolderError, write_output
    from ballotdrill.application.journalfile import RunFolderError
    from ballotdrill.application.msel import import_msel, parse_maps
    from ballotdrill.application.reportfiles import REPORT_FILES
    from ballotdrill.application.risks import Coverage, RiskCoverage, coverage, register_path, risks_for_scenario
    from ballotdrill.application.runinputs import check_decisions, new_run_dir, parse_until, read_decisions
    from ballotdrill.application.runs import (
        Run,
        RunInterrupted,
        RunOutcome,
        check_run,
        load_checked,
        load_run,
        run_to_folder,
        write_reports,
    )
    from ballotdrill.application.scenario_files import (
        check_scenarios,
        load_scenarios,
        run_warnings,
        summarize_scenarios,
    )
    from ballotdrill.application.sweeps import (
        SweepOutcome,
        SweepPlan,
        default_workers,
        plan_sweep,
        sweep_json,
        sweep_to_folder,
    )

__getattr__ = lazy_names(__name__, {
    "Coverage": "risks",
    "DecisionPoint": "decisions",
    "DecisionPoints": "decisions",
    "Exported": "evaluate",
    "ExportProgress": "evaluate",
    "FolderError": "folder",
    "REPORT_FILES": "reportfiles",
    "RiskCoverage": "risks",
    "Run": "runs",
    "RunFolderError": "journalfile",
    "RunInterrupted": "runs",
    "RunOutcome": "runs",
    "SweepOutcome": "sweeps",
    "SweepPlan": "sweeps",
    "check_decisions": "runinputs",
    "check_run": "runs",
    "check_scenarios": "scenario_files",
    "compare_runs": "comparing",
    "coverage": "risks",
    "decision_points": "decisions",
    "default_workers": "sweeps",
    "export_run": "evaluate",
    "import_msel": "msel",
    "load_checked": "runs",
    "load_run": "runs",
    "load_scenarios": "scenario_files",
    "new_run_dir": "runinputs",
    "parse_maps": "msel",
    "parse_until": "runinputs",
    "plan_sweep": "sweeps",
    "run_warnings": "scenario_files",
    "points_json": "decisions",
    "read_decisions": "runinputs",
    "register_path": "risks",
    "risks_for_scenario": "risks",
    "run_to_folder": "runs",
    "summarize_scenarios": "scenario_files",
    "sweep_json": "sweeps",
    "sweep_to_folder": "sweeps",
    "write_output": "folder",
    "write_reports": "runs",
    "write_template": "decisions",
})
"""Each name is imported from its module on first use: a front end imports this package for free."""

__all__ = [
    "REPORT_FILES",
    "Coverage",
    "DecisionPoint",
    "DecisionPoints",
    "ExportProgress",
    "Exported",
    "FolderError",
    "RiskCoverage",
    "Run",
    "RunFolderError",
    "RunInterrupted",
    "RunOutcome",
    "SweepOutcome",
    "SweepPlan",
    "check_decisions",
    "check_run",
    "check_scenarios",
    "compare_runs",
    "coverage",
    "decision_points",
    "default_workers",
    "export_run",
    "import_msel",
    "load_checked",
    "load_run",
    "load_scenarios",
    "new_run_dir",
    "parse_maps",
    "parse_until",
    "plan_sweep",
    "points_json",
    "read_decisions",
    "register_path",
    "risks_for_scenario",
    "run_to_folder",
    "run_warnings",
    "summarize_scenarios",
    "sweep_json",
    "sweep_to_folder",
    "write_output",
    "write_reports",
    "write_template",
]
