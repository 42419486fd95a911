"""Fifty players on loopback: input round trips while a served live exercise runs at speed 60.

A synthetic structure of 50 desks, each played by its own client (its own token) on the same
machine: every desk gets a decision about every 3 simulated minutes and may take an action
any time. Each client long-polls its view, answers its decisions and takes an action about
once a second. The server is a real ``ballotdrill live --serve`` process; the clients are
coroutines spread over a few processes (players sit at their own machines: no thread of one
player waits for an interpreter lock another holds), each keeping its connections open as a
browser does. Reported: p50/p99 of the POST round trip (sent until the server says it is
committed), every acknowledged input checked against the journal (lost must be 0), the same
durable one-row commit baseline as ``live_latency.py``, and the server's CPU while the players
play.

    python bench/live_players.py                 # 50 players, 20 s
    python bench/live_players.py --seconds 5     # reduced form
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ballotdrill.journal import JOURNAL_FILE  # noqa: E402
from ballotdrill.live.store import read_inputs  # noqa: E402
from bench.live_latency import baseline, percentile  # noqa: E402


def scenario(players: int) -> str:
    actors = "\n".join(f"    p{i}: {{staff: 2, actions: [report]}}" for i in range(players))
    procs = "\n".join(f"""    choose-{i}:
      trigger: {{type: t{i}}}
      steps:
        - id: decide
          actor: p{i}
          decision: {{options: {{act: {{next: end}}, wait: {{next: end}}}}, default: wait, timeout: 5m}}"""
                      for i in range(players))
    injects = "\n".join(f"      - {{every: {{dist: exponential, mean: 3m}}, incident: {{type: t{i}}}, "
                        f"detected_by: {{actor: p{i}}}}}" for i in range(players))
    return f"""version: 1
structure:
  actors:
{actors}
  procedures:
{procs}
scenarios:
  players:
    title: fifty players
    start: "08:00"
    end: "20:00"
    injects:
{injects}
"""


class Connection:
    """One kept-alive HTTP/1.1 connection on asyncio streams, as a browser tab holds it. A connection the server
    closed while idle (its keep-alive timeout) is reopened once, as browsers do."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, token: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        message = (head + "\r\n").encode() + (body or b"")
        for attempt in (1, 2):
            reused = self.streams is not None
            try:
                if self.streams is None:
                    self.streams = await asyncio.open_connection(self.host, self.port)
                reader, writer = self.streams
                writer.write(message)
                return await self._response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                self.close()
                if not reused or attempt == 2:
                    raise OSError(f"{method} {path} failed") from None
        raise AssertionError("unreachable")

    async def _response(self, reader: asyncio.StreamReader) -> tuple[int, bytes]:
        status_line = await reader.readline()
        if not status_line:
            raise OSError("closed by the server")
        status, length, closing = int(status_line.split()[1]), 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "connection" and value.strip().lower() == "close":
                closing = True
        body = await reader.readexactly(length)
        if closing:
            self.close()
        return status, body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class Player:
    """One player's client: one connection for the long poll of its view, one for its inputs."""

    def __init__(self, url: str, token: str, seed: int) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token, self.rng = token, random.Random(seed)
        self.poll, self.input = Connection(host, port), Connection(host, port)
        self.trips: list[float] = []
        self.acked: list[tuple[int, str]] = []
        self.refused = 0
        self.errors = 0

    async def post(self, path: str, body: Any, kind: str) -> None:
        start = time.perf_counter()
        try:
            status, data = await self.input.request("POST", path, self.token, json.dumps(body).encode())
        except OSError:
            self.errors += 1
            return
        self.trips.append(time.perf_counter() - start)
        if status == 200:
            self.acked.append((json.loads(data)["n"], kind))
        else:
            self.refused += 1

    async def run(self) -> None:
        version = None
        answered: set[str] = set()
        next_action = time.monotonic() + self.rng.uniform(0, 1)
        while True:
            try:
                status, data = await self.poll.request("GET", "/api/state" + (f"?since={version}" if version else ""),
                                                       self.token)
            except OSError as exc:
                self.errors += 1
                if self.errors < 3:
                    print("poll error:", repr(exc), file=sys.stderr)
                await asyncio.sleep(0.1)
                continue
            if status != 200:
                return
            state = json.loads(data)
            version = state["version"]
            for request in state["view"]["requests"]:
                if request["key"] not in answered:
                    answered.add(request["key"])
                    await self.post("/api/answer", {"request": request["key"], "option": "act"}, "answer")
            if time.monotonic() >= next_action:
                await self.post("/api/action", {"action": "report"}, "action")
                next_action = time.monotonic() + self.rng.expovariate(1.0)

    def close(self) -> None:
        self.poll.close()
        self.input.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process ``pid`` has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Played(NamedTuple):
    """What one player's client measured."""

    trips: list[float]
    acked: list[tuple[int, str]]
    refused: int
    errors: int


def play(url: str, seats: list[tuple[int, str]], seconds: float) -> list[Played]:
    """Run some players' clients (coroutines of one event loop in this process) for ``seconds``; what each
    measured. One loop and no threads: a reply is read as soon as it arrives, not when an interpreter lock
    shared with other players' threads comes round."""
    players = [Player(url, token, n) for n, token in seats]

    async def session() -> None:
        tasks = [asyncio.create_task(p.run()) for p in players]
        _, running = await asyncio.wait(tasks, timeout=seconds)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        for player in players:
            player.close()

    asyncio.run(session())
    return [Played(p.trips, p.acked, p.refused, p.errors) for p in players]


def end_exercise(url: str, token: str) -> None:
    """The facilitator ends the exercise."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    connection.request("POST", "/api/control", body=json.dumps({"command": "end"}),
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    connection.getresponse().read()
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=5, help="client processes the players are spread over")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = [x * 1000 for x in baseline(folder, 200)]
        file = folder / "players.yaml"
        file.write_text(scenario(args.players), encoding="utf-8")
        played = [a for i in range(args.players) for a in ("--play", f"p{i}")]
        profiled = os.environ.get("BENCH_PROFILE")  # a file: the server runs under cProfile
        profile = ["-m", "cProfile", "-o", profiled] if profiled else []
        server = subprocess.Popen([sys.executable, *profile, "-m", "ballotdrill", "live", "players",
                                   "--file", str(file), "--speed", "60", *played, "--serve", "--out",
                                   str(folder / "run")],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tokens_file = folder / "run" / "tokens.json"
        deadline = time.monotonic() + 60
        while not tokens_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        tokens = json.loads(tokens_file.read_text(encoding="utf-8"))
        url = tokens["url"]
        seats = [(n, r["token"]) for n, r in enumerate(tokens["roles"]) if r["role"] == "player"]
        groups = [seats[i::args.processes] for i in range(args.processes)]
        with ProcessPoolExecutor(args.processes) as pool:  # players as on their own machines: no shared GIL
            cpu_before = cpu_seconds(server.pid)
            players = [p for group in pool.map(play, [url] * len(groups), groups, [args.seconds] * len(groups))
                       for p in group]
            server_cpu = cpu_seconds(server.pid) - cpu_before
        facilitator = next(r["token"] for r in tokens["roles"] if r["role"] == "facilitator")
        end_exercise(url, facilitator)
        server.wait(120)
        recorded = {item.n: item.input.kind for item in read_inputs(folder / "run" / JOURNAL_FILE)}
    acked = [a for p in players for a in p.acked]
    lost = sum(1 for n, kind in acked if recorded.get(n) != kind)
    trips = [x * 1000 for p in players for x in p.trips]
    figures = {
        "players": len(players), "seconds": args.seconds, "inputs_acknowledged": len(acked),
        "answers": sum(1 for _, k in acked if k == "answer"), "actions": sum(1 for _, k in acked if k == "action"),
        "refused": sum(p.refused for p in players), "connection_errors": sum(p.errors for p in players),
        "lost": lost, "p50_ms": round(percentile(trips, 50), 2), "p99_ms": round(percentile(trips, 99), 2),
        "max_ms": round(max(trips), 2), "baseline_commit_p99_ms": round(percentile(base, 99), 2),
        "server_cpu_s": round(server_cpu, 2),
        "server_cpu_ms_per_input": round(server_cpu * 1000 / max(len(acked), 1), 2),
    }
    figures["ratio_p99"] = round(figures["p99_ms"] / max(figures["baseline_commit_p99_ms"], 1e-6), 2)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['players']} players for {args.seconds:g} s at speed 60: {figures['inputs_acknowledged']} inputs "
          f"acknowledged ({figures['answers']} answers, {figures['actions']} actions), {figures['refused']} refused, "
          f"{figures['connection_errors']} connection errors, {lost} lost")
    print(f"  POST round trip (until committed): p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms "
          f"(target p99 <= 50 ms), max {figures['max_ms']} ms; baseline durable commit p99 "
          f"{figures['baseline_commit_p99_ms']} ms (ratio {figures['ratio_p99']}x)")
    print(f"  server process while the players played: {figures['server_cpu_s']} s of CPU "
          f"({figures['server_cpu_s'] / args.seconds:.0%} of one core), "
          f"{figures['server_cpu_ms_per_input']} ms per acknowledged input")


if __name__ == "__main__":
    main()
