"""The scenario format: models, a strict located loader, and the built-in library.

Knows nothing of the engine: ``scenarios <- exercise <- scoring <- cli``.
"""

from typing import TYPE_CHECKING

from ballotdrill._lazy import lazy_names

if TYPE_CHECKING:
    from ballotdrill.scenarios.distributions import Distribution
    from ballotdrill.scenarios.errors import BallotdrillError, Problem, ScenarioError, UnknownScenarioError
    from ballotdrill.scenarios.jsonschema import json_schema
    from ballotdrill.scenarios.library import library_path
    from ballotdrill.scenarios.loader import Checked, check_file, load_file, load_text, pick
    from ballotdrill.scenarios.overrides import Override
    from ballotdrill.scenarios.roles import as_played
    from ballotdrill.scenarios.scenario import Incident, Inject, Objective, Scenario, ScenarioFile
    from ballotdrill.scenarios.structure import Actor, Channel, Procedure, Step, Structure

__getattr__ = lazy_names(__name__, {
    "Actor": "structure",
    "BallotdrillError": "errors",
    "Channel": "structure",
    "Checked": "loader",
    "Distribution": "distributions",
    "Incident": "scenario",
    "Inject": "scenario",
    "Objective": "scenario",
    "Override": "overrides",
    "Problem": "errors",
    "Procedure": "structure",
    "Scenario": "scenario",
    "ScenarioError": "errors",
    "ScenarioFile": "scenario",
    "Step": "structure",
    "Structure": "structure",
    "UnknownScenarioError": "errors",
    "as_played": "roles",
    "check_file": "loader",
    "json_schema": "jsonschema",
    "library_path": "library",
    "load_file": "loader",
    "load_text": "loader",
    "pick": "loader",
})
"""Each name is imported from its module on first use: ``ballotdrill --help`` loads no model."""

__all__ = [
    "Actor", "BallotdrillError", "Channel", "Checked", "Distribution", "Incident", "Inject", "Objective", "Override",
    "Problem", "Procedure", "Scenario", "ScenarioError", "ScenarioFile", "Step", "Structure",
    "UnknownScenarioError", "as_played", "check_file", "json_schema", "library_path", "load_file", "load_text", "pick",
]
