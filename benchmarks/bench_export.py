"""Benchmark: the portfolio workbook of a large council round.

5,000 requirements x 10 criteria (the bundled customer-operations set) x 12 members =
600,000 scores, each with a reason; goal: the workbook written in under 5 s.

Run from the repository root::

    python benchmarks/bench_export.py                 # prioritize's writer only
    python benchmarks/bench_export.py --compare       # also openpyxl and XlsxWriter

``--compare`` writes the same Scores sheet (the large one) with openpyxl's write-only mode
and, when installed, XlsxWriter's constant-memory mode, in the same run, and reports the
ratios. Times are wall-clock seconds (best of ``--repeat``); peak memory is the Python heap
peak of one run (tracemalloc, a separate run, since tracing slows everything down).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import prioritize as pz
from prioritize.export import export_portfolio, export_ranking
from prioritize.export.workbook.sheets import scores_sheets

DEPARTMENTS = (
    "Sales",
    "Operations",
    "Legal",
    "Finance",
    "Marketing",
    "Internal audit",
    "IT",
    "Customer service",
    "HR",
    "Customer representative",
    "Sales",
    "Operations",
)
WORDS = np.array(
    [
        "customers",
        "orders",
        "errors",
        "invoice",
        "delay",
        "risk",
        "legal",
        "effort",
        "cost",
        "churn",
        "data",
        "quality",
        "manual",
        "step",
        "audit",
        "finding",
        "refund",
        "credit",
        "note",
    ],
    dtype=object,
)


def build(n_requirements: int, n_members: int, seed: int) -> pz.Evaluation:
    """A seeded synthetic round: every member scores every requirement on every criterion,
    with a short reason of random words."""
    rng = np.random.default_rng(seed)
    criteria = pz.load_criteria("customer-operations")
    members = pd.DataFrame(
        {
            "id": [f"m{i:02d}" for i in range(n_members)],
            "name": [f"Member {i}" for i in range(n_members)],
            "department": [DEPARTMENTS[i % len(DEPARTMENTS)] for i in range(n_members)],
            "role": "member",
        }
    )
    requirements = pd.DataFrame(
        {
            "id": [f"REQ-{i:05d}" for i in range(n_requirements)],
            "title": [
                f"Requirement {i}: " + " ".join(rng.choice(WORDS, 4)) for i in range(n_requirements)
            ],
            "requested_by": rng.choice(np.array(DEPARTMENTS, dtype=object), n_requirements),
        }
    )
    keys = pd.MultiIndex.from_product(
        [requirements["id"], members["id"], criteria.ids],
        names=["requirement_id", "member", "criterion"],
    )
    scores = keys.to_frame(index=False)
    n = len(scores)
    # Requirement-level tendencies plus member noise, so categories vary.
    base = rng.integers(1, 6, (n_requirements, 1, len(criteria)))
    noise = rng.integers(-1, 2, (n_requirements, n_members, len(criteria)))
    scores["score"] = np.clip(base + noise, 1, 5).reshape(-1).astype(float)
    a, b, c = (rng.choice(WORDS, n) for _ in range(3))
    scores["reason"] = (
        pd.Series(a, dtype=object)
        + " "
        + pd.Series(b, dtype=object)
        + " "
        + pd.Series(c, dtype=object)
        + " ("
        + scores["member"]
        + ")"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pz.evaluate(criteria, requirements, scores, members=members)


def timed(action: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(action: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def openpyxl_scores(evaluation: pz.Evaluation) -> None:
    """The Scores sheet cell by cell with openpyxl's write-only mode (strings forced to
    text, as formula injection requires)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    sheet = scores_sheets(evaluation)[0]
    book = Workbook(write_only=True)
    ws = book.create_sheet("Scores")
    ws.append([c.header for c in sheet.columns])
    columns = [c.values.tolist() for c in sheet.columns]
    for row in zip(*columns, strict=True):
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
    book.save(io.BytesIO())


def xlsxwriter_scores(evaluation: pz.Evaluation) -> None:
    """The Scores sheet with XlsxWriter's constant-memory mode."""
    import xlsxwriter

    sheet = scores_sheets(evaluation)[0]
    book = xlsxwriter.Workbook(
        io.BytesIO(),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    ws = book.add_worksheet("Scores")
    ws.write_row(0, 0, [c.header for c in sheet.columns])
    columns = [c.values.tolist() for c in sheet.columns]
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        ws.write_row(r, 0, row)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", type=int, default=5000)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time openpyxl write-only and XlsxWriter (if installed)",
    )
    args = parser.parse_args()

    start = time.perf_counter()
    evaluation = build(args.requirements, args.members, args.seed)
    built = time.perf_counter() - start
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"input: {args.requirements:,} requirements x {len(evaluation.criteria)} criteria x "
        f"{args.members} members = {len(evaluation.scores):,} scores "
        f"(built and evaluated in {built:.1f} s)"
    )

    target = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-portfolio.xlsx"
    stamp = "2026-01-01T00:00:00Z"

    def workbook() -> None:
        export_portfolio(evaluation, target, generated_at=stamp)

    seconds = timed(workbook, args.repeat)
    size = target.stat().st_size / 2**20
    peak = peak_mib(workbook)
    goal = "met" if seconds < 5 else "MISSED"
    print(
        f"export_portfolio: {seconds:.2f} s (best of {args.repeat}), peak {peak:.0f} MiB, "
        f"file {size:.1f} MiB; goal < 5 s {goal}"
    )
    csv_seconds = timed(lambda: export_ranking(evaluation, io.StringIO(), "csv"), args.repeat)
    json_seconds = timed(lambda: export_ranking(evaluation, io.StringIO(), "json"), args.repeat)
    print(f"export_ranking: csv {csv_seconds:.3f} s, json {json_seconds:.3f} s")

    if args.compare:
        scores_only = timed(lambda: scores_sheets(evaluation), 1)
        print(f"(building the Scores sheet's columns: {scores_only:.2f} s, included below)")
        alternatives: list[tuple[str, Callable[[pz.Evaluation], None]]] = [
            ("openpyxl write-only, Scores sheet only", openpyxl_scores)
        ]
        try:
            import xlsxwriter  # noqa: F401

            alternatives.append(
                ("XlsxWriter constant_memory, Scores sheet only", xlsxwriter_scores)
            )
        except ImportError:
            print("XlsxWriter not installed: skipped")
        try:
            import lxml  # noqa: F401

            print("(lxml is installed: openpyxl uses it)")
        except ImportError:
            pass
        for name, action in alternatives:
            other = timed(lambda action=action: action(evaluation), 1)  # type: ignore[misc]
            print(f"{name}: {other:.2f} s = {other / seconds:.1f} x the whole workbook")


if __name__ == "__main__":
    main()
