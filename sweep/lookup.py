"""Reaching a host and port by name within a deadline, the name's look-up included.

``socket.create_connection(timeout=)`` bounds the connection but not the name's look-up before it: the system's
resolver (``getaddrinfo``) takes no timeout, and a DNS server that does not answer holds it for as long as the
system's own retries last (tens of seconds, more with several servers). Here the look-up runs on a daemon thread
that is waited on until the deadline and, past it, left to finish on its own.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

INVALID_DOMAIN = "invalid"
"""The top-level domain reserved never to resolve (RFC 2606, RFC 6761 section 6.4: a resolver answers "no such
name" for it at once, without asking DNS)."""


class LookupTimeout(TimeoutError):
    """The name's look-up did not end within its time (the connection was never tried)."""


def never_resolves(host: str) -> bool:
    """Whether ``host`` is a name under the reserved ``.invalid`` domain."""
    labels = host.rstrip(".").lower().rsplit(".", 1)
    return labels[-1] == INVALID_DOMAIN


def resolve_within(host: str, port: int, timeout: float) -> list[tuple[Any, ...]]:
    """``socket.getaddrinfo`` of ``host``:``port`` for TCP, given up on after ``timeout`` seconds
    (:class:`LookupTimeout`); a name that does not resolve raises its ``socket.gaierror`` as the system says it."""
    if never_resolves(host):
        raise socket.gaierror(socket.EAI_NONAME, "a name under .invalid never resolves (RFC 6761)")
    answer: list[list[tuple[Any, ...]] | BaseException] = []
    finished = threading.Event()

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread, which raises it
            answer.append(exc)
        finally:
            finished.set()

    threading.Thread(target=look_up, name=f"look up {host}", daemon=True).start()
    if not finished.wait(timeout):
        raise LookupTimeout(f"the look-up of {host!r} did not end within {timeout:g} s")
    found = answer[0]
    if isinstance(found, BaseException):
        raise found
    return found


def connect_within(host: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to ``host``:``port``, its name looked up and each of its addresses tried in turn, all within
    ``timeout`` seconds: :class:`LookupTimeout` if the look-up took them, ``TimeoutError`` if the connection did,
    else the last address's ``OSError`` (``ConnectionRefusedError``, ...)."""
    deadline = time.monotonic() + timeout
    error: OSError | None = None
    for family, kind, proto, _, address in resolve_within(host, port, timeout):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no connection to {host}:{port} within {timeout:g} s")
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(left)
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error if error is not None else OSError(f"{host} has no address")
