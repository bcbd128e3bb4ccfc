"""The efficient frontier: the best achievable value at every budget, from what must be
funded to the total cost, at its exact breakpoints.

The best value is a step function of the budget. Starting from the total cost, each step
solves the exact selection (:mod:`prioritize.portfolio.solve`: the best value, then the
cheapest set of that value), records ``(its cost, its value, the set)`` as a breakpoint
and solves again with a budget just below that cost, until only what must be funded is
left. No budget grid is sampled: between two breakpoints the best value does not change.
"Just below" is one millionth of the cost below (costs closer than that are not told apart).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.model.evaluation import Evaluation
from prioritize.portfolio.instance import ValueKind, build_instance
from prioritize.portfolio.select import values_at
from prioritize.portfolio.solve import feasibility, rows_of, solve

__all__ = ["NextStep", "efficient_frontier", "next_step"]

#: The next budget is this much (relative) below the last breakpoint's cost.
STEP_BELOW = 1e-6


def efficient_frontier(
    evaluation: Evaluation,
    *,
    capacity: float | None = None,
    value: ValueKind = "value",
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    estimates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The exact efficient frontier of an evaluation's portfolio.

    Returns
    -------
    pandas.DataFrame
        One row per breakpoint, cheapest first: ``budget`` (the least budget that buys
        it: the set's cost), ``value`` (the best value from that budget up to the next
        breakpoint), ``effort`` and ``selected`` (a tuple of ids, rank order). Empty, with
        ``attrs["infeasible"]`` saying why, when what must be funded does not fit the
        capacity or conflicts.

    Examples
    --------
    >>> import prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> cost = pd.Series(100.0, index=ev.table.index)
    >>> f = efficient_frontier(ev, estimates=pd.DataFrame({"cost": cost}))
    >>> bool(f["value"].is_monotonic_increasing and f["budget"].is_monotonic_increasing)
    True
    """
    values = values_at(evaluation, value)
    instance = build_instance(
        evaluation, estimates, capacity=capacity, include=include, exclude=exclude
    )
    rows = rows_of(instance)
    total = float(instance.cost.sum())
    check = feasibility(instance, total, capacity)
    columns = ["budget", "value", "effort", "selected"]
    if not check.ok:
        empty = pd.DataFrame(columns=columns)
        empty.attrs["infeasible"] = check.reason
        return empty
    points: list[tuple[float, float, float, tuple[str, ...]]] = []
    budget = total
    ids = np.asarray(instance.ids, dtype=object)
    while True:
        chosen = solve(instance, rows, values, budget, capacity)
        if chosen is None:
            break
        cost = float(instance.cost[chosen].sum())
        points.append(
            (
                cost,
                float(values[chosen].sum()),
                float(instance.effort[chosen].sum()),
                tuple(ids[chosen].tolist()),
            )
        )
        if cost <= check.needed_cost * (1 + 1e-12) or cost <= 0:
            break  # nothing cheaper can hold what must be funded
        budget = cost * (1 - STEP_BELOW)
    frame = pd.DataFrame(points[::-1], columns=columns)
    frame.attrs["infeasible"] = ""
    return frame


@dataclass(frozen=True, slots=True)
class NextStep:
    """What more budget would buy: the best set at ``budget`` and at ``budget + more``."""

    budget: float
    more: float
    extra_value: float
    extra_cost: float
    added: tuple[str, ...]
    dropped: tuple[str, ...]

    def __str__(self) -> str:
        if not self.added and not self.dropped:
            return f"{self.more:,.2f} more would buy nothing more"
        parts = [f"{self.more:,.2f} more would add {', '.join(self.added)}"]
        if self.dropped:
            parts.append(f"in place of {', '.join(self.dropped)}")
        parts.append(f"for {self.extra_cost:,.2f}, value +{self.extra_value:.3f}")
        return " ".join(parts)


def _at(frontier: pd.DataFrame, budget: float) -> pd.Series | None:
    affordable = frontier[frontier["budget"] <= budget * (1 + 1e-12)]
    return None if affordable.empty else affordable.iloc[-1]


def next_step(frontier: pd.DataFrame, budget: float, share: float = 0.10) -> NextStep:
    """What the next ``share`` of the budget would buy, read off the frontier."""
    more = budget * share
    now, then = _at(frontier, budget), _at(frontier, budget + more)
    before = set() if now is None else set(now["selected"])
    after_row = then if then is not None else now
    after = set() if after_row is None else set(after_row["selected"])
    order = [] if after_row is None else list(after_row["selected"])
    order += [] if now is None else [r for r in now["selected"] if r not in after]
    return NextStep(
        budget=budget,
        more=more,
        extra_value=(0.0 if after_row is None else float(after_row["value"]))
        - (0.0 if now is None else float(now["value"])),
        extra_cost=(0.0 if after_row is None else float(after_row["budget"]))
        - (0.0 if now is None else float(now["budget"])),
        added=tuple(r for r in order if r in after - before),
        dropped=tuple(r for r in order if r in before - after),
    )
