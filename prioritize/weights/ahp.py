"""The Analytic Hierarchy Process (Saaty 1980): criterion weights from a reciprocal matrix of
pairwise judgements, its consistency, and the judgements that make it inconsistent.

A judgement ``a_ij`` says how many times more important criterion i is than criterion j on
Saaty's 1-9 scale; ``a_ji = 1 / a_ij``. The weights are the principal (Perron) eigenvector
of the matrix, normalised to sum 1, found by power iteration over a whole batch of matrices
at once (one council member each) and checked against ``numpy.linalg.eig`` when the
iteration does not settle. Consistency is Saaty's ratio ``CR = CI / RI`` with
``CI = (lambda_max - n) / (n - 1)`` and RI the mean CI of random matrices of the same size.
How the pairs are asked and turned into a matrix is :mod:`prioritize.weights.pairwise`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import SupportsFloat

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.weights.pairwise import SAATY_SCALE, pairs, pairwise_matrix

__all__ = [
    "CONSISTENCY_LIMIT",
    "MAX_AHP_CRITERIA",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPResult",
    "ahp_weights",
    "ahp_weights_many",
    "pairs",
    "pairwise_matrix",
]

#: Saaty's random index: the mean consistency index of random reciprocal matrices of each
#: size. 1-10: Saaty, T. L. (1980) *The Analytic Hierarchy Process*, McGraw-Hill. 11-15:
#: the values Saaty published for larger matrices (Saaty, T. L. (2000) *Fundamentals of
#: Decision Making and Priority Theory*, RWS Publications), kept as published although 12
#: is lower than 11 (simulation noise in the original; page not re-checked here).
RANDOM_INDEX: Mapping[int, float] = MappingProxyType(
    {
        1: 0.0,
        2: 0.0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
        11: 1.51,
        12: 1.48,
        13: 1.56,
        14: 1.57,
        15: 1.59,
    }
)
#: The most criteria a pairwise matrix may compare: the random index is published up to 15
#: (and 105 judgements is already more than a member answers with care).
MAX_AHP_CRITERIA = 15
#: Saaty's threshold: a consistency ratio above 10 % asks the member to revise.
CONSISTENCY_LIMIT = 0.10
#: a_ij * a_ji and the diagonal may differ from 1 by this much (float noise of 1/3 etc.).
_RECIPROCAL_TOLERANCE = 1e-9
#: Power iteration stops when no weight moves by more than this in one step ...
_TOLERANCE = 1e-12
#: ... or after this many steps; the members not settled by then go to numpy.linalg.eig.
_MAX_ITERATIONS = 500


@dataclass(frozen=True, slots=True)
class AHPResult:
    """The weights one pairwise matrix gives, and how consistent it is.

    Attributes
    ----------
    weights
        The principal eigenvector, indexed by criterion, summing to 1.
    lambda_max
        The principal eigenvalue, the mean of ``(A w)_i / w_i`` (at least n; n exactly when
        the judgements are perfectly consistent).
    consistency_index
        ``CI = (lambda_max - n) / (n - 1)``, 0 for two criteria (always consistent).
    random_index
        Saaty's RI for n criteria (:data:`RANDOM_INDEX`).
    consistency_ratio
        ``CR = CI / RI``, 0 for two criteria.
    matrix
        The reciprocal matrix, criteria x criteria.
    worst_judgements
        One row per pair of criteria, the judgement that strays most from the weights first:
        ``more`` and ``less`` (the criterion judged more important and the other; for an
        "equal" judgement the first in criteria order is ``more``), ``judgement`` (the
        intensity given, at least 1), ``consistent`` (``w_more / w_less``, the intensity the
        weights imply), ``error`` and ``contradicts``. The error is ``|ln eps_ij|`` with
        ``eps_ij = a_ij w_j / w_i`` (Saaty's per-judgement error, as used by Aguarón &
        Moreno-Jiménez 2003 for the geometric consistency index): the log makes a judgement
        twice too strong and one twice too weak equally bad, and is the same whichever way
        round the pair is read. ``contradicts`` is true when the weights reverse the
        judgement (``consistent < 1`` although ``more`` was judged more important): the
        member said the opposite of what the rest of their judgements imply.
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    matrix: pd.DataFrame
    worst_judgements: pd.DataFrame

    @property
    def inconsistent(self) -> bool:
        """Whether the consistency ratio is above :data:`CONSISTENCY_LIMIT`."""
        return self.consistency_ratio > CONSISTENCY_LIMIT


def _cell(row: Hashable, column: Hashable, member: Hashable | None) -> str:
    where = f"row {row!r}, column {column!r}"
    return where if member is None else f"member {member!r}, {where}"


def _check_cube(
    cube: np.ndarray, criteria: Sequence[Hashable], members: Sequence[Hashable] | None
) -> None:
    """Refuse a stack of matrices that are not positive, finite and reciprocal, naming each
    offending cell (and member, for a council's stack). ``members`` is ``None`` for one
    matrix."""
    _, n, _ = cube.shape
    if n < 2 or n > MAX_AHP_CRITERIA:
        raise ValidationError(
            Problem(
                "a pairwise matrix compares 2 to 15 criteria",
                value=f"{n} criteria",
                expected=f"from 2 to {MAX_AHP_CRITERIA} criteria (Saaty's random index is "
                "published up to 15)",
            )
        )

    def member(k: int) -> Hashable | None:
        return None if members is None else members[k]

    checks = (
        (~np.isfinite(cube), "a judgement must be a finite number", "a positive number"),
        (~(cube > 0), "a judgement must be positive", "a positive number such as 3 or 1/3"),
    )
    for bad, message, expected in checks:
        found = np.argwhere(bad)
        if len(found):
            raise ValidationError(
                Problem(
                    message,
                    row=_cell(criteria[i], criteria[j], member(k)),
                    value=repr(float(cube[k, i, j])),
                    expected=expected,
                )
                for k, i, j in found
            )
    diagonal = np.diagonal(cube, axis1=1, axis2=2)
    found = np.argwhere(np.abs(diagonal - 1.0) > _RECIPROCAL_TOLERANCE)
    if len(found):
        raise ValidationError(
            Problem(
                "a criterion compared with itself must be 1",
                row=_cell(criteria[i], criteria[i], member(k)),
                value=repr(float(diagonal[k, i])),
                expected="1 on the diagonal",
            )
            for k, i in found
        )
    product = cube * np.swapaxes(cube, 1, 2)
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    found = np.argwhere((np.abs(product - 1.0) > _RECIPROCAL_TOLERANCE) & upper)
    if len(found):
        raise ValidationError(
            Problem(
                f"the matrix is not reciprocal: cell ({criteria[j]!r}, {criteria[i]!r}) must "
                f"be 1 / cell ({criteria[i]!r}, {criteria[j]!r})",
                row=_cell(criteria[i], criteria[j], member(k)),
                value=f"{float(cube[k, i, j])!r} and {float(cube[k, j, i])!r} in row "
                f"{criteria[j]!r}, column {criteria[i]!r}",
                expected=f"{1.0 / float(cube[k, i, j])!r} in row {criteria[j]!r}, "
                f"column {criteria[i]!r}",
            )
            for k, i, j in found
        )


def _as_cube(matrices: object) -> np.ndarray:
    """``matrices`` as a float array, refused when it holds anything but numbers."""
    try:
        raw = np.asarray(matrices)
        if raw.dtype == bool:
            raise TypeError("booleans are not judgements")
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            Problem(
                "a pairwise matrix must hold numbers",
                value=bounded_repr(matrices),
                expected="a square table of positive numbers",
            )
        ) from error


def _principal(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Principal eigenvectors (summing to 1) and eigenvalues of a ``(k, n, n)`` stack of
    positive matrices, all members at once."""
    # Row geometric means start the iteration: exact for a consistent matrix, close otherwise.
    weights = np.exp(np.log(cube).mean(axis=2))
    weights /= weights.sum(axis=1, keepdims=True)
    # Each member stops when its own weights settle, so a member's result does not depend
    # on who else is in the batch (the same as ahp_weights on its matrix alone).
    active = np.arange(cube.shape[0])
    for _ in range(_MAX_ITERATIONS):
        current = weights[active]
        product = np.einsum("kij,kj->ki", cube[active], current)
        product /= product.sum(axis=1, keepdims=True)
        weights[active] = product
        active = active[np.abs(product - current).max(axis=1) > _TOLERANCE]
        if not active.size:
            break
    if active.size:
        values, vectors = np.linalg.eig(cube[active])
        largest = np.argmax(values.real, axis=1)
        # A positive matrix's Perron vector has one sign; abs() drops eig's arbitrary one.
        vector = np.abs(vectors[np.arange(active.size), :, largest].real)
        weights[active] = vector / vector.sum(axis=1, keepdims=True)
    lambda_max = (np.einsum("kij,kj->ki", cube, weights) / weights).mean(axis=1)
    return weights, lambda_max


def _consistency(lambda_max: np.ndarray, n: int) -> tuple[np.ndarray, float, np.ndarray]:
    """CI, RI and CR of eigenvalues of n x n matrices (0 for n <= 2: always consistent)."""
    if n <= 2:
        zero = np.zeros_like(lambda_max)
        return zero, RANDOM_INDEX[n], zero.copy()
    # lambda_max >= n for a positive reciprocal matrix; below n is float noise.
    ci = np.maximum((lambda_max - n) / (n - 1), 0.0)
    ri = RANDOM_INDEX[n]
    return ci, ri, ci / ri


def ahp_weights_many(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights and consistency ratios of a stack of reciprocal matrices, one per member.

    Parameters
    ----------
    cube
        ``(k, n, n)``: k reciprocal matrices over the same n criteria (same order).

    Returns
    -------
    weights, consistency_ratios
        ``(k, n)`` principal eigenvectors summing to 1 (read-only) and ``(k,)`` CRs.

    Examples
    --------
    >>> w, cr = ahp_weights_many(np.array([[[1, 3], [1 / 3, 1]], [[1, 1], [1, 1]]]))
    >>> w.round(3).tolist(), cr.tolist()
    ([[0.75, 0.25], [0.5, 0.5]], [0.0, 0.0])
    """
    values = _as_cube(cube)
    if values.ndim != 3 or values.shape[1] != values.shape[2] or values.shape[0] == 0:
        raise ValidationError(
            Problem(
                "a stack of pairwise matrices must be members x criteria x criteria",
                value=str(values.shape),
                expected="a (k, n, n) array with k >= 1",
            )
        )
    n = values.shape[1]
    _check_cube(values, [f"C{i + 1}" for i in range(n)], list(range(values.shape[0])))
    weights, lambda_max = _principal(values)
    _, _, ratio = _consistency(lambda_max, n)
    weights.flags.writeable = False
    ratio.flags.writeable = False
    return weights, ratio


def _labelled(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[SupportsFloat]],
    criteria: Sequence[str] | None,
) -> tuple[np.ndarray, list[Hashable]]:
    """The matrix as a float array and its criteria labels."""
    if isinstance(matrix, pd.DataFrame):
        rows, columns = list(matrix.index), list(matrix.columns)
        if matrix.index.has_duplicates or set(rows) != set(columns) or len(rows) != len(columns):
            raise ValidationError(
                Problem(
                    "a pairwise matrix's rows and columns must name the same criteria",
                    value=f"rows {bounded_repr(rows)}, columns {bounded_repr(columns)}",
                    expected="the same distinct criteria as index and columns",
                )
            )
        if criteria is not None and list(criteria) != rows:
            raise ValidationError(
                Problem(
                    "criteria= disagrees with the matrix's index",
                    value=bounded_repr(list(criteria)),
                    expected=f"{bounded_repr(rows)} or no criteria=",
                )
            )
        # Labels, not positions, say which cell is which: columns follow the index.
        return _as_cube(matrix.loc[:, rows]), rows
    values = _as_cube(matrix)
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise ValidationError(
            Problem(
                "a pairwise matrix must be square",
                value=str(values.shape),
                expected="n rows and n columns, one per criterion",
            )
        )
    n = values.shape[0]
    labels: list[Hashable] = [f"C{i + 1}" for i in range(n)] if criteria is None else list(criteria)
    if len(labels) != n or len(set(labels)) != n:
        raise ValidationError(
            Problem(
                "criteria= must name each row of the matrix once",
                value=bounded_repr(labels),
                expected=f"{n} distinct criterion ids",
            )
        )
    return values, labels


def _judgements(values: np.ndarray, weights: np.ndarray, labels: list[Hashable]) -> pd.DataFrame:
    """Every upper-triangle judgement with its error against the weights, worst first."""
    i, j = np.triu_indices(len(labels), k=1)
    given = values[i, j]
    forward = given >= 1.0
    more = np.where(forward, i, j)
    less = np.where(forward, j, i)
    consistent = weights[more] / weights[less]
    names = np.asarray(labels, dtype=object)
    table = pd.DataFrame(
        {
            "more": names[more],
            "less": names[less],
            "judgement": np.where(forward, given, 1.0 / given),
            "consistent": consistent,
            "error": np.abs(np.log(given * weights[j] / weights[i])),
            "contradicts": (np.where(forward, given, 1.0 / given) > 1.0) & (consistent < 1.0),
        }
    )
    return table.sort_values("error", ascending=False, kind="stable").reset_index(drop=True)


def ahp_weights(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[SupportsFloat]],
    criteria: Sequence[str] | None = None,
) -> AHPResult:
    """Weights of the criteria from one reciprocal matrix of pairwise judgements.

    Parameters
    ----------
    matrix
        Square, positive, reciprocal (``a_ij * a_ji = 1`` within 1e-9, 1 on the diagonal).
        Any positive value is accepted in a matrix, not only Saaty's 1-9 and reciprocals. A
        DataFrame's index and columns name the criteria (the columns are matched to the
        index by label).
    criteria
        The criteria ids of an array's rows; ``C1`` ... ``Cn`` when not given.

    Examples
    --------
    >>> result = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], ["a", "b", "c"])
    >>> result.weights.round(3).tolist(), round(result.consistency_ratio, 3)
    ([0.637, 0.258, 0.105], 0.033)
    >>> result.worst_judgements.loc[0, ["more", "less"]].tolist()
    ['b', 'c']
    """
    values, labels = _labelled(matrix, criteria)
    _check_cube(values[None], labels, None)
    weights, lambda_max = _principal(values[None])
    n = len(labels)
    ci, ri, cr = _consistency(lambda_max, n)
    index = pd.Index(labels, name="criterion")
    return AHPResult(
        weights=pd.Series(weights[0], index=index, name="weight"),
        lambda_max=float(lambda_max[0]),
        consistency_index=float(ci[0]),
        random_index=float(ri),
        consistency_ratio=float(cr[0]),
        matrix=pd.DataFrame(values, index=index, columns=index.copy()),
        worst_judgements=_judgements(values, weights[0], labels),
    )
