"""One-at-a-time weight sweeps: the closed-form lines along a sweep, :func:`sweep` and the
:func:`tornado` summary over all criteria.

The sweep of criterion k gives it the weight t, from 0 to 1, and rescales the others in
proportion: ``w_k(t) = t``, ``w_j(t) = w_j (1 - t) / (1 - w_k)``, so the weights always sum
to 1 and keep their proportions. At ``t = w_k`` it is the council's weighting. Along the
sweep everything is closed form (:class:`SweepLines`):

* the priority score is linear, ``S_i(t) = A_i + B_i t``;
* an axis is a ratio ``N_i(t) / D(t)`` of two functions linear in t (the weighted sum of
  the axis' utilities or burdens over the sum of the axis' weights), so it crosses a
  threshold at most once;
* net value, ``value - effort``, is a difference of two such ratios, so its crossings with a
  threshold are the roots of a quadratic.

Conventions (choices a reader should know):

* ``w_k = 1``: the other weights have no proportions left to keep; they share ``1 - t``
  equally.
* A single criterion: its weight is 1 whatever t is, so nothing moves along the sweep.
* An axis whose criteria all weigh 0 is 0 (as in :func:`prioritize.matrix.measures`). Along
  a sweep that can happen only at ``t = 0`` or ``t = 1`` exactly; the category there is the
  core's, but intervals are read on the open stretches between crossings (a jump at an end
  point does not end an interval).
* Crossings are where the core's rules switch: a measure within
  :data:`prioritize.matrix.THRESHOLD_TOLERANCE` below a threshold counts as at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.engine.matrix import categorize, rule_categories
from prioritize.engine.scoring import TIE_TOLERANCE
from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.lines import (
    SweepLines,
    categorical,
    category_segments,
    criterion_index,
    rank_rows,
    sweep_lines,
)

__all__ = ["Sweep", "sweep", "tornado"]


@dataclass(frozen=True, slots=True)
class Sweep:
    """One criterion's weight swept from 0 to 1, the others rescaled in proportion.

    Attributes
    ----------
    criterion, weight
        The swept criterion and the council's (normalised) weight of it.
    intercept, slope
        Exact score lines: ``score = intercept + slope * t`` at sweep weight t, indexed by
        requirement (table order).
    table
        Long form, one row per sweep weight x requirement: ``weight, requirement, score,
        rank, tied, category, value, effort, urgency, net_value``.
    category_changes
        Every exact point where a requirement's category changes along the sweep:
        ``requirement, weight, before, after, crossing`` (the threshold crossed).
    """

    criterion: str
    weight: float
    intercept: pd.Series
    slope: pd.Series
    table: pd.DataFrame
    category_changes: pd.DataFrame


def _grid(points: int | Sequence[float] | np.ndarray, current: float) -> np.ndarray:
    if isinstance(points, int | np.integer):
        if points < 2:
            raise ValidationError(
                Problem(
                    "too few sweep points",
                    column="points",
                    value=str(points),
                    expected="an integer >= 2",
                )
            )
        grid = np.linspace(0.0, 1.0, int(points))
    else:
        grid = np.asarray(points, dtype=float).ravel()
        if grid.size == 0 or not np.all(np.isfinite(grid)) or grid.min() < 0 or grid.max() > 1:
            raise ValidationError(
                Problem(
                    "sweep weights must lie in [0, 1]",
                    column="points",
                    value=str(points)[:80],
                    expected="numbers from 0 to 1",
                )
            )
    return np.unique(np.append(grid, current))


def _previous_codes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each segment, the category of the nearest non-empty segment before it (-1: none)
    and whether the category changes there."""
    valid = codes >= 0
    last_valid = np.maximum.accumulate(np.where(valid, np.arange(codes.shape[1]), -1), axis=1)
    before_idx = np.full_like(last_valid, -1)
    before_idx[:, 1:] = last_valid[:, :-1]
    before = np.where(
        before_idx >= 0, np.take_along_axis(codes, np.maximum(before_idx, 0), axis=1), -1
    )
    return before, valid & (before >= 0) & (before != codes)


def _changes(
    ids: pd.Index, points: np.ndarray, codes: np.ndarray, labels: np.ndarray, names: list[str]
) -> pd.DataFrame:
    before, change = _previous_codes(codes)
    row, col = np.nonzero(change)
    label = labels[row, col]
    name_array = np.array([*names, ""], dtype=object)
    return pd.DataFrame(
        {
            "requirement": ids[row],
            "weight": points[row, col],
            "before": categorical(before[row, col]),
            "after": categorical(codes[row, col]),
            "crossing": name_array[np.where(label >= 0, label, -1)],
        }
    )


def sweep(
    evaluation: Evaluation, criterion: str, points: int | Sequence[float] | np.ndarray = 21
) -> Sweep:
    """Move one criterion's weight from 0 to 1, the others rescaled in proportion.

    Parameters
    ----------
    evaluation
        The council's evaluation.
    criterion
        The criterion id to sweep.
    points
        How many evenly spaced weights from 0 to 1 (default 21), or the weights themselves.
        The council's own weight is always included.

    Returns
    -------
    Sweep
        Scores are read off the exact lines, so every row is exact; ``category_changes``
        lists the exact weights where a category changes.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import sweep
    >>> ev = pz.evaluate_example()
    >>> s = sweep(ev, "customer_impact", points=5)
    >>> sorted(set(s.table["weight"].round(2)))[:3]
    [0.0, 0.16, 0.25]
    """
    k = criterion_index(evaluation, criterion)
    lines = sweep_lines(evaluation, k)
    grid = _grid(points, lines.weight)
    values = lines.measures_at(grid)
    mandatory = evaluation.mandatory_array
    rules = evaluation.criteria.matrix.rules
    placed = categorize(values, mandatory[:, None], rules)
    category = rule_categories(rules)[placed]
    rank = rank_rows(values["score"].T).T
    ids = evaluation.table.index
    n, p = values["score"].shape
    # how many requirements share each (weight, rank): more than one is a tie
    slot = (rank - 1) + np.arange(p)[None, :] * n
    tied = np.bincount(slot.ravel(), minlength=n * p)[slot] > 1
    table = pd.DataFrame(
        {
            "weight": np.tile(grid, n),
            "requirement": np.repeat(ids.to_numpy(dtype=object), p),
            "score": values["score"].ravel(),
            "rank": rank.ravel(),
            "tied": tied.ravel(),
            "category": categorical(category.ravel()),
            **{m: values[m].ravel() for m in ("value", "effort", "urgency", "net_value")},
        }
    )
    table = table.sort_values(["weight", "rank"], kind="stable", ignore_index=True)
    points_, codes, labels, names = category_segments(lines, rules, mandatory)
    return Sweep(
        criterion=criterion,
        weight=lines.weight,
        intercept=pd.Series(lines.intercept, index=ids, name="intercept"),
        slope=pd.Series(lines.slope, index=ids, name="slope"),
        table=table,
        category_changes=_changes(ids, points_, codes, labels, names),
    )


def _rank_extremes(lines: SweepLines) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst rank of each requirement on the open stretches of a sweep, exactly.

    ``rank_i(t) = 1 + #{j : S_j(t) > S_i(t)}``; the count starts at its value just after
    t = 0 and changes by one at each crossing of i's line with another strictly inside the
    sweep (the difference of the two lines changes sign between t = 0 and t = 1), so sorting
    the crossings and accumulating gives every value it takes.
    """
    intercept, end = lines.intercept, lines.at_one
    n = len(intercept)
    best = np.empty(n, dtype=np.int64)
    worst = np.empty(n, dtype=np.int64)
    block = max(1, 2_000_000 // max(n, 1))
    for start in range(0, n, block):  # blocks of requirements bound the n x n memory
        rows = slice(start, min(n, start + block))
        alpha = intercept[None, :] - intercept[rows, None]  # S_j - S_i at t = 0
        omega = end[None, :] - end[rows, None]  # S_j - S_i at t = 1, exact
        flat = np.abs(alpha) <= TIE_TOLERANCE
        ahead = np.where(flat, omega > 0, alpha > 0)
        moving = ~flat & (np.sign(omega) == -np.sign(alpha))
        with np.errstate(invalid="ignore", divide="ignore"):
            times = np.where(moving, alpha / (alpha - omega), np.inf)
        delta = np.where(moving, np.where(ahead, -1, 1), 0)
        order = np.argsort(times, axis=1, kind="stable")
        path = ahead.sum(axis=1)[:, None] + np.cumsum(
            np.take_along_axis(delta, order, axis=1), axis=1
        )
        start_count = ahead.sum(axis=1)
        best[rows] = 1 + np.minimum(start_count, path.min(axis=1))
        worst[rows] = 1 + np.maximum(start_count, path.max(axis=1))
    return best, worst


def tornado(evaluation: Evaluation) -> pd.DataFrame:
    """How far each criterion's weight, swept from 0 to 1, moves each requirement.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(criterion, requirement)``: ``weight`` (the council's),
        ``score_at_zero, score_at_one`` (exact ends of the score line), ``best_rank,
        worst_rank`` (over the whole sweep, exact, read between crossings),
        ``rank_swing`` (worst - best), ``category_at_zero, category_at_one`` and
        ``category_changes`` (how many times the category changes along the sweep).
        Criteria come in order of their mean rank swing, largest first (the tornado's
        widest bar on top); requirements in table order.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import tornado
    >>> t = tornado(pz.evaluate_example())
    >>> bool((t["best_rank"] <= t["worst_rank"]).all())
    True
    """
    ids = evaluation.table.index
    rules = evaluation.criteria.matrix.rules
    mandatory = evaluation.mandatory_array
    frames = []
    swing = []
    for k, cid in enumerate(evaluation.criteria.ids):
        lines = sweep_lines(evaluation, k)
        best, worst = _rank_extremes(lines)
        _, codes, _, _ = category_segments(lines, rules, mandatory)
        valid = codes >= 0
        first = np.take_along_axis(codes, valid.argmax(axis=1)[:, None], axis=1)[:, 0]
        last_idx = codes.shape[1] - 1 - valid[:, ::-1].argmax(axis=1)
        last = np.take_along_axis(codes, last_idx[:, None], axis=1)[:, 0]
        changes = _previous_codes(codes)[1].sum(axis=1)
        frames.append(
            pd.DataFrame(
                {
                    "criterion": cid,
                    "requirement": ids,
                    "weight": lines.weight,
                    "score_at_zero": lines.intercept,
                    "score_at_one": lines.intercept + lines.slope,
                    "best_rank": best,
                    "worst_rank": worst,
                    "rank_swing": worst - best,
                    "category_at_zero": categorical(first),
                    "category_at_one": categorical(last),
                    "category_changes": changes,
                }
            )
        )
        swing.append(float((worst - best).mean()) if len(ids) else 0.0)
    order = np.argsort(-np.asarray(swing), kind="stable")
    table = pd.concat([frames[i] for i in order], ignore_index=True)
    result: pd.DataFrame = table.set_index(["criterion", "requirement"])
    return result
