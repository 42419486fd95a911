"""An incident whose type no procedure's trigger names is told: a warning at validate (an error with --strict),
words on the live console's ``ok`` line of an ad-hoc inject."""

from __future__ import annotations

from pathlib import Path

from format_helpers import col_of, run_cli
from live_helpers import example

from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.store import MemoryStore

TYPO = """\
version: 1
structure:
  actors:
    desk: {name: Desk, staff: 1}
  channels:
    phone: {latency: {dist: fixed, value: 1m}}
  default_channel: phone
  procedures:
    fix:
      trigger: {type: equipment_failure}
      steps:
        - {id: repair, actor: desk, duration: {dist: fixed, value: 10m}, effect: {contain: 1.0}}
scenarios:
  s:
    title: S
    start: "08:00"
    end: "12:00"
    injects:
      - {id: E1, at: "08:10", incident: {id: E1, type: equipment_failure, severity: 2}}
      - {id: E2, at: "08:20", incident: {id: E2, type: equipment_failur, severity: 2}}
"""


def test_validate_warns_of_an_incident_no_procedure_answers_and_strict_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(TYPO, encoding="utf-8")
    row = next(n for n, text in enumerate(TYPO.splitlines(), 1) if "equipment_failur," in text)
    line = (f"{path}:{row}:{col_of(TYPO, row, 'equipment_failur,')}: warning: inject 'E2' starts incident 'E2': "
            "no procedure's trigger names type "
            "'equipment_failur', so none starts for it (did you mean 'equipment_failure'?)")
    plain = run_cli("validate", str(path))
    assert plain.returncode == 0 and line in plain.stdout.splitlines() + plain.stderr.splitlines(), plain
    assert "(1 scenario, 1 warning)" in plain.stdout + plain.stderr
    strict = run_cli("validate", "--strict", str(path))
    assert strict.returncode == 2 and line in (strict.stdout + strict.stderr).splitlines(), strict
    alone = tmp_path / "alone.yaml"  # the only incident typo'd: one typo, told once, by the procedure's warning
    alone.write_text("\n".join(line for line in TYPO.splitlines() if "id: E1" not in line), encoding="utf-8")
    once = run_cli("validate", str(alone))
    assert "(1 scenario, 1 warning)" in once.stderr and "triggered by type 'equipment_failure'" in once.stderr, once
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(TYPO.replace("equipment_failur,", "equipment_failure,"), encoding="utf-8")
    clean = run_cli("validate", "--strict", str(fixed))
    assert clean.returncode == 0 and "warning" not in clean.stdout + clean.stderr, clean


def test_a_live_adhoc_incident_no_procedure_answers_is_delivered_with_the_words_that_say_so() -> None:
    core = LiveCore(example(), "wave", seed=1, played=("interior",), store=MemoryStore())
    core.advance(5.0)
    typo = core.apply(inputs.adhoc_inject("{incident: {id: X2, type: disinformaton, severity: 2}}"))
    assert typo.ok and typo.message.endswith(
        "delivered; no procedure's trigger names type 'disinformaton', so none starts for it unless an "
        "action starts one (did you mean 'disinformation'?)"), typo.message
    answered = core.apply(inputs.adhoc_inject("{incident: {id: X3, type: disinformation, severity: 2}}"))
    assert answered.ok and answered.message.endswith("delivered"), answered.message
