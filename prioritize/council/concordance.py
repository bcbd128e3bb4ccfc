"""Concordance of the council's rankings: Kendall's coefficient of concordance W over the
members' own rankings of the requirements, tie-corrected, overall and per department.

Each member's ranking comes from their own priority scores under the council's weights
(their own score on every criterion, the council's aggregate where they gave none); ties
share their average rank. ``W = 12 S / (m**2 (n**3 - n) - m T)`` with S the sum of squared
deviations of the requirements' rank sums from their mean, m members, n requirements and T
the sum over members and their tie groups of ``t**3 - t`` (Kendall & Babington Smith 1939;
the tie correction as in R's DescTools::KendallW). Everything is computed for all members
and departments at once, without a loop over members.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.engine.scoring import score_cube, utilities
from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation

__all__ = ["Concordance", "concordance", "kendall_w"]

#: Member priority scores closer than this rank as tied (float noise of sums, nothing more).
_RANK_DECIMALS = 9


def _w_from_ranks(
    ranks: np.ndarray, groups: np.ndarray, n_groups: int, tie_terms: np.ndarray, correct_ties: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Kendall's W of each group of raters. ``ranks``: ``(raters, subjects)``; ``groups``:
    each rater's group; ``tie_terms``: each rater's sum of ``t**3 - t`` over tie groups."""
    n = ranks.shape[1]
    one_hot = np.zeros((n_groups, ranks.shape[0]))
    one_hot[groups, np.arange(ranks.shape[0])] = 1.0
    m = one_hot.sum(axis=1)
    rank_sums = one_hot @ ranks
    s = ((rank_sums - rank_sums.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    denominator = m**2 * (n**3 - n)
    if correct_ties:
        denominator = denominator - m * (one_hot @ tie_terms)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where((m >= 2) & (denominator > 0), 12.0 * s / denominator, np.nan)
    return w, m


def _tie_terms(values: np.ndarray) -> np.ndarray:
    """Each row's sum of ``t**3 - t`` over its groups of equal values, all rows at once."""
    rows = np.repeat(np.arange(values.shape[0]), values.shape[1])
    pairs = np.column_stack([rows, values.reshape(-1)])
    unique, counts = np.unique(pairs, axis=0, return_counts=True)
    return np.bincount(
        unique[:, 0].astype(np.intp), weights=counts**3 - counts, minlength=values.shape[0]
    )


def kendall_w(
    ratings: np.ndarray | pd.DataFrame | list[list[float]], *, correct_ties: bool = True
) -> float:
    """Kendall's coefficient of concordance W of raters (rows) over subjects (columns).

    Each rater's ratings are ranked (ties get their average rank); ``W = 12 S / (m**2
    (n**3 - n) - m T)``, S the sum of squared deviations of the subjects' rank sums from
    their mean, m raters, n subjects, and T the sum over raters and their tie groups of
    ``t**3 - t`` (0 without the tie correction).

    Examples
    --------
    >>> kendall_w([[1, 2, 3], [1, 2, 3]]), kendall_w([[1, 2, 3], [3, 2, 1]])
    (1.0, 0.0)
    """
    values = np.asarray(ratings, dtype=float)
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 2:
        raise ValidationError(
            Problem(
                "Kendall's W needs a raters x subjects table",
                value=str(values.shape),
                expected="at least 2 raters (rows) and 2 subjects",
            )
        )
    if not np.isfinite(values).all():
        raise ValidationError(
            Problem(
                "ratings must all be finite numbers",
                value="NaN or inf",
                expected="a complete raters x subjects table",
            )
        )
    from scipy import stats  # imported when used: scipy.stats costs 0.4 s at start-up

    ranks = stats.rankdata(values, axis=1, method="average")
    w, _ = _w_from_ranks(
        ranks, np.zeros(values.shape[0], dtype=np.intp), 1, _tie_terms(values), correct_ties
    )
    return float(w[0])


@dataclass(frozen=True, slots=True)
class Concordance:
    """How much the members' rankings of the requirements agree.

    Attributes
    ----------
    w
        Kendall's W over all members who scored (1: identical rankings, 0: no agreement).
    chi2, df, p_value
        Friedman's statistic ``m (n - 1) W`` with ``n - 1`` degrees of freedom, and the
        chance of a W this large if the members ranked at random.
    members, requirements
        How many members and requirements the W is computed over.
    by_department
        Indexed by department: ``members, w, chi2, p_value`` (W is NaN for a department of
        one member).
    rankings
        Requirements (table order) x members: each member's rank of each requirement from
        their own priority scores (1 = first; ties share the average rank).
    """

    w: float
    chi2: float
    df: int
    p_value: float
    members: int
    requirements: int
    correct_ties: bool
    by_department: pd.DataFrame
    rankings: pd.DataFrame


def concordance(evaluation: Evaluation, *, correct_ties: bool = True) -> Concordance:
    """Kendall's W over the members' own rankings of the ranked requirements.

    Each member's ranking comes from their own priority scores under the council's
    weights: their own score on every criterion (advisory ones included: it is their view),
    and the council's aggregated score where they gave none. Members without any score on
    the ranked requirements (observers) are left out.

    Examples
    --------
    >>> import prioritize as pz
    >>> c = concordance(pz.evaluate_example())
    >>> 0 <= c.w <= 1
    True
    """
    table_ids = evaluation.table.index
    criteria = evaluation.criteria
    frame = evaluation.scores.frame
    if evaluation.members is not None:
        member_ids = evaluation.members.ids
    else:
        member_ids = pd.Index(pd.unique(frame["member"].to_numpy(dtype=object)))
    cube = score_cube(evaluation.scores, table_ids, criteria.ids, member_ids)
    scored = (~np.isnan(cube)).any(axis=(0, 1))
    cube = cube[:, :, scored]
    member_ids = member_ids[scored]
    if len(member_ids) < 2 or len(table_ids) < 2:
        raise ValidationError(
            Problem(
                "concordance needs at least two members who scored and two ranked requirements",
                value=f"{len(member_ids)} members, {len(table_ids)} requirements",
            )
        )
    council = evaluation.aggregated.to_numpy(dtype=float)
    own = np.where(np.isnan(cube), council[:, :, None], cube)
    utility = utilities(np.moveaxis(own, -1, 0), criteria)  # (members, requirements, criteria)
    weights = evaluation.weights.to_numpy(dtype=float)
    personal = np.round(np.einsum("mrc,c->mr", utility, weights / weights.sum()), _RANK_DECIMALS)
    from scipy import stats  # imported when used: scipy.stats costs 0.4 s at start-up

    ranks = stats.rankdata(-personal, axis=1, method="average")
    ties = _tie_terms(personal)
    n = len(table_ids)
    overall, _ = _w_from_ranks(
        ranks, np.zeros(len(member_ids), dtype=np.intp), 1, ties, correct_ties
    )
    w = float(overall[0])
    if evaluation.members is not None:
        departments = evaluation.members.departments.loc[member_ids].astype(str)
        codes, names = pd.factorize(departments, sort=True)
        dept_w, dept_m = _w_from_ranks(ranks, codes, len(names), ties, correct_ties)
        dept_chi2 = dept_m * (n - 1) * dept_w
        by_department = pd.DataFrame(
            {
                "members": dept_m.astype(np.int64),
                "w": dept_w,
                "chi2": dept_chi2,
                "p_value": stats.chi2.sf(dept_chi2, n - 1),
            },
            index=pd.Index(np.asarray(names, dtype=object), name="department"),
        )
    else:
        by_department = pd.DataFrame(
            {
                "members": pd.Series(dtype=np.int64),
                "w": pd.Series(dtype=float),
                "chi2": pd.Series(dtype=float),
                "p_value": pd.Series(dtype=float),
            },
            index=pd.Index([], name="department", dtype=object),
        )
    chi2 = len(member_ids) * (n - 1) * w
    rankings = pd.DataFrame(
        ranks.T, index=pd.Index(table_ids, name="id"), columns=pd.Index(member_ids, name="member")
    )
    return Concordance(
        w=w,
        chi2=float(chi2),
        df=n - 1,
        p_value=float(stats.chi2.sf(chi2, n - 1)),
        members=len(member_ids),
        requirements=n,
        correct_ties=correct_ties,
        by_department=by_department,
        rankings=rankings,
    )
