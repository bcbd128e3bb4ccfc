"""Asking a member for criterion weights: 100 points, SWING, a rank order, or AHP pairwise
judgements, and :func:`elicit`, the one entry point that turns a member's JSON answer into
weights summing to 1.

Nothing is rescaled silently: 100 points that add up to 99 are refused, not stretched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.weights._checks import check_criteria, listing, real_number
from prioritize.weights.ahp import AHPResult, ahp_weights
from prioritize.weights.pairwise import pairwise_matrix

__all__ = [
    "METHODS",
    "Elicited",
    "elicit",
    "point_weights",
    "rank_order_centroid",
    "swing_weights",
]

#: The elicitation methods :func:`elicit` knows, and the key each one's answer holds.
METHODS = ("points", "swing", "rank", "ahp")
_ANSWER_KEY = {"points": "points", "swing": "ratings", "rank": "ranks", "ahp": "judgements"}
#: 100 points may add up to 100 within this much (float sums such as 33.3 + 33.3 + 33.4).
_POINTS_TOLERANCE = 1e-9


def _numbers(
    values: Mapping[str, float] | pd.Series, what: str, expected: str
) -> tuple[list[Hashable], np.ndarray]:
    """The labels and finite numbers of a mapping, every non-number refused at once."""
    if not isinstance(values, Mapping | pd.Series):
        raise ValidationError(
            Problem(
                f"{what} must map each criterion to a number",
                value=bounded_repr(values),
                expected="e.g. {'cost': 60, 'risk': 40}",
            )
        )
    items = list(values.items())
    problems = [
        Problem(
            f"{what} must be finite numbers",
            column=str(c),
            value=bounded_repr(v),
            expected=expected,
        )
        for c, v in items
        if real_number(v) is None
    ]
    if not items:
        problems.append(Problem(f"no {what} given", expected="one per criterion"))
    if problems:
        raise ValidationError(problems)
    return [c for c, _ in items], np.array([real_number(v) for _, v in items], dtype=float)


def _series(labels: Sequence[Hashable], weights: np.ndarray) -> pd.Series:
    return pd.Series(weights, index=pd.Index(list(labels), name="criterion"), name="weight")


def point_weights(points: Mapping[str, float] | pd.Series) -> pd.Series:
    """Weights from 100 points spread over the criteria: ``points / 100``.

    Each criterion's points are a finite number at least 0, and they add up to exactly 100
    (within 1e-9); any other total is refused, never rescaled.

    Examples
    --------
    >>> point_weights({"cost": 50, "risk": 30, "value": 20}).tolist()
    [0.5, 0.3, 0.2]
    """
    labels, values = _numbers(points, "points", "a number of points from 0 to 100")
    negative = [
        Problem("points cannot be negative", column=str(c), value=repr(v), expected="0 or more")
        for c, v in zip(labels, values, strict=True)
        if v < 0
    ]
    if negative:
        raise ValidationError(negative)
    total = float(values.sum())
    if abs(total - 100.0) > _POINTS_TOLERANCE:
        raise ValidationError(
            Problem(
                f"the points add up to {total:g}, not 100",
                value=f"total {total:g}",
                expected="points adding up to exactly 100",
            )
        )
    return _series(labels, values / 100.0)


def swing_weights(ratings: Mapping[str, float] | pd.Series) -> pd.Series:
    """SWING weights (von Winterfeldt & Edwards 1986): ``rating / sum of ratings``.

    The member imagines every criterion at its worst level, picks the swing from worst to
    best that matters most and rates it 100, then rates every other swing from 0 to 100
    against it. So one rating must be exactly 100 and all lie in [0, 100].

    Examples
    --------
    >>> swing_weights({"cost": 100, "risk": 60, "value": 40}).tolist()
    [0.5, 0.3, 0.2]
    """
    labels, values = _numbers(ratings, "ratings", "a rating from 0 to 100")
    problems = [
        Problem(
            "a swing rating must be from 0 to 100",
            column=str(c),
            value=repr(v),
            expected="0 to 100",
        )
        for c, v in zip(labels, values, strict=True)
        if not 0.0 <= v <= 100.0
    ]
    if not problems and not (values == 100.0).any():
        problems.append(
            Problem(
                "no swing is rated 100",
                value=f"highest rating {values.max():g}",
                expected="the most important swing rated exactly 100, the others against it",
            )
        )
    if problems:
        raise ValidationError(problems)
    return _series(labels, values / values.sum())


def _rank_groups(order: Mapping[str, int] | Sequence[Any]) -> list[list[Hashable]]:
    """The criteria grouped by rank, most important group first."""
    if isinstance(order, Mapping):
        problems: list[Problem] = []
        ranks: dict[Hashable, int] = {}
        for c, rank in order.items():
            number = real_number(rank)
            if number is None or not number.is_integer() or number < 1:
                problems.append(
                    Problem(
                        "a rank must be a whole number, 1 or more",
                        column=str(c),
                        value=bounded_repr(rank),
                        expected="1 for the most important, 2 for the next, ...",
                    )
                )
            else:
                ranks[c] = int(number)
        if problems:
            raise ValidationError(problems)
        levels = sorted(set(ranks.values()))
        return [[c for c, r in ranks.items() if r == level] for level in levels]
    if isinstance(order, str | bytes) or not isinstance(order, Sequence):
        raise ValidationError(
            Problem(
                "a rank order must map criteria to ranks or list them, most important first",
                value=bounded_repr(order),
                expected="{'cost': 1, 'risk': 2} or ['cost', ['risk', 'value']]",
            )
        )
    groups: list[list[Hashable]] = []
    for item in order:
        if isinstance(item, str):
            groups.append([item])
        elif (
            isinstance(item, Set | list | tuple) and item and all(isinstance(c, str) for c in item)
        ):
            # a set has no order: sort it so that the weights' order is stable
            groups.append(sorted(item) if isinstance(item, Set) else list(item))
        else:
            raise ValidationError(
                Problem(
                    "a rank order lists criterion ids or groups of tied ids",
                    value=bounded_repr(item),
                    expected="a criterion id or a non-empty list of ids",
                )
            )
    return groups


def rank_order_centroid(order: Mapping[str, int] | Sequence[Any]) -> pd.Series:
    """Rank order centroid weights (Barron & Barrett 1996): the k-th of n criteria gets
    ``w_k = (1/n) * sum(1/i for i in k..n)``.

    Parameters
    ----------
    order
        Either a mapping criterion -> rank (1 the most important; equal ranks are ties; only
        the order of the ranks counts, so "1, 2, 2, 4" and "1, 2, 2, 3" are the same), or a
        sequence of criteria ids, most important first, in which a list, tuple or set holds
        tied criteria. Tied criteria share equally the weights of the positions they occupy.

    Examples
    --------
    >>> rank_order_centroid(["a", "b", "c"]).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    >>> rank_order_centroid({"a": 1, "b": 2, "c": 2}).round(4).tolist()
    [0.6111, 0.1944, 0.1944]
    """
    groups = _rank_groups(order)
    labels = [c for group in groups for c in group]
    if not labels:
        raise ValidationError(Problem("no criteria to rank", expected="at least one criterion"))
    twice = [c for c, times in Counter(labels).items() if times > 1]
    if twice:
        raise ValidationError(
            Problem(
                "a criterion is ranked twice",
                value=listing(dict.fromkeys(twice)),
                expected="each criterion once",
            )
        )
    n = len(labels)
    roc = np.cumsum((1.0 / np.arange(1, n + 1))[::-1])[::-1] / n
    sizes = np.array([len(g) for g in groups])
    group_of = np.repeat(np.arange(len(groups)), sizes)
    shared = np.bincount(group_of, weights=roc) / sizes
    return _series(labels, shared[group_of])


@dataclass(frozen=True, slots=True)
class Elicited:
    """One member's weights from one elicitation.

    Attributes
    ----------
    method
        One of :data:`METHODS`.
    weights
        Indexed by the criteria in the order :func:`elicit` was given, summing to 1.
    ahp
        The full AHP result (consistency, worst judgements) for ``"ahp"``, else ``None``.
    """

    method: str
    weights: pd.Series
    ahp: AHPResult | None

    @property
    def consistency_ratio(self) -> float | None:
        """The AHP consistency ratio, ``None`` for the other methods."""
        return None if self.ahp is None else self.ahp.consistency_ratio


def _covers(answered: Sequence[Hashable], ids: tuple[str, ...], what: str) -> None:
    """Refuse an answer that misses a criterion or names one not asked."""
    missing = [c for c in ids if c not in set(answered)]
    unknown = [c for c in answered if c not in set(ids)]
    problems = []
    if missing:
        problems.append(
            Problem(
                f"{what} missing for some criteria",
                value=listing(missing),
                expected=f"one for each of {listing(ids)}",
            )
        )
    if unknown:
        problems.append(
            Problem(
                f"{what} given for unknown criteria",
                value=listing(unknown),
                expected=f"only {listing(ids)}",
            )
        )
    if problems:
        raise ValidationError(problems)


def elicit(method: str, answer: Mapping[str, Any], criteria: Sequence[str]) -> Elicited:
    """A member's weights from their answer to one elicitation method.

    Parameters
    ----------
    method
        ``"points"``: ``{"points": {criterion: points}}``, 100 in all;
        ``"swing"``: ``{"ratings": {criterion: rating}}``, the top swing 100;
        ``"rank"``: ``{"ranks": {criterion: rank}}``, 1 the most important;
        ``"ahp"``: ``{"judgements": [[more, less, intensity], ...]}``, every pair once.
    answer
        The answer as JSON gives it (lists, not tuples); exactly the one key above.
    criteria
        The criteria the member was asked about; every one must be answered, no other.

    Returns
    -------
    Elicited
        Weights indexed by ``criteria`` in that order.

    Examples
    --------
    >>> elicit("rank", {"ranks": {"risk": 2, "cost": 1}}, ["cost", "risk"]).weights.tolist()
    [0.75, 0.25]
    """
    if method not in METHODS:
        raise ValidationError(
            Problem(
                "unknown elicitation method",
                value=bounded_repr(method),
                expected=f"one of {listing(METHODS)}",
            )
        )
    ids = check_criteria(criteria)
    key = _ANSWER_KEY[method]
    if not isinstance(answer, Mapping) or set(answer) != {key}:
        raise ValidationError(
            Problem(
                f"a {method!r} answer must hold exactly the key {key!r}",
                value=bounded_repr(answer),
                expected=f"{{{key!r}: ...}}",
            )
        )
    given = answer[key]
    ahp: AHPResult | None = None
    if method == "ahp":
        ahp = ahp_weights(pairwise_matrix(given, ids))
        weights = ahp.weights
    else:
        if not isinstance(given, Mapping):
            raise ValidationError(
                Problem(
                    f"{key} must map each criterion to a number",
                    value=bounded_repr(given),
                    expected="{criterion: number}",
                )
            )
        _covers(list(given), ids, key)
        if method == "points":
            weights = point_weights(given)
        elif method == "swing":
            weights = swing_weights(given)
        else:
            weights = rank_order_centroid(given)
    weights = weights.reindex(pd.Index(ids, name="criterion"))
    return Elicited(method=method, weights=weights, ahp=ahp)
