"""The council's weights from its members' proposals: the mean, the median, and the two
AHP group methods of Forman & Peniwati (1998) -- AIJ, the aggregation of individual
judgements (the element-wise geometric mean of the members' pairwise matrices, then its
eigenvector), and AIP, the aggregation of individual priorities (the geometric mean of the
members' weights) -- with how far the members are apart on each criterion.

Everything is computed for all members at once: no loop over members.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.weights._checks import listing
from prioritize.weights.ahp import _as_cube, _check_cube, ahp_weights, ahp_weights_many

__all__ = ["AGGREGATIONS", "CouncilWeights", "aggregate_weights"]

#: How the members' weights can be combined (``aij`` needs every member's AHP matrix).
AGGREGATIONS = ("mean", "median", "aij", "aip")
_SPREAD = ("min", "q1", "median", "q3", "max", "mean", "sd", "range")


@dataclass(frozen=True, slots=True)
class CouncilWeights:
    """The council's weights and the members' proposals behind them.

    Attributes
    ----------
    weights
        The council's weights, indexed by criterion, summing to 1.
    method
        One of :data:`AGGREGATIONS`.
    members
        How many members' proposals were combined.
    spread
        Indexed by criterion, over the members' normalised weights: ``min, q1, median, q3,
        max`` (quartiles by linear interpolation), ``mean``, ``sd`` (the population standard
        deviation, ddof=0: the council is the whole population, not a sample of one) and
        ``range`` (max - min).
    proposals
        Members x criteria: each member's normalised weights (for AIJ, the eigenvector of
        the member's own matrix).
    consistency_ratio
        For AIJ, the consistency ratio of the aggregated matrix; ``None`` otherwise.
    """

    weights: pd.Series
    method: str
    members: int
    spread: pd.DataFrame
    proposals: pd.DataFrame
    consistency_ratio: float | None


def _spread(proposals: pd.DataFrame) -> pd.DataFrame:
    values = proposals.to_numpy(dtype=float)
    q = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0], axis=0)
    columns = [*q, values.mean(axis=0), values.std(axis=0, ddof=0), q[4] - q[0]]
    return pd.DataFrame(dict(zip(_SPREAD, columns, strict=True)), index=proposals.columns.copy())


def _normalised(proposals: object) -> pd.DataFrame:
    """Each member's weights divided by their sum, after refusing non-numbers, negatives,
    non-finite values and all-zero rows (naming the member and criterion)."""
    if not isinstance(proposals, pd.DataFrame):
        raise ValidationError(
            Problem(
                "weight proposals must be a members x criteria table",
                value=bounded_repr(proposals),
                expected="a DataFrame indexed by member, one column per criterion",
            )
        )
    _check_labels(proposals)
    try:
        values = proposals.to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            Problem("weights must be numbers", expected="non-negative numbers")
        ) from error
    members, criteria = proposals.index, proposals.columns
    bad = np.argwhere(~np.isfinite(values) | (values < 0))
    if len(bad):
        raise ValidationError(
            Problem(
                "a weight must be a finite number, 0 or more",
                row=f"member {members[m]!r}",
                column=str(criteria[c]),
                value=repr(float(values[m, c])),
                expected="a finite number, 0 or more",
            )
            for m, c in bad
        )
    totals = values.sum(axis=1)
    if (totals <= 0).any():
        raise ValidationError(
            Problem(
                "a member's weights are all 0",
                row=f"member {members[int(m)]!r}",
                expected="at least one positive weight",
            )
            for m in np.flatnonzero(totals <= 0)
        )
    return pd.DataFrame(values / totals[:, None], index=members.copy(), columns=criteria.copy())


def _check_labels(proposals: pd.DataFrame) -> None:
    problems = []
    if len(proposals.index) == 0 or len(proposals.columns) == 0:
        problems.append(
            Problem(
                "no members or no criteria to aggregate",
                value=str(proposals.shape),
                expected="at least one member and one criterion",
            )
        )
    for what, labels in (("member", proposals.index), ("criterion", proposals.columns)):
        if labels.has_duplicates:
            problems.append(
                Problem(
                    f"a {what} appears twice",
                    value=listing(labels[labels.duplicated()].unique()),
                    expected=f"each {what} once",
                )
            )
    if problems:
        raise ValidationError(problems)


def _matrices(
    proposals: Mapping[str, pd.DataFrame | np.ndarray], criteria: Sequence[str] | None
) -> tuple[np.ndarray, list[Hashable], list[Hashable]]:
    """The members' matrices as one ``(k, n, n)`` stack over the same criteria order."""
    if not isinstance(proposals, Mapping) or not proposals:
        raise ValidationError(
            Problem(
                "AIJ needs each member's pairwise matrix",
                value=bounded_repr(proposals),
                expected="a non-empty mapping member -> reciprocal matrix",
            )
        )
    members: list[Hashable] = list(proposals)
    frames = [m for m in proposals.values() if isinstance(m, pd.DataFrame)]
    if criteria is not None:
        labels: list[Hashable] = list(criteria)
    elif frames:
        labels = list(frames[0].index)
    else:
        n = _as_cube(next(iter(proposals.values()))).shape[-1]
        labels = [f"C{i + 1}" for i in range(n)]
    problems = []
    stack = []
    for member, matrix in proposals.items():
        if isinstance(matrix, pd.DataFrame):
            rows, columns = set(matrix.index), set(matrix.columns)
            if (
                rows != set(labels)
                or columns != set(labels)
                or matrix.shape
                != (
                    len(labels),
                    len(labels),
                )
            ):
                problems.append(
                    Problem(
                        "a member's matrix compares other criteria",
                        row=f"member {member!r}",
                        value=f"rows {bounded_repr(list(matrix.index))}, "
                        f"columns {bounded_repr(list(matrix.columns))}",
                        expected=f"rows and columns {listing(labels)}",
                    )
                )
                continue
            stack.append(_as_cube(matrix.loc[labels, labels]))
        else:
            values = _as_cube(matrix)
            if values.shape != (len(labels), len(labels)):
                problems.append(
                    Problem(
                        "a member's matrix has the wrong shape",
                        row=f"member {member!r}",
                        value=str(values.shape),
                        expected=f"{len(labels)} x {len(labels)}, one row per criterion",
                    )
                )
                continue
            stack.append(values)
    if problems:
        raise ValidationError(problems)
    cube = np.stack(stack)
    _check_cube(cube, labels, members)
    return cube, labels, members


def aggregate_weights(
    proposals: pd.DataFrame | Mapping[str, pd.DataFrame | np.ndarray],
    method: str = "mean",
    *,
    criteria: Sequence[str] | None = None,
) -> CouncilWeights:
    """The council's weights from its members' proposals.

    Parameters
    ----------
    proposals
        For ``mean``, ``median`` and ``aip``: members x criteria weights (a DataFrame
        indexed by member); each row is divided by its sum first. For ``aij``: a mapping
        member -> reciprocal matrix (DataFrames over the same criteria, or arrays in the
        order ``criteria`` gives).
    method
        ``mean``: the column means (they sum to 1). ``median``: the column medians divided
        by their sum (medians of the criteria need not add up to 1). ``aip``: the column
        geometric means divided by their sum (Forman & Peniwati 1998); a member who gives a
        criterion weight 0 makes its geometric mean 0, a veto. ``aij``: the element-wise
        geometric mean of the members' matrices and its principal eigenvector.
    criteria
        For ``aij`` with arrays: the criteria of their rows (``C1`` ... ``Cn`` if not
        given).

    Examples
    --------
    >>> table = pd.DataFrame({"cost": [0.6, 0.2], "risk": [0.4, 0.8]}, index=["ann", "bob"])
    >>> aggregate_weights(table).weights.round(2).tolist()
    [0.4, 0.6]
    >>> aggregate_weights(table, "aip").weights.round(3).tolist()
    [0.38, 0.62]
    """
    if method not in AGGREGATIONS:
        raise ValidationError(
            Problem(
                "unknown aggregation method",
                value=bounded_repr(method),
                expected=f"one of {listing(AGGREGATIONS)}",
            )
        )
    consistency_ratio: float | None = None
    if method == "aij":
        if isinstance(proposals, pd.DataFrame):
            raise ValidationError(
                Problem(
                    "AIJ aggregates judgements, not weights",
                    value="a table of weights",
                    expected="a mapping member -> reciprocal matrix",
                )
            )
        cube, labels, members = _matrices(proposals, criteria)
        index = pd.Index(labels, name="criterion")
        individual, _ = ahp_weights_many(cube)
        table = pd.DataFrame(individual, index=pd.Index(members, name="member"), columns=index)
        # The geometric mean of reciprocal matrices is reciprocal (Aczél & Saaty 1983).
        council = ahp_weights(pd.DataFrame(np.exp(np.log(cube).mean(axis=0)), index, index))
        weights = council.weights.to_numpy()
        consistency_ratio = council.consistency_ratio
    else:
        table = _normalised(proposals)
        values = table.to_numpy()
        if method == "mean":
            weights = values.mean(axis=0)
        else:
            if method == "median":
                central = np.median(values, axis=0)
            else:
                with np.errstate(divide="ignore"):
                    central = np.exp(np.log(values).mean(axis=0))
            if central.sum() <= 0:
                raise ValidationError(
                    Problem(
                        f"the members' {method} weights are 0 for every criterion",
                        value=f"{len(table)} members",
                        expected="proposals that agree on at least one criterion being "
                        "worth more than 0",
                    )
                )
            weights = central / central.sum()
    criteria_index = pd.Index(table.columns, name="criterion")
    table.columns = criteria_index
    return CouncilWeights(
        weights=pd.Series(weights, index=criteria_index.copy(), name="weight"),
        method=method,
        members=len(table),
        spread=_spread(table),
        proposals=table,
        consistency_ratio=consistency_ratio,
    )
