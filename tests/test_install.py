"""The built wheel works wherever Python installs it: a fresh venv, ``--target``, ``--user`` and pipx.

Each install runs ``ballotdrill list`` and a run from an empty folder elsewhere; the long run
hands its journal to the writer process, which must write into the run folder the user named.
These tests build and install for real (dependencies from the package registry).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.install

BUSY = """\
version: 1
structure:
  actors:
    desk: {staff: 2}
  procedures:
    take-call:
      trigger: {type: call}
      steps:
        - {id: take, actor: desk, duration: {dist: exponential, mean: 1m}}
scenarios:
  busy:
    title: Calls all day
    start: "00:00"
    end: "23:59"
    injects:
      - {id: B1, every: {dist: exponential, mean: 1m}, incident: {type: call}}
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("ballotdrill-*.whl")
    return built


def _base_python() -> str:
    """The interpreter this venv was made from (no project packages)."""
    return getattr(sys, "_base_executable", sys.executable)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONUSERBASE")}
    return {**env, **extra}


def _use(python: list[str], workdir: Path, env: dict[str, str]) -> None:
    """``--version``, ``list`` and a long run from ``workdir``, which is outside the project."""
    def call(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*python, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    assert call("--version").stdout.startswith("ballotdrill ")
    listed = call("list").stdout
    assert "combined-hybrid-day" in listed, listed
    (workdir / "busy.yaml").write_text(BUSY, encoding="utf-8")
    summary = json.loads(call("run", "--file", "busy.yaml", "--seed", "4", "--out", "run", "--json").stdout)
    with sqlite3.connect(workdir / "run" / "journal.sqlite") as db:
        stored = db.execute("SELECT count(*) FROM events").fetchone()[0]
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    assert stored == summary["events"] > 8192  # long enough for the writer process
    assert meta["seed"] == "4" and meta["version"]
    assert (workdir / "run" / "report.html").is_file()


def _serve_refused(python: list[str], workdir: Path, env: dict[str, str]) -> str:
    """The one line ``live --serve`` gives where the ``serve`` extra is not installed (exit 2, no folder made)."""
    done = subprocess.run([*python, "live", "--serve", "--out", "never"], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and not (workdir / "never").exists(), done.stderr
    return lines[0]


def test_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    checkout = tmp_path / "clone"  # as 'make demo' leaves a clone: .venv beside pyproject.toml, no serve extra
    checkout.mkdir()
    (checkout / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    venv = checkout / ".venv"
    subprocess.run([_base_python(), "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use([str(venv / "bin" / "ballotdrill")], work, _clean_env())
    line = _serve_refused([str(venv / "bin" / "ballotdrill")], work, _clean_env())
    assert line.endswith(f"{venv}/bin/pip install '{checkout}[serve]' (this source checkout's environment)"), line


def test_wheel_with_target(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use([_base_python(), "-m", "ballotdrill"], work, _clean_env(PYTHONPATH=str(target)))


def test_wheel_with_user(wheel: Path, tmp_path: Path) -> None:
    userbase = tmp_path / "userbase"
    env = _clean_env(PYTHONUSERBASE=str(userbase), PIP_BREAK_SYSTEM_PACKAGES="1")
    subprocess.run([_base_python(), "-m", "pip", "install", "--quiet", "--user", str(wheel)],
                   check=True, capture_output=True, env=env)
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use([str(userbase / "bin" / "ballotdrill")], work, env)


def test_wheel_with_pipx(wheel: Path, tmp_path: Path) -> None:
    env = _clean_env(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
                     PIPX_MAN_DIR=str(tmp_path / "man"))
    subprocess.run([sys.executable, "-m", "pipx", "install", "--python", _base_python(), str(wheel)],
                   check=True, capture_output=True, env=env)
    work = tmp_path / "elsewhere"
    work.mkdir()
    _use([str(tmp_path / "bin" / "ballotdrill")], work, env)
    line = _serve_refused([str(tmp_path / "bin" / "ballotdrill")], work, env)
    assert line.endswith("lacks: pip install 'ballotdrill[serve]'"), line
