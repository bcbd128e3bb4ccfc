"""The exact geometry of a one-at-a-time weight sweep, shared by sweeps, the tornado and
the stability intervals.

Criterion k gets the weight t, from 0 to 1, and the others are rescaled in proportion:
``w_k(t) = t``, ``w_j(t) = w_j (1 - t) / (1 - w_k)``. Along the sweep (:class:`SweepLines`):

* the priority score is linear, ``S_i(t) = A_i + B_i t``;
* an axis is a ratio ``N_i(t) / D(t)`` of two functions linear in t, so it crosses a
  threshold at most once;
* net value, ``value - effort``, is a difference of two such ratios, so its crossings with a
  threshold are the roots of a quadratic.

Conventions are listed in :mod:`prioritize.sensitivity.sweep`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.engine.matrix import (
    THRESHOLD_TOLERANCE,
    axis_coefficients,
    categorize,
    rule_categories,
)
from prioritize.engine.scoring import TIE_TOLERANCE
from prioritize.errors import Problem, ValidationError
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.model.matrix import AXES, CategoryRule

__all__ = [
    "END_TOLERANCE",
    "PARALLEL_TOLERANCE",
    "SweepLines",
    "categorical",
    "category_segments",
    "criterion_index",
    "rank_rows",
    "rest_direction",
    "rule_thresholds",
    "sweep_lines",
    "swept_weights",
]

#: A crossing closer than this to either end of the sweep is at the end (where ties between
#: requirements with equal utility on the swept criterion happen exactly).
END_TOLERANCE = 1e-12
#: Two score lines whose slopes differ by less than this move in parallel: a tie between
#: them never breaks along a sweep (the drift over the whole sweep stays far below the tie
#: tolerance of the ranking).
PARALLEL_TOLERANCE = 1e-12


def categorical(codes: np.ndarray) -> pd.Categorical[str]:
    """Category codes (indices into CATEGORIES, -1 for none) as a pandas Categorical."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=pd.Index(list(CATEGORIES))
    )


def criterion_index(evaluation: Evaluation, criterion: str) -> int:
    """Position of ``criterion`` in the criteria set; a clear error for an unknown id."""
    ids = evaluation.criteria.ids
    if criterion not in ids:
        raise ValidationError(
            Problem(
                "unknown criterion",
                column="criterion",
                value=str(criterion),
                expected=f"one of {', '.join(ids)}",
            )
        )
    return ids.index(criterion)


def rest_direction(weights: np.ndarray, k: int) -> np.ndarray:
    """Where the other weights go along the sweep of ``k``: ``w(t) = t e_k + (1 - t) r``.

    ``r`` is the other weights in their proportions (summing to 1, 0 at k); when
    ``w_k = 1`` they share equally; with a single criterion ``r = e_k``.
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    rest = w.copy()
    rest[k] = 0.0
    total = rest.sum()
    if total <= 0:  # all weight on k, or a single criterion
        rest = np.ones_like(w)
        if len(w) > 1:
            rest[k] = 0.0
        total = rest.sum()
    out: np.ndarray = rest / total
    return out


def swept_weights(weights: np.ndarray, k: int, t: np.ndarray | float) -> np.ndarray:
    """The weights at sweep positions ``t`` (any shape): ``(*t.shape, criteria)``."""
    t_arr = np.asarray(t, dtype=float)[..., None]
    unit = np.zeros(len(weights))
    unit[k] = 1.0
    rest = rest_direction(weights, k)
    if len(weights) == 1:
        return np.broadcast_to(unit, (*t_arr.shape[:-1], 1)).copy()
    out: np.ndarray = t_arr * unit + (1.0 - t_arr) * rest
    return out


@dataclass(frozen=True, slots=True)
class SweepLines:
    """Every requirement's measures along the sweep of one criterion, in closed form.

    Arrays are in the evaluation's table order (by rank). ``numerator[a]`` holds
    ``(n0, n1)`` per requirement and ``denominator[a]`` ``(d0, d1)`` for axis ``AXES[a]``:
    the axis is ``(n0 + n1 t) / (d0 + d1 t)``, read as burden ``1 - u`` for burden axes.
    An axis that weighs nothing anywhere on the sweep is stored as ``0 / 1``. An axis
    without the swept criterion is constant on ``[0, 1)`` and stored as that constant over
    1 (not as a ratio with a common factor ``1 - t``, whose spurious root at ``t = 1`` would
    show up in floating point as a crossing just inside); ``vanishes_at_one`` marks it:
    at ``t = 1`` exactly none of its criteria weighs, so it is 0 there.
    """

    criterion: str
    index: int
    weight: float
    #: exact scores at t = 0 (the others' proportions) and t = 1 (the swept utility alone)
    intercept: np.ndarray
    slope: np.ndarray
    at_one: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    vanishes_at_one: np.ndarray

    def measures_at(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """The measures at sweep positions ``t``: a shared grid ``(P,)`` or one row of
        positions per requirement ``(n, P)``. Returns ``(n, P)`` arrays."""
        t = np.asarray(t, dtype=float)
        if t.ndim == 1:
            t = t[None, :]
        out = {"score": self.intercept[:, None] + self.slope[:, None] * t}
        for a, name in enumerate(AXES):
            d0, d1 = self.denominator[a]
            den = d0 + d1 * t
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = (self.numerator[a, :, 0:1] + self.numerator[a, :, 1:2] * t) / den
            out[name] = np.where(den > 0, ratio, 0.0)
            if self.vanishes_at_one[a]:
                out[name] = np.where(t >= 1, 0.0, out[name])
        out["net_value"] = out["value"] - out["effort"]
        return out

    def crossings(self, measure: str, threshold: float) -> np.ndarray:
        """``(n, 2)`` sweep positions strictly inside (0, 1) where ``measure`` equals
        ``threshold``; NaN where there is none. A measure that equals the threshold along
        the whole sweep has no crossing."""
        n = len(self.intercept)
        roots = np.full((n, 2), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            if measure == "score":
                roots[:, 0] = (threshold - self.intercept) / self.slope
            elif measure in AXES:
                a = AXES.index(measure)
                d0, d1 = self.denominator[a]
                c0 = self.numerator[a, :, 0] - threshold * d0
                c1 = self.numerator[a, :, 1] - threshold * d1
                roots[:, 0] = -c0 / c1
            elif measure == "net_value":
                roots[:] = self._net_value_roots(threshold)
            else:
                raise ValueError(f"unknown measure {measure!r}")
        inside = (roots > END_TOLERANCE) & (roots < 1 - END_TOLERANCE)
        return np.where(inside, roots, np.nan)

    def _net_value_roots(self, threshold: float) -> np.ndarray:
        # value - effort = theta  <=>  Nv De - Ne Dv - theta Dv De = 0 (both D > 0 inside).
        v, e = AXES.index("value"), AXES.index("effort")
        nv0, nv1 = self.numerator[v, :, 0], self.numerator[v, :, 1]
        ne0, ne1 = self.numerator[e, :, 0], self.numerator[e, :, 1]
        dv0, dv1 = self.denominator[v]
        de0, de1 = self.denominator[e]
        c0 = nv0 * de0 - ne0 * dv0 - threshold * dv0 * de0
        c1 = nv0 * de1 + nv1 * de0 - ne0 * dv1 - ne1 * dv0 - threshold * (dv0 * de1 + dv1 * de0)
        c2 = nv1 * de1 - ne1 * dv1 - threshold * dv1 * de1
        scale = np.abs(c0) + np.abs(c1) + np.abs(c2)
        quadratic = np.abs(c2) > 1e-13 * scale
        disc = c1 * c1 - 4 * c2 * c0
        real = disc >= 0
        root_disc = np.sqrt(np.where(real, disc, 0.0))
        # The numerically stable pair of roots: q = -(c1 + sign(c1) sqrt(disc)) / 2.
        q = -0.5 * (c1 + np.where(c1 >= 0, 1.0, -1.0) * root_disc)
        out = np.full((len(c0), 2), np.nan)
        out[:, 0] = np.where(quadratic & real, q / c2, -c0 / c1)
        out[:, 1] = np.where(quadratic & real, c0 / q, np.nan)
        return out


def sweep_lines(evaluation: Evaluation, k: int) -> SweepLines:
    """The closed-form lines of every requirement along the sweep of criterion ``k``."""
    utility = evaluation.utility_array
    weights = evaluation.weights.to_numpy(dtype=float)
    rest = rest_direction(weights, k)
    n = utility.shape[0]
    intercept = utility @ rest
    slope = utility[:, k] - intercept
    coefficients = axis_coefficients(evaluation.criteria)
    numerator = np.zeros((len(AXES), n, 2))
    denominator = np.tile([1.0, 0.0], (len(AXES), 1))
    vanishes = np.zeros(len(AXES), dtype=bool)
    for a, name in enumerate(AXES):
        if name not in coefficients:
            continue
        member, burden = coefficients[name]
        x = 1.0 - utility if burden else utility
        d0 = float(member @ rest)
        if member[k] == 0 or len(weights) == 1:
            if d0 > 0:
                numerator[a, :, 0] = (x @ (member * rest)) / d0
                vanishes[a] = len(weights) > 1
            continue  # constant along the sweep (0 when nothing on it ever weighs)
        n0 = x @ (member * rest)
        numerator[a, :, 0] = n0
        numerator[a, :, 1] = x[:, k] - n0
        denominator[a] = (d0, 1.0 - d0)
    at_one = utility[:, k].copy()
    if len(weights) == 1:
        slope = np.zeros(n)
        intercept = utility[:, 0].copy()
    for array in (intercept, slope, at_one, numerator, denominator, vanishes):
        array.setflags(write=False)
    return SweepLines(
        criterion=evaluation.criteria.ids[k],
        index=k,
        weight=float(weights[k]),
        intercept=intercept,
        slope=slope,
        at_one=at_one,
        numerator=numerator,
        denominator=denominator,
        vanishes_at_one=vanishes,
    )


def rule_thresholds(rules: tuple[CategoryRule, ...]) -> list[tuple[str, float]]:
    """Every distinct ``(measure, threshold)`` the rules test, in rule order."""
    seen: dict[tuple[str, float], None] = {}
    for rule in rules:
        for condition in rule.conditions:
            for bound in (condition.at_least, condition.below):
                if bound is not None:
                    seen[(condition.measure, float(bound))] = None
    return list(seen)


def category_segments(
    lines: SweepLines, rules: tuple[CategoryRule, ...], mandatory: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Cut each requirement's sweep at every crossing of a rule threshold.

    Returns
    -------
    points : ``(n, Q)`` sorted positions: 0, 1, the council's weight and every crossing.
    codes : ``(n, Q - 1)`` the category (index into CATEGORIES) on each open segment
        ``(points[s], points[s + 1])``, read at its midpoint; -1 on empty segments.
    labels : ``(n, Q)`` which crossing each point is (index into ``names``; -1 for the ends
        and -2 for the council's weight).
    names : what each crossing label means, e.g. ``"effort = 0.50"``.
    """
    n = len(lines.intercept)
    thresholds = rule_thresholds(rules)
    columns = [np.zeros((n, 1)), np.ones((n, 1)), np.full((n, 1), lines.weight)]
    label_columns = [np.full((n, 1), -1), np.full((n, 1), -1), np.full((n, 1), -2)]
    names = []
    for code, (measure, threshold) in enumerate(thresholds):
        # the core reads a measure within its tolerance below a threshold as at it
        roots = lines.crossings(measure, threshold - THRESHOLD_TOLERANCE)
        columns.append(np.where(np.isnan(roots), 1.0, roots))  # padding: a repeated end
        label_columns.append(np.where(np.isnan(roots), -1, code))
        names.append(f"{measure} = {threshold:.2f}")
    raw = np.hstack(columns)
    raw_labels = np.hstack(label_columns)
    order = np.argsort(raw, axis=1, kind="stable")
    points = np.take_along_axis(raw, order, axis=1)
    labels = np.take_along_axis(raw_labels, order, axis=1)
    mid = (points[:, :-1] + points[:, 1:]) / 2
    values = lines.measures_at(mid)
    placed = categorize(values, mandatory[:, None], rules)
    codes = rule_categories(rules)[placed]
    codes = np.where(points[:, 1:] > points[:, :-1], codes, -1)
    return points, codes, labels, names


def rank_rows(score: np.ndarray, tolerance: float = TIE_TOLERANCE) -> np.ndarray:
    """Rank each row of ``(rows, n)`` scores, highest first, ties sharing the best rank of
    their group (as :func:`prioritize.scoring.rank_with_ties`, row by row, vectorised)."""
    rows, n = score.shape
    order = np.argsort(-score, axis=1, kind="stable")
    ordered = np.take_along_axis(score, order, axis=1)
    new_group = np.ones((rows, n), dtype=bool)
    new_group[:, 1:] = (ordered[:, :-1] - ordered[:, 1:]) > tolerance
    start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0), axis=1)
    rank = np.empty((rows, n), dtype=np.int64)
    np.put_along_axis(rank, order, start + 1, axis=1)
    return rank
