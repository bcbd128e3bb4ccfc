"""``prioritize portfolio``: the best portfolio of requirements under a budget.

Prints the selected set with its totals against the budget and the capacity, every ranked
requirement in or out with its reason, and, when asked, the core index and class of each
(``--samples``) and the exact efficient frontier with what the next 10 % of budget would
buy (``--frontier``). The command line wires the common input options (``--criteria``,
``--requirements``, ``--scores``, ``--members``, ``--aggregation``) and calls :func:`run`
with the evaluation; the requirements carry the estimates (cost, effort, relations). This
module adds only the portfolio options; the selection, its reasons, the frontier and the
core index are :mod:`prioritize.portfolio`'s.

A problem in which nothing fits (what must be funded exceeds the budget or the capacity)
is reported in words with the amount, and the command exits 1.

The CSV (one row per ranked requirement) follows the export's text rule
(:func:`prioritize.export.text.csv_table`); the text prints user text (ids, titles,
reasons, which quote ids) through :func:`prioritize.cli.terminal.printable`.

HiGHS, the solver behind ``scipy.optimize.milp``, prints a debug line
(``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``) straight to
the process's file descriptor 1 for some problems (the bundled example at a budget of
1,200,000 maximising benefit, or its frontier), past ``sys.stdout``. Standard output here is
data (``--format csv`` read by another program), so file descriptor 1 points at the null
device while the solver runs (:func:`solver_output_silenced`). Only the command line does
this: the library leaves the process's descriptors alone.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

import numpy as np
import pandas as pd

from prioritize.cli.terminal import for_stream, printable
from prioritize.errors import Problem, ValidationError
from prioritize.export.portfolio import MAXIMISED
from prioritize.export.text import csv_table
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import (
    VALUES,
    Portfolio,
    PortfolioAcceptability,
    efficient_frontier,
    next_step,
    portfolio,
    portfolio_acceptability,
)

__all__ = ["CSV_COLUMNS", "add_arguments", "run", "solver_output_silenced"]

_FORMATS = ("text", "csv")
#: The CSV's columns, one row per ranked requirement (rank order).
CSV_COLUMNS = (
    "id",
    "title",
    "selected",
    "cost",
    "effort",
    "value",
    "reason",
    "core_index",
    "class",
)
#: The share of the budget "what more would buy" looks at.
NEXT_SHARE = 0.10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The portfolio options."""
    parser.add_argument(
        "--budget", type=float, required=True, help="money available (the estimates' currency)"
    )
    parser.add_argument(
        "--capacity", type=float, help="person-days available (default: no limit on effort)"
    )
    parser.add_argument(
        "--value",
        choices=VALUES,
        default="value",
        help="what the portfolio maximises: the value axis, or the priority score over "
        "benefit criteria (default: %(default)s)",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=0,
        help="weight samples for each requirement's core index (the share of samples whose "
        "best portfolio funds it) and class (core, borderline, exterior); each sample may "
        "need its own exact solve, so this takes time: a few seconds for 2000 samples of "
        "the example, more for large councils (default: %(default)s, no core index)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the weight samples (default: %(default)s)"
    )
    parser.add_argument(
        "--frontier",
        action="store_true",
        help="also print the exact efficient frontier (the best value at every budget, at "
        "its breakpoints) and what the next 10%% of budget would buy (text only)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="output format; csv holds one row per ranked requirement (default: %(default)s)",
    )


def _check(args: argparse.Namespace) -> None:
    problems = []
    if args.samples < 0:
        problems.append(
            Problem(
                "--samples must be >= 0",
                column="--samples",
                value=str(args.samples),
                expected="an integer >= 0 (0: no core index)",
            )
        )
    if args.frontier and args.format == "csv":
        problems.append(
            Problem(
                "--frontier is printed as text, not in the CSV",
                column="--frontier",
                value="--format csv",
                expected="--format text with --frontier",
            )
        )
    if problems:
        raise ValidationError(problems)


@contextmanager
def solver_output_silenced() -> Iterator[None]:
    """File descriptor 1 on the null device for the duration (see the module notes), then
    restored, whatever happens. What Python buffered for standard output is flushed first,
    and what C buffered is flushed before the descriptor comes back, so neither is lost nor
    misplaced."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 at all: nothing to protect
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
        finally:
            os.close(devnull)
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, 1)
        os.close(saved)


def _flush_c_stdio() -> None:
    """Flush C's ``stdout`` buffer (where a solver's ``printf`` may wait) into the null
    device rather than into the restored descriptor."""
    # no C library to reach (not POSIX): nothing buffered there to flush
    with suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)


def _cell(value: object) -> str:
    """User text (an id, a title, a reason) for one cell or line."""
    return printable(str(value), one_line=True)


def run(evaluation: Evaluation, args: argparse.Namespace, out: TextIO) -> int:
    """Select and print the portfolio; returns the exit code (1 when nothing fits)."""
    _check(args)
    if hasattr(out, "flush"):
        out.flush()
    with solver_output_silenced():
        best = portfolio(evaluation, args.budget, capacity=args.capacity, value=args.value)
        core = (
            portfolio_acceptability(
                evaluation,
                args.budget,
                capacity=args.capacity,
                value=args.value,
                samples=args.samples,
                seed=args.seed,
            )
            if best.feasible and args.samples > 0
            else None
        )
        frontier = (
            efficient_frontier(evaluation, capacity=args.capacity, value=args.value)
            if best.feasible and args.frontier
            else None
        )
    if not best.feasible:
        message = f"no portfolio fits: {_cell(best.infeasible)}\n"
        if args.format == "csv":
            sys.stderr.write(message)
        else:
            _write_header(evaluation, best, out)
            out.write(message[0].upper() + message[1:])
        return 1
    if args.format == "csv":
        text = csv_table(portfolio_rows(evaluation, best, core), what="portfolio CSV")
        out.write(for_stream(text, out))
        return 0
    _write_header(evaluation, best, out)
    _write_selection(evaluation, best, core, out)
    if core is not None:
        _write_core(core, out)
    if frontier is not None:
        _write_frontier(frontier, best.budget, out)
    return 0


def portfolio_rows(
    evaluation: Evaluation, best: Portfolio, core: PortfolioAcceptability | None
) -> pd.DataFrame:
    """The CSV's rows (:data:`CSV_COLUMNS`), one per ranked requirement in rank order;
    ``core_index`` and ``class`` empty without a core index."""
    table = best.table
    ids = table.index
    index = (
        np.full(len(ids), np.nan)
        if core is None
        else core.table["core_index"].reindex(ids).to_numpy(dtype=float)
    )
    classes = (
        np.full(len(ids), None, dtype=object)
        if core is None
        else core.table["class"].reindex(ids).to_numpy(dtype=object)
    )
    return pd.DataFrame(
        {
            "id": ids.to_numpy(dtype=object),
            "title": evaluation.table["title"].reindex(ids).to_numpy(dtype=object),
            "selected": table["selected"].to_numpy(dtype=bool),
            "cost": table["cost"].to_numpy(dtype=float),
            "effort": table["effort"].to_numpy(dtype=float),
            "value": table["value"].to_numpy(dtype=float),
            "reason": table["reason"].to_numpy(dtype=object),
            "core_index": index,
            "class": classes,
        },
        columns=list(CSV_COLUMNS),
    )


def _write_header(evaluation: Evaluation, best: Portfolio, out: TextIO) -> None:
    members = len(evaluation.scores.members)
    out.write(
        f"{_cell(evaluation.criteria.name)} (version {_cell(evaluation.criteria.version)}), "
        f"{evaluation.aggregation} of {members} members' scores, "
        f"{len(evaluation.table)} requirements ranked\n"
    )
    capacity = (
        "no limit on effort"
        if best.capacity is None
        else f"capacity {best.capacity:,.1f} person-days"
    )
    out.write(
        f"Budget {best.budget:,.2f}, {capacity}; maximising {best.value_kind}: "
        f"{MAXIMISED.get(best.value_kind, best.value_kind)}\n\n"
    )


def _lines(frame: pd.DataFrame, last: str, texts: list[str]) -> str:
    """A table as text with a last column of free text (a reason, a change) written after
    it, left-aligned and unpadded, so a long text does not push the table apart."""
    lines = frame.to_string(index=False).splitlines()
    rows = [f"{line}  {text}".rstrip() for line, text in zip(lines[1:], texts, strict=True)]
    return "\n".join([f"{lines[0]}  {last}", *rows]) + "\n"


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%} " if whole > 0 else "all "


def _write_selection(
    evaluation: Evaluation, best: Portfolio, core: PortfolioAcceptability | None, out: TextIO
) -> None:
    out.write(f"{best}\n")
    money_left = best.budget - best.total_cost
    used = [f"{_share(best.total_cost, best.budget)}of the budget ({money_left:,.2f} left)"]
    if best.capacity is not None:
        used.append(
            f"{_share(best.total_effort, best.capacity)}of the capacity "
            f"({best.capacity - best.total_effort:,.1f} person-days left)"
        )
    out.write("Used: " + ", ".join(used) + "\n\n")

    def left_align(values: list[str]) -> list[str]:
        width = max((len(v) for v in values), default=0)
        return [v.ljust(width) for v in values]

    table = best.table
    ranked = evaluation.table.reindex(table.index)
    titles = [_cell(t) for t in ranked["title"]]
    columns: dict[str, object] = {
        "rank": [
            f"{r}=" if t else str(r) for r, t in zip(ranked["rank"], ranked["tied"], strict=True)
        ],
        "id": left_align([_cell(i) for i in table.index]),
        "title": left_align([t if len(t) <= 36 else t[:35] + "…" for t in titles]),
        "in": np.where(table["selected"], "yes", ""),
        "cost": table["cost"].map("{:,.2f}".format).to_numpy(),
        "effort": table["effort"].map("{:,.1f}".format).to_numpy(),
        "value": table["value"].map("{:.3f}".format).to_numpy(),
    }
    if core is not None:
        columns["core"] = (
            core.table["core_index"].reindex(table.index).map("{:.1%}".format).to_numpy()
        )
        columns["class"] = left_align([_cell(c) for c in core.table["class"].reindex(table.index)])
    out.write(_lines(pd.DataFrame(columns), "reason", [_cell(r) for r in table["reason"]]))


def _write_core(core: PortfolioAcceptability, out: TextIO) -> None:
    counts = core.table["class"].value_counts()
    resampled = ", members resampled" if core.resample_members else ""
    out.write(
        f"\nCore index: {core.samples:,} samples of {core.weights} weights{resampled}, "
        f"seed {core.seed} ({core.solved:,} solved exactly, the rest proven to share a "
        f"solved portfolio): "
        + ", ".join(
            f"{name} {int(counts.get(name, 0))}" for name in ("core", "borderline", "exterior")
        )
        + "\n"
    )
    borderline = core.table[core.table["class"] == "borderline"].sort_values(
        "core_index", ascending=False, kind="stable"
    )
    if len(borderline):
        out.write(
            "Borderline, in some samples' best portfolio and not in others (where the debate "
            "belongs): "
            + ", ".join(f"{_cell(rid)} {row:.1%}" for rid, row in borderline["core_index"].items())
            + "\n"
        )
    else:
        out.write("No requirement is borderline: every sample funds the same ones.\n")


def _write_frontier(frontier: pd.DataFrame, budget: float, out: TextIO) -> None:
    reason = str(frontier.attrs.get("infeasible", ""))
    if frontier.empty:
        out.write(f"\nEfficient frontier: none ({_cell(reason)})\n")
        return
    out.write(
        f"\nEfficient frontier ({len(frontier)} breakpoints: the best value at every budget; "
        "between two breakpoints it does not change):\n"
    )
    at_budget = (
        int(
            np.searchsorted(
                frontier["budget"].to_numpy(dtype=float), budget * (1 + 1e-12), side="right"
            )
        )
        - 1
    )
    changes: list[str] = []
    before: set[str] = set()
    for selected in frontier["selected"]:
        after = set(selected)
        if not changes:
            changes.append(", ".join(_cell(r) for r in selected) or "nothing")
        else:
            added = [f"+{_cell(r)}" for r in selected if r not in before]
            dropped = sorted(f"-{_cell(r)}" for r in before - after)
            changes.append(" ".join(added + dropped))
        before = after
    shown = pd.DataFrame(
        {
            "budget": frontier["budget"].map("{:,.2f}".format).to_numpy(),
            "value": frontier["value"].map("{:.3f}".format).to_numpy(),
            "effort": frontier["effort"].map("{:,.1f}".format).to_numpy(),
            "funded": [len(s) for s in frontier["selected"]],
            "at budget": ["<-" if k == at_budget else "" for k in range(len(frontier))],
        }
    )
    out.write(_lines(shown, "change from the breakpoint before", changes))
    step = next_step(frontier, budget, NEXT_SHARE)
    out.write(f"\nWhat the next {NEXT_SHARE:.0%} of budget would buy: {_cell(step)}\n")
