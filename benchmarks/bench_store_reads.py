"""Benchmark: the store's own cost on SQLite, for comparing two versions of prioritize in
one run (issue 14 moved every query onto SQLAlchemy Core; this measures what that costs).

One process, no contention: a council of 500 requirements x 10 criteria x 12 members
(60,000 scores, revealed; the same builder as bench_app.py), then the median of
``--repeat`` runs of: reading the round's scores (``Session.scores``), the whole evaluation
from the database (``Session.evaluation``, uncached), and 200 ``Session.submit_score``
calls of one member in a new round nobody has scored.

Run it once per version, the other version first on ``PYTHONPATH`` (BENCHMARKS.md):

    PYTHONPATH=/path/to/old/checkout python benchmarks/bench_store_reads.py
    python benchmarks/bench_store_reads.py
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_app import build, passcode

import prioritize as pz


def _median(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=int, default=500)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = build(Path(folder), args.requirements, args.members)
        member = store.session("m01", passcode("m01"))
        boss = store.session("m00", passcode("m00"))
        first = 1
        second = boss.start_from(first, "writes").id  # a round nobody has scored yet
        boss.start_scoring(second)
        reads = _median(lambda: member.scores(first), args.repeat)
        evaluation = _median(lambda: member.evaluation(first), args.repeat)
        criteria = list(member.criteria(second).ids)
        requirements = list(member.requirements(second).frame.index)
        cells = [(r, c) for r in requirements for c in criteria][: args.writes]
        start = time.perf_counter()
        for requirement, criterion in cells:  # one call per score, as the page saves
            member.submit_score(second, requirement, criterion, 3, "bench")
        per_write = (time.perf_counter() - start) / len(cells)
    print(f"prioritize from {Path(pz.__file__).parent}")
    rows = args.requirements * 10 * args.members
    print(f"Session.scores ({rows:,} rows):   {reads * 1e3:8.1f} ms")
    print(f"Session.evaluation (uncached):  {evaluation * 1e3:8.1f} ms")
    print(f"Session.submit_score (mean):    {per_write * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
