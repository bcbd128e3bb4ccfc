"""Benchmark: evaluate() on 10,000 requirements x 10 criteria x 15 members (1.5 M scores).

Run by hand:  python benchmarks/bench_evaluate.py [--requirements N] [--members M] [--repeat R]
Goal: under 0.5 s from a long-form DataFrame on a 2-core machine. The score is the
best of R runs (the least disturbed by other work on the machine); the median is printed too.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import pandas as pd

import prioritize as pz

DEPARTMENTS = ("Legal", "Finance", "IT", "Operations", "Sales", "Customer Service", "Audit")


def build(
    n_requirements: int, n_members: int, seed: int = 0
) -> tuple[pz.CriteriaSet, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    criteria = pz.load_criteria("customer-operations")
    rng = np.random.default_rng(seed)
    rids = np.array([f"REQ-{i:05d}" for i in range(n_requirements)], dtype=object)
    mids = np.array([f"m{i:02d}" for i in range(n_members)], dtype=object)
    cids = np.array(criteria.ids, dtype=object)
    m = len(cids)
    scores = pd.DataFrame(
        {
            "requirement_id": np.repeat(rids, m * n_members),
            "member": np.tile(np.repeat(mids, m), n_requirements),
            "criterion": np.tile(cids, n_requirements * n_members),
            "score": rng.integers(1, 6, size=n_requirements * m * n_members).astype(float),
        }
    )
    requirements = pd.DataFrame({"id": rids, "title": [f"Requirement {r}" for r in rids]})
    members = pd.DataFrame(
        {
            "id": mids,
            "name": mids,
            "department": [DEPARTMENTS[i % len(DEPARTMENTS)] for i in range(n_members)],
        }
    )
    return criteria, requirements, scores, members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    criteria, requirements, scores, members = build(args.requirements, args.members)
    pz.evaluate(
        criteria,
        requirements.head(50),
        scores[scores["requirement_id"].isin(requirements["id"].head(50))],
        members=members,
    )  # warm-up: imports and caches
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        ev = pz.evaluate(criteria, requirements, scores, members=members)
        times.append(time.perf_counter() - start)
    assert len(ev.table) == args.requirements
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"evaluate: {args.requirements:,} requirements x {len(criteria)} criteria x "
        f"{args.members} members = {len(scores):,} scores"
    )
    print(
        f"best {min(times):.3f} s, median {statistics.median(times):.3f} s "
        f"over {args.repeat} runs (goal: < 0.5 s)"
    )


if __name__ == "__main__":
    main()
