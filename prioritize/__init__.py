"""prioritize: transparent, reproducible prioritization of business requirements by a
cross-functional council.

>>> import prioritize as pz
>>> ev = pz.evaluate_example()
>>> list(ev.table.columns[:4])
['title', 'score', 'rank', 'tied']
"""

from __future__ import annotations

from prioritize import resources
from prioritize.council.agreement import disagreement
from prioritize.council.concordance import Concordance, concordance, kendall_w
from prioritize.council.decisions import (
    AGREEING_OUTCOMES,
    OUTCOMES,
    DecisionEntry,
    LogCheck,
    evaluation_fingerprint,
    is_override,
)
from prioritize.council.flags import debate_flags
from prioritize.council.round_diff import RoundDiff, round_diff
from prioritize.council.weighing import Proposals, WeightsDebate, weights_debate
from prioritize.engine.evaluate import evaluate
from prioritize.engine.explain import Comparison, Explanation, compare, explain
from prioritize.errors import (
    ExportTextWarning,
    ExportWarning,
    IncompleteScoresWarning,
    OwnersIgnoredWarning,
    PermissionDenied,
    PrioritizeError,
    PrioritizeWarning,
    Problem,
    ValidationError,
    WeightsNormalisedWarning,
)
from prioritize.export import export_portfolio, export_ranking, portfolio_table, portfolio_xlsx
from prioritize.load.criteria import load_criteria
from prioritize.load.limits import DEFAULT_LIMITS, Limits
from prioritize.load.matrix import default_matrix
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scorecard import load_deliveries, load_events, load_readings, load_scorecard
from prioritize.load.scores import load_scores
from prioritize.model.categories import CATEGORIES, CATEGORY_COLOURS, USUAL_RESPONSE
from prioritize.model.council import Member, Members, Requirement, Requirements, Scores
from prioritize.model.criteria import CriteriaSet, Criterion
from prioritize.model.evaluation import Evaluation
from prioritize.model.scorecard import Delivery, Event, ExpectedEffect, Measure, Readings, Scorecard
from prioritize.outcomes import BenefitRealisation, Triggers, benefit_realisation, triggers
from prioritize.portfolio import (
    NextStep,
    Portfolio,
    PortfolioAcceptability,
    efficient_frontier,
    next_step,
    portfolio,
    portfolio_acceptability,
)
from prioritize.resources import bundled_criteria, example_dir
from prioritize.sensitivity import (
    Acceptability,
    CriticalCriterion,
    Sweep,
    Viewpoints,
    most_critical_criterion,
    smaa,
    stability_intervals,
    sweep,
    tornado,
    viewpoints,
)
from prioritize.store import ConflictError, RoundInfo, Session, Store, import_example, verify_log
from prioritize.weights import (
    AHPResult,
    CouncilWeights,
    aggregate_weights,
    ahp_weights,
    elicit,
    point_weights,
    rank_order_centroid,
    swing_weights,
)

__version__ = resources.VERSION

__all__ = [
    "AGREEING_OUTCOMES",
    "CATEGORIES",
    "CATEGORY_COLOURS",
    "DEFAULT_LIMITS",
    "OUTCOMES",
    "USUAL_RESPONSE",
    "AHPResult",
    "Acceptability",
    "BenefitRealisation",
    "Comparison",
    "Concordance",
    "ConflictError",
    "CouncilWeights",
    "CriteriaSet",
    "Criterion",
    "CriticalCriterion",
    "DecisionEntry",
    "Delivery",
    "Evaluation",
    "Event",
    "ExpectedEffect",
    "Explanation",
    "ExportTextWarning",
    "ExportWarning",
    "IncompleteScoresWarning",
    "Limits",
    "LogCheck",
    "Measure",
    "Member",
    "Members",
    "NextStep",
    "OwnersIgnoredWarning",
    "PermissionDenied",
    "Portfolio",
    "PortfolioAcceptability",
    "PrioritizeError",
    "PrioritizeWarning",
    "Problem",
    "Proposals",
    "Readings",
    "Requirement",
    "Requirements",
    "RoundDiff",
    "RoundInfo",
    "Scorecard",
    "Scores",
    "Session",
    "Store",
    "Sweep",
    "Triggers",
    "ValidationError",
    "Viewpoints",
    "WeightsDebate",
    "WeightsNormalisedWarning",
    "__version__",
    "aggregate_weights",
    "ahp_weights",
    "benefit_realisation",
    "bundled_criteria",
    "compare",
    "concordance",
    "debate_flags",
    "default_matrix",
    "disagreement",
    "efficient_frontier",
    "elicit",
    "evaluate",
    "evaluate_example",
    "evaluation_fingerprint",
    "example_dir",
    "explain",
    "export_portfolio",
    "export_ranking",
    "import_example",
    "is_override",
    "kendall_w",
    "load_criteria",
    "load_deliveries",
    "load_events",
    "load_members",
    "load_readings",
    "load_requirements",
    "load_scorecard",
    "load_scores",
    "most_critical_criterion",
    "next_step",
    "point_weights",
    "portfolio",
    "portfolio_acceptability",
    "portfolio_table",
    "portfolio_xlsx",
    "rank_order_centroid",
    "round_diff",
    "smaa",
    "stability_intervals",
    "sweep",
    "swing_weights",
    "tornado",
    "triggers",
    "verify_log",
    "viewpoints",
    "weights_debate",
]


def evaluate_example(aggregation: str = "mean") -> Evaluation:
    """Evaluate the bundled ``sales-order-errors`` example with the default criteria set."""
    folder = example_dir()
    return evaluate(
        "customer-operations",
        folder / "requirements.csv",
        folder / "scores.csv",
        members=folder / "members.csv",
        aggregation=aggregation,
    )
