"""``compare`` of live exercises: a live note or a speed change differs between the runs but changes nothing simulated,
so it is listed apart from the inputs and never named among what "every difference below can come from"."""

from __future__ import annotations

from scoring_helpers import sample_events, scenario_file

from ballotdrill.report.comparison import comparison_view
from ballotdrill.scoring import compare, score
from ballotdrill.scoring.comparewords import InputDifference, notes

NOTE = InputDifference(what="live notes", a="1: 08:10 'check the hall'", b="none")
SPEED = InputDifference(what="live speed changes", a="1: 08:05 ×4", b="none")
ANSWER = InputDifference(what="live answers", a="1: 08:12 request N1:r:c:1: debunk", b="none")
SEED = InputDifference(what="seed", a="1", b="2")


def test_notes_and_speed_changes_are_listed_apart_and_named_as_no_cause() -> None:
    scores = score(sample_events(), scenario_file(), "demo")
    comparison = compare(scores, scores, inputs=[ANSWER, NOTE, SPEED])
    assert [d.what for d in comparison.inputs] == ["live answers"]
    assert [d.what for d in comparison.unsimulated] == ["live notes", "live speed changes"]
    head = comparison.notes[0]
    assert head.startswith("A and B differ in their live answers: every difference below can come from that "
                           "change"), head  # before: "their live answers, their live notes and their live speed …"
    assert "notes" not in head and "speed" not in head
    assert comparison.notes[1] == ("They also differ in their live notes and live speed changes, which change nothing "
                                   "simulated (a note is only written down and a speed change only sets how fast the "
                                   "exercise clock ran against the wall clock): no difference below comes from them.")
    view = comparison_view(comparison)
    assert [row[0] for row in view.inputs] == ["input", "live answers"]
    assert [row[0] for row in view.unsimulated] == ["input (changes nothing simulated)", "live notes",
                                                    "live speed changes"]


def test_runs_that_differ_only_in_a_note_played_the_same_exercise() -> None:
    assert notes([NOTE]) == ["A and B differ only in their live notes, which change nothing simulated (a note is only "
                             "written down): with the same seed, they played the same exercise."]
    # another seed and a note: two draws of the same exercise, the note said apart
    seeded = notes([SEED, NOTE])
    assert seeded[0].startswith("A and B differ only by their seed") and seeded[1].startswith("They also differ in "
                                                                                                "their live notes")
