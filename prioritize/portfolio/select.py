"""The approved portfolio under a budget: the set of requirements that maximises the
council's value within the budget (and capacity), mandatory ones in, relations respected,
with the reason each requirement is in or out.

Reasons (the binding one, first that applies): forced in (mandatory, kept in) or out
(rejected, removed, excluded, needs an unranked requirement); in because another funded
requirement needs it; out because it excludes, or is an alternative to, a funded one;
out because it (with what it needs) does not fit what is left of the budget or capacity,
with its value per cost against the cut-off (the lowest value per cost among the freely
chosen ones); out because it adds no value; in as chosen, with its value per cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.council.decisions import latest_decisions
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio.instance import (
    Instance,
    ValueKind,
    build_instance,
    check_limit,
    value_basis,
)
from prioritize.portfolio.solve import feasibility, rows_of, solve

__all__ = ["Portfolio", "decided", "portfolio", "values_at"]


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The result of :func:`portfolio`.

    Attributes
    ----------
    selected
        The funded requirement ids, in the evaluation's rank order.
    table
        Per ranked requirement (rank order): ``selected``, ``cost``, ``effort``, ``value``
        (what it adds to the objective), ``value_per_cost``, ``reason``.
    budget, capacity
        What it was selected under (capacity None: no limit on effort).
    value_kind
        What was maximised (``"value"`` or ``"benefit"``).
    total_cost, total_effort, total_value
        Of the selected set.
    feasible
        False when nothing fits (``infeasible`` says why, in words, with the amount).
    """

    selected: tuple[str, ...]
    table: pd.DataFrame
    budget: float
    capacity: float | None
    value_kind: str
    total_cost: float
    total_effort: float
    total_value: float
    feasible: bool = True
    infeasible: str = ""

    def __str__(self) -> str:
        if not self.feasible:
            return f"no portfolio fits: {self.infeasible}"
        cap = (
            ""
            if self.capacity is None
            else f", effort {self.total_effort:,.1f} of {self.capacity:,.1f}"
        )
        return (
            f"{len(self.selected)} requirements funded: cost {self.total_cost:,.2f} of "
            f"{self.budget:,.2f}{cap}, {self.value_kind} {self.total_value:.3f}"
        )


def values_at(evaluation: Evaluation, value: str, weights: np.ndarray | None = None) -> np.ndarray:
    """Each ranked requirement's value under ``weights`` (the evaluation's by default), or
    a stack ``(samples, requirements)`` for a stack of weights."""
    g, m = value_basis(evaluation, value)
    w = evaluation.weights.to_numpy(dtype=float) if weights is None else np.asarray(weights)
    a = w * m
    total = a.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (a @ g.T) / total
    return np.where(total > 0, out, 0.0)


def decided(
    log: pd.DataFrame | None,
    *,
    keep_approved: bool = True,
    ranked: Iterable[object] | None = None,
) -> tuple[list[str], list[str]]:
    """``(include, exclude)`` from a decision log: the latest decision per requirement;
    rejected or removed ones out, approved ones in (when ``keep_approved``). With
    ``ranked`` (e.g. ``evaluation.table.index``), only those requirements: a decision on
    one the evaluation does not rank (withdrawn, unscored) constrains nothing."""
    if log is None or len(log) == 0:
        return [], []
    latest = latest_decisions(log)
    outcome = latest["outcome"].astype(str)
    include = [str(r) for r in latest.index[outcome == "approve"]] if keep_approved else []
    exclude = [str(r) for r in latest.index[outcome.isin(["reject", "remove"])]]
    if ranked is not None:
        keep = set(map(str, ranked))
        include = [r for r in include if r in keep]
        exclude = [r for r in exclude if r in keep]
    return include, exclude


def portfolio(
    evaluation: Evaluation,
    budget: float,
    *,
    capacity: float | None = None,
    value: ValueKind = "value",
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    estimates: pd.DataFrame | None = None,
) -> Portfolio:
    """The best portfolio of ranked requirements under a budget (exact).

    Parameters
    ----------
    evaluation
        The council's evaluation; its requirements carry the estimates (``cost``,
        ``effort``, ``requires``, ``excludes``, ``alternatives``) unless ``estimates``
        gives them (a DataFrame indexed by requirement id).
    budget, capacity
        Money and person-days available (capacity None: no limit on effort).
    value
        ``"value"`` (the value axis, default) or ``"benefit"`` (the priority score over
        benefit criteria): see :mod:`prioritize.portfolio.instance`.
    include, exclude
        Requirements kept in (e.g. already approved) and left out (rejected, removed).
        Mandatory requirements (gates) are always in. :func:`decided` reads both from a
        decision log.

    Returns
    -------
    Portfolio
        With ``feasible`` False (and why, with the amount) when the requirements that must
        be funded do not fit.

    Raises
    ------
    ValidationError
        A negative or non-finite budget or capacity, an unknown value, a ranked requirement
        without a cost (or effort, with a capacity), an unknown id, or a requirement both
        kept in and left out.

    Examples
    --------
    >>> import prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> cost = pd.Series(100.0, index=ev.table.index)
    >>> p = portfolio(ev, 500, estimates=pd.DataFrame({"cost": cost}))
    >>> p.total_cost <= 500
    True
    """
    limit = check_limit("budget", budget, optional=False)
    assert limit is not None
    cap = check_limit("capacity", capacity, optional=True)
    values = values_at(evaluation, value)
    instance = build_instance(evaluation, estimates, capacity=cap, include=include, exclude=exclude)
    check = feasibility(instance, limit, cap)
    if not check.ok:
        return _result(instance, values, None, limit, cap, value, check.reason)
    chosen = solve(instance, rows_of(instance), values, limit, cap)
    if chosen is None:  # the forced core fits, so this is the solver's, not the council's
        return _result(instance, values, None, limit, cap, value, "the solver found no solution")
    return _result(instance, values, chosen, limit, cap, value, "")


def _result(
    instance: Instance,
    values: np.ndarray,
    chosen: np.ndarray | None,
    budget: float,
    capacity: float | None,
    value_kind: str,
    infeasible: str,
) -> Portfolio:
    selected = np.zeros(len(instance.ids), dtype=bool) if chosen is None else chosen
    with np.errstate(invalid="ignore", divide="ignore"):
        per_cost = np.where(instance.cost > 0, values / instance.cost, np.inf)
    reasons = (
        [infeasible] * len(instance.ids)
        if chosen is None
        else explain_selection(instance, values, selected, budget, capacity)
    )
    table = pd.DataFrame(
        {
            "selected": selected,
            "cost": instance.cost,
            "effort": instance.effort,
            "value": values,
            "value_per_cost": per_cost,
            "reason": reasons,
        },
        index=pd.Index(instance.ids, name="id"),
    )
    return Portfolio(
        selected=tuple(np.asarray(instance.ids, dtype=object)[selected].tolist()),
        table=table,
        budget=budget,
        capacity=capacity,
        value_kind=value_kind,
        total_cost=float(instance.cost[selected].sum()),
        total_effort=float(instance.effort[selected].sum()),
        total_value=float(values[selected].sum()),
        feasible=chosen is not None,
        infeasible=infeasible,
    )


def explain_selection(
    instance: Instance,
    values: np.ndarray,
    selected: np.ndarray,
    budget: float,
    capacity: float | None,
) -> list[str]:
    """The binding reason each requirement is in or out (see the module notes)."""
    ids = instance.ids
    n = len(ids)
    needed_by: dict[int, list[str]] = {}
    for i, j in instance.requires:
        if selected[i] and i != j:
            needed_by.setdefault(j, []).append(ids[i])
    free = [
        k
        for k in np.flatnonzero(selected)
        if ids[k] not in instance.why_in and k not in needed_by and instance.cost[k] > 0
    ]
    cutoff = min((values[k] / instance.cost[k] for k in free), default=None)
    cost_left = budget - float(instance.cost[selected].sum())
    effort_left = None if capacity is None else capacity - float(instance.effort[selected].sum())
    conflicts: dict[int, list[tuple[int, str]]] = {}
    for i, j in instance.excludes:
        conflicts.setdefault(i, []).append((j, "excluded by"))
        conflicts.setdefault(j, []).append((i, "excluded by"))
    for name, members in instance.groups.items():
        for a in members:
            for b in members:
                if a != b:
                    conflicts.setdefault(a, []).append((b, f"alternative (group {name}) to"))
    out: list[str] = []
    for k in range(n):
        rid = ids[k]
        per_cost = values[k] / instance.cost[k] if instance.cost[k] > 0 else np.inf
        if selected[k]:
            if rid in instance.why_in:
                out.append(instance.why_in[rid])
            elif k in needed_by:
                out.append(f"needed by {', '.join(sorted(needed_by[k]))}")
            elif np.isinf(per_cost):
                out.append(f"chosen: value {values[k]:.3f} at no cost")
            else:
                out.append(f"chosen: value per cost {_per(per_cost)}")
            continue
        if rid in instance.why_out:
            out.append(instance.why_out[rid])
            continue
        bundle = instance.closure(k) & ~selected
        clash = next(
            (
                f"{how} {ids[other]}, which is funded"
                for member in np.flatnonzero(bundle)
                for other, how in conflicts.get(int(member), ())
                if selected[other]
            ),
            None,
        )
        blocked = [ids[m] for m in np.flatnonzero(bundle) if instance.forced_out[m] and m != k]
        extra_cost = float(instance.cost[bundle].sum())
        extra_effort = float(instance.effort[bundle].sum())
        needs = [ids[m] for m in np.flatnonzero(bundle) if m != k]
        with_needs = f" with {', '.join(needs)} it needs" if needs else ""
        if blocked:
            out.append(f"needs {', '.join(blocked)}, which is left out")
        elif clash is not None:
            out.append(clash)
        elif extra_cost > cost_left * (1 + 1e-12) + 1e-9:
            cut = "" if cutoff is None else f" (cut-off {_per(cutoff)})"
            out.append(
                f"over budget: costs {extra_cost:,.2f}{with_needs}, {cost_left:,.2f} left; "
                f"value per cost {_per(per_cost)}{cut}"
            )
        elif effort_left is not None and extra_effort > effort_left * (1 + 1e-12) + 1e-9:
            out.append(
                f"over capacity: takes {extra_effort:,.1f} person-days{with_needs}, "
                f"{effort_left:,.1f} left"
            )
        elif float(values[bundle].sum()) <= 0:
            out.append("adds no value")
        else:
            out.append("left out to fund a better combination within the budget")
    return out


def _per(ratio: float) -> str:
    """A value per cost in words: value per 100,000 of money (a requirement's value is
    between 0 and 1, its cost often tens of thousands)."""
    return "free" if np.isinf(ratio) else f"{ratio * 100_000:.3g} per 100,000"
