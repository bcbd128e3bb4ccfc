"""Exact weight stability intervals and the most critical criterion.

For each criterion, the interval is the range of its weight (the others rescaled in
proportion, as in :func:`prioritize.sensitivity.sweep`) in which something the council
reads stays unchanged: the whole ranking, the top-k set, or one requirement's category.
Everything is computed in closed form from the sweep lines, never by sampling:

* ranking: only neighbours in the current order can swap first, so the bounds are the
  nearest crossings of adjacent score lines;
* top-k: the set changes first where a line inside it meets a line outside it;
* category: every crossing of a measure a rule tests (value, effort, urgency, net value,
  score) with a rule threshold cuts the sweep; the category is read on each piece, and the
  interval is the run of pieces around the council's weight with the council's category.

Conventions (choices a reader should know):

* Bounds are where the change happens, as the core sees it: two scores come within the
  ranking's tie tolerance (:data:`prioritize.scoring.TIE_TOLERANCE`), a measure reaches a
  threshold (less :data:`prioritize.matrix.THRESHOLD_TOLERANCE`). The interval holds
  strictly between its bounds, and at the council's weight.
* A tie that exists now is part of the ranking: the interval ends where it breaks, so a tie
  between requirements whose scores move at different rates gives ``lower = upper =
  weight`` (a degenerate interval). Requirements that move in parallel stay tied.
* Mandatory status (a gate) does not depend on weights.
"""

# Longer than 400 lines because the three scopes (ranking, top-k, category) share one closed-form
# root finder and one table.

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from prioritize.engine.matrix import THRESHOLD_TOLERANCE
from prioritize.engine.scoring import TIE_TOLERANCE
from prioritize.errors import Problem, ValidationError
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.lines import (
    END_TOLERANCE,
    PARALLEL_TOLERANCE,
    SweepLines,
    categorical,
    category_segments,
    rule_thresholds,
    sweep_lines,
)

__all__ = ["CriticalCriterion", "most_critical_criterion", "nearest_change", "stability_intervals"]

Scope = Literal["ranking", "top-k", "category"]
_SCOPES = ("ranking", "top-k", "category")
#: Pairs compared at once when looking for the first crossing across the top-k boundary.
_PAIR_BLOCK = 4_000_000


@dataclass(frozen=True, slots=True)
class _Bound:
    at: float
    by: str


def _first_crossing(
    hi: np.ndarray, lo: np.ndarray, lines: SweepLines, side: int, ids: np.ndarray
) -> _Bound | None:
    """Where, moving from the council's weight in direction ``side``, a line of ``hi`` (all
    above every line of ``lo`` now) first meets a line of ``lo``; None if none does in
    [0, 1]."""
    if len(hi) == 0 or len(lo) == 0:
        return None
    t0 = lines.weight
    a, b = lines.intercept, lines.slope
    best: tuple[float, int, int] | None = None
    block = max(1, _PAIR_BLOCK // len(lo))
    for start in range(0, len(hi), block):  # blocks bound the pairs' memory
        h = hi[start : start + block]
        gap = (a[h] + b[h] * t0)[:, None] - (a[lo] + b[lo] * t0)[None, :]
        closing = -side * (b[h][:, None] - b[lo][None, :])  # how fast the gap shrinks
        with np.errstate(invalid="ignore", divide="ignore"):
            # they tie (for the core) once the gap shrinks to the tie tolerance
            distance = np.where(
                closing > PARALLEL_TOLERANCE, np.maximum(gap - TIE_TOLERANCE, 0) / closing, np.inf
            )
        flat = int(np.argmin(distance))
        i, j = divmod(flat, len(lo))
        if np.isfinite(distance[i, j]) and (best is None or distance[i, j] < best[0]):
            best = (float(distance[i, j]), int(h[i]), int(lo[j]))
    if best is None:
        return None
    at = t0 + side * best[0]
    if not 0 <= at <= 1:
        return None
    return _Bound(at, f"{ids[best[2]]} overtakes {ids[best[1]]}")


def _snap(at: float) -> float:
    """A bound within rounding of an end of the sweep is at the end (e.g. requirements
    that tie when the swept criterion weighs 0, or weighs everything)."""
    return 0.0 if at < END_TOLERANCE else 1.0 if at > 1 - END_TOLERANCE else at


def _interval(lines: SweepLines, lower: _Bound | None, upper: _Bound | None) -> dict[str, object]:
    return {
        "weight": lines.weight,
        "lower": 0.0 if lower is None else _snap(lower.at),
        "upper": 1.0 if upper is None else _snap(upper.at),
        "lower_by": "" if lower is None else lower.by,
        "upper_by": "" if upper is None else upper.by,
    }


def _ranking_interval(lines: SweepLines, rank: np.ndarray, ids: np.ndarray) -> dict[str, object]:
    """Adjacent pairs in the current order (table order): the nearest crossing each way."""
    t0 = lines.weight
    a, b = lines.intercept, lines.slope
    if len(a) < 2:
        return _interval(lines, None, None)
    gap = (a[:-1] + b[:-1] * t0) - (a[1:] + b[1:] * t0)  # upper minus lower, >= 0
    rate = b[:-1] - b[1:]
    tied = rank[:-1] == rank[1:]
    moving = np.abs(rate) > PARALLEL_TOLERANCE
    breaking = tied & moving
    if breaking.any():
        p = int(np.flatnonzero(breaking)[0])
        bound = _Bound(t0, f"tie {ids[p]} = {ids[p + 1]} breaks")
        return _interval(lines, bound, bound)
    with np.errstate(invalid="ignore", divide="ignore"):
        cross = t0 - np.maximum(gap - TIE_TOLERANCE, 0) / rate
    bounds: list[_Bound | None] = []
    for side, candidates in ((-1, ~tied & moving & (rate > 0)), (1, ~tied & moving & (rate < 0))):
        inside = candidates & (cross >= 0) & (cross <= 1)
        if not inside.any():
            bounds.append(None)
            continue
        pick = np.flatnonzero(inside)
        p = int(pick[np.argmin(side * (cross[pick] - t0))])
        bounds.append(_Bound(float(cross[p]), f"{ids[p]} and {ids[p + 1]} swap"))
    return _interval(lines, bounds[0], bounds[1])


def _top_k_interval(
    lines: SweepLines, rank: np.ndarray, k: int, ids: np.ndarray
) -> dict[str, object]:
    """The top-k set (rank <= k, ties included) unchanged: lines inside stay above lines
    outside; a tie straddling position k must not break."""
    t0 = lines.weight
    b = lines.slope
    inside = np.flatnonzero(rank <= k)
    outside = np.flatnonzero(rank > k)
    size = len(inside)
    if k >= len(rank):
        return _interval(lines, None, None)  # everybody is always in
    bounds: list[_Bound | None] = []
    for side in (-1, 1):
        if size == k:
            bounds.append(_first_crossing(inside, outside, lines, side, ids))
            continue
        # More than k inside: a tie straddles position k. Moving this way the tied group
        # orders by slope; the lowest (size - k + 1) of it must stay tied for the set to
        # hold, i.e. move in parallel. They then act as one line.
        boundary_rank = rank[inside].max()
        group = inside[rank[inside] == boundary_rank]
        need = size - k + 1
        going = side * b[group]
        order = np.argsort(going, kind="stable")
        lowest = group[order[:need]]
        if np.ptp(b[lowest]) > PARALLEL_TOLERANCE:
            bound = _Bound(t0, f"tie {', '.join(map(str, ids[lowest]))} at position {k} breaks")
            bounds.append(bound)
            continue
        line = lowest[:1]
        above = inside[rank[inside] < boundary_rank]
        candidates = [
            c
            for c in (
                _first_crossing(above, line, lines, side, ids),
                _first_crossing(line, outside, lines, side, ids),
            )
            if c is not None
        ]
        bounds.append(min(candidates, key=lambda c: abs(c.at - t0)) if candidates else None)
    return _interval(lines, bounds[0], bounds[1])


def _at_once(lines: SweepLines, evaluation: Evaluation) -> np.ndarray:
    """Why a category changes as soon as the weight moves at all: a measure sits exactly on
    a threshold at the council's weight (or an axis that weighed nothing starts to count)."""
    values = lines.measures_at(np.array([lines.weight]))
    text = np.full(
        len(lines.intercept), "the category changes as soon as this weight moves", dtype=object
    )
    if lines.weight == 0:
        text[:] = "an axis that weighed nothing starts to count this criterion"
    found = np.zeros(len(text), dtype=bool)
    for measure, threshold in rule_thresholds(evaluation.criteria.matrix.rules):
        on = ~found & (np.abs(values[measure][:, 0] - threshold) <= 2 * THRESHOLD_TOLERANCE)
        text[on] = f"{measure} = {threshold:.2f} at the council's weight"
        found |= on
    return text


def _category_frame(evaluation: Evaluation) -> pd.DataFrame:
    ids = evaluation.table.index
    rules = evaluation.criteria.matrix.rules
    mandatory = evaluation.mandatory_array
    current = evaluation.table["category"].cat.codes.to_numpy(dtype=np.int64)
    n = len(ids)
    rows = np.arange(n)
    frames = []
    for k, cid in enumerate(evaluation.criteria.ids):
        lines = sweep_lines(evaluation, k)
        points, codes, labels, names = category_segments(lines, rules, mandatory)
        name_array = np.array([*names, ""], dtype=object)
        # the council's weight: its (first) position among the sorted points
        z = np.argmax(labels == -2, axis=1)
        segment = np.arange(codes.shape[1])[None, :]
        differs = (codes >= 0) & (codes != current[:, None])
        right_bad = differs & (segment >= z[:, None])
        left_bad = differs & (segment < z[:, None])
        has_right = right_bad.any(axis=1)
        has_left = left_bad.any(axis=1)
        right = np.argmax(right_bad, axis=1)  # first bad piece after
        left = codes.shape[1] - 1 - np.argmax(left_bad[:, ::-1], axis=1)  # last bad before
        upper = np.where(has_right, points[rows, right], 1.0)
        lower = np.where(has_left, points[rows, left + 1], 0.0)
        upper_label = np.where(has_right, labels[rows, right], -1)
        lower_label = np.where(has_left, labels[rows, left + 1], -1)
        above = np.where(has_right, codes[rows, right], -1)
        below = np.where(has_left, codes[rows, left], -1)
        upper_by = np.where(has_right, name_array[np.where(upper_label >= 0, upper_label, -1)], "")
        lower_by = np.where(has_left, name_array[np.where(lower_label >= 0, lower_label, -1)], "")
        # a change right at the council's weight is labelled by no crossing: say why
        sudden_up = has_right & (upper_label < 0)
        sudden_down = has_left & (lower_label < 0)
        if sudden_up.any() or sudden_down.any():
            why = _at_once(lines, evaluation)
            upper_by = np.where(sudden_up, why, upper_by)
            lower_by = np.where(sudden_down, why, lower_by)
        frames.append(
            pd.DataFrame(
                {
                    "requirement": ids,
                    "criterion": cid,
                    "category": evaluation.table["category"].to_numpy(),
                    "weight": lines.weight,
                    "lower": lower,
                    "upper": upper,
                    "lower_by": lower_by,
                    "upper_by": upper_by,
                    "category_below": categorical(below),
                    "category_above": categorical(above),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    # requirement-major, criteria in file order (a stable sort keeps the criterion order)
    position = pd.Index(ids).get_indexer(frame["requirement"])
    frame = frame.iloc[np.argsort(position, kind="stable")]
    frame["category"] = pd.Categorical(frame["category"], categories=list(CATEGORIES))
    return frame.set_index(["requirement", "criterion"])


def _with_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``change`` (the smallest move of the weight, either way, that changes the
    result; inf when none does) and ``relative_change`` (that move over the weight)."""
    down = np.where(frame["lower_by"] != "", frame["weight"] - frame["lower"], np.inf)
    up = np.where(frame["upper_by"] != "", frame["upper"] - frame["weight"], np.inf)
    change = np.minimum(down, up)
    weight = frame["weight"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(weight > 0, change / weight, np.inf)
    frame["change"] = change
    frame["relative_change"] = relative
    return frame


def nearest_change(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row of a :func:`stability_intervals` frame: the weight where the result first
    changes (the nearer binding bound; NaN when none), what happens there, and whether it
    is the lower bound."""
    weight = frame["weight"].to_numpy(dtype=float)
    lower = frame["lower"].to_numpy(dtype=float)
    upper = frame["upper"].to_numpy(dtype=float)
    change = frame["change"].to_numpy(dtype=float)
    lower_by = frame["lower_by"].to_numpy(dtype=object)
    upper_by = frame["upper_by"].to_numpy(dtype=object)
    down = (lower_by != "") & np.isclose(weight - lower, change, rtol=0, atol=1e-15)
    down |= (lower_by != "") & (upper_by == "")
    new_weight = np.where(np.isfinite(change), np.where(down, lower, upper), np.nan)
    by = np.where(np.isfinite(change), np.where(down, lower_by, upper_by), "")
    return new_weight, by.astype(object), down


def _check_k(k: int | None, n: int) -> int:
    if k is None or isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValidationError(
            Problem(
                "top-k needs k, a whole number >= 1",
                column="k",
                value=repr(k),
                expected=f"an integer from 1 to {n}",
            )
        )
    return int(k)


def stability_intervals(
    evaluation: Evaluation, *, scope: Scope = "ranking", k: int | None = None
) -> pd.DataFrame:
    """Exact weight stability intervals, one criterion at a time.

    Parameters
    ----------
    evaluation
        The council's evaluation.
    scope
        ``"ranking"``: the whole ranking (order and ties) unchanged; ``"top-k"``: the set of
        requirements ranked k or better unchanged (a tie at position k counts them all);
        ``"category"``: each requirement's category unchanged.
    k
        The size of the top set, for ``scope="top-k"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by criterion (for ``"category"``: by requirement x criterion, requirements
        in table order), with ``weight`` (the council's, normalised), ``lower, upper``
        (the interval; the result holds strictly between them), ``lower_by, upper_by``
        (what happens at the bound: which pair swaps, which tie breaks, which measure
        crosses which threshold; empty when the bound is the end of the range),
        ``change`` (the smallest move of the weight that changes the result, inf if none)
        and ``relative_change`` (``change / weight``). For ``"category"`` also
        ``category`` and ``category_below, category_above`` (the category just outside
        each bound). ``DataFrame.attrs`` holds ``scope`` and ``k``.

    Raises
    ------
    ValidationError
        An unknown scope, or a missing or invalid k for ``"top-k"``.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import stability_intervals
    >>> ev = pz.evaluate_example()
    >>> iv = stability_intervals(ev, scope="top-k", k=5)
    >>> bool(((iv["lower"] <= iv["weight"]) & (iv["weight"] <= iv["upper"])).all())
    True
    """
    if scope not in _SCOPES:
        raise ValidationError(
            Problem(
                "unknown stability scope",
                column="scope",
                value=repr(scope),
                expected=" or ".join(_SCOPES),
            )
        )
    n = len(evaluation.table)
    if scope == "category":
        frame = _category_frame(evaluation)
    else:
        if scope == "top-k":
            k = _check_k(k, n)
        rank = evaluation.table["rank"].to_numpy(dtype=np.int64)
        ids = evaluation.table.index.to_numpy(dtype=object)
        rows = []
        for j in range(len(evaluation.criteria)):  # a loop over criteria: few
            lines = sweep_lines(evaluation, j)
            if scope == "ranking":
                rows.append(_ranking_interval(lines, rank, ids))
            else:
                assert k is not None
                rows.append(_top_k_interval(lines, rank, k, ids))
        frame = pd.DataFrame(rows, index=pd.Index(evaluation.criteria.ids, name="criterion"))
    frame = _with_changes(frame)
    frame.attrs["scope"] = scope
    frame.attrs["k"] = k
    return frame


@dataclass(frozen=True, slots=True)
class CriticalCriterion:
    """The criterion whose weight needs the smallest relative change to alter the top-k.

    ``new_weight`` is where the top-k first changes (moving the weight that way, the others
    rescaled in proportion), ``change = |new_weight - weight|`` and ``relative_change =
    change / weight``; ``by`` says what happens there.
    """

    criterion: str
    k: int
    weight: float
    new_weight: float
    change: float
    relative_change: float
    by: str

    def __str__(self) -> str:
        direction = "raising" if self.new_weight > self.weight else "lowering"
        return (
            f"{self.criterion}: {direction} its weight from {self.weight:.3f} to "
            f"{self.new_weight:.3f} ({self.relative_change:.0%} of it) changes the top "
            f"{self.k}: {self.by}"
        )


def most_critical_criterion(evaluation: Evaluation, *, k: int) -> CriticalCriterion | None:
    """The criterion whose weight needs the smallest relative change to alter the top-k.

    Relative to the council's weight of that criterion; a criterion weighing 0 can only
    change by an infinite relative amount, so it is picked only when nothing else alters
    the top-k (then by the smallest absolute change). None when no weight in [0, 1] of any
    criterion alters the top-k.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import most_critical_criterion
    >>> c = most_critical_criterion(pz.evaluate_example(), k=5)
    >>> c is None or c.relative_change >= 0
    True
    """
    frame = stability_intervals(evaluation, scope="top-k", k=k)
    finite = np.isfinite(frame["change"].to_numpy(dtype=float))
    if not finite.any():
        return None
    pick = int(
        np.lexsort(
            (frame["change"].to_numpy(dtype=float), frame["relative_change"].to_numpy(dtype=float))
        )[0]
    )
    new_weight, by, _ = nearest_change(frame)
    row = frame.iloc[pick]
    return CriticalCriterion(
        criterion=str(frame.index[pick]),
        k=int(k),
        weight=float(row["weight"]),
        new_weight=float(new_weight[pick]),
        change=float(row["change"]),
        relative_change=float(row["relative_change"]),
        by=str(by[pick]),
    )
