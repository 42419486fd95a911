"""Decision requests are numbered per played actor: a player's first decision is #1 whatever the others were asked.
A player's number names its own request; at the console a number several actors' open requests bear is refused in
one line naming ``ACTOR#N``; the journal records the key, so a replay is the same."""

from __future__ import annotations

from pathlib import Path

from ballotdrill.live import inputs
from ballotdrill.live.core import LiveCore
from ballotdrill.live.play import close_ended
from ballotdrill.live.rebuild import replay_folder, start_live
from ballotdrill.live.views import PLAYER, view
from ballotdrill.scenarios.loader import load_text

TWO_DESKS = """\
version: 1
structure:
  actors:
    alpha: {name: Alpha, staff: 3}
    bravo: {name: Bravo, staff: 3}
  channels:
    phone: {latency: {dist: fixed, value: 1m}}
  default_channel: phone
  procedures:
    alpha-says:
      trigger: {type: disinformation}
      steps:
        - id: choose
          actor: alpha
          decision: {options: {debunk: {next: end}, ignore: {next: end}}, default: ignore, timeout: 60m}
    bravo-says:
      trigger: {type: disinformation}
      steps:
        - id: choose
          actor: bravo
          decision: {options: {debunk: {next: end}, ignore: {next: end}}, default: ignore, timeout: 60m}
scenarios:
  s:
    title: Two desks asked
    start: "08:00"
    end: "10:00"
    injects:
      - {id: N1, at: "08:01", incident: {id: N1, type: disinformation, severity: 2}}
      - {id: N2, at: "08:02", incident: {id: N2, type: disinformation, severity: 2}}
      - {id: N3, at: "08:03", incident: {id: N3, type: disinformation, severity: 2}}
"""
"""Each incident asks both desks (three staff each: every request is open at once)."""


def _asked(core: LiveCore) -> dict[str, list[tuple[int, str]]]:
    return {actor: [(r.number, r.incident) for r in core.open_requests(actor)] for actor in core.played}


def test_each_played_actor_counts_its_own_requests_from_one(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    core = start_live(folder, load_text(TWO_DESKS, "two.yaml"), "s", seed=1, played=("alpha", "bravo"), speed=60.0)
    core.advance(10.0)
    assert _asked(core) == {"alpha": [(1, "N1"), (2, "N2"), (3, "N3")], "bravo": [(1, "N1"), (2, "N2"), (3, "N3")]}
    assert [r["number"] for r in view(core, PLAYER, "bravo")["requests"]] == [1, 2, 3]  # before: 2, 4, 6

    said = core.apply(inputs.answer("1", "debunk", player="bravo"))  # a player's number is its own request's
    assert said.ok and said.message == "request 1: debunk"
    assert [n for n, _ in _asked(core)["bravo"]] == [2, 3] and len(_asked(core)["alpha"]) == 3

    ambiguous = core.apply(inputs.parse_command("answer 2 ignore"))  # type: ignore[arg-type]
    assert not ambiguous.ok and ambiguous.message == (
        "request 2 is open for 2 actors: say which, alpha#2 or bravo#2 (e.g. 'answer alpha#2 OPTION')")
    named = core.apply(inputs.parse_command("answer bravo#2 ignore"))  # type: ignore[arg-type]
    assert named.ok and named.message == "request bravo#2: ignore"
    only = core.apply(inputs.parse_command("answer 1 ignore"))  # bravo#1 is closed: alpha#1 is the one open
    assert only.ok and only.message == "request alpha#1: ignore"
    foreign = core.apply(inputs.answer("alpha#3", "debunk", player="bravo"))  # never another agency's
    assert not foreign.ok and foreign.message == "no decision request 'alpha#3' for bravo; open requests: 3"

    core.advance(core.horizon)
    core.commit()
    close_ended(core, folder)
    assert replay_folder(folder).identical  # the keys were journalled, not the numbers
