"""The JSON Schema of the scenario format."""

from __future__ import annotations

from typing import Any

from ballotdrill.scenarios.scenario import ScenarioFile


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) that editors can use to complete and check scenario files."""
    schema = ScenarioFile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ballotdrill scenario file"
    return schema
