"""docs/live-api.md against the live server itself: every POST endpoint the server has is documented, with
exactly the body fields its request model takes (name, JSON type, required or not, limits), and nothing more.

The routes and their models are read from the server's own FastAPI app, built for a real exercise on real SQLite.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from ballotdrill.live.hub import Hub
from ballotdrill.live.rebuild import start_live
from ballotdrill.live.server import make_app
from ballotdrill.live.session import Session
from ballotdrill.live.tokens import Tokens
from ballotdrill.scenarios import load_file

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "live-api.md"


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_type(part) for part in schema["anyOf"])
    return str(schema["type"])


def _limits(schema: dict[str, Any]) -> list[str]:
    found = next((part for part in schema.get("anyOf", [schema]) if part.get("type") != "null"), schema)
    limits = []
    if "minLength" in found or "maxLength" in found:
        limits.append(f"{found.get('minLength', 0)} to {found['maxLength']} characters")
    low = (f"more than {found['exclusiveMinimum']:g}" if "exclusiveMinimum" in found
           else f"at least {found['minimum']:g}" if "minimum" in found else "")
    high = f"at most {found['maximum']:g}" if "maximum" in found else ""
    if low or high:
        limits.append(" and ".join(part for part in (low, high) if part))
    return limits


def field_lines(model: type[BaseModel]) -> set[str]:
    """How docs/live-api.md states each field of ``model``: "`name` (type, required or optional, limits)"."""
    schema = model.model_json_schema()
    lines = set()
    for name, prop in schema["properties"].items():
        default = json.dumps(prop.get("default"))
        need = "required" if name in schema.get("required", []) else f"optional, default {default}"
        lines.add(f"`{name}` ({', '.join([_type(prop), need, *_limits(prop)])})")
    return lines


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, type[BaseModel]]:
    folder = tmp_path_factory.mktemp("api") / "run"
    core = start_live(folder, load_file(str(ROOT / "docs" / "examples" / "live.yaml")), "wave", seed=1,
                      played=["interior"], speed=60)
    try:
        app = make_app(Session(core), Hub(core), Tokens.issue(core.played))
    finally:
        core.store.close()
    found = {}
    for route in app.routes:
        if isinstance(route, APIRoute) and "POST" in route.methods:
            (body,) = route.dependant.body_params
            found[route.path] = body.field_info.annotation
    return found


def _documented() -> dict[str, set[str]]:
    """Each ``### `POST PATH` `` section of the doc and the field lines of its bullets."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `POST (/api/[a-z-]+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif line.startswith("#"):
            current = None
        elif current is not None and line.startswith("- `"):
            current.add(line[2:].split(": ", 1)[0])
    return sections


def test_every_endpoint_and_body_field_is_documented_as_the_server_takes_it(
        routes: dict[str, type[BaseModel]]) -> None:
    documented = _documented()
    assert set(documented) == set(routes), (sorted(documented), sorted(routes))
    for path, model in routes.items():
        assert documented[path] == field_lines(model), (path, documented[path], field_lines(model))


def test_the_status_codes_the_server_answers_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for status in (200, 401, 403, 409, 411, 413, 422, 429, 503):
        assert re.search(rf"^\| {status} \|", text, re.MULTILINE), status
