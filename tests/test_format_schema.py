"""The exported JSON Schema: editors can check files with it, and it agrees with the loader."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from format_helpers import BASE, run_cli
from test_format_models import FULL

from ballotdrill.scenarios import json_schema, library_path
from ballotdrill.scenarios.yamlread import parse, read_file


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_draft_2020_12_with_a_title() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "ballotdrill scenario file"
    assert set(schema["required"]) >= {"version", "structure", "scenarios"}


def test_schema_accepts_the_built_in_library(validator: jsonschema.protocols.Validator) -> None:
    data = read_file(str(library_path())).data
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("text", [BASE, FULL], ids=["base", "full"])
def test_schema_accepts_files_the_loader_accepts(validator: jsonschema.protocols.Validator, text: str) -> None:
    assert list(validator.iter_errors(parse(text, "s.yaml").data)) == []


def test_schema_uses_the_file_keys_not_python_names(validator: jsonschema.protocols.Validator) -> None:
    text = json.dumps(json_schema())
    assert '"from"' in text and '"is"' in text
    assert "mean_" not in text and '"is_"' not in text and '"sender"' not in text


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("structure", "actors", "cell-a", "stuff"), 2),
        (("structure", "actors", "cell-a", "staff"), "two"),
        (("structure", "channels", "phone", "latency"), {"dist": "expo", "mean": "3m"}),
        (("structure", "channels", "phone", "latency"), "3 minutes"),
        (("scenarios", "sc", "start"), "6pm"),
        (("scenarios", "sc", "injects", 0, "incident", "severity"), 7),
        (("version",), 2),
    ],
)
def test_schema_refuses_what_the_loader_refuses(
    validator: jsonschema.protocols.Validator, path: tuple[str | int, ...], value: object
) -> None:
    data = copy.deepcopy(parse(BASE, "s.yaml").data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    assert list(validator.iter_errors(data)), f"schema accepted {path}={value!r}"


def test_cli_schema_prints_the_same_schema() -> None:
    result = run_cli("schema")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(json_schema()))
