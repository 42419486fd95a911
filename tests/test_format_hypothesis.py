"""Generated scenario files: every valid one loads; every mutation of one is refused with located problems."""

from __future__ import annotations

import itertools
import json
from typing import Any

from format_helpers import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ballotdrill.scenarios import ScenarioError, ScenarioFile
from ballotdrill.scenarios.timefmt import format_clock

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True).filter(lambda n: n != "end")


def unique_names(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(NAMES, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def durations(draw: st.DrawFn, low: int = 0, high: int = 600) -> str:
    m = draw(st.integers(low, high))
    if m and m % 60 == 0 and draw(st.booleans()):
        return f"{m // 60}h"
    if draw(st.booleans()):
        return f"{m * 60}s"
    return f"{m}m"


@st.composite
def distributions(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["bare", "fixed", "uniform", "triangular", "exponential", "lognormal", "empirical"]))
    a, b, c = sorted(draw(st.lists(st.integers(0, 300), min_size=3, max_size=3)))
    if kind == "bare":
        return f"{a}m"
    if kind == "fixed":
        return {"dist": "fixed", "value": f"{a}m"}
    if kind == "uniform":
        return {"dist": "uniform", "min": f"{a}m", "max": f"{c}m"}
    if kind == "triangular":
        return {"dist": "triangular", "min": f"{a}m", "mode": f"{b}m", "max": f"{c}m"}
    if kind == "exponential":
        return {"dist": "exponential", "mean": f"{a + 1}m"}
    if kind == "lognormal":
        return {"dist": "lognormal", "median": f"{a + 1}m", "p90": f"{c + 2}m"}
    values = [f"{v}m" for v in draw(st.lists(st.integers(0, 300), min_size=1, max_size=4))]
    spec: dict[str, Any] = {"dist": "empirical", "values": values}
    if draw(st.booleans()):
        spec["weights"] = [draw(st.integers(1, 5)) for _ in values]
    return spec


def clock(minutes: int) -> str:
    return format_clock(minutes)


@st.composite
def structures(draw: st.DrawFn) -> dict[str, Any]:
    actor_names = draw(unique_names(1, 4))
    actors: dict[str, Any] = {}
    for name in actor_names:
        actor: dict[str, Any] = {"staff": draw(st.integers(0, 6))}
        if draw(st.booleans()):
            hours = sorted(draw(st.lists(st.integers(0, 23), min_size=2, max_size=4, unique=True)))
            actor["shifts"] = [{"from": f"{h1:02d}:00", "to": f"{h2:02d}:00", "staff": draw(st.integers(0, 5))}
                               for h1, h2 in itertools.pairwise(hours)]
        if draw(st.booleans()):
            actor["level"] = draw(st.sampled_from(["municipal", "provincial", "federal"]))
        if draw(st.booleans()):
            actor["name"] = draw(st.text(min_size=0, max_size=20))
        actors[name] = actor
    channel_names = draw(unique_names(0, 4))
    channels: dict[str, Any] = {}
    for i, name in enumerate(channel_names):
        channel: dict[str, Any] = {"latency": draw(distributions())}
        if draw(st.booleans()):
            channel["reliability"] = draw(st.floats(0, 1, allow_nan=False))
        if i + 1 < len(channel_names) and draw(st.booleans()):  # fallbacks only point forward: no cycle
            channel["fallback"] = draw(st.sampled_from(channel_names[i + 1:]))
        channels[name] = channel
    procedures: dict[str, Any] = {}
    for pname in draw(unique_names(0, 3)):
        ids = draw(unique_names(1, 5))
        steps = []
        for i, sid in enumerate(ids):
            later = [*ids[i + 1:], "end"]
            step: dict[str, Any] = {"id": sid, "actor": draw(st.sampled_from(actor_names))}
            if channel_names and draw(st.booleans()):
                step["via"] = draw(st.sampled_from(channel_names))
            if draw(st.booleans()):
                step["duration"] = draw(distributions())
            if draw(st.booleans()):
                step["target"] = draw(durations(1))
            shape = draw(st.sampled_from(["plain", "next", "decision"]))
            if shape == "next":
                step["next"] = draw(st.sampled_from(later))
            elif shape == "decision":
                option_names = draw(unique_names(1, 3))
                options = {option_names[0]: {"next": draw(st.sampled_from(later))}}  # one way forward
                for oname in option_names[1:]:
                    options[oname] = {"next": draw(st.sampled_from([*ids, "end"]))}  # may loop back
                # The default goes forward: a default that loops back through steps taking no time is refused.
                step["decision"] = {"options": options, "default": option_names[0], "timeout": draw(durations(1))}
            if draw(st.booleans()):
                step["effect"] = {"contain": draw(st.floats(0, 1, allow_nan=False))}
            steps.append(step)
        procedures[pname] = {"trigger": {"type": draw(NAMES), "min_severity": draw(st.integers(1, 4))},
                             "steps": steps}
    return {"actors": actors, "channels": channels, "procedures": procedures}


@st.composite
def scenarios_for(draw: st.DrawFn, structure: dict[str, Any]) -> dict[str, Any]:
    actor_names = list(structure["actors"])
    step_ids = [s["id"] for p in structure["procedures"].values() for s in p["steps"]]
    start = draw(st.integers(-3 * 1440, 1440))
    end = start + draw(st.integers(1, 3 * 1440))
    inside = st.integers(start, end)
    injects: list[dict[str, Any]] = []
    incident_ids: list[str] = []
    for n in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["incident", "message", "every", "when"]))
        if kind == "incident":
            iid = f"X{n}"
            incident: dict[str, Any] = {"id": iid, "type": draw(NAMES), "severity": draw(st.integers(1, 4))}
            if draw(st.booleans()):
                incident["duration"] = draw(distributions())
            if draw(st.booleans()):
                initial = draw(st.integers(1, 1000))
                incident["reach"] = {"initial": initial, "doubling": draw(durations(1)),
                                     "cap": initial + draw(st.integers(0, 10**6))}
            inject: dict[str, Any] = {"at": clock(draw(inside)), "incident": incident}
            if draw(st.booleans()):
                inject["detected_by"] = {"actor": draw(st.sampled_from(actor_names)), "after": draw(distributions())}
            incident_ids.append(iid)
        elif kind == "message":
            inject = {"at": clock(draw(inside)),
                      "message": {"to": draw(st.sampled_from(actor_names)), "text": draw(st.text(max_size=30))}}
        elif kind == "every":
            a, b = sorted(draw(st.lists(inside, min_size=2, max_size=2, unique=True)))
            inject = {"every": draw(distributions()), "from": clock(a), "to": clock(b),
                      "limit": draw(st.integers(1, 99)),
                      "incident": {"type": draw(NAMES), "severity": draw(st.integers(1, 4))}}
        else:
            if not incident_ids:
                continue
            state = draw(st.sampled_from(["started", "detected", "contained", "resolved"]))
            inject = {"when": {"incident": draw(st.sampled_from(incident_ids)), "is": state},
                      "message": {"to": draw(st.sampled_from(actor_names)), "text": "go"}}
        injects.append(inject)
    objectives = []
    for n, iid in enumerate(incident_ids[:2]):
        if step_ids and draw(st.booleans()):
            measure: dict[str, Any] = {"time": f"from incident {iid} start to step {draw(st.sampled_from(step_ids))}"}
            target: Any = draw(durations(1))
        else:
            measure, target = {"reach": iid}, draw(st.integers(0, 10**6))
        objectives.append({"id": f"O{n}", "capability": "C", "measure": measure, "target": target})
    return {"title": draw(st.text(min_size=1, max_size=20)), "start": clock(start), "end": clock(end),
            "injects": injects, "objectives": objectives}


@st.composite
def valid_files(draw: st.DrawFn) -> dict[str, Any]:
    structure = draw(structures())
    names = draw(unique_names(1, 2))
    return {"version": 1, "structure": structure, "scenarios": {n: draw(scenarios_for(structure)) for n in names}}


# --- a block-style YAML writer (strings always quoted, so no name is read as a number or a boolean) ---------------

def quote(text: str) -> str:
    """A YAML double-quoted scalar; anything outside printable ASCII is written as a \\U escape."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return json.dumps(value)  # only ever empty here
    return quote(value)


def emit(value: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{quote(key)}:")
                lines.extend(emit(item, indent + 2))
            else:
                lines.append(f"{pad}{quote(key)}: {scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = emit(item, indent + 2)
                inner[0] = f"{pad}- {inner[0].lstrip()}"
                lines.extend(inner)
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def to_yaml(data: dict[str, Any]) -> str:
    return "\n".join(emit(data)) + "\n"


def assert_refused_cleanly(text: str, overrides: list[str] | None = None) -> None:
    try:
        load(text, overrides)
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.message.strip(), problem
            assert "\n" not in problem.message, problem
            assert problem.line >= 1 or problem.source.startswith("--set "), problem
            assert problem.col >= 1 or problem.source.startswith("--set "), problem
    else:
        raise AssertionError(f"a broken file loaded:\n{text}")


# --- properties ----------------------------------------------------------------------------------------------------

@SETTINGS
@given(valid_files())
def test_every_generated_valid_file_loads_and_round_trips(data: dict[str, Any]) -> None:
    doc = load(to_yaml(data))
    assert list(doc.scenarios) == list(data["scenarios"])
    again = ScenarioFile.model_validate(doc.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    assert again == doc


def _mutate_data(data: dict[str, Any], kind: str, draw: st.DrawFn) -> None:
    structure = data["structure"]
    actors = structure["actors"]
    scenario = data["scenarios"][next(iter(data["scenarios"]))]
    steps = [s for p in structure["procedures"].values() for s in p["steps"]]
    if kind == "rename-actor" and steps:
        step = draw(st.sampled_from(steps))
        old = step["actor"]
        actors[old + "-renamed"] = actors.pop(old)
        return
    if kind == "bad-step-actor" and steps:
        draw(st.sampled_from(steps))["actor"] = "nobody-here"
        return
    if kind == "bad-time":
        scenario["start"] = draw(st.sampled_from(["25:00", "6pm", "1800", "D+1", "12:60", 1800]))
        return
    if kind == "out-of-window":
        scenario["injects"].append({"at": scenario["end"].replace(scenario["end"], "D+9 00:00"),
                                    "message": {"to": next(iter(actors)), "text": "late"}})
        return
    if kind == "wrong-type":
        target = draw(st.sampled_from(["staff", "title", "severity", "version"]))
        if target == "staff":
            actors[next(iter(actors))]["staff"] = draw(st.sampled_from(["many", 2.5, True, [1], -1]))
        elif target == "title":
            scenario["title"] = draw(st.sampled_from([5, [1], {"a": 1}, None]))
        elif target == "severity":
            scenario["injects"].append({"at": scenario["start"], "incident": {"type": "x", "severity": 7}})
        else:
            data["version"] = draw(st.sampled_from([2, "1", 1.5]))
        return
    if kind == "unknown-key":
        where = draw(st.sampled_from(["actor", "scenario", "top", "structure"]))
        {"actor": actors[next(iter(actors))], "scenario": scenario, "top": data, "structure": structure}[where][
            draw(st.sampled_from(["colour", "stuff", "titel", "Version"]))] = 1
        return
    if kind == "cycle":
        channels = structure["channels"]
        name = "loop-a"
        channels[name] = {"fallback": "loop-b"}
        channels["loop-b"] = {"fallback": name}
        return
    if kind == "bad-default" and any("decision" in s for s in steps):
        step = next(s for s in steps if "decision" in s)
        step["decision"]["default"] = "not-an-option"
        return
    if kind == "overlap":
        actors[next(iter(actors))]["shifts"] = [{"from": "06:00", "to": "14:00", "staff": 1},
                                                {"from": "12:00", "to": "20:00", "staff": 1}]
        return
    # fall back to something always invalid
    scenario["end"] = scenario["start"]


TEXT_MUTATIONS = ["duplicate-key", "tab", "alias", "anchor", "tag", "second-document", "unclosed"]
DATA_MUTATIONS = ["rename-actor", "bad-step-actor", "bad-time", "out-of-window", "wrong-type", "unknown-key",
                  "cycle", "bad-default", "overlap", "empty-window"]


def _mutate_text(text: str, kind: str, draw: st.DrawFn) -> str:
    lines = text.splitlines()
    keyed = [i for i, line in enumerate(lines) if line.lstrip().startswith('"') and '": ' in line]
    indented = [i for i, line in enumerate(lines) if line.startswith("  ")]
    if kind == "duplicate-key":
        candidates = [i for i, line in enumerate(lines) if line.lstrip().startswith('"')]
        i = draw(st.sampled_from(candidates[1:] or candidates))
        lines.insert(i + 1, lines[i].split(":")[0] + ": 1" if lines[i].endswith(":") else lines[i])
    elif kind == "tab":
        i = draw(st.sampled_from(indented))
        lines[i] = "\t" + lines[i].lstrip(" ")
    elif kind in ("alias", "anchor", "tag") and keyed:
        i = draw(st.sampled_from(keyed))
        key, _, value = lines[i].partition('": ')
        lines[i] = key + '": ' + {"alias": "*ref", "anchor": f"&ref {value}", "tag": f"!!str {value}"}[kind]
    elif kind == "second-document":
        lines.append("---")
        lines.append("version: 1")
    elif keyed:
        i = draw(st.sampled_from(keyed))
        lines[i] = lines[i].partition('": ')[0] + '": [1, 2'
    else:
        lines.append("[")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(st.data())
def test_every_mutation_is_refused_with_located_one_line_problems(data: st.DataObject) -> None:
    file = data.draw(valid_files())
    kind = data.draw(st.sampled_from(TEXT_MUTATIONS + DATA_MUTATIONS + ["override"]))
    if kind in TEXT_MUTATIONS:
        text = _mutate_text(to_yaml(file), kind, data.draw)
        assert_refused_cleanly(text)
    elif kind == "override":
        actor = next(iter(file["structure"]["actors"]))
        flag = data.draw(st.sampled_from([f"structure.actors.{actor}.staff=lots", f"structure.actors.{actor}.stuff=1",
                                          "structure.nope=1", "scenarios=[", "version=*a", "structure"]))
        assert_refused_cleanly(to_yaml(file), [flag])
    else:
        _mutate_data(file, kind, data.draw)
        assert_refused_cleanly(to_yaml(file))


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    try:
        load(text)
    except ScenarioError as exc:
        assert all(p.message.strip() and "\n" not in p.message for p in exc.problems)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_as_another_exception(raw: bytes) -> None:
    from ballotdrill.scenarios.rawfile import decode

    try:
        load(decode(raw, "s.yaml"))
    except ScenarioError as exc:
        assert all(p.message.strip() for p in exc.problems)
