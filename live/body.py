"""A POST body parsed once, by the server's request guard, and the routes that read it from there: a key given
twice or nesting too deep to parse is refused with one line, where ``json`` alone would keep the last key silently or
fail without a location."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any, NamedTuple

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


PARSED = "ballotdrill.parsed_body"
"""The scope key under which the request guard leaves a POST body it has parsed (:class:`Parsed`)."""


class Parsed(NamedTuple):
    """A POST body parsed once, by the request guard: its value, or why it is not JSON, or why it is refused."""

    value: Any
    error: ValueError | None
    """Not JSON at all: the parser's error, which the route raises (FastAPI's own 422 then says where)."""
    problem: str
    """What the parser the application used to run would have let through but a body must not hold: a key twice
    (it kept the last, silently), or nesting too deep to parse (it answered 400 with no location). Empty if none."""


def parse_body(body: bytes) -> Parsed:
    """``body`` parsed as JSON, refusing a key given twice and nesting too deep to parse."""
    try:
        return Parsed(json.loads(body, object_pairs_hook=_no_duplicates), None, "")
    except _DuplicateKey as exc:
        key = str(exc.args[0])
        named = f"the key '{key}'" if re.fullmatch(r"[A-Za-z_-]{1,40}", key) else "a key"
        return Parsed(None, None, f"body: {named} appears twice; send each field once")
    except RecursionError:
        return Parsed(None, None, "body: nested too deeply to read; send a flat JSON object with the fields this "
                                  "endpoint takes")
    except ValueError as exc:
        return Parsed(None, exc, "")


class _ParsedRequest(Request):
    """A request whose JSON is the one the request guard parsed (no second parse of the same bytes)."""

    async def json(self) -> Any:
        parsed = self.scope.get(PARSED)
        if not isinstance(parsed, Parsed):
            return await super().json()
        if parsed.error is not None:
            raise parsed.error
        return parsed.value


class ParsedRoute(APIRoute):
    """The application's routes: their handlers read the body the request guard parsed."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parsed(request: Request) -> Response:
            return await handler(_ParsedRequest(request.scope, request.receive))
        return parsed
