"""Bad input at the console: one clear line, and nothing changes (no journal row, no input recorded)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from live_helpers import EXAMPLE, example

from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.inputs import InputError, parse_command
from ballotdrill.live.store import MemoryStore


def _core() -> tuple[LiveCore, MemoryStore]:
    store = MemoryStore()
    core = LiveCore(example(), "wave", seed=1, played=("interior", "monitor"), store=store)
    return core, store


@pytest.mark.parametrize(("line", "says"), [
    ("dance", "unknown command 'dance'"),
    ("answer 1", "usage: answer REQUEST OPTION"),
    ("speed fast", "speed 'fast' is not a number"),
    ("speed -3", "speed must be a number from 0.01 to 100000 (got -3)"),
    ("speed nan", "speed must be a number from 0.01 to 100000"),
    ("speed 1e-300", "speed must be a number from 0.01 to 100000 (got 1e-300); 1 is real time"),
    ("speed 1e9", "speed must be a number from 0.01 to 100000 (got 1e+09)"),
    ("speed 1_000", "speed '1_000' is not a number"),
    ("note   ", "usage: note TEXT"),
    ("discuss interior M1 first hello", "usage: discuss"),
    ("pause now", "usage: pause"),
    ("action 'unclosed", "No closing quotation"),
])
def test_malformed_command_lines_are_refused_with_their_usage(line: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_command(line)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_refused_inputs_change_nothing() -> None:
    core, store = _core()
    core.advance(20.0)  # N1 started at 08:10; its decision for interior is asked at 08:17
    core.commit()
    request = core.open_requests("interior")[0]
    before = (len(store.rows), len(core.journal.rows), core.count, dict(core.exercise.pending))
    refused = {
        "option not offered": inputs.answer(str(request.number), "panic"),
        "unknown request": inputs.answer("99", "debunk"),
        "someone else's request": inputs.answer(request.key, "debunk", player="monitor"),
        "actor not played": inputs.action("comms", "convene"),
        "action not declared": inputs.action("interior", "convene"),
        "incident not started": inputs.action("monitor", "convene", "N7"),
        "no question": inputs.discuss("interior", "N2", 1, "text"),
        "inject failing validation": inputs.adhoc_inject("{message: {to: nobody, text: hello}}"),
        "inject with a time": inputs.adhoc_inject("{at: '09:00', message: {to: interior, text: hello}}"),
        "inject not YAML": inputs.adhoc_inject("{message: [unclosed"),
        "incident already in play": inputs.adhoc_inject("{incident: {id: N1, type: disinformation, severity: 1}}"),
        "send-now of an unknown inject": inputs.Input("send_now", {"inject": "Z9"}),
        "send-now of a delivered inject": inputs.Input("send_now", {"inject": "N1"}),
        "resume when running": inputs.Input("resume", {}),
        "malformed fields": inputs.Input("answer", {"option": "debunk"}),
        "unknown kind": inputs.Input("dance", {}),
    }
    for why, item in refused.items():
        outcome = core.apply(item)
        assert not outcome.ok, why
        assert outcome.message and "\n" not in outcome.message, why
    assert (len(store.rows), len(core.journal.rows), core.count, dict(core.exercise.pending)) == before
    assert "nobody" in core.apply(refused["inject failing validation"]).message
    assert "debunk, ignore" in core.apply(refused["option not offered"]).message


def test_an_answer_to_an_expired_request_is_refused() -> None:
    core, store = _core()
    core.advance(20.0)
    request = core.open_requests("interior")[0]
    core.advance(request.deadline + 1)  # the timeout took the default
    rows = len(store.rows)
    wrong = core.apply(inputs.answer(str(request.number), "nope"))
    assert not wrong.ok and "no longer open: it timed out at" in wrong.message
    assert len(store.rows) == rows and core.count == 0  # not an option: nothing kept
    outcome = core.apply(inputs.answer(str(request.number), "debunk"))
    assert not outcome.ok and "no longer open: it timed out at" in outcome.message
    assert "the default 'ignore' was taken; your answer 'debunk', 1 min after the timeout" in outcome.message
    assert [row[1] for row in store.rows[rows:]] == ["answered_late"] and core.count == 1  # kept as late, not applied
    assert core.lines[-1].endswith("'debunk' by the facilitator, 1 min after the timeout (the default 'ignore' was "
                                   "taken)")
    again = core.apply(inputs.answer(str(request.number), "ignore"))  # one late answer is kept, not a second
    assert not again.ok and again.message.endswith("a late answer ('debunk') was recorded at 08:38 already")
    assert [row[1] for row in store.rows[rows:]] == ["answered_late"] and core.count == 1


def test_an_ended_exercise_refuses_every_input() -> None:
    core, _ = _core()
    assert core.apply(inputs.Input("end", {})).ok
    assert core.apply(inputs.note("late")).message == "the exercise has ended"


@pytest.mark.parametrize("args", [["--play", "interor"], ["--speed", "0"], ["--serve", "nohost"],
                                  ["--serve", "127.0.0.1:99999"]])
def test_bad_live_flags_exit_2_with_one_line_and_make_no_folder(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "ballotdrill", "live", "--file", str(EXAMPLE), *args, "--out",
                           str(out)], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not out.exists()


def test_a_slice_ends_exactly_where_asked_whatever_the_slices_before() -> None:
    """Live play records an input at the time its slice reached; a replay in other slices must reach it exactly."""
    live, replay = _core()[0], _core()[0]
    live.advance(206.75956862490645)  # a time live play reached; 65.507… + (206.759… - 65.507…) misses it
    replay.advance(65.50770429955354)
    replay.advance(live.now)
    assert replay.now == live.now
    rng = random.Random(11)
    for _ in range(200):
        live, replay = _core()[0], _core()[0]
        for t in sorted(rng.uniform(0.0, 230.0) for _ in range(rng.randrange(1, 40))):
            live.advance(t)
        target = live.now  # where live play recorded an input
        replay.advance(target)
        assert replay.now == target
        assert live.exercise.journal.count == replay.exercise.journal.count


def test_an_exercise_with_no_console_input_plays_to_its_end(tmp_path: Path) -> None:
    """stdin from /dev/null (cron, nohup, CI), which the event loop cannot watch: no commands, no traceback."""
    out = tmp_path / "run"
    with open(os.devnull, encoding="utf-8") as nothing:
        done = subprocess.run([sys.executable, "-m", "ballotdrill", "live", "--file", str(EXAMPLE), "--play",
                               "interior", "--speed", "100000", "--out", str(out)],
                              capture_output=True, text=True, stdin=nothing, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr, done.stderr
    assert "exercise ended" in done.stderr + done.stdout
    assert (out / "report.md").exists()
