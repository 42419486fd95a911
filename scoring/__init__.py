"""From a journal to measures, HSEEP ratings, findings and comparisons.

Works from the journal (a sequence of events) and the scenario file alone: never SimPy,
never a front end, never presentation. Names are imported on first use, so a sweep's worker,
which needs the measures alone, does not load the comparisons and findings.
"""

from typing import TYPE_CHECKING

from ballotdrill._lazy import lazy_names

if TYPE_CHECKING:
    from ballotdrill.scoring.compare import Comparison, ComparisonRow, compare, comparison_json
    from ballotdrill.scoring.comparewords import InputDifference
    from ballotdrill.scoring.findings import Analysis, Finding, KeyFindings, PlanItem, analyse
    from ballotdrill.scoring.model import Scores
    from ballotdrill.scoring.ratings import rate
    from ballotdrill.scoring.score import score

__all__ = [
    "Analysis",
    "Comparison",
    "ComparisonRow",
    "Finding",
    "InputDifference",
    "KeyFindings",
    "PlanItem",
    "Scores",
    "analyse",
    "compare",
    "comparison_json",
    "rate",
    "score",
]

__getattr__ = lazy_names(__name__, {
    **dict.fromkeys(("Comparison", "ComparisonRow", "compare", "comparison_json"), "compare"),
    "InputDifference": "comparewords",
    **dict.fromkeys(("Analysis", "Finding", "KeyFindings", "PlanItem", "analyse"), "findings"),
    "Scores": "model",
    "rate": "ratings",
    "score": "score"})
