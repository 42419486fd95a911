"""A facilitator's ad-hoc inject, checked like an inject of the scenario file."""

from __future__ import annotations

from pydantic import ValidationError

from ballotdrill.live.inputs import InputError
from ballotdrill.scenarios import crossref
from ballotdrill.scenarios.errors import ScenarioError
from ballotdrill.scenarios.scenario import Inject, ScenarioFile
from ballotdrill.scenarios.timefmt import format_clock
from ballotdrill.scenarios.validation import problems_from
from ballotdrill.scenarios.yamlread import parse

SOURCE = "inject"


def check_adhoc(text: str, doc: ScenarioFile, scenario: str, clock: float, inject_id: str,
                started: set[str]) -> tuple[str, Inject]:
    """The inject ``text`` (YAML, e.g. a flow mapping) validated against the scenario; delivered now.

    Returns its id (its own ``id``, or ``inject_id``) and the inject. ``started`` holds the incident
    ids already in play. Raises :class:`InputError` with every problem on one line.
    """
    try:
        snippet = parse(text, SOURCE)
    except ScenarioError as exc:
        raise InputError("; ".join(str(p) for p in exc.problems)) from None
    data = snippet.data
    if not isinstance(data, dict):
        raise InputError(f"{SOURCE}: an inject is a mapping, e.g. {{message: {{to: ACTOR, text: …}}}} (got {text!r})")
    timing = [k for k in ("at", "every", "when", "from", "to", "limit") if k in data]
    if timing:
        raise InputError(f"{SOURCE}: an ad-hoc inject is delivered now; leave out {', '.join(timing)}")
    if "action" in data:
        raise InputError(f"{SOURCE}: an action is taken with the 'action' command, not injected")
    try:
        inject = Inject.model_validate({**data, "at": format_clock(clock)})
    except ValidationError as exc:
        raise InputError("; ".join(str(p) for p in problems_from(exc, snippet))) from None
    sc = doc.scenarios[scenario]
    candidate = doc.model_copy(update={"scenarios": {
        **doc.scenarios, scenario: sc.model_copy(update={"injects": [*sc.injects, inject.model_copy(
            update={"id": inject.id or inject_id, "at": sc.start})]})}})
    where = ("scenarios", scenario, "injects", len(sc.injects))
    problems = [snippet.problem(path[len(where):], message) for path, message in crossref.check(candidate)
                if path[:len(where)] == where]
    chosen = inject.id or inject_id
    if inject.incident is not None and (inject.incident.id or chosen) in started:
        problems.append(snippet.problem(("incident", "id"), f"incident '{inject.incident.id or chosen}' is already "
                                        "in play; give the new one another id"))
    if problems:
        raise InputError("; ".join(str(p) for p in problems))
    return chosen, inject
