"""``sweep --scheduler``: an address that is no scheduler's is one line, at once or within ``--connect-timeout``.

Real sockets on loopback: a port nobody listens on, a server that never answers, one that hangs up, one that
answers as something else, and a Dask LocalCluster's scheduler, which passes.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_helpers import in_process, one_line
from sweep_helpers import EXAMPLE

from ballotdrill.sweep.execute import CONNECT_TIMEOUT, SchedulerError, reach_scheduler, scheduler_endpoint
from ballotdrill.sweep.lookup import connect_within

FORM = "give tcp://HOST:PORT"


@contextmanager
def listening(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server on a free loopback port that does ``answer`` with each connection; its ``tcp://`` address."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed: the test is over
                return
            held.append(conn)
            answer(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()
        for conn in held:
            conn.close()
        thread.join(5)


def unused_port() -> int:
    """A loopback port nobody listens on (bound, then let go: connecting to it is refused)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def sweep_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               *options: str) -> tuple[str, float]:
    """The one line ``sweep --scheduler ...`` is refused with (exit 2, no folder made) and the seconds it took."""
    started = time.monotonic()
    result = in_process(("sweep", "--file", str(EXAMPLE), "--runs", "2", "--out", "never", *options), tmp_path,
                        monkeypatch, capsys)
    took = time.monotonic() - started
    line = one_line(result)
    assert not (tmp_path / "never").exists()
    return line, took


@pytest.mark.parametrize("address", ["nonsense", "127.0.0.1", "tcp://127.0.0.1", "tcp://127.0.0.1:", ":8786",
                                     "tcp://127.0.0.1:port", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65536",
                                     "tcp://127.0.0.1:8786/status", "http://127.0.0.1:8786", "tls://host:8786",
                                     "tcp://[::1:8786", ""])
def test_an_address_not_of_a_scheduler_s_form_is_refused_before_anything_is_read(
        address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    line, _ = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", address)
    assert line.startswith(f"--scheduler {address}: ") and FORM in line, line


@pytest.mark.parametrize(("address", "endpoint"), [
    ("tcp://127.0.0.1:8786", ("127.0.0.1", 8786)), ("127.0.0.1:8786", ("127.0.0.1", 8786)),
    ("tcp://[::1]:8786", ("::1", 8786)), ("tcp://sched.example:1", ("sched.example", 1))])
def test_a_scheduler_s_address_is_read_as_dask_reads_it(address: str, endpoint: tuple[str, int]) -> None:
    assert scheduler_endpoint(address) == endpoint


def test_a_port_nobody_listens_on_is_one_line_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    port = unused_port()
    with pytest.raises(SchedulerError, match=f"nothing listens on port {port} of 127.0.0.1 \\(connection refused\\)"):
        reach_scheduler(f"tcp://127.0.0.1:{port}", CONNECT_TIMEOUT)
    line, _ = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", f"tcp://127.0.0.1:{port}")
    assert "connection refused); start one with 'dask scheduler'" in line, line


def no_lookup(*args: object, **kwargs: object) -> None:
    raise AssertionError("the system's resolver was asked")


@pytest.mark.parametrize("host", ["sched.invalid", "SCHED.Invalid.", "invalid"])
def test_a_name_reserved_never_to_resolve_is_one_line_without_asking_the_resolver(
        host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)  # RFC 6761: no DNS query leaves the machine for it
    line, took = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", f"tcp://{host}:8786")
    named = host.lower()  # as Dask reads the address
    assert line.startswith(f"--scheduler tcp://{host}:8786: no host named {named!r} (the name does not resolve); "
                           "check the address, or give the scheduler's IP address"), line
    assert took < 60, took


def test_a_look_up_that_does_not_end_is_given_up_on_after_the_connect_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # a DNS server that does not answer: the system's resolver has no timeout of its own
    release = threading.Event()
    asked: list[str] = []

    def stuck(host: str, *args: object, **kwargs: object) -> None:
        asked.append(host)
        release.wait(60)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    try:
        line, took = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", "tcp://sched.example:8786",
                                "--connect-timeout", "0.5")
    finally:
        release.set()
    assert asked == ["sched.example"]
    assert line == ("--scheduler tcp://sched.example:8786: the look-up of the name 'sched.example' did not end "
                    "within 0.5 s (the system's DNS does not answer); check the network, or give the scheduler's "
                    "IP address; a slow network may need more time: --connect-timeout SECONDS"), line
    assert took < 30, took  # the 60 s the look-up would have taken were not waited


def test_a_resolver_that_fails_is_not_told_a_missing_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", failing)
    with pytest.raises(SchedulerError, match=r"the name 'sched\.example' could not be looked up \(Temporary failure"):
        reach_scheduler("tcp://sched.example:8786", CONNECT_TIMEOUT)


def test_each_address_of_a_name_is_tried_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    # as socket.create_connection does: "localhost" may be ::1 first, where nothing listens
    with listening(lambda conn: None) as address:
        port = int(address.rpartition(":")[2])
        refused = ("127.0.0.1", unused_port())
        stream = (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "")
        monkeypatch.setattr(socket, "getaddrinfo",
                            lambda *args, **kwargs: [(*stream, refused), (*stream, ("127.0.0.1", port))])
        with connect_within("sched.example", port, CONNECT_TIMEOUT) as sock:
            assert sock.getpeername() == ("127.0.0.1", port)
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [(*stream, refused)])
        with pytest.raises(ConnectionRefusedError):
            connect_within("sched.example", port, CONNECT_TIMEOUT)


def test_a_server_that_never_answers_is_given_up_on_after_the_connect_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Dask's own handshake waits on such a server for ever (an HTTP server, a dashboard's port, a stuck process)
    with listening(lambda conn: None) as address:
        line, took = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", address, "--connect-timeout", "0.5")
    assert "no answer within 0.5 s of a Dask scheduler there" in line and "--connect-timeout SECONDS" in line, line
    assert took < 120  # bounded, not hung (the wait itself is 0.5 s; the rest is the command on a loaded machine)


def test_a_server_that_hangs_up_or_answers_otherwise_is_no_scheduler() -> None:
    with listening(lambda conn: conn.close()) as address, pytest.raises(SchedulerError, match="hung up without a"):
        reach_scheduler(address, CONNECT_TIMEOUT)
    with listening(lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")) as address, \
            pytest.raises(SchedulerError, match="answers, but not as a Dask scheduler"):
        reach_scheduler(address, CONNECT_TIMEOUT)


@pytest.mark.parametrize(("options", "expected"), [
    (("--connect-timeout", "0"), "--connect-timeout must be a number of seconds above 0 (got 0)"),
    (("--connect-timeout", "-1"), "--connect-timeout must be a number of seconds above 0 (got -1)"),
    (("--connect-timeout", "nan"), "--connect-timeout must be a number of seconds above 0 (got nan)"),
    (("--connect-timeout", "inf"), "--connect-timeout must be a number of seconds above 0 (got inf)")])
def test_a_connect_timeout_is_a_number_of_seconds(options: tuple[str, ...], expected: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    line, _ = sweep_line(tmp_path, monkeypatch, capsys, "--scheduler", "tcp://127.0.0.1:8786", *options)
    assert line == expected


def test_a_connect_timeout_without_a_scheduler_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    line, _ = sweep_line(tmp_path, monkeypatch, capsys, "--connect-timeout", "30")
    assert line.startswith("--connect-timeout is how long --scheduler waits for its cluster; without --scheduler")


def test_a_dask_scheduler_passes_the_check() -> None:
    distributed = pytest.importorskip("distributed", reason="Dask's distributed package (ballotdrill[distributed])")
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        reach_scheduler(cluster.scheduler_address, 30.0)  # its handshake read: no error
        host, port = scheduler_endpoint(cluster.scheduler_address)
        reach_scheduler(f"{host}:{port}", 30.0)  # the scheme left out, as Dask allows
