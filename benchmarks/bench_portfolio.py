"""Benchmark: the portfolio under a budget.

Run from the repository root::

    python benchmarks/bench_portfolio.py              # everything
    python benchmarks/bench_portfolio.py --samples 500 --skip-loop

The instance: 500 requirements scored by a council on the bundled ten criteria, costs and
efforts drawn at random (seeded), a budget binding at about 40 % of the total cost, a
capacity binding too, 30 ``requires`` and 10 alternatives groups.

Goals, on a 2-core machine:

1. The core index over 2,000 weight samples (Dirichlet around the council's weights, as
   the Sensitivity page samples them): under 20 s, and at least 5x faster than the plain
   loop of one MILP per sample, with identical core indices (same seed, same samples).
2. The exact efficient frontier of the same instance: under 10 s.

Times are wall-clock seconds of one run each (the loop is long); the two core-index
methods run back to back in the same process.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sensitivity import build

from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import efficient_frontier, portfolio, portfolio_acceptability


def instance(n: int = 500, seed: int = 0) -> tuple[Evaluation, pd.DataFrame, float, float]:
    """The evaluation, its estimates, the budget and the capacity."""
    evaluation = build(n, seed=seed)
    rng = np.random.default_rng(seed)
    ids = [str(i) for i in evaluation.table.index]
    cost = np.round(rng.lognormal(10, 0.8, n), 2)
    effort = np.round(rng.uniform(5, 120, n), 1)
    requires: list[tuple[str, ...]] = [() for _ in ids]
    for k in rng.choice(n, 30, replace=False):
        other = int(rng.integers(n))
        if other != k:
            requires[k] = (ids[other],)
    groups = [""] * n
    mandatory = evaluation.mandatory_array
    # alternatives among requirements that are neither mandatory nor tied by requires
    free = [k for k in range(n) if not requires[k] and not mandatory[k]]
    picks = rng.choice(free, 30, replace=False)
    for g in range(10):
        for k in picks[3 * g : 3 * g + 3]:
            groups[int(k)] = f"alt{g}"
    estimates = pd.DataFrame(
        {"cost": cost, "effort": effort, "requires": requires, "alternatives": groups},
        index=ids,
    )
    return evaluation, estimates, float(cost.sum() * 0.4), float(effort.sum() * 0.45)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=2_000)
    parser.add_argument("--skip-loop", action="store_true", help="do not time the plain loop")
    parser.add_argument(
        "--requirements", type=int, default=500, help="the instance's size (default 500)"
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="the bundled example instead (28 requirements with their own estimates)",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}"
    )
    if args.example:
        import prioritize as pz

        evaluation = pz.evaluate_example()
        estimates = evaluation.requirements.estimates
        budget = float(estimates["cost"].sum() * 0.4)
        capacity = float(estimates["effort"].sum() * 0.45)
    else:
        evaluation, estimates, budget, capacity = instance(args.requirements)
    start = time.perf_counter()
    one = portfolio(evaluation, budget, capacity=capacity, estimates=estimates)
    single = time.perf_counter() - start
    print(
        f"\ninstance: {len(evaluation.table)} requirements, budget {budget:,.0f} "
        "(40 % of the total cost), "
        f"capacity {capacity:,.0f} person-days; one exact portfolio: {single:.3f} s, "
        f"{len(one.selected)} funded, cost {one.total_cost:,.0f}, effort {one.total_effort:,.0f}"
    )
    common: dict[str, Any] = {
        "capacity": capacity,
        "estimates": estimates,
        "samples": args.samples,
        "seed": 0,
        "weights": "council",
    }
    start = time.perf_counter()
    fast = portfolio_acceptability(evaluation, budget, **common)
    fast_time = time.perf_counter() - start
    counts = fast.table["class"].value_counts()
    print(
        f"\n1. Core index, {args.samples:,} samples: cones {fast_time:.2f} s "
        f"({fast.solved} of {args.samples} samples solved by MILP, "
        f"{len(fast.portfolios)} distinct portfolios; "
        f"{counts.get('core', 0)} core, {counts.get('borderline', 0)} borderline, "
        f"{counts.get('exterior', 0)} exterior) (goal < 20 s)"
    )
    if not args.skip_loop:
        start = time.perf_counter()
        slow = portfolio_acceptability(evaluation, budget, method="loop", **common)
        loop_time = time.perf_counter() - start
        same = np.array_equal(fast.table["core_index"], slow.table["core_index"])
        print(
            f"   plain loop (one MILP per sample): {loop_time:.2f} s; ratio "
            f"{loop_time / fast_time:.1f}x (goal >= 5x); identical core indices: "
            f"{'yes' if same else 'NO'}"
        )
    start = time.perf_counter()
    frontier = efficient_frontier(evaluation, capacity=capacity, estimates=estimates)
    frontier_time = time.perf_counter() - start
    print(
        f"\n2. Exact efficient frontier: {frontier_time:.2f} s, {len(frontier)} breakpoints "
        f"from {frontier['budget'].iloc[0]:,.0f} to {frontier['budget'].iloc[-1]:,.0f} "
        f"(goal < 10 s)"
    )


if __name__ == "__main__":
    main()
