"""Serve a live exercise: uvicorn in the exercise's own asyncio loop, on loopback unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any, NamedTuple

from ballotdrill.live.hub import Hub
from ballotdrill.live.presence import Presence
from ballotdrill.live.session import Session
from ballotdrill.live.tokens import Tokens
from ballotdrill.scenarios.errors import BallotdrillError

MAX_MESSAGE = 16 * 1024
"""Largest WebSocket message accepted from a client (bytes): the token hello."""

STOP_LIMIT = 5.0
"""Seconds the server has to let its connections go when it stops."""

DEFAULT = "127.0.0.1:0"
"""``--serve`` without a value: loopback, a free port."""


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (PORT 0: a free one) as a host and port; a clear error otherwise."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise BallotdrillError(f"--serve {text!r}: give HOST:PORT, e.g. 127.0.0.1:8765 (0 for a free port)")
    host = host.strip("[]") or "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host != "localhost":
            raise BallotdrillError(f"--serve {text!r}: the host must be an IP address or localhost") from None
    return host, int(port)


class Served(NamedTuple):
    """A running server: its URL, the hub of views, and how to stop it."""

    url: str
    hub: Hub
    server: Any
    task: asyncio.Task[None]


def serve_install_hint() -> str:
    """How to add the ``serve`` extra to the Python running this: in the environment of a source checkout (``make
    demo`` makes ``.venv`` in the clone), its own pip from the checkout; anywhere else, pip from the index."""
    environment = Path(sys.prefix)
    checkout = environment.parent
    try:
        project = (checkout / "pyproject.toml").read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        project = ""
    if sys.prefix != sys.base_prefix and 'name = "ballotdrill"' in project:
        return (f"{shlex.quote(str(environment / 'bin' / 'pip'))} install {shlex.quote(f'{checkout}[serve]')} "
                "(this source checkout's environment)")
    return "pip install 'ballotdrill[serve]'"


def listen_on(listen: str) -> socket.socket:
    """A socket listening on ``HOST:PORT`` (bound before the exercise starts: a taken port fails first)."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise BallotdrillError(f"--serve needs FastAPI and uvicorn (the 'serve' extra), which this installation "
                               f"lacks: {serve_install_hint()}") from None
    host, port = parse_listen(listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio sets TCP_NODELAY only then
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # before the tokens file says where to connect
    except OSError as exc:
        sock.close()
        fix = ("; choose another port, or give --serve alone for a free one" if exc.errno == errno.EADDRINUSE
               else "; give an address of this machine (127.0.0.1 for this machine alone)"
               if exc.errno == errno.EADDRNOTAVAIL else "")
        raise BallotdrillError(f"--serve {listen}: cannot listen there ({exc.strerror or exc}){fix}") from None
    return sock


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as ``--serve`` gives it) is reachable only from this machine."""
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


QUIET_LOGS: dict[str, Any] = {
    "version": 1, "disable_existing_loggers": False,
    "handlers": {"none": {"class": "logging.NullHandler"}},
    "loggers": {name: {"handlers": ["none"], "propagate": False} for name in ("uvicorn", "uvicorn.access")},
}
"""uvicorn's logging: its own lines ('Invalid HTTP request received.' when a browser or scanner speaks TLS or
garbage to the port) go nowhere. The facilitator's console carries only the exercise's lines, in the tool's
words; what a client is refused, the client is told."""


async def start_server(session: Session, folder: Path, listen: str | socket.socket = DEFAULT, *,
                       access_log: bool = False, presence: Presence | None = None) -> tuple[Served, Path]:
    """Start serving ``session`` (on ``listen``, or a socket from :func:`listen_on`); writes (or reuses, on resume)
    the tokens; returns the server and the tokens file. ``presence`` hears who joins (one is made if not given)."""
    import uvicorn

    from ballotdrill.live.server import make_app

    sock = listen_on(listen) if isinstance(listen, str) else listen
    host, bound = sock.getsockname()[:2]
    shown = f"[{host}]" if sock.family == socket.AF_INET6 else host
    url = f"http://{shown}:{bound}/"
    tokens = Tokens.load(folder) or Tokens.issue(session.core.played)
    path = tokens.write(folder, url)
    hub = Hub(session.core, presence)
    session.listeners.append(hub.publish)
    config = uvicorn.Config(make_app(session, hub, tokens), log_level="info" if access_log else "warning",
                            log_config=QUIET_LOGS, access_log=access_log, lifespan="off", timeout_keep_alive=5,
                            limit_concurrency=1000,
                            h11_max_incomplete_event_size=16 * 1024,
                            ws_max_size=MAX_MESSAGE)
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]  # Ctrl-C: the console's
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    return Served(url, hub, server, task), path


FINAL_VIEW_FLOOR = 1.0
"""Seconds an ended exercise's server always answers, so waiting clients fetch the final view."""


async def stop_server(served: Served, grace: float = 1.0, *, interrupted: bool = False,
                      until: asyncio.Event | None = None) -> None:
    """Let clients fetch the final state for ``grace`` seconds (or until ``until`` is set, but at least
    :data:`FINAL_VIEW_FLOOR`), then stop.
    ``interrupted`` (the exercise stopped unfinished): every waiting client is answered at once (503, WebSocket
    1012) and the server stops."""
    if interrupted:
        served.hub.stop()
    else:
        served.hub.publish()
        floor = min(grace, FINAL_VIEW_FLOOR)
        await asyncio.sleep(floor)  # even when told to stop at once (a console reading a file), clients get the end
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace - floor):
                await (until or asyncio.Event()).wait()
    served.server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        async with asyncio.timeout(STOP_LIMIT):
            await served.task
