"""``--set`` on the ``staff`` of an actor whose shifts set its staff for most of the day warns so (the README's
what-if once changed only the night); a README what-if that changes off-shift staff says so beside it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ballotdrill.application.scenario_files import load_scenarios, shadowed_staff

ROOT = Path(__file__).resolve().parent.parent

SHIFTED = """\
version: 1
structure:
  actors:
    desk: {name: Desk, staff: 1, shifts: [{from: "08:00", to: "20:00", staff: 4}]}
    plain: {name: Plain, staff: 1}
  procedures:
    handle:
      trigger: {type: phishing}
      steps:
        - {id: look, actor: desk, duration: {dist: fixed, value: 5m}}
        - {id: close, actor: plain, duration: {dist: fixed, value: 5m}}
scenarios:
  day:
    title: A day
    start: "07:00"
    end: "12:00"
    injects:
      - {id: P1, at: "09:00", incident: {id: P1, type: phishing, severity: 1}}
"""


def test_set_on_the_staff_of_an_actor_with_shifts_warns_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "shifted.yaml").write_text(SHIFTED, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ballotdrill", "run", "--file", "shifted.yaml", "--set",
                           "structure.actors.desk.staff=3", "--set", "structure.actors.plain.staff=2", "--out", "r"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warned == ["--set structure.actors.desk.staff=3: warning: desk's shifts set its staff during 08:00-20:00; "
                      "'staff' is its staff outside them only; to change the staff on shift, set "
                      "structure.actors.desk.shifts.0.staff"], done.stderr


def test_the_readme_what_if_changes_staff_that_is_on_duty() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sets = re.findall(r"^\$ ballotdrill run --set (\S+)", readme, re.MULTILINE)
    assert sets
    library = load_scenarios()
    for text in sets:
        warning = shadowed_staff(library, text)
        if warning:  # a deliberate off-shift what-if: the README must say so beside it, as the warning does
            after = readme[readme.index(f"--set {text}"):][:1200]
            assert "off-shift" in after, (text, warning)
    assert shadowed_staff(library, "structure.actors.national-cert.staff=6")  # the example it once showed
