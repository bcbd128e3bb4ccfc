"""prioritize: transparent, reproducible prioritization of business requirements by a
cross-functional council.

>>> import prioritize as pz
>>> ev = pz.evaluate_example()
>>> list(ev.table.columns[:4])
['title', 'score', 'rank', 'tied']
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from prioritize.criteria import default_matrix, load_criteria
from prioritize.errors import (
    IncompleteScoresWarning,
    OwnersIgnoredWarning,
    PermissionDenied,
    PrioritizeError,
    PrioritizeWarning,
    Problem,
    ValidationError,
    WeightsNormalisedWarning,
)
from prioritize.evaluation import evaluate
from prioritize.explain import Comparison, Explanation, compare, explain
from prioritize.io import load_members, load_requirements, load_scores
from prioritize.model import (
    CATEGORIES,
    CATEGORY_COLOURS,
    USUAL_RESPONSE,
    CriteriaSet,
    Criterion,
    Evaluation,
    Member,
    Members,
    Requirement,
    Requirements,
    Scores,
)
from prioritize.resources import bundled_criteria, example_dir

try:
    __version__ = version("prioritize")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "CATEGORIES",
    "CATEGORY_COLOURS",
    "USUAL_RESPONSE",
    "Comparison",
    "CriteriaSet",
    "Criterion",
    "Evaluation",
    "Explanation",
    "IncompleteScoresWarning",
    "Member",
    "Members",
    "OwnersIgnoredWarning",
    "PermissionDenied",
    "PrioritizeError",
    "PrioritizeWarning",
    "Problem",
    "Requirement",
    "Requirements",
    "Scores",
    "ValidationError",
    "WeightsNormalisedWarning",
    "__version__",
    "bundled_criteria",
    "compare",
    "default_matrix",
    "evaluate",
    "evaluate_example",
    "example_dir",
    "explain",
    "load_criteria",
    "load_members",
    "load_requirements",
    "load_scores",
]


def evaluate_example(aggregation: str = "mean") -> Evaluation:
    """Evaluate the bundled ``sales-order-errors`` example with the default criteria set."""
    folder = example_dir()
    return evaluate("customer-operations", folder / "requirements.csv", folder / "scores.csv",
                    members=folder / "members.csv", aggregation=aggregation)
