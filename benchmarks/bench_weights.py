"""Benchmark: a council's AHP weights, 10 criteria x 30 members.

Run from the repository root::

    python benchmarks/bench_weights.py [--criteria N] [--members M] [--repeat R]

Each member answers every pair of criteria on Saaty's scale at random (seeded), so the
matrices are as inconsistent as real matrices ever get and power iteration works hardest.
One run computes every member's weights and consistency ratio
(``ahp_weights_many``) and the council's weights by AIJ and by AIP
(``aggregate_weights``). Goal: under 50 ms.

The baseline computes the same with a Python loop of ``ahp_weights`` calls, one per
member, then AIJ on the geometric-mean matrix and AIP from the members' weights. Both run
back to back in the same process, so the ratio is fair even when the machine is busy.
Times are wall-clock milliseconds, the median of ``--repeat`` runs (the best printed too).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from prioritize.weights import aggregate_weights, ahp_weights, ahp_weights_many

SAATY = np.array(
    [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
)


def build(
    n_criteria: int, n_members: int, seed: int = 0
) -> tuple[list[str], dict[str, np.ndarray]]:
    """Each member's reciprocal matrix, Saaty-scale judgements drawn at random."""
    rng = np.random.default_rng(seed)
    criteria = [f"c{i:02d}" for i in range(n_criteria)]
    upper = np.triu_indices(n_criteria, k=1)
    matrices = {}
    for member in range(n_members):
        matrix = np.ones((n_criteria, n_criteria))
        matrix[upper] = rng.choice(SAATY, size=len(upper[0]))
        matrix.T[upper] = 1.0 / matrix[upper]
        matrices[f"m{member:02d}"] = matrix
    return criteria, matrices


def batched(criteria: list[str], matrices: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    weights, ratios = ahp_weights_many(np.stack(list(matrices.values())))
    aij = aggregate_weights(matrices, "aij", criteria=criteria)
    table = pd.DataFrame(weights, index=list(matrices), columns=criteria)
    aip = aggregate_weights(table, "aip")
    return weights, ratios, aij.weights.to_numpy(), aip.weights.to_numpy()


def looped(criteria: list[str], matrices: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    results = [ahp_weights(matrix, criteria) for matrix in matrices.values()]
    weights = np.array([r.weights.to_numpy() for r in results])
    ratios = np.array([r.consistency_ratio for r in results])
    mean = np.exp(np.mean([np.log(m) for m in matrices.values()], axis=0))
    aij = ahp_weights(mean, criteria).weights.to_numpy()
    geometric = np.exp(np.log(weights).mean(axis=0))
    return weights, ratios, aij, geometric / geometric.sum()


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    run()  # warm-up: imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=51)
    args = parser.parse_args()
    criteria, matrices = build(args.criteria, args.members)
    for ours, theirs in zip(batched(criteria, matrices), looped(criteria, matrices), strict=True):
        assert np.allclose(ours, theirs, atol=1e-9), "batched and looped results differ"
    fast = timed(lambda: batched(criteria, matrices), args.repeat)
    slow = timed(lambda: looped(criteria, matrices), args.repeat)
    _, ratios, _, _ = batched(criteria, matrices)
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"AHP: {args.criteria} criteria x {args.members} members, random Saaty judgements "
        f"(median CR {np.median(ratios):.2f}); members' weights and CR, AIJ and AIP"
    )
    print(f"{'':<28}{'median ms':>10}{'best ms':>10}")
    for name, times in (("batched (ahp_weights_many)", fast), ("loop of ahp_weights", slow)):
        print(f"{name:<28}{statistics.median(times) * 1e3:>10.2f}{min(times) * 1e3:>10.2f}")
    ratio = statistics.median(slow) / statistics.median(fast)
    print(f"loop / batched: {ratio:.1f}x; goal: batched under 50 ms over {args.repeat} runs")


if __name__ == "__main__":
    main()
