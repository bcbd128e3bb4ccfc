"""The value matrix: axis values, category rules (first match wins) and their explanations.

Each axis is the weighted mean, with the criteria weights, of the utilities (``utility``)
or burdens (``burden`` = 1 - u) of the criteria the criteria set assigns to it. Rules test
the axes, ``net_value`` (value - effort) and ``score``. Every function broadcasts over a
leading stack of weight vectors, so the sensitivity analysis places thousands of sampled
weightings in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritize.model.categories import CATEGORIES, MANDATORY_EXCLUDED
from prioritize.model.criteria import CriteriaSet
from prioritize.model.matrix import CategoryRule, Condition, Matrix

__all__ = [
    "THRESHOLD_TOLERANCE",
    "Boundary",
    "axis_coefficients",
    "categorize",
    "explain_placements",
    "measures",
    "nearest_boundary",
    "rule_categories",
]


#: A measure within this distance of a rule's threshold counts as *at* the threshold
#: (``at_least`` holds, ``below`` does not): integer scores often put an axis exactly on a
#: threshold, and floating-point noise must not decide the category.
THRESHOLD_TOLERANCE = 1e-9


def axis_coefficients(
    criteria: CriteriaSet, matrix: Matrix | None = None
) -> dict[str, tuple[np.ndarray, bool]]:
    """For each axis: a 0/1 membership vector over the criteria and whether it reads burden."""
    matrix = matrix or criteria.matrix
    ids = criteria.ids
    out = {}
    for axis in matrix.axes:
        member = np.array([cid in axis.criteria for cid in ids], dtype=float)
        out[axis.name] = (member, axis.measure == "burden")
    return out


def measures(
    utility: np.ndarray,
    weights: np.ndarray,
    criteria: CriteriaSet,
    *,
    score: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Axis values, net value and score of every requirement.

    Parameters
    ----------
    utility
        ``(requirements, criteria)`` utilities.
    weights
        ``(criteria,)`` or ``(samples, criteria)``; normalised here.
    criteria
        The criteria set (its matrix says which criteria feed which axis).
    score
        The priority scores if already computed (same leading shape as the result).

    Returns
    -------
    dict
        ``value, effort, urgency, net_value, score``, each ``(requirements,)`` or
        ``(samples, requirements)``. An axis whose criteria all weigh 0 (or that has no
        criteria) is 0.
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)
    out: dict[str, np.ndarray] = {}
    for name, (member, burden) in axis_coefficients(criteria).items():
        a = w * member
        total = a.sum(axis=-1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (a @ utility.T) / total
        mean = np.where(total > 0, mean, 0.0)
        if burden:
            mean = np.where(total > 0, 1.0 - mean, 0.0)
        out[name] = mean
    for name in ("value", "effort", "urgency"):
        out.setdefault(name, np.zeros((*w.shape[:-1], utility.shape[0])))
    out["net_value"] = out["value"] - out["effort"]
    out["score"] = w @ utility.T if score is None else score
    return out


def _holds(condition: Condition, values: dict[str, np.ndarray]) -> np.ndarray:
    x = values[condition.measure]
    ok = np.ones(x.shape, dtype=bool)
    if condition.at_least is not None:
        ok &= x >= condition.at_least - THRESHOLD_TOLERANCE
    if condition.below is not None:
        ok &= x < condition.below - THRESHOLD_TOLERANCE
    return ok


def categorize(
    values: dict[str, np.ndarray], mandatory: np.ndarray, rules: tuple[CategoryRule, ...]
) -> np.ndarray:
    """The index of the rule that places each requirement (first match wins).

    A mandatory requirement skips rules placing it in Low-value request or Harmful
    requirement. When no rule matches (only possible for a mandatory requirement whose
    catch-all is excluded), the result is -1 and the caller places it in Immediate control.

    Returns
    -------
    numpy.ndarray of int
        Same shape as the measures.
    """
    shape = values["score"].shape
    placed = np.full(shape, -1, dtype=np.int64)
    open_ = np.ones(shape, dtype=bool)
    mandatory = np.broadcast_to(mandatory, shape)
    for index, rule in enumerate(rules):
        hit = open_.copy()
        for condition in rule.conditions:
            hit &= _holds(condition, values)
        if rule.category in MANDATORY_EXCLUDED:
            hit &= ~mandatory
        placed[hit] = index
        open_ &= ~hit
        if not open_.any():
            break
    return placed


def rule_categories(rules: tuple[CategoryRule, ...]) -> np.ndarray:
    """Index into :data:`CATEGORIES` of each rule's category, with a trailing entry for
    "no rule" (-1: Immediate control, see :func:`categorize`)."""
    codes = [CATEGORIES.index(rule.category) for rule in rules]
    return np.array([*codes, CATEGORIES.index("Immediate control")], dtype=np.int64)


def _fmt(x: np.ndarray) -> np.ndarray:
    return np.char.mod("%.2f", np.round(x, 2) + 0.0)


def explain_placements(
    values: dict[str, np.ndarray],
    placed: np.ndarray,
    mandatory_note: np.ndarray,
    rules: tuple[CategoryRule, ...],
) -> np.ndarray:
    """A one-line explanation per requirement: the category, the rule and its numbers.

    ``values`` and ``placed`` are 1-D (one weighting). ``mandatory_note`` holds a prefix
    (empty for requirements that are not mandatory).
    """
    n = placed.shape[0]
    text = np.full(n, "", dtype=object)
    for index, rule in enumerate(rules):
        mask = placed == index
        if not mask.any():
            continue
        head = f"{rule.category} (rule {index + 1}: {rule.describe()}"
        if rule.conditions:
            used = list(dict.fromkeys(c.measure for c in rule.conditions))
            head += "): "
        else:
            used = ["value", "effort", "urgency"]
            head += "; no earlier rule matched): " if index else "): "
        parts = [np.char.add(f"{m} ", _fmt(values[m][mask])) for m in used]
        body = parts[0]
        for part in parts[1:]:
            body = np.char.add(np.char.add(body, ", "), part)
        text[mask] = np.char.add(head, body)
    orphan = placed < 0
    if orphan.any():
        text[orphan] = np.char.add(
            "Immediate control (mandatory, and no rule that may place a mandatory requirement "
            "matched): value ",
            _fmt(values["value"][orphan]),
        )
    return np.char.add(mandatory_note.astype(str), text.astype(str)).astype(object)


@dataclass(frozen=True, slots=True)
class Boundary:
    """The nearest category boundary of one requirement, in the units of a measure."""

    measure: str
    value: float
    threshold: float
    distance: float
    category: str
    description: str


def nearest_boundary(
    values: dict[str, float], placed: int, mandatory: bool, rules: tuple[CategoryRule, ...]
) -> Boundary | None:
    """How far one requirement is from leaving its category.

    It leaves when a condition of the rule that placed it stops holding, or when every
    condition of an earlier rule starts holding (the earlier rule's distance is the largest
    shortfall among its conditions). The smallest of these distances is the nearest
    boundary. None for a requirement no change of the measures can move (a catch-all with
    no earlier rule).
    """
    best: Boundary | None = None

    def offer(candidate: Boundary) -> None:
        nonlocal best
        if best is None or candidate.distance < best.distance:
            best = candidate

    if placed >= 0:
        rule = rules[placed]
        for condition in rule.conditions:
            x = values[condition.measure]
            if condition.at_least is not None:
                offer(
                    Boundary(
                        condition.measure,
                        x,
                        condition.at_least,
                        x - condition.at_least,
                        "another category",
                        f"{condition.measure} {x:.2f} is {x - condition.at_least:.2f} "
                        f"above the {condition.at_least:.2f} this rule needs",
                    )
                )
            if condition.below is not None:
                offer(
                    Boundary(
                        condition.measure,
                        x,
                        condition.below,
                        condition.below - x,
                        "another category",
                        f"{condition.measure} {x:.2f} is {condition.below - x:.2f} "
                        f"below the {condition.below:.2f} limit of this rule",
                    )
                )
    earlier = rules[:placed] if placed >= 0 else rules
    for rule in earlier:
        if mandatory and rule.category in MANDATORY_EXCLUDED:
            continue
        worst: tuple[float, Condition, float, float] | None = None
        for condition in rule.conditions:
            x = values[condition.measure]
            gaps = []
            if condition.at_least is not None:
                gaps.append((max(condition.at_least - x, 0.0), condition.at_least))
            if condition.below is not None:
                gaps.append((max(x - condition.below, 0.0), condition.below))
            for gap, threshold in gaps:
                if worst is None or gap > worst[0]:
                    worst = (gap, condition, x, threshold)
        if worst is None:
            continue
        gap, condition, x, threshold = worst
        offer(
            Boundary(
                condition.measure,
                x,
                threshold,
                gap,
                rule.category,
                f"{rule.category} if {rule.describe()}: {condition.measure} {x:.2f} "
                f"is {gap:.2f} from {threshold:.2f}",
            )
        )
    return best
