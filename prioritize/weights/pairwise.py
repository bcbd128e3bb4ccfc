"""Pairwise judgements as a member gives them: which pairs the page asks, and the reciprocal
matrix a complete set of ``(more, less, intensity)`` answers builds.

A member answers each pair once, on Saaty's scale: 1 equal, 3 moderately, 5 strongly,
7 very strongly, 9 extremely more important (2, 4, 6, 8 and any value between allowed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.weights._checks import check_criteria, listing, real_number

__all__ = ["SAATY_SCALE", "pairs", "pairwise_matrix"]

#: Saaty's judgement intensities; a judgement is any real in [1, 9], its reciprocal the
#: other way round.
SAATY_SCALE: tuple[int, ...] = tuple(range(1, 10))


def pairs(criteria: Sequence[str]) -> list[tuple[str, str]]:
    """The n(n-1)/2 pairs of criteria a member is asked about, in a stable order: each
    criterion against every one after it.

    Examples
    --------
    >>> pairs(["cost", "risk", "value"])
    [('cost', 'risk'), ('cost', 'value'), ('risk', 'value')]
    """
    ids = check_criteria(criteria, at_least=2)
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]


def pairwise_matrix(
    judgements: Sequence[Sequence[object]], criteria: Sequence[str]
) -> pd.DataFrame:
    """The reciprocal matrix of a complete set of pairwise judgements.

    Parameters
    ----------
    judgements
        ``(more, less, intensity)`` triples (lists, as JSON gives them, are fine): ``more``
        is ``intensity`` times as important as ``less``, intensity a real in [1, 9] (1:
        equal). Every pair of criteria exactly once, in either order.
    criteria
        The criteria ids, in the matrix's order.

    Every problem is reported at once: unknown criteria, a criterion against itself,
    intensities that are not numbers in [1, 9], pairs given twice and pairs missing.

    Examples
    --------
    >>> pairwise_matrix([["cost", "risk", 3]], ["cost", "risk"]).round(3).values.tolist()
    [[1.0, 3.0], [0.333, 1.0]]
    """
    ids = check_criteria(criteria, at_least=2)
    if isinstance(judgements, str | bytes) or not isinstance(judgements, Sequence):
        raise ValidationError(
            Problem(
                "judgements must be a list of [more, less, intensity] triples",
                value=bounded_repr(judgements),
                expected="a list such as [['cost', 'risk', 3]]",
            )
        )
    position = {c: k for k, c in enumerate(ids)}
    n = len(ids)
    matrix = np.ones((n, n))
    given: dict[tuple[int, int], int] = {}
    problems: list[Problem] = []
    for number, judgement in enumerate(judgements, start=1):
        if (
            isinstance(judgement, str | bytes)
            or not isinstance(judgement, Sequence)
            or len(judgement) != 3
        ):
            problems.append(
                Problem(
                    "a judgement must be a [more, less, intensity] triple",
                    row=number,
                    value=bounded_repr(judgement),
                    expected="e.g. ['cost', 'risk', 3]",
                )
            )
            continue
        more, less, raw = judgement
        unknown = [c for c in (more, less) if not isinstance(c, str) or c not in position]
        for c in unknown:
            problems.append(
                Problem(
                    "unknown criterion in a judgement",
                    row=number,
                    value=bounded_repr(c),
                    expected=f"one of {listing(ids)}",
                )
            )
        intensity = real_number(raw)
        if intensity is None or not 1.0 <= intensity <= 9.0:
            problems.append(
                Problem(
                    "a judgement's intensity must be a number from 1 to 9",
                    row=number,
                    column=f"{more} over {less}",
                    value=bounded_repr(raw),
                    expected="a number in [1, 9] on Saaty's scale (1 equal, 9 extremely more)",
                )
            )
        if unknown:
            continue
        assert isinstance(more, str) and isinstance(less, str)
        if more == less:
            problems.append(
                Problem(
                    "a judgement compares a criterion with itself",
                    row=number,
                    value=more,
                    expected="two different criteria",
                )
            )
            continue
        i, j = position[more], position[less]
        key = (min(i, j), max(i, j))
        if key in given:
            problems.append(
                Problem(
                    f"the pair {ids[key[0]]!r} / {ids[key[1]]!r} is judged twice",
                    row=number,
                    expected=f"each pair once (first given as judgement {given[key]})",
                )
            )
            continue
        given[key] = number
        if intensity is not None and 1.0 <= intensity <= 9.0:
            matrix[i, j] = intensity
            matrix[j, i] = 1.0 / intensity
    missing = [(ids[i], ids[j]) for i in range(n) for j in range(i + 1, n) if (i, j) not in given]
    if missing:
        problems.append(
            Problem(
                f"{len(missing)} pair(s) of criteria not judged",
                value=", ".join(f"{a} / {b}" for a, b in missing),
                expected=f"all {n * (n - 1) // 2} pairs of {listing(ids)}, each once",
            )
        )
    if problems:
        raise ValidationError(problems)
    index = pd.Index(ids, name="criterion")
    return pd.DataFrame(matrix, index=index, columns=index.copy())
