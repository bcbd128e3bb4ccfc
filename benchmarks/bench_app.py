"""Benchmark: server time of a rerun of the council page's Value matrix and Debate pages
with 500 requirements x 12 members (60,000 scores), in a real SQLite council.

Run by hand:  python benchmarks/bench_app.py [--requirements N] [--members M] [--repeat R]
Goal: a rerun under 0.5 s of server time. A rerun is what Streamlit does on every
interaction: the whole page script runs again. It is timed with streamlit.testing's AppTest,
which runs the page script in this process exactly as the server does, without a browser;
the first run (cold caches) is reported separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

import prioritize as pz
from prioritize.app import PAGES, state
from prioritize.store import DB_ENV, Store

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENTS = (
    "Operations",
    "Legal",
    "Finance",
    "IT",
    "Sales",
    "Customer Service",
    "Internal Audit",
    "Marketing",
    "HR",
    "Customer",
    "Sales",
    "Operations",
)


def passcode(member_id: str) -> str:
    """The passcode each benchmark member chose (a real council needs 12 characters)."""
    return f"{member_id}-benchmark-passcode"


def build(folder: Path, n_requirements: int, n_members: int, seed: int = 0) -> Store:
    criteria = pz.load_criteria("customer-operations")
    rng = np.random.default_rng(seed)
    store = Store(folder / "council.db")
    store.init()
    store.create_facilitator("m00", "Facilitator", "Operations", passcode("m00"))
    boss = store.session("m00", passcode("m00"))
    members = [f"m{i:02d}" for i in range(n_members)]
    for i, mid in enumerate(members[1:], start=1):
        given = f"{mid}-given-by-the-facilitator"  # one-time: each member chooses their own
        boss.register_member(mid, f"Member {i}", DEPARTMENTS[i % len(DEPARTMENTS)], "member", given)
        store.session(mid, given).change_passcode(given, passcode(mid))
    rids = [f"REQ-{i:04d}" for i in range(n_requirements)]
    requirements = pd.DataFrame({"id": rids, "title": [f"Requirement {r}" for r in rids]})
    info = boss.create_round("Benchmark", "customer-operations", requirements)
    boss.start_scoring(info.id)
    centre = rng.uniform(1, 5, size=(n_requirements, len(criteria)))
    for mid in members:
        values = np.clip(np.rint(centre + rng.normal(0, 0.9, centre.shape)), 1, 5)
        scores = pd.DataFrame(
            {
                "requirement_id": np.repeat(rids, len(criteria)),
                "member": mid,
                "criterion": np.tile(criteria.ids, n_requirements),
                "score": values.ravel(),
                "reason": "benchmark",
            }
        )
        store.session(mid, passcode(mid)).import_scores(info.id, scores)
    boss.reveal(info.id)
    return store


def time_page(store: Store, page: str, repeat: int) -> tuple[float, list[float]]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state[state.SESSION_KEY] = store.session("m01", passcode("m01"))
    at.switch_page(str(PAGES / f"{page}.py"))
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return first, reruns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=int, default=500)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store = build(Path(folder), args.requirements, args.members)
        os.environ[DB_ENV] = str(store.path)
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython "
            f"{platform.python_version()}"
        )
        print(
            f"council: {args.requirements} requirements x 10 criteria x {args.members} "
            f"members = {args.requirements * 10 * args.members:,} scores "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        for page in ("matrix", "debate", "overview", "sensitivity"):
            first, reruns = time_page(store, page, args.repeat)
            print(
                f"{page:<12} first run {first:6.3f} s   rerun best {min(reruns):.3f} s, "
                f"median {statistics.median(reruns):.3f} s (goal: rerun < 0.5 s)"
            )


if __name__ == "__main__":
    main()
