"""``run --json``: an objective not exercised (NE) has no value to hold against its target, and says why."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_helpers import in_process

ENDS_BY_ITSELF = textwrap.dedent("""\
    version: 1
    structure:
      actors:
        it: {staff: 1}
      procedures:
        fix:
          trigger: {type: ddos}
          steps:
            - {id: mend, actor: it, duration: 2h, effect: {contain: 1.0}}
    scenarios:
      night:
        title: Night
        start: "18:00"
        end: "23:00"
        injects:
          - {at: "19:00", incident: {id: D1, type: ddos, severity: 2, duration: 10m},
             detected_by: {actor: it, after: 1m}}
        objectives:
          - {id: O1, capability: Cybersecurity, description: Contained within the hour,
             measure: {time: from incident D1 start to incident D1 contained}, target: 1h}
    """)


def test_an_incident_that_ended_by_itself_gives_no_value_and_the_reason(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """D1 ends by itself after 10 min, under the 1 h target, while the 2 h fix is still at work: NE, not met."""
    (tmp_path / "ne.yaml").write_text(ENDS_BY_ITSELF, encoding="utf-8")
    result = in_process(("run", "--file", "ne.yaml", "--json", "--out", "r"), tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    o1 = json.loads(result.stdout)["objectives"]["O1"]
    assert (o1["rating"], o1["value"], o1["target"]) == ("NE", None, 60.0)
    assert o1["reason"].startswith("incident D1 ended by itself (after 10 min), within the target"), o1["reason"]
    kept = json.loads((tmp_path / "r" / "scores.json").read_text(encoding="utf-8"))["scores"]["objectives"][0]
    assert (kept["rating"], kept["value"]) == ("NE", 10.0)  # the measure stays in scores.json, beside its reason
