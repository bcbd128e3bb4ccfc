"""The selection problem behind a portfolio: which requirements can be funded, what each
costs and takes, what it needs and excludes, which are forced in or out, and the value
each brings under a weight vector.

What value is maximised (``value=``):

* ``"value"`` (default): the matrix's value axis, the weighted mean of the utilities of the
  criteria the criteria set assigns to it. Cost and effort are not on that axis, so a
  budget and a capacity do not count them twice.
* ``"benefit"``: the priority score over the benefit criteria only (every criterion whose
  direction is ``benefit``), weights renormalised over them.

Either way a requirement's value under weights ``w`` is ``sum_j w_j m_j g_ij / sum_j w_j
m_j``, with ``m`` the criteria that count and ``g`` their utilities (or burdens ``1 - u``
for an axis that reads burden): linear in ``w`` up to a positive factor, which is what the
core index's exact shortcut rests on (:mod:`prioritize.portfolio.robust`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from prioritize.engine.matrix import axis_coefficients
from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation

__all__ = [
    "VALUES",
    "Instance",
    "ValueKind",
    "build_instance",
    "check_limit",
    "check_value",
    "estimates_of",
    "value_basis",
]

ValueKind = Literal["value", "benefit"]
#: What a portfolio may maximise (see the module notes).
VALUES: tuple[str, ...] = ("value", "benefit")
_ESTIMATE_COLUMNS = ("cost", "effort", "requires", "excludes", "alternatives")


@dataclass(frozen=True, slots=True)
class Instance:
    """One selection problem over the ranked requirements (in the evaluation's order).

    ``requires`` holds index pairs ``(i, j)``: funding ``i`` needs ``j``. ``excludes``
    holds pairs that cannot both be funded; ``groups`` the alternatives groups (at most one
    of each). ``forced_in`` /
    ``forced_out`` are masks, ``why_in`` / ``why_out`` say why, by requirement id.
    """

    ids: tuple[str, ...]
    cost: np.ndarray
    effort: np.ndarray
    requires: tuple[tuple[int, int], ...]
    excludes: tuple[tuple[int, int], ...]
    groups: Mapping[str, tuple[int, ...]]
    forced_in: np.ndarray
    forced_out: np.ndarray
    why_in: Mapping[str, str]
    why_out: Mapping[str, str]

    def closure(self, index: int) -> np.ndarray:
        """Every requirement funding ``index`` needs (itself included), as a mask."""
        needs: dict[int, list[int]] = {}
        for i, j in self.requires:
            needs.setdefault(i, []).append(j)
        seen = np.zeros(len(self.ids), dtype=bool)
        stack = [index]
        while stack:
            k = stack.pop()
            if seen[k]:
                continue
            seen[k] = True
            stack.extend(needs.get(k, ()))
        return seen


def check_value(value: object) -> None:
    """Refuse anything but a known portfolio value (:data:`VALUES`)."""
    if value not in VALUES:
        raise ValidationError(
            Problem(
                "unknown portfolio value",
                column="value",
                value=repr(value),
                expected=" or ".join(VALUES),
            )
        )


def check_limit(name: str, amount: object, *, optional: bool = False) -> float | None:
    """A budget or capacity as a float, refused unless a finite number >= 0 (None when
    ``optional`` and not given)."""
    if amount is None and optional:
        return None
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int | float | np.integer | np.floating)
        or not np.isfinite(float(amount))
        or float(amount) < 0
    ):
        raise ValidationError(
            Problem(
                f"the {name} must be a number of 0 or more",
                column=name,
                value=repr(amount),
                expected="a finite number >= 0" + (", or none" if optional else ""),
            )
        )
    return float(amount)


def value_basis(
    evaluation: Evaluation, value: str, utility: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(g, m)``: per requirement x criterion the utility (or burden) that counts, and the
    0/1 mask of the criteria that count, for ``value`` (see the module notes); of
    ``utility`` when given (e.g. a resampled council's), else of the evaluation's."""
    check_value(value)
    utility = evaluation.utility_array if utility is None else utility
    criteria = evaluation.criteria
    if value == "value":
        member, burden = axis_coefficients(criteria)["value"]
        g = 1.0 - utility if burden else utility
        return np.ascontiguousarray(g), member
    mask = np.array([c.direction == "benefit" for c in criteria], dtype=float)
    return utility, mask


def estimates_of(evaluation: Evaluation, estimates: pd.DataFrame | None) -> pd.DataFrame:
    """The estimates of the evaluation's requirements: ``estimates`` when given (indexed by
    id), else the requirements' own (``Requirements.estimates``)."""
    if estimates is None:
        own = getattr(evaluation.requirements, "estimates", None)
        estimates = own if isinstance(own, pd.DataFrame) else pd.DataFrame()
    frame = estimates.copy()
    for column in ("cost", "effort"):
        if column not in frame.columns:
            frame[column] = np.nan
    for column in ("requires", "excludes", "alternatives"):
        if column not in frame.columns:
            frame[column] = ""
    return frame[list(_ESTIMATE_COLUMNS)]


def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(";") if p.strip())
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return ()


def build_instance(
    evaluation: Evaluation,
    estimates: pd.DataFrame | None = None,
    *,
    capacity: float | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Instance:
    """The selection problem of an evaluation: its ranked requirements, their estimates,
    mandatory ones (gates) and ``include`` forced in, ``exclude`` forced out.

    Raises
    ------
    ValidationError
        A ranked requirement without a cost (or without an effort when a capacity is set),
        an unknown id in ``include``/``exclude``, or a requirement both forced in and out.
    """
    ids = tuple(str(i) for i in evaluation.table.index)
    position = {rid: k for k, rid in enumerate(ids)}
    frame = estimates_of(evaluation, estimates).reindex(list(ids))
    cost = frame["cost"].to_numpy(dtype=float)
    effort = frame["effort"].to_numpy(dtype=float)
    problems = [
        Problem(
            f"{rid} has no cost estimate: a portfolio under a budget needs every ranked "
            "requirement's cost",
            row=rid,
            column="cost",
            expected="a cost (0 or more), or exclude the requirement",
        )
        for rid, c in zip(ids, cost, strict=True)
        if not np.isfinite(c)
    ]
    if capacity is not None:
        problems += [
            Problem(
                f"{rid} has no effort estimate: a capacity needs every ranked requirement's effort",
                row=rid,
                column="effort",
                expected="an effort in person-days (0 or more), or no capacity",
            )
            for rid, e in zip(ids, effort, strict=True)
            if not np.isfinite(e)
        ]
    include, exclude = list(include), list(exclude)
    for name, chosen in (("include", include), ("exclude", exclude)):
        problems += [
            Problem(
                f"{rid} is not a ranked requirement of this evaluation",
                column=name,
                value=str(rid),
                expected="the id of a ranked requirement",
            )
            for rid in chosen
            if str(rid) not in position
        ]
    if problems:
        raise ValidationError(problems)
    n = len(ids)
    forced_in = evaluation.mandatory_array.copy()
    why_in = {ids[k]: "mandatory (a gate)" for k in np.flatnonzero(forced_in)}
    for rid in map(str, include):
        forced_in[position[rid]] = True
        why_in.setdefault(rid, "kept in (already approved or chosen)")
    forced_out = np.zeros(n, dtype=bool)
    why_out: dict[str, str] = {}
    for rid in map(str, exclude):
        forced_out[position[rid]] = True
        why_out[rid] = "left out (rejected, removed or excluded)"
    both = [ids[k] for k in np.flatnonzero(forced_in & forced_out)]
    if both:
        raise ValidationError(
            Problem(
                "a requirement cannot be both kept in and left out",
                column="exclude",
                value=", ".join(both),
                expected="each requirement in include (or mandatory) or in exclude, not both",
            )
        )
    requires = []
    excludes = set()
    groups: dict[str, list[int]] = {}
    for k, (needs, conflicts, group) in enumerate(
        zip(frame["requires"], frame["excludes"], frame["alternatives"], strict=True)
    ):
        for other in _ids(needs):
            if other in position:
                requires.append((k, position[other]))
            else:
                # needs a requirement that cannot be funded here (unranked): never fundable
                forced_out[k] = True
                why_out.setdefault(ids[k], f"needs {other}, which is not ranked")
        for other in _ids(conflicts):
            if other in position:
                excludes.add((min(k, position[other]), max(k, position[other])))
        name = "" if not isinstance(group, str) else group.strip()
        if name:
            groups.setdefault(name, []).append(k)
    return Instance(
        ids=ids,
        cost=np.nan_to_num(cost, nan=0.0),
        effort=np.nan_to_num(effort, nan=0.0),
        requires=tuple(requires),
        excludes=tuple(sorted(excludes)),
        groups={k: tuple(v) for k, v in groups.items()},
        forced_in=forced_in,
        forced_out=forced_out,
        why_in=why_in,
        why_out=why_out,
    )
