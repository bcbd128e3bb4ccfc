"""The council's vocabulary as frozen types.

- :mod:`~prioritize.model.categories` — the six categories, their usual responses and colours;
- :mod:`~prioritize.model.criteria` — scales, gates, criteria and criteria sets;
- :mod:`~prioritize.model.matrix` — the value matrix: axes, conditions, category rules;
- :mod:`~prioritize.model.council` — requirements, members and scores (validated tables);
- :mod:`~prioritize.model.evaluation` — the result of an evaluation.
"""

from __future__ import annotations

from prioritize.model.categories import (
    CATEGORIES,
    CATEGORY_COLOURS,
    CATEGORY_TEXT_COLOURS,
    MANDATORY_EXCLUDED,
    USUAL_RESPONSE,
)
from prioritize.model.council import ROLES, Member, Members, Requirement, Requirements, Scores
from prioritize.model.criteria import DIRECTIONS, GROUPS, CriteriaSet, Criterion, Gate, Scale
from prioritize.model.evaluation import Evaluation
from prioritize.model.matrix import AXES, MEASURES, Axis, CategoryRule, Condition, Matrix

__all__ = [
    "AXES",
    "CATEGORIES",
    "CATEGORY_COLOURS",
    "CATEGORY_TEXT_COLOURS",
    "DIRECTIONS",
    "GROUPS",
    "MANDATORY_EXCLUDED",
    "MEASURES",
    "ROLES",
    "USUAL_RESPONSE",
    "Axis",
    "CategoryRule",
    "Condition",
    "CriteriaSet",
    "Criterion",
    "Evaluation",
    "Gate",
    "Matrix",
    "Member",
    "Members",
    "Requirement",
    "Requirements",
    "Scale",
    "Scores",
]
