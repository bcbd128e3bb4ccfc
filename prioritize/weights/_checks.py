"""The checks the weight methods share: what counts as a number in an answer, and a valid
list of criteria. Answers arrive as JSON, so a bool (``true``) or a text (``"5"``) must be
refused as a number rather than read as 1 or 5."""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from prioritize.errors import Problem, ValidationError, bounded_repr

__all__ = ["check_criteria", "listing", "real_number"]


def real_number(value: object) -> float | None:
    """``value`` as a finite float if it is a real number (not a bool, not a text), else
    ``None``.

    Examples
    --------
    >>> real_number(3), real_number(2.5), real_number(True), real_number("5"), real_number(1e999)
    (3.0, 2.5, None, None, None)
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def listing(labels: Iterable[Hashable]) -> str:
    """Labels as a short, readable list for a message: ``'a', 'b'``."""
    return bounded_repr(list(labels))[1:-1]


def check_criteria(criteria: Sequence[str], *, at_least: int = 1) -> tuple[str, ...]:
    """The criteria ids as a tuple, refused unless they are distinct non-empty texts, at least
    ``at_least`` of them.

    Examples
    --------
    >>> check_criteria(["cost", "risk"])
    ('cost', 'risk')
    """
    if isinstance(criteria, str) or not isinstance(criteria, Sequence):
        raise ValidationError(
            Problem(
                "criteria must be a list of criterion ids",
                value=bounded_repr(criteria),
                expected="a list of distinct texts",
            )
        )
    ids = tuple(criteria)
    problems = [
        Problem(
            "a criterion id must be a non-empty text",
            value=bounded_repr(c),
            expected="a text such as 'cost'",
        )
        for c in ids
        if not isinstance(c, str) or not c
    ]
    seen: set[str] = set()
    for c in ids:
        if isinstance(c, str) and c in seen:
            problems.append(
                Problem("a criterion is listed twice", column=c, expected="distinct ids")
            )
        elif isinstance(c, str):
            seen.add(c)
    if len(ids) < at_least:
        problems.append(
            Problem(
                "too few criteria",
                value=str(len(ids)),
                expected=f"at least {at_least} criteria",
            )
        )
    if problems:
        raise ValidationError(problems)
    return ids
