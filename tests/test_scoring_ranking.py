""""Fix first" ranked by the objectives a lever explains and the harm its delay caused; the plan's
responsible organisation and capability element. Small hand-made scenarios with a known answer."""

from __future__ import annotations

from typing import Any

from engine_helpers import checked, file_of, incident, load

from ballotdrill.report import build_report, render_markdown
from ballotdrill.report.comparison import comparison_view
from ballotdrill.scoring import Analysis, analyse, compare, score
from ballotdrill.scoring.comparewords import fix_first_words
from ballotdrill.scoring.load import actor_names
from ballotdrill.scoring.plan import NO_LEVER


def _analysis(data: dict[str, Any], seed: int = 1) -> Analysis:
    doc = load(data)
    return analyse(score(checked(data, seed), doc, "s"), actor_names(doc.structure), doc.structure)


def _outage(iid: str, stations: int = 0) -> dict[str, Any]:
    spec = {"stations": stations} if stations else {}
    return incident(iid, "10:00", "outage", spec=spec, detected_by={"actor": "crew", "after": "0m"})


def _form(iid: str) -> dict[str, Any]:
    return incident(iid, "10:00", "form", detected_by={"actor": "clerk", "after": "0m"})


def _two_queues(**crew: Any) -> dict[str, Any]:
    """Two outages on a one-person repair crew (the second waits 1 h, doing harm), and two forms on a
    one-person clerk's desk (the second waits 1 h 30 min, harming nobody)."""
    data = file_of({"crew": {"staff": 1, **crew}, "clerk": {"staff": 1}},
                   {"repair": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "repair", "actor": "crew", "duration": "1h", "effect": {"contain": 1.0}}]},
                    "paperwork": {"trigger": {"type": "form"}, "steps": [
                        {"id": "file", "actor": "clerk", "duration": "1h30m"}]}},
                   [_outage("X1", 5), _outage("X2", 5), _form("F1"), _form("F2")])
    data["scenarios"]["s"]["objectives"] = [
        {"id": "O1", "capability": "Infrastructure systems",
         "measure": {"time": "from incident X2 start to incident X2 contained"}, "target": "1h"}]
    return data


def test_a_bottleneck_that_is_not_the_first_fix_says_why() -> None:
    data = _two_queues()
    data["scenarios"]["s"]["injects"] += [_form("F3")]  # the clerk's forms wait 90 and 180 min
    analysis = _analysis(data)
    assert analysis.key.first_fix.startswith("Add staff or a surge shift at crew")
    assert analysis.key.bottleneck == "clerk"
    assert analysis.key.bottleneck_text.startswith("clerk was the bottleneck: 4 h 30 min of queue wait in all, 2 of 3")
    assert analysis.key.bottleneck_text.endswith(
        "It is not the first fix: its queue weighs 0 against 3.332 (it explains no objective rated S, M or U and "
        "0% of the harm).")


def test_the_bottleneck_line_weighs_its_queue_not_another_finding_on_the_same_actor() -> None:
    """The clerk is the bottleneck and also noticed X3 only after 2 h: O2 (X3 contained within 2 h, done in 3 h,
    M) has a finding of its own on the clerk's lever, weighing 2 by its rating; the queue itself explains nothing."""
    data = _two_queues()
    data["scenarios"]["s"]["injects"] += [
        _form("F3"), incident("X3", "10:00", "outage", detected_by={"actor": "clerk", "after": "2h"})]
    data["scenarios"]["s"]["objectives"].append(
        {"id": "O2", "capability": "Situational assessment",
         "measure": {"time": "from incident X3 start to incident X3 contained"}, "target": "2h"})
    analysis = _analysis(data)
    queue = next(f for f in analysis.improvements if f.cause == "queue" and f.actor == "clerk")
    detection = next(f for f in analysis.improvements if f.title.startswith("Objective O2 rated M"))
    assert detection.lever == queue.lever == "actor:clerk" and detection.weight == 2
    assert (queue.weight, queue.explains, queue.harm_share) == (0.0, [], 0.0)
    assert analysis.key.bottleneck == "clerk"
    assert analysis.key.bottleneck_text.endswith(
        "It is not the first fix: its queue weighs 0 against 3.332 (it explains no objective rated S, M or U and "
        "0% of the harm).")


def test_a_comparison_says_whether_the_bottleneck_and_the_first_fix_changed() -> None:
    """A: the clerk's three forms make it the bottleneck (waits of 90 and 180 min, two at once), the crew's queue
    the first fix. B: a second clerk, so the forms wait no more than 90 min, never two at once: no bottleneck."""
    runs = []
    for clerks in (1, 2):
        data = _two_queues()
        data["scenarios"]["s"]["injects"] += [_form("F3")]
        data["structure"]["actors"]["clerk"]["staff"] = clerks
        doc = load(data)
        scores = score(checked(data), doc, "s")
        runs.append((scores, analyse(scores, actor_names(doc.structure), doc.structure)))
    (a, plan_a), (b, plan_b) = runs
    diff = compare(a, b, first_fixes=(fix_first_words(plan_a.plan), fix_first_words(plan_b.plan)))
    key = {r.measure: (r.a, r.b) for r in diff.rows if r.section == "key findings"}
    assert key["bottleneck"] == ("clerk", "none")
    assert key["fix_first"] == (plan_a.plan[0].finding, plan_b.plan[0].finding) == ("One long wait at crew",) * 2
    summary = comparison_view(diff).summary
    assert ["key findings", "run", "bottleneck", "clerk", "none", "", ""] in summary
    assert ["key findings", "run", "fix first", "One long wait at crew", "One long wait at crew", "", ""] in summary


def test_fix_first_is_the_queue_behind_the_harm_and_the_objective_not_the_longer_harmless_one() -> None:
    analysis = _analysis(_two_queues())
    queues = {f.actor: f for f in analysis.improvements if f.cause == "queue"}
    # the clerk's queue is the longer (p90 1 h 30 min against 1 h): ranked by size it would lead
    assert set(queues) == {"crew", "clerk"}
    crew, clerk = queues["crew"], queues["clerk"]
    # X2 waited 60 of its 120 open minutes: half of its 600 station-minutes, a third of the run's 900;
    # its containment in 2 h rates O1 M (2 points) + 4 × 1/3
    assert crew.explains == ["O1 (M)"] and crew.harm_share == 0.333 and crew.weight == 3.332
    assert (clerk.explains, clerk.harm_share, clerk.weight, clerk.priority) == ([], 0.0, 0.0, 4)
    assert analysis.improvements[0] is crew or analysis.improvements[0].title == crew.title
    assert analysis.key.first_fix.startswith("Add staff or a surge shift at crew")
    # one wait at each is no bottleneck (one long wait is not a queue)
    assert analysis.key.bottleneck is None
    assert analysis.plan[0].actor == "crew" and analysis.plan[0].priority == 2
    # the objective finding says the same cause and comes after it
    objective = next(f for f in analysis.improvements if f.cause == "objective")
    assert objective.root_cause.startswith("one long wait at crew") and objective.lever == "actor:crew"
    assert analysis.improvements.index(objective) > analysis.improvements.index(crew)


def test_the_report_says_why_a_finding_has_its_priority() -> None:
    data = _two_queues()
    doc = load(data)
    text = render_markdown(build_report(checked(data), doc, "s"))
    assert "**Priority:** 2 (weight 3.332: explains objective(s) O1 (M); behind 33% of the run's harm" in text
    assert "**Priority:** 4 (weight 0: explains no objective and no harm)" in text
    assert "| Weight (Fix first) |" in text


def test_an_incident_nobody_answers_outweighs_a_queue_that_did_less_harm() -> None:
    data = _two_queues()
    # a third outage of a type no procedure answers: 10 stations closed until the polls close (most of the
    # station-minutes), nobody worked on it
    data["scenarios"]["s"]["injects"].append(
        incident("Z1", "10:00", "flood", spec={"stations": 10, "severity": 3}, detected_by={"actor": "crew",
                                                                                            "after": "0m"}))
    analysis = _analysis(data)
    first = analysis.improvements[0]
    assert first.cause == "none" and first.incidents == ["Z1"] and first.harm_share > 0.8
    assert analysis.plan[0].recommendation.startswith("Add a procedure triggered by flood incidents")


def test_harm_after_containment_is_not_the_delay_s() -> None:
    """A wait after its incident was contained did no harm: the lever earns no harm share for it."""
    data = file_of({"crew": {"staff": 1}, "office": {"staff": 1}},
                   {"repair": {"trigger": {"type": "outage"}, "steps": [
                       {"id": "repair", "actor": "crew", "duration": "30m", "effect": {"contain": 1.0}},
                       {"id": "report", "actor": "office", "duration": "2h"}]}},
                   [_outage("X1", 5), _outage("X2", 5)])
    analysis = _analysis(data)
    office = next(f for f in analysis.improvements if f.cause == "queue" and f.actor == "office")
    # X2's report waited 1 h 30 min at the office, after X2 was contained: no harm share
    assert office.harm_share == 0.0


# -- responsible organisation and capability element ---------------------------------------------


def test_preparing_a_desk_for_its_long_cases_is_its_own_organisation_s_action() -> None:
    """'convene' took 1 h 30 min against its usual 50 min and its 1 h target: slow work, a Training fix. The
    procedure's owner designs the path; only the committee's own organisation can train the committee."""
    data: dict[str, Any] = file_of(
        {"a": {"staff": 1, "organisation": "Committee office"}, "b": {"staff": 1}},
        {"p": {"owner": "Procedure office", "trigger": {"type": "x"}, "steps": [
            {"id": "convene", "actor": "a", "duration": {"dist": "empirical", "values": ["10m", "90m"]},
             "target": "1h"},
            {"id": "decide", "actor": "b", "duration": "20m", "target": "3h"}]}},
        [incident("X1", "12:00", "x", detected_by={"actor": "a", "after": "0m"})],
        channels={"phone": {"latency": "5m"}}, default_channel="phone", start="12:00", end="18:00")
    convene = next(s for s in score(checked(data, 5), load(data), "s").steps if s.step == "convene")
    assert (convene.completed_at or 0.0) - (convene.started_at or 0.0) == 90  # seed 5 draws the long one
    analysis = _analysis(data, seed=5)
    row = next(p for p in analysis.plan if p.finding == "Step 'convene' late (1 of 1)")
    assert row.element == "Training" and row.recommendation.startswith("Prepare a for the long cases of 'convene'")
    assert row.responsible == "Committee office"


def test_plan_rows_name_the_organisation_that_owns_the_lever() -> None:
    analysis = _analysis(_two_queues(organisation="Regional repair service"))
    # the waits' rows (X1's and X2's station-minutes, which no objective sets a target on, have rows of their own
    # for the exercise planning team)
    rows = {p.actor: p for p in analysis.plan if p.finding.startswith("One long wait at")}
    assert rows["crew"].responsible == "Regional repair service" and rows["crew"].element == "Organisation"
    # no organisation given: the actor itself, never a stand-in
    assert rows["clerk"].responsible == "clerk"
    assert all(p.responsible not in ("", "Exercise lead", NO_LEVER) for p in analysis.plan)


def test_a_target_shorter_than_the_work_is_planning_for_the_procedure_owner() -> None:
    data = file_of({"crew": {"staff": 2}},
                   {"repair": {"owner": "Ministry playbook office", "trigger": {"type": "outage"}, "steps": [
                       {"id": "repair", "actor": "crew", "duration": "1h", "target": "30m"}]}},
                   [_outage("X1")])
    analysis = _analysis(data)
    late = next(f for f in analysis.improvements if f.cause == "late_step")
    assert late.root_cause.startswith("target shorter than the work") and late.element == "Planning"
    assert late.responsible == "Ministry playbook office"
    assert analysis.plan[0].responsible == "Ministry playbook office" and analysis.plan[0].element == "Planning"


def test_a_failing_channel_is_equipment_for_its_owner_or_its_main_sender() -> None:
    def data(**channel: Any) -> dict[str, Any]:
        return file_of({"desk": {"staff": 1, "organisation": "Municipality"}, "crew": {"staff": 1}},
                       {"repair": {"trigger": {"type": "outage"}, "steps": [
                           {"id": "log", "actor": "desk", "duration": "5m"},
                           {"id": "repair", "actor": "crew", "duration": "30m", "via": "radio"}]}},
                       [incident("X1", "10:00", "outage", detected_by={"actor": "desk", "after": "0m"})],
                       channels={"radio": {"reliability": 0.0, "retries": 0, "fallback": "phone", **channel},
                                 "phone": {"latency": "5m"}})
    owned = next(f for f in _analysis(data(owner="Radio network operator")).improvements if f.cause == "channel")
    assert owned.element == "Equipment" and owned.responsible == "Radio network operator"
    unowned = next(f for f in _analysis(data()).improvements if f.cause == "channel")
    assert unowned.responsible == "Municipality"  # the sender's organisation: it chose the channel


def test_slow_work_is_training() -> None:
    from ballotdrill.scoring.plan import element_of

    assert element_of("slow_work") == "Training" and element_of("decision_timeout") == "Training"
    assert element_of("queue") == "Organisation" and element_of("channel") == "Equipment"
    assert element_of("target") == "Planning" and element_of("discussion") == "Exercises"
