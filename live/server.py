"""The live exercise over HTTP (FastAPI, served by uvicorn in the exercise's own asyncio loop).

Handlers authenticate the token (``Authorization: Bearer …``, never in a URL), check the role,
validate the payload, and then only enqueue an input or read the role's outbox; the exercise
task alone touches the simulation. An input is answered after its commit (200) or refusal
(409, saying why). The views travel on a WebSocket (``/api/ws``: the token in the first
message, then every new version of the role's view) or by long polling (``GET /api/state?since=V``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ballotdrill.live import inputs
from ballotdrill.live.body import PARSED, ParsedRoute, parse_body
from ballotdrill.live.hub import Hub
from ballotdrill.live.presence import EVALUATOR_KEY
from ballotdrill.live.session import Session
from ballotdrill.live.tokens import Grant, Tokens
from ballotdrill.live.views import EVALUATOR, FACILITATOR, PLAYER

MAX_BODY = 16 * 1024
"""Largest request body accepted (bytes)."""

PER_TOKEN = 8
"""Requests one token may have in flight at once (a long poll counts); more get 429."""

LONG_POLL = 5.0
"""Seconds a ``since`` poll waits for a change."""

HELLO = 5.0
"""Seconds a new WebSocket has to send its token (``{"token": "…"}``) before it is closed."""

SOCKETS_PER_TOKEN = 4
"""WebSockets one token may hold open at once (a few tabs); more are closed with 4429."""

CLOSE_AUTH, CLOSE_BUSY, CLOSE_STOPPED = 4401, 4429, 1012
"""WebSocket close codes: no valid token, too many sockets with this token, the exercise stopped unfinished
(Ctrl-C; reconnect once it is resumed) (1000: the exercise has ended)."""

STOPPED = ("the exercise has stopped before its end (the facilitator interrupted it); "
           "it carries on when it is resumed: reconnect then")

Text = Annotated[str, Field(min_length=1, max_length=inputs.MAX_TEXT)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AnswerBody(Strict):
    request: Annotated[str, Field(min_length=1, max_length=300)]
    option: Name


class ActionBody(Strict):
    action: Name
    incident: Name | None = None


class DiscussBody(Strict):
    inject: Name
    question: Annotated[int, Field(ge=1, le=1000)]
    text: Text


class NoteBody(Strict):
    text: Text


class ControlBody(Strict):
    command: Literal["pause", "resume", "end"]


class SpeedBody(Strict):
    speed: Annotated[float, Field(ge=inputs.MIN_SPEED, le=inputs.MAX_SPEED, allow_inf_nan=False)]


class InjectBody(Strict):
    text: Text


class SendNowBody(Strict):
    inject: Name


_HEADERS = {"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
_STATIC = {"app.js": "text/javascript", "app.css": "text/css", "index.html": "text/html"}


def make_app(session: Session, hub: Hub, tokens: Tokens) -> FastAPI:
    """The HTTP application of one live exercise."""
    app = FastAPI(title="ballotdrill live", docs_url=None, redoc_url=None, openapi_url=None)
    app.router.route_class = ParsedRoute
    app.add_middleware(_Guard, tokens=tokens)
    app.add_exception_handler(RequestValidationError, _malformed)
    core = session.core

    def grant_of(*roles: str, reads: bool = False) -> Callable[[Request], Grant]:
        """The token's grant, if its role may do this; ``reads``: allowed after the end (the final view)."""
        def check(request: Request) -> Grant:
            grant = tokens.check(_bearer(request))
            if grant is None:
                raise HTTPException(401, "no valid token: send 'Authorization: Bearer TOKEN' (from tokens.json)",
                                    headers={"WWW-Authenticate": "Bearer"})
            if core.ended and not reads:
                raise HTTPException(401, "the exercise has ended; tokens have expired")
            if grant.role not in roles:
                article = "an" if grant.role[:1] in ("a", "e", "i", "o", "u") else "a"  # an evaluator
                raise HTTPException(403, f"{article} {grant.role} may not do this (only: {', '.join(roles)})")
            return grant
        return check

    anyone = Depends(grant_of(PLAYER, FACILITATOR, EVALUATOR, reads=True))
    player = Depends(grant_of(PLAYER))
    facilitator = Depends(grant_of(FACILITATOR))
    observer = Depends(grant_of(FACILITATOR, EVALUATOR))

    async def submit(item: inputs.Input) -> dict[str, Any]:
        outcome = await session.submit(item)
        if not outcome.ok:
            raise HTTPException(409, outcome.message)
        return {"ok": True, "n": outcome.n, "message": outcome.message}

    def who(grant: Grant) -> str | None:
        """The role whose presence a client shows (the facilitator's own is not listed)."""
        return grant.actor if grant.role == PLAYER else EVALUATOR_KEY if grant.role == EVALUATOR else None

    @app.get("/api/state")
    async def state(request: Request, since: int | None = None, grant: Grant = anyone) -> Response:
        role = who(grant)
        began = hub.presence.poll_began(role) if role is not None else 0.0
        body = None
        try:
            if not hub.stopped:
                body = await _unless_gone(request, hub.read(grant.role, grant.actor, since, LONG_POLL))
        finally:
            if role is not None:
                hub.presence.poll_ended(role, began, answered=body is not None or hub.stopped)
        if hub.stopped or body is None:  # stopped, or the client went away (nobody reads this answer)
            raise HTTPException(503, STOPPED, headers={"Retry-After": "2"})
        return Response(body, media_type="application/json")

    sockets: dict[str, int] = {}

    @app.websocket("/api/ws")
    async def live_views(ws: WebSocket) -> None:
        await ws.accept()
        grant = await _hello(ws)
        if grant is None:  # a bad token, or the client went away (an oversize hello is closed 1009 by uvicorn)
            await _close(ws, CLOSE_AUTH, "no valid token: send {\"token\": TOKEN} first")
            return
        if sockets.get(grant.token, 0) >= SOCKETS_PER_TOKEN:
            await _close(ws, CLOSE_BUSY, f"more than {SOCKETS_PER_TOKEN} open sockets with this token")
            return
        sockets[grant.token] = sockets.get(grant.token, 0) + 1
        role = who(grant)
        if role is not None:
            hub.presence.opened(role)
        try:
            version: int | None = None
            while not hub.stopped:
                version, body = await hub.next(grant.role, grant.actor, version, LONG_POLL)
                if hub.stopped:
                    break
                await ws.send_text(body.decode())
                if core.ended:
                    await _close(ws, 1000, "the exercise has ended")
                    return
            await _close(ws, CLOSE_STOPPED, STOPPED[:120])
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client went away
        finally:
            sockets[grant.token] -= 1
            if role is not None:
                hub.presence.closed(role)

    async def _unless_gone(request: Request, reading: Coroutine[Any, Any, bytes]) -> bytes | None:
        """The view ``reading`` gives, or None as soon as the client closes its connection (a long poll's client
        that went away is then no longer shown as joined)."""
        read = asyncio.ensure_future(reading)
        gone = asyncio.ensure_future(_disconnect(request))
        try:
            await asyncio.wait((read, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not read.done():
                read.cancel()
        return read.result() if read.done() and not read.cancelled() else None

    async def _hello(ws: WebSocket) -> Grant | None:
        try:
            first = await asyncio.wait_for(ws.receive_text(), HELLO)
            token = json.loads(first).get("token") if first.startswith("{") else None
        except (TimeoutError, WebSocketDisconnect, RuntimeError, ValueError, AttributeError, KeyError):
            return None
        return tokens.check(token) if isinstance(token, str) else None

    @app.post("/api/answer")
    async def answer(body: AnswerBody, grant: Grant = player) -> dict[str, Any]:
        return await submit(inputs.answer(body.request, body.option, player=grant.actor))

    @app.post("/api/action")
    async def action(body: ActionBody, grant: Grant = player) -> dict[str, Any]:
        assert grant.actor is not None
        return await submit(inputs.action(grant.actor, body.action, body.incident, player=True))

    @app.post("/api/discuss")
    async def discuss(body: DiscussBody, grant: Grant = player) -> dict[str, Any]:
        assert grant.actor is not None
        return await submit(inputs.discuss(grant.actor, body.inject, body.question, body.text, player=True))

    @app.post("/api/note")
    async def note(body: NoteBody, grant: Grant = observer) -> dict[str, Any]:
        return await submit(inputs.note(body.text, by=grant.role))

    @app.post("/api/control")
    async def control(body: ControlBody, grant: Grant = facilitator) -> dict[str, Any]:
        return await submit(inputs.end() if body.command == "end" else inputs.Input(body.command, {}))

    @app.post("/api/speed")
    async def speed(body: SpeedBody, grant: Grant = facilitator) -> dict[str, Any]:
        return await submit(inputs.speed(body.speed))

    @app.post("/api/inject")
    async def inject(body: InjectBody, grant: Grant = facilitator) -> dict[str, Any]:
        return await submit(inputs.adhoc_inject(body.text))

    @app.post("/api/send-now")
    async def send_now(body: SendNowBody, grant: Grant = facilitator) -> dict[str, Any]:
        return await submit(inputs.send_now(body.inject))

    @app.get("/")
    async def index() -> Response:
        return _static("index.html")

    @app.get("/static/{name}")
    async def static(name: str) -> Response:
        if name not in _STATIC:
            raise HTTPException(404, "no such file")
        return _static(name)

    return app


async def _malformed(request: Request, exc: Exception) -> JSONResponse:
    """422 saying, in one line, where the body or query is wrong and what is expected there; the sent value is
    never echoed (it may be bytes that are not UTF-8 or a number JSON cannot hold, and it is the sender's anyway)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    parts = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'not valid')}" for e in errors[:3]]
    detail = "; ".join(parts) or "the request is not valid"
    if "body" in {e.get("loc", ("",))[0] for e in errors}:
        detail += " (send a JSON object with the fields this endpoint takes; listed in docs/live-api.md)"
    return JSONResponse({"detail": detail}, status_code=422)


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    """Close ``ws`` unless it is closed already (a client gone, or uvicorn's own close of an oversize message)."""
    try:
        await ws.close(code, reason)
    except Exception:  # the socket is gone: nothing left to tell its client
        return


_HEADER_BYTES = [(name.lower().encode(), value.encode()) for name, value in _HEADERS.items()]


class _Guard:
    """Every HTTP request first: refuse bodies over :data:`MAX_BODY` (413) or chunked (411) and more than
    :data:`PER_TOKEN` requests in flight with one token (429); add the security headers to every answer.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs each request through extra tasks
    and streams, which the fifty-player benchmark showed as a large share of the server's time."""

    def __init__(self, app: Any, tokens: Tokens) -> None:
        self.app = app
        self.tokens = tokens
        self.in_flight: dict[str, int] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope["headers"]}

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", ()) if n.lower() not in _SECURITY_NAMES]
                message = {**message, "headers": kept + _HEADER_BYTES}
            await send(message)

        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await _refuse(secured, 413, f"the body is larger than {MAX_BODY} bytes")
            return
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            await _refuse(secured, 411, "send a Content-Length (chunked bodies are not accepted)")
            return
        grant = self.tokens.check(_bearer_value(headers.get(b"authorization", b"").decode("latin-1")))
        key = grant.token if grant else ""
        if grant is not None and self.in_flight.get(key, 0) >= PER_TOKEN:
            await _refuse(secured, 429, f"more than {PER_TOKEN} requests at once with this token")
            return
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        try:
            if scope.get("method") == "POST":
                body, receive = await _read_body(receive)
                parsed = parse_body(body)
                if parsed.problem:
                    await _refuse(secured, 422, parsed.problem)
                    return
                scope = {**scope, PARSED: parsed}  # the route reads it (ParsedRoute): the body is parsed once
                if parsed.error is None and not headers.get(b"content-type", b"").lower().startswith(
                        b"application/json"):
                    # every body is JSON (curl -d sends it as a form, which was refused as "not an object")
                    scope["headers"] = ([(n, v) for n, v in scope["headers"] if n.lower() != b"content-type"]
                                        + [(b"content-type", b"application/json")])
            await self.app(scope, receive, secured)
        finally:
            self.in_flight[key] -= 1


async def _read_body(receive: Any) -> tuple[bytes, Any]:
    """The request's body (at most :data:`MAX_BODY`: its ``Content-Length`` was checked), and a ``receive`` that
    gives it to the application again."""
    chunks, more = [], True
    message: dict[str, Any] = {}
    while more:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: the application hears it too
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replay = [{"type": "http.request", "body": body, "more_body": False} if not more else message]

    async def again() -> dict[str, Any]:
        return replay.pop() if replay else await receive()
    return body, again


async def _disconnect(request: Request) -> None:
    """Return once the client of ``request`` (a GET: its empty body read first) has closed its connection."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


_SECURITY_NAMES = {name for name, _ in _HEADER_BYTES}


async def _refuse(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _bearer(request: Request | Any) -> str | None:
    return _bearer_value(request.headers.get("authorization", ""))


def _bearer_value(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _static(name: str) -> Response:
    body = resources.files("ballotdrill.live").joinpath("static", name).read_bytes()
    return Response(body, media_type=_STATIC[name])


ROUTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/api/state": ("GET", (PLAYER, FACILITATOR, EVALUATOR)),
    "/api/answer": ("POST", (PLAYER,)),
    "/api/action": ("POST", (PLAYER,)),
    "/api/discuss": ("POST", (PLAYER,)),
    "/api/note": ("POST", (FACILITATOR, EVALUATOR)),
    "/api/control": ("POST", (FACILITATOR,)),
    "/api/speed": ("POST", (FACILITATOR,)),
    "/api/inject": ("POST", (FACILITATOR,)),
    "/api/send-now": ("POST", (FACILITATOR,)),
}
"""Every API endpoint, its method and the roles allowed (the tests check each endpoint × role)."""
