"""Every library scenario, replayed over seeds and checked as an evaluator would (bench/library_findings.py):
no credit for an incident that ended by itself, no U for what was not played, no finding its own numbers
contradict, a responsible organisation for every plan row. Two seeds each by default; twenty when slow."""

from __future__ import annotations

import pytest

from ballotdrill import application
from bench.library_findings import summary, sweep


def _check(seeds: int) -> dict[str, dict[str, object]]:
    doc = application.load_scenarios(None, [])
    figures = {name: summary(runs) for name, runs in sweep(doc, list(doc.scenarios), seeds).items()}
    problems = [f"{name}: {p}" for name, fig in figures.items() for p in fig["problems"]]  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems)
    return figures


def test_library_findings_hold_on_two_seeds() -> None:
    _check(2)


@pytest.mark.slow
def test_library_findings_hold_on_twenty_seeds_and_fix_first_names_the_helpdesk() -> None:
    figures = _check(20)
    opening = figures["opening-equipment-failures"]
    # the helpdesk is the bottleneck of every seed of this scenario, and behind its harm
    assert opening["bottleneck_runs"] == 20 and opening["fix_first_names_bottleneck"] >= 18
