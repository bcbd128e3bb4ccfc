"""Benchmark: the sensitivity analysis.

Run from the repository root::

    python benchmarks/bench_sensitivity.py            # everything
    python benchmarks/bench_sensitivity.py --repeat 3

Goals, on a 2-core machine:

1. SMAA with rank and category acceptability, 1,000 requirements x 10 criteria x 10,000
   samples: under 1.5 s, peak memory under 1 GiB. Memory is measured in a fresh process
   (``ru_maxrss`` of a child that builds the problem and runs SMAA once; and, in another
   child, the ``tracemalloc`` peak of the SMAA call alone, tracing being slow).
2. Exact stability intervals, 1,000 requirements x 10 criteria: under 0.5 s (each scope).
3. SMAA over the members' own weight proposals (``weights="members"``, 30 proposals) at
   1,000 x 10 x 10,000: no slower than the Dirichlet around the council's weights
   (``weights="council"``), timed back to back in the same run.
4. Against the way pymcdm users do it today — one ``pymcdm.methods.WSM`` call per weight
   sample, ranks counted by hand — at 200 requirements x 10 criteria x 2,000 samples, on
   the same utilities and the very same weight samples: at least 100x faster. pymcdm is a
   benchmark-only dependency (``pip install pymcdm``); without it that part is skipped with
   a message.

Times are wall-clock seconds, best of ``--repeat`` (the run least disturbed by other work on
the machine), medians printed too. The comparison runs in the same process, back to back,
so the ratio is fair even when the machine is busy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import prioritize as pz
from prioritize.sensitivity import sample_weights, smaa, stability_intervals

DEPARTMENTS = ("Legal", "Finance", "IT", "Operations", "Sales", "Customer Service")


def build(n_requirements: int, n_members: int = 6, seed: int = 0) -> pz.Evaluation:
    """A council of ``n_members`` scoring every requirement on the bundled ten criteria.

    Scores are continuous (a centre per requirement and criterion plus each member's noise)
    so that priority ties, which pymcdm and we rank differently, do not occur.
    """
    criteria = pz.load_criteria("customer-operations")
    rng = np.random.default_rng(seed)
    rids = np.array([f"REQ-{i:05d}" for i in range(n_requirements)], dtype=object)
    mids = np.array([f"m{i:02d}" for i in range(n_members)], dtype=object)
    m = len(criteria)
    centre = rng.uniform(1, 5, size=(n_requirements, m, 1))
    values = np.clip(centre + rng.normal(0, 0.7, size=(n_requirements, m, n_members)), 1, 5)
    r, c, k = np.meshgrid(
        np.arange(n_requirements), np.arange(m), np.arange(n_members), indexing="ij"
    )
    scores = pd.DataFrame(
        {
            "requirement_id": rids[r.ravel()],
            "member": mids[k.ravel()],
            "criterion": np.array(criteria.ids, dtype=object)[c.ravel()],
            "score": values.ravel(),
        }
    )
    requirements = pd.DataFrame({"id": rids, "title": [f"Requirement {i}" for i in rids]})
    members = pd.DataFrame(
        {
            "id": mids,
            "name": mids,
            "department": [DEPARTMENTS[i % len(DEPARTMENTS)] for i in range(n_members)],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pz.evaluate(criteria, requirements, scores, members=members)


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best and median wall-clock seconds of ``repeat`` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def child_memory(mode: str) -> None:
    """Run in a fresh process: build the 1,000 x 10 problem, run SMAA once, print memory."""
    evaluation = build(1_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mode == "tracemalloc":
        tracemalloc.start()
        smaa(evaluation, samples=10_000, seed=0, pairwise=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(json.dumps({"tracemalloc_peak_mib": peak / 2**20}))
    else:
        smaa(evaluation, samples=10_000, seed=0, pairwise=False)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(json.dumps({"maxrss_before_mib": before / 1024, "maxrss_mib": after / 1024}))


def memory(mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory", mode],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def pymcdm_baseline(evaluation: pz.Evaluation, weights: np.ndarray) -> np.ndarray | None:
    """Rank acceptability the pymcdm way: one WSM call per weight sample (BENCHMARK ONLY:
    pymcdm is not a dependency of prioritize)."""
    try:
        from pymcdm.methods import WSM  # benchmark-only dependency
    except ImportError:
        return None
    utility = evaluation.utility_array
    n = utility.shape[0]
    # Our utilities are already normalised on each criterion's scale (cost criteria
    # inverted), so WSM gets them as they are: an identity normalisation and all "profit".
    wsm = WSM(normalization_function=lambda column, cost: column)
    types = np.ones(utility.shape[1])
    counts = np.zeros((n, n))
    for w in weights:  # one call per sample: the pymcdm way
        preference = wsm(utility, w, types)
        rank = wsm.rank(preference).astype(int)
        counts[np.arange(n), rank - 1] += 1
    acceptability: np.ndarray = counts / len(weights)
    return acceptability


def members_vs_council(evaluation: pz.Evaluation, repeat: int) -> None:
    """Goal 3: SMAA over 30 members' proposals against the council Dirichlet, same run."""
    rng = np.random.default_rng(7)
    council = evaluation.weights.to_numpy()
    proposals = pd.DataFrame(
        rng.dirichlet(council * 20, size=30), columns=list(evaluation.criteria.ids)
    )
    council_best, council_median, _ = timed(
        lambda: smaa(evaluation, samples=10_000, weights="council", seed=0, pairwise=False),
        repeat,
    )
    members_best, members_median, result = timed(
        lambda: smaa(
            evaluation,
            samples=10_000,
            weights="members",
            proposals=proposals,
            seed=0,
            pairwise=False,
        ),
        repeat,
    )
    assert result.proposals == 30
    print(
        "\n3. SMAA over 30 members' proposals vs the council Dirichlet, 1,000 x 10 x 10,000:\n"
        f"   council: best {council_best:.3f} s, median {council_median:.3f} s\n"
        f"   members: best {members_best:.3f} s, median {members_median:.3f} s\n"
        f"   ratio members / council: {members_best / council_best:.2f} (best), "
        f"{members_median / council_median:.2f} (median) (goal <= 1)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child-memory", choices=("rss", "tracemalloc"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory)
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
    big = build(1_000)
    smaa(big, samples=500, seed=1, pairwise=False)  # warm-up: imports and caches

    best, median, result = timed(
        lambda: smaa(big, samples=10_000, seed=0, pairwise=False), args.repeat
    )
    assert np.allclose(result.rank_acceptability.sum(axis=1), 1)
    assert np.allclose(result.category_acceptability.sum(axis=1), 1)
    print(
        f"\n1. SMAA, rank + category acceptability, 1,000 x 10 x 10,000 samples: "
        f"best {best:.3f} s, median {median:.3f} s (goal < 1.5 s)"
    )
    rss = memory("rss")
    traced = memory("tracemalloc")
    print(
        f"   peak memory, fresh process: max RSS {rss['maxrss_mib']:.0f} MiB in all "
        f"({rss['maxrss_before_mib']:.0f} MiB before SMAA: interpreter, pandas, the "
        f"problem); SMAA call's traced peak {traced['tracemalloc_peak_mib']:.1f} MiB "
        f"(goal < 1024 MiB)"
    )

    print("\n2. Exact stability intervals, 1,000 x 10:")
    for scope, k in (("ranking", None), ("top-k", 10), ("category", None)):
        best, median, frame = timed(
            lambda s=scope, k=k: stability_intervals(big, scope=s, k=k), args.repeat
        )
        print(
            f"   {scope:<9} best {best:.4f} s, median {median:.4f} s, {len(frame)} rows "
            f"(goal < 0.5 s)"
        )

    members_vs_council(big, args.repeat)

    print("\n4. Against pymcdm (one WSM call per weight sample), 200 x 10 x 2,000 samples:")
    small = build(200, seed=1)
    # the very weights smaa(seed=0) draws: its first child seed of SeedSequence(0)
    rng = np.random.default_rng(np.random.SeedSequence(0).spawn(2)[0])
    weights = sample_weights(small.weights.to_numpy(), 2_000, "uniform", rng=rng)
    ours_best, ours_median, ours = timed(
        lambda: smaa(small, samples=2_000, seed=0, pairwise=False), args.repeat
    )
    start = time.perf_counter()
    baseline = pymcdm_baseline(small, weights)
    theirs = time.perf_counter() - start
    if baseline is None:
        print("   pymcdm is not installed (pip install pymcdm): baseline skipped")
        print(f"   ours: best {ours_best:.4f} s, median {ours_median:.4f} s")
        return
    same = np.array_equal(baseline, ours.rank_acceptability.to_numpy())
    print(f"   pymcdm WSM loop (rank acceptability only): {theirs:.3f} s")
    print(
        f"   prioritize smaa (rank + category acceptability): best {ours_best:.4f} s, "
        f"median {ours_median:.4f} s"
    )
    print(
        f"   ratio: {theirs / ours_best:.0f}x (best), {theirs / ours_median:.0f}x (median) "
        f"(goal >= 100x); identical rank acceptability: {'yes' if same else 'NO'}"
    )


if __name__ == "__main__":
    main()
