"""Fifty players on loopback: input round trips while a served live exercise runs at speed 60.

A synthetic structure of 50 desks, each played by its own client (its own token) on the same
machine: every desk gets a decision about every 3 simulated minutes and may take an action
any time. Each client long-polls its view, answers its decisions and takes an action about
once a second. The server is a real ``ballotdrill live --serve`` process; the clients are
threads spread over a few processes (players sit at their own machines, so they should not
queue for one interpreter lock), each keeping its connections open as a browser does. Reported: p50/p99 of the
POST round trip (sent until the server says it is committed), every acknowledged input
checked against the journal (lost must be 0), and the same durable one-row commit baseline
as ``live_latency.py``.

    python bench/live_players.py                 # 50 players, 20 s
    python bench/live_players.py --seconds 5     # reduced form
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
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


class Player(threading.Thread):
    """One player's client: like a browser tab, it keeps its connections open (HTTP keep-alive),
    one for the long poll of its view and one for its inputs."""

    def __init__(self, url: str, token: str, stop: threading.Event, seed: int) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.stop, self.rng = url.rstrip("/"), token, stop, random.Random(seed)
        self.trips: list[float] = []
        self.acked: list[tuple[int, str]] = []
        self.refused = 0
        self.errors = 0
        self.connections: dict[str, http.client.HTTPConnection] = {}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request on the lane's open connection; a connection the server closed while idle
        (keep-alive timeout) is reopened once, as browsers do."""
        lane = "poll" if method == "GET" else "input"
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        for attempt in (1, 2):
            reused = lane in self.connections
            if not reused:
                parts = urlsplit(self.url)
                host = parts.hostname or "127.0.0.1"
                self.connections[lane] = http.client.HTTPConnection(host, parts.port, timeout=30)
            connection = self.connections[lane]
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                return response.status, json.loads(response.read() or b"{}")
            except (OSError, http.client.HTTPException):
                connection.close()
                del self.connections[lane]
                if not reused or attempt == 2:
                    raise OSError(f"{method} {path} failed") from None
        raise AssertionError("unreachable")

    def post(self, path: str, body: Any, kind: str) -> None:
        start = time.perf_counter()
        try:
            status, data = self.call("POST", path, body)
        except OSError:
            self.errors += 1
            return
        self.trips.append(time.perf_counter() - start)
        if status == 200:
            self.acked.append((data["n"], kind))
        else:
            self.refused += 1

    def run(self) -> None:
        version = None
        answered: set[str] = set()
        next_action = time.monotonic() + self.rng.uniform(0, 1)
        while not self.stop.is_set():
            try:
                status, data = self.call("GET", "/api/state" + (f"?since={version}" if version else ""))
            except OSError as exc:
                self.errors += 1
                if self.errors < 3 and not self.stop.is_set():
                    print("poll error:", repr(exc), file=sys.stderr)
                time.sleep(0.1)
                continue
            if status != 200:
                return
            version = data["version"]
            for request in data["view"]["requests"]:
                if request["key"] not in answered:
                    answered.add(request["key"])
                    self.post("/api/answer", {"request": request["key"], "option": "act"}, "answer")
            if time.monotonic() >= next_action:
                self.post("/api/action", {"action": "report"}, "action")
                next_action = time.monotonic() + self.rng.expovariate(1.0)


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
    """Run some players' clients (threads of this process) for ``seconds``; what each measured."""
    stop = threading.Event()
    players = [Player(url, token, stop, n) for n, token in seats]
    for player in players:
        player.start()
    time.sleep(seconds)
    stop.set()
    for player in players:
        player.join(40)
    return [Played(p.trips, p.acked, p.refused, p.errors) for p in players]


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
        Player(url, facilitator, threading.Event(), 0).post("/api/control", {"command": "end"}, "end")
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
