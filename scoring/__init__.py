"""From a journal to measures, HSEEP ratings, findings and comparisons.

Works from the journal (a sequence of events) and the scenario file alone: never SimPy,
never a front end, never presentation.
"""

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
