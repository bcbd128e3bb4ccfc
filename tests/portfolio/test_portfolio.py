"""The exact portfolio against brute force over every subset (hypothesis: random instances
of up to 12 requirements with budgets, capacities, dependencies, exclusions, alternatives
groups, forced ones, ties in value and infeasible cases), the frontier against the
portfolio at each breakpoint, and the core index against a plain loop of one MILP per
sample over the very same samples."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.portfolio import (
    efficient_frontier,
    next_step,
    portfolio,
    portfolio_acceptability,
    values_at,
)
from tests.sensitivity.support import criteria_mapping, evaluation_from_utilities, load

VALUE_TOL = 1e-6  # HiGHS closes the gap to an absolute 1e-6


def _evaluation(utility: np.ndarray, weights: list[float] | None = None) -> pz.Evaluation:
    c = utility.shape[1]
    criteria = load(
        criteria_mapping(
            weights or [1.0] * c,
            axes={"value": (list(range(c)), "utility"), "effort": ([], "utility")},
        )
    )
    return evaluation_from_utilities(criteria, utility)


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 12))
    c = 2
    levels = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])  # coarse: ties in value happen
    utility = np.array(
        draw(st.lists(st.lists(levels, min_size=c, max_size=c), min_size=n, max_size=n))
    )
    cost = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    effort = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    requires = draw(st.lists(pairs, max_size=4, unique=True)) if n > 1 else []
    excludes = draw(st.lists(pairs, max_size=2, unique=True)) if n > 1 else []
    group = draw(st.lists(st.sampled_from(["", "", "g"]), min_size=n, max_size=n))
    budget = draw(st.integers(0, 120))
    capacity = draw(st.one_of(st.none(), st.integers(0, 60)))
    forced_out = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
    forced_in = draw(
        st.lists(st.integers(0, n - 1).filter(lambda i: i not in forced_out), max_size=1)
    )
    return {
        "utility": utility,
        "cost": cost,
        "effort": effort,
        "requires": requires,
        "excludes": excludes,
        "group": group,
        "budget": budget,
        "capacity": capacity,
        "forced_in": forced_in,
        "forced_out": forced_out,
    }


def _estimates(ev: pz.Evaluation, case: dict[str, Any]) -> pd.DataFrame:
    ids = [f"R{i:03d}" for i in range(len(case["cost"]))]
    needs: dict[int, list[str]] = {}
    for i, j in case["requires"]:
        needs.setdefault(i, []).append(ids[j])
    conflicts: dict[int, list[str]] = {}
    for i, j in case["excludes"]:
        conflicts.setdefault(i, []).append(ids[j])
    return pd.DataFrame(
        {
            "cost": [float(c) for c in case["cost"]],
            "effort": [float(e) for e in case["effort"]],
            "requires": [tuple(needs.get(i, [])) for i in range(len(ids))],
            "excludes": [tuple(conflicts.get(i, [])) for i in range(len(ids))],
            "alternatives": case["group"],
        },
        index=ids,
    )


def brute_force(values: dict[str, float], case: dict[str, Any]) -> float | None:
    """The best total value over every subset that respects every rule (None: none does)."""
    n = len(case["cost"])
    ids = [f"R{i:03d}" for i in range(n)]
    best = None
    for bits in itertools.product((0, 1), repeat=n):
        x = np.array(bits, dtype=bool)
        if np.dot(case["cost"], x) > case["budget"]:
            continue
        if case["capacity"] is not None and np.dot(case["effort"], x) > case["capacity"]:
            continue
        if any(x[i] and not x[j] for i, j in case["requires"]):
            continue
        if any(x[i] and x[j] for i, j in case["excludes"]):
            continue
        grouped = [i for i in range(n) if case["group"][i] == "g"]
        if sum(x[i] for i in grouped) > 1:
            continue
        if any(x[i] for i in case["forced_out"]) or not all(x[i] for i in case["forced_in"]):
            continue
        total = sum(values[ids[i]] for i in range(n) if x[i])
        best = total if best is None or total > best else best
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=instances())
def test_the_portfolio_is_the_best_subset(case: dict[str, Any]) -> None:
    ev = _evaluation(case["utility"])
    estimates = _estimates(ev, case)
    ids = list(estimates.index)
    result = portfolio(
        ev,
        case["budget"],
        capacity=case["capacity"],
        include=[ids[i] for i in case["forced_in"]],
        exclude=[ids[i] for i in case["forced_out"]],
        estimates=estimates,
    )
    values = dict(zip(ev.table.index, values_at(ev, "value"), strict=True))
    best = brute_force(values, case)
    if best is None:
        assert not result.feasible and result.infeasible and result.selected == ()
        return
    assert result.feasible, result.infeasible
    assert result.total_value == pytest.approx(best, abs=VALUE_TOL)
    chosen = set(result.selected)
    x = np.array([rid in chosen for rid in ids])
    # the chosen set itself respects every rule
    assert np.dot(case["cost"], x) <= case["budget"]
    if case["capacity"] is not None:
        assert np.dot(case["effort"], x) <= case["capacity"]
    assert all(not x[i] or x[j] for i, j in case["requires"])
    assert all(not (x[i] and x[j]) for i, j in case["excludes"])
    # every requirement has a reason in words
    assert result.table["reason"].map(len).min() > 0


def test_infeasible_says_by_how_much() -> None:
    ev = _evaluation(np.array([[1.0, 1.0], [0.5, 0.5], [0.2, 0.1]]))
    estimates = pd.DataFrame(
        {"cost": [60.0, 50.0, 10.0], "requires": [("R001",), (), ()]},
        index=["R000", "R001", "R002"],
    )
    result = portfolio(ev, 100, include=["R000"], estimates=estimates)
    assert not result.feasible
    assert "110.00" in result.infeasible and "10.00 over the budget of 100.00" in result.infeasible


def test_reasons_name_the_binding_rule() -> None:
    ev = _evaluation(np.array([[1.0, 1.0], [0.9, 0.9], [0.8, 0.0], [0.1, 0.0], [0.0, 0.0]]))
    estimates = pd.DataFrame(
        {
            "cost": [10.0, 10.0, 30.0, 5.0, 0.0],
            "requires": [("R001",), (), (), (), ()],
            "excludes": [(), (), (), ("R000",), ()],
        },
        index=[f"R{i:03d}" for i in range(5)],
    )
    result = portfolio(ev, 25, estimates=estimates)
    reasons = result.table["reason"]
    assert set(result.selected) == {"R000", "R001"}
    assert reasons["R001"] == "needed by R000"
    assert reasons["R002"].startswith("over budget: costs 30.00, 5.00 left")
    assert reasons["R003"] == "excluded by R000, which is funded"
    assert reasons["R004"] == "adds no value"  # free but worthless: not funded for nothing


def test_unestimated_requirements_are_named() -> None:
    ev = _evaluation(np.array([[1.0, 1.0], [0.5, 0.5]]))
    with pytest.raises(pz.ValidationError, match="R001 has no cost estimate"):
        portfolio(ev, 10, estimates=pd.DataFrame({"cost": [1.0, np.nan]}, index=["R000", "R001"]))
    with pytest.raises(pz.ValidationError, match="budget"):
        portfolio(ev, -1, estimates=pd.DataFrame({"cost": [1.0, 1.0]}, index=["R000", "R001"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=instances())
def test_the_frontier_rises_and_each_breakpoint_is_the_portfolio(case: dict[str, Any]) -> None:
    case = {**case, "forced_in": [], "forced_out": []}
    ev = _evaluation(case["utility"])
    estimates = _estimates(ev, case)
    frontier = efficient_frontier(ev, capacity=case["capacity"], estimates=estimates)
    assert frontier["budget"].is_monotonic_increasing
    assert frontier["value"].is_monotonic_increasing
    for row in frontier.itertuples():
        at = portfolio(ev, row.budget, capacity=case["capacity"], estimates=estimates)
        assert at.total_value == pytest.approx(row.value, abs=VALUE_TOL)
        # just below a breakpoint the best value is the previous breakpoint's
        if row.Index > 0 and row.budget > 0:
            below = portfolio(ev, row.budget - 0.5, capacity=case["capacity"], estimates=estimates)
            assert below.total_value == pytest.approx(
                frontier["value"].iloc[row.Index - 1], abs=VALUE_TOL
            )


def test_what_the_next_ten_percent_buys() -> None:
    ev = _evaluation(np.array([[1.0, 1.0], [0.9, 0.9], [0.5, 0.5]]))
    estimates = pd.DataFrame({"cost": [100.0, 10.0, 60.0]}, index=["R000", "R001", "R002"])
    frontier = efficient_frontier(ev, estimates=estimates)
    # at 100 the two cheaper ones (value 1.4 for 70) beat the first alone (1.0 for 100);
    # 10 more buys the first with the second in place of the third (1.9 for 110)
    step = next_step(frontier, 100.0)
    assert step.added == ("R000",) and step.dropped == ("R002",)
    assert step.extra_cost == pytest.approx(40.0)
    assert step.extra_value == pytest.approx(0.5)
    assert "in place of R002" in str(step)


def _core_case(seed: int, n: int = 40) -> tuple[pz.Evaluation, pd.DataFrame, float]:
    rng = np.random.default_rng(seed)
    utility = rng.random((n, 4))
    ev = _evaluation(utility, [0.4, 0.3, 0.2, 0.1])
    ids = [f"R{i:03d}" for i in range(n)]
    cost = rng.integers(5, 50, n).astype(float)
    requires = [(ids[i + 1],) if i % 9 == 0 else () for i in range(n)]
    groups = ["g1" if i in (3, 4) else ("g2" if i in (10, 11, 12) else "") for i in range(n)]
    estimates = pd.DataFrame(
        {"cost": cost, "requires": requires, "alternatives": groups}, index=ids
    )
    return ev, estimates, float(cost.sum() * 0.4)


@pytest.mark.parametrize("weights", ["council", "uniform"])
def test_the_core_index_equals_a_plain_loop(weights: str) -> None:
    ev, estimates, budget = _core_case(5)
    common = {"samples": 300, "seed": 3, "weights": weights, "estimates": estimates}
    fast = portfolio_acceptability(ev, budget, **common)
    slow = portfolio_acceptability(ev, budget, method="loop", **common)
    np.testing.assert_array_equal(fast.table["core_index"], slow.table["core_index"])
    assert fast.solved < slow.solved == 300
    classes = set(fast.table["class"])
    assert classes <= {"core", "borderline", "exterior"}
    assert fast.portfolios["samples"].sum() == 300


def test_the_core_index_is_seeded_and_reproducible() -> None:
    ev, estimates, budget = _core_case(2, n=20)
    a = portfolio_acceptability(ev, budget, samples=100, seed=9, estimates=estimates)
    b = portfolio_acceptability(ev, budget, samples=100, seed=9, estimates=estimates)
    pd.testing.assert_frame_equal(a.table, b.table)
    # mandatory or kept-in requirements are core by construction
    kept = a.table.index[0]
    c = portfolio_acceptability(ev, budget, samples=50, seed=9, estimates=estimates, include=[kept])
    assert c.table.at[kept, "class"] == "core"
