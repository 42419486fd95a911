"""The facilitator's dashboard on a real terminal (a pseudo-terminal, 40 rows by 100 columns): user text cannot
draw on it, the level is named, and the last frame shows the reply to ``end``."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from live_process_helpers import hostile_file


def test_dashboard_is_safe_and_ends_with_the_reply(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | {"TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "ballotdrill", "live", "--file", str(hostile_file(tmp_path)),
                             "--play", "alpha", "--speed", "30", "--out", str(tmp_path / "run")],
                            stdin=slave, stdout=slave, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
    os.close(slave)
    seen = bytearray()
    lock = threading.Lock()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with lock:
                seen.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait_for(text: bytes, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with lock:
                if text in seen:
                    return
            time.sleep(0.05)
        raise AssertionError(f"never shown: {text!r}")

    try:
        wait_for(b"municipal")  # N1 at 08:01, its level by name
        os.write(master, b'inject {message: {to: alpha, text: "ans \\x1b[2J\\x07 [bold]B[/bold]"}}\n')
        wait_for(b"ok #1: inject F1 delivered")
        os.write(master, b"end\n")
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(10)
        os.close(master)
    out = bytes(seen)
    assert b"ans \x1b[2J" not in out and b"\x07" not in out
    assert b"ans \\x1b[2J\\x07 [bold]B[/bold]" in out
    last = out[out.rindex(b"hostile  08:"):]  # the last frame drawn
    assert b"(ended)" in last and b"ok #2: ended" in last
