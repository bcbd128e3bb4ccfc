"""From members' scores to utilities and the priority score: pure, vectorised functions.

The council's scores are held as a cube ``(requirements, criteria, members)`` with NaN where
a member gave no (counting) score. Aggregation reduces the member axis; every function here
broadcasts, so the sensitivity analysis can pass a stack of weight vectors ``(samples,
criteria)`` or a stack of resampled cubes without a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from prioritize.load.scores import key_codes
from prioritize.model.council import Scores
from prioritize.model.criteria import CriteriaSet

__all__ = [
    "AGGREGATIONS",
    "TIE_TOLERANCE",
    "aggregate",
    "gate_hits",
    "gates_passed",
    "owner_mask",
    "priority",
    "rank_with_ties",
    "score_cube",
    "utilities",
]

AGGREGATIONS = ("mean", "median", "trimmed")
#: Two priority scores closer than this are a tie (scores live in [0, 1]; this absorbs
#: floating-point noise of sums taken in a different order, nothing more).
TIE_TOLERANCE = 1e-9
#: Default proportion cut from each end by the trimmed mean.
DEFAULT_TRIM = 0.2


def score_cube(
    scores: Scores,
    requirement_ids: Sequence[str] | pd.Index,
    criterion_ids: Sequence[str] | pd.Index,
    member_ids: Sequence[str] | pd.Index,
) -> np.ndarray:
    """Arrange long-form scores as a ``(requirements, criteria, members)`` float cube.

    Cells nobody filled are NaN. Rows whose requirement, criterion or member is not in the
    given ids are ignored (validate first: :func:`prioritize.io.check_scores`).
    """
    r = key_codes(scores, "requirement_id", requirement_ids)
    c = key_codes(scores, "criterion", criterion_ids)
    m = key_codes(scores, "member", member_ids)
    keep = (r >= 0) & (c >= 0) & (m >= 0)
    cube = np.full((len(requirement_ids), len(criterion_ids), len(member_ids)), np.nan)
    cube[r[keep], c[keep], m[keep]] = scores.frame["score"].to_numpy(dtype=float)[keep]
    return cube


def owner_mask(criteria: CriteriaSet, departments: pd.Series) -> np.ndarray:
    """``(criteria, members)`` booleans: whose scores count for which criterion.

    A criterion without owners counts everybody; one with owners counts the members of
    those departments only (case-insensitive). ``departments`` is indexed by member id.
    """
    dept = departments.astype(str).str.strip().str.casefold().to_numpy(dtype=object)
    rows = []
    for criterion in criteria:
        if criterion.owners:
            owners = {o.casefold() for o in criterion.owners}
            rows.append(np.array([d in owners for d in dept], dtype=bool))
        else:
            rows.append(np.ones(len(dept), dtype=bool))
    return np.vstack(rows) if rows else np.zeros((0, len(dept)), dtype=bool)


def aggregate(cube: np.ndarray, method: str = "mean", *, trim: float = DEFAULT_TRIM) -> np.ndarray:
    """Aggregate the member axis (the last) of a score cube, ignoring NaN.

    Parameters
    ----------
    cube
        ``(..., members)`` scores with NaN for "no score".
    method
        ``"mean"``, ``"median"`` or ``"trimmed"`` (mean after cutting ``floor(trim * n)``
        scores from each end, n being the cell's number of scores).
    trim
        Proportion cut from each end by the trimmed mean, in [0, 0.5).

    Returns
    -------
    numpy.ndarray
        ``cube.shape[:-1]``; NaN where a cell has no score.

    Examples
    --------
    >>> import numpy as np
    >>> aggregate(np.array([[1.0, 2.0, 9.0, np.nan]]), "median")
    array([2.])
    >>> aggregate(np.array([[1.0, 2.0, 3.0, 4.0, 100.0]]), "trimmed", trim=0.2)
    array([3.])
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {method!r}; expected one of {AGGREGATIONS}")
    if not 0 <= trim < 0.5:
        raise ValueError(f"trim must be in [0, 0.5), got {trim}")
    valid = ~np.isnan(cube)
    count = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "mean":
            total = np.where(valid, cube, 0.0).sum(axis=-1)
            result = total / count
        else:
            ordered = np.sort(cube, axis=-1)  # NaN sort last
            if method == "median":
                lower = np.take_along_axis(
                    ordered, np.maximum((count - 1) // 2, 0)[..., None], axis=-1
                )[..., 0]
                upper = np.take_along_axis(ordered, np.maximum(count // 2, 0)[..., None], axis=-1)[
                    ..., 0
                ]
                result = (lower + upper) / 2
            else:
                cut = np.floor(trim * count).astype(np.intp)
                zero = np.zeros((*ordered.shape[:-1], 1))
                cumulative = np.concatenate([zero, np.nan_to_num(ordered).cumsum(axis=-1)], axis=-1)
                hi = np.take_along_axis(cumulative, (count - cut)[..., None], axis=-1)[..., 0]
                lo = np.take_along_axis(cumulative, cut[..., None], axis=-1)[..., 0]
                result = (hi - lo) / (count - 2 * cut)
    return np.asarray(np.where(count > 0, result, np.nan), dtype=float)


#: A gate holds when the aggregated score is at least its threshold, less this (a mean of
#: five 5s is 5 up to rounding).
GATE_TOLERANCE = 1e-9


def gate_hits(criteria: CriteriaSet, aggregated: np.ndarray) -> np.ndarray:
    """``(..., criteria)`` booleans: which gate each requirement passes.

    ``aggregated`` is ``(..., criteria)`` on each criterion's scale (any leading shape, e.g.
    resampled councils). A criterion without a gate is never passed.
    """
    threshold = np.array(
        [c.gate.at_least - GATE_TOLERANCE if c.gate is not None else np.inf for c in criteria],
        dtype=float,
    )
    return np.asarray(aggregated >= threshold, dtype=bool)


def gates_passed(criteria: CriteriaSet, aggregated: np.ndarray) -> np.ndarray:
    """Which requirements are mandatory: their aggregated score passes a criterion's gate.
    The result drops the last (criteria) axis of ``aggregated``."""
    return np.asarray(gate_hits(criteria, aggregated).any(axis=-1), dtype=bool)


def utilities(aggregated: np.ndarray, criteria: CriteriaSet) -> np.ndarray:
    """Normalise aggregated scores ``(..., criteria)`` to utilities in [0, 1].

    ``u = (x - min) / (max - min)`` for a benefit criterion, ``1 - that`` for a cost
    criterion, min and max being the criterion's scale.
    """
    low = np.array([c.scale.min for c in criteria], dtype=float)
    span = np.array([c.scale.span for c in criteria], dtype=float)
    cost = np.array([c.direction == "cost" for c in criteria])
    u = (aggregated - low) / span
    return np.asarray(np.where(cost, 1.0 - u, u), dtype=float)


def priority(utility: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Priority scores ``S = sum_j w_j u_j`` with weights normalised to sum 1.

    Parameters
    ----------
    utility
        ``(requirements, criteria)``.
    weights
        ``(criteria,)`` or a stack ``(samples, criteria)``; need not sum to 1.

    Returns
    -------
    numpy.ndarray
        ``(requirements,)`` or ``(samples, requirements)``.
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)
    return np.asarray(w @ utility.T, dtype=float)


def rank_with_ties(
    score: np.ndarray, tolerance: float = TIE_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """Rank scores, highest first, reporting ties as ties.

    Tied scores share the best rank of their group ("1, 2, 2, 4"); a group is a run of
    sorted scores each within ``tolerance`` of the next.

    Returns
    -------
    rank : numpy.ndarray of int
    tied : numpy.ndarray of bool
        Whether the requirement shares its rank with another.

    Examples
    --------
    >>> rank, tied = rank_with_ties(np.array([0.2, 0.5, 0.5, 0.9]))
    >>> rank.tolist(), tied.tolist()
    ([4, 2, 2, 1], [False, True, True, False])
    """
    n = score.shape[0]
    order = np.argsort(-score, kind="stable")
    ordered = score[order]
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (ordered[:-1] - ordered[1:]) > tolerance
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = group_start + 1
    group_id = np.cumsum(new_group) - 1
    sizes = np.bincount(group_id, minlength=int(group_id[-1]) + 1 if n else 0)
    tied = np.empty(n, dtype=bool)
    tied[order] = sizes[group_id] > 1
    return rank, tied
