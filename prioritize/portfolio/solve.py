"""The exact selection: a 0/1 program solved by ``scipy.optimize.milp`` (HiGHS).

Maximise the total value of the funded requirements subject to total cost <= budget, total
effort <= capacity, ``requires`` (funding i needs j: x_i <= x_j), ``excludes`` (x_i + x_j
<= 1), at most one per alternatives group, forced ones in or out. Values that differ by
less than :data:`TIE_BREAK` are ties, and among tied sets the cheaper is chosen: each
requirement's value is lowered by ``TIE_BREAK x (its share of the total cost + 1 / the
number of requirements) / 2``, so a requirement that adds no value is never funded for
nothing, and the selection is the same
whichever way it was found.

Tolerances (what a reader should know): the gap is closed exactly (``mip_rel_gap`` 0;
HiGHS stops within an absolute 1e-6 of value); cost and effort rows are scaled to the
budget and capacity, so sums are compared to about 1e-7 of them (a tenth of a cent on a
million).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from prioritize.portfolio.instance import Instance

__all__ = ["Feasibility", "Rows", "feasibility", "rows_of", "solve"]

_OPTIONS = {"mip_rel_gap": 0.0, "presolve": True}
#: Sets whose values differ by less than this are ties, broken by cost (the cheaper).
TIE_BREAK = 1e-9


@dataclass(frozen=True, slots=True)
class Rows:
    """The constraint rows of an instance (without the budget), built once and reused for
    every budget and every weight sample."""

    structure: csr_array | None  # requires, excludes, groups
    upper: np.ndarray
    lower_bounds: np.ndarray
    upper_bounds: np.ndarray


def rows_of(instance: Instance) -> Rows:
    """The requires, excludes and group rows, and the forced bounds."""
    n = len(instance.ids)
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    upper: list[float] = []
    for i, j in instance.requires:
        data += [1.0, -1.0]
        cols += [i, j]
        indptr.append(len(data))
        upper.append(0.0)
    for i, j in instance.excludes:
        data += [1.0, 1.0]
        cols += [i, j]
        indptr.append(len(data))
        upper.append(1.0)
    for members in instance.groups.values():
        if len(members) > 1:
            data += [1.0] * len(members)
            cols += list(members)
            indptr.append(len(data))
            upper.append(1.0)
    structure = (
        csr_array((np.array(data), np.array(cols), np.array(indptr)), shape=(len(upper), n))
        if upper
        else None
    )
    return Rows(
        structure=structure,
        upper=np.array(upper),
        lower_bounds=instance.forced_in.astype(float),
        upper_bounds=1.0 - instance.forced_out.astype(float),
    )


@dataclass(frozen=True, slots=True)
class Feasibility:
    """Whether anything can be funded at all, and if not, why in words (with amounts)."""

    ok: bool
    reason: str = ""
    needed_cost: float = 0.0
    needed_effort: float = 0.0


def feasibility(instance: Instance, budget: float, capacity: float | None) -> Feasibility:
    """What the forced requirements (and all they require) cost and take, against the
    budget and capacity, and whether they conflict: the problem is feasible exactly when
    this forced core fits (funding nothing more always respects the other rows)."""
    forced = np.zeros(len(instance.ids), dtype=bool)
    for k in np.flatnonzero(instance.forced_in):
        forced |= instance.closure(int(k))
    ids = instance.ids
    out = [ids[k] for k in np.flatnonzero(forced & instance.forced_out)]
    if out:
        return Feasibility(
            False,
            f"{', '.join(out)} must be funded (mandatory, kept in, or needed by one that is) "
            "but also left out",
        )
    for i, j in instance.excludes:
        if forced[i] and forced[j]:
            return Feasibility(
                False, f"{ids[i]} and {ids[j]} must both be funded but exclude each other"
            )
    for name, members in instance.groups.items():
        both = [ids[k] for k in members if forced[k]]
        if len(both) > 1:
            return Feasibility(
                False,
                f"{' and '.join(both)} must all be funded but are alternatives "
                f"(group {name}: at most one)",
            )
    cost = float(instance.cost[forced].sum())
    effort = float(instance.effort[forced].sum())
    count = int(forced.sum())
    if cost > budget * (1 + 1e-12):
        return Feasibility(
            False,
            f"the {count} requirements that must be funded (mandatory, kept in, and what they "
            f"need) cost {cost:,.2f}, {cost - budget:,.2f} over the budget of {budget:,.2f}",
            cost,
            effort,
        )
    if capacity is not None and effort > capacity * (1 + 1e-12):
        return Feasibility(
            False,
            f"the {count} requirements that must be funded take {effort:,.1f} person-days, "
            f"{effort - capacity:,.1f} over the capacity of {capacity:,.1f}",
            cost,
            effort,
        )
    return Feasibility(True, "", cost, effort)


def _constraints(
    instance: Instance, rows: Rows, budget: float, capacity: float | None
) -> list[LinearConstraint]:
    scale_b = budget if budget > 0 else 1.0
    resource = [instance.cost / scale_b]
    limits = [budget / scale_b]
    if capacity is not None:
        scale_c = capacity if capacity > 0 else 1.0
        resource.append(instance.effort / scale_c)
        limits.append(capacity / scale_c)
    out = [LinearConstraint(np.vstack(resource), -np.inf, np.array(limits))]
    if rows.structure is not None:
        out.append(LinearConstraint(rows.structure, -np.inf, rows.upper))
    return out


def solve(
    instance: Instance,
    rows: Rows,
    values: np.ndarray,
    budget: float,
    capacity: float | None = None,
) -> np.ndarray | None:
    """The selected mask, or None when nothing fits (see :func:`feasibility` for why)."""
    n = len(instance.ids)
    if n == 0:
        return np.zeros(0, dtype=bool)
    bounds = Bounds(rows.lower_bounds, rows.upper_bounds)
    integrality = np.ones(n)
    constraints = _constraints(instance, rows, budget, capacity)
    total_cost = float(instance.cost.sum())
    objective = np.asarray(values, dtype=float) - TIE_BREAK * instance.cost / max(
        total_cost, 1e-300
    )
    result = milp(
        -objective,
        integrality=integrality,
        bounds=bounds,
        constraints=constraints,
        options=_OPTIONS,
    )
    if result.status != 0 or result.x is None:
        return None
    chosen = result.x
    return np.asarray(np.round(chosen), dtype=bool)
