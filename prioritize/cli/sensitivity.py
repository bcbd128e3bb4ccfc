"""``prioritize sensitivity``: how robust the council's result is.

Prints the exact weight stability intervals (whole ranking and top-k set, per criterion),
the most critical criterion for the top-k, each requirement's category acceptability from
SMAA, and the fragile placements. The command line wires the common input options
(``--criteria``, ``--requirements``, ``--scores``, ``--members``, ``--aggregation``) and
calls :func:`run` with the evaluation; this module adds only the sensitivity options.

The CSV follows the export's text rule (:func:`prioritize.export.text.csv_table`: text quoted
and protected for spreadsheets); the table prints user text (ids, titles, criteria) through
:func:`prioritize.cli.terminal.printable`.

A placement is *fragile* when its category acceptability is below ``--min-acceptability``
or when moving one criterion's weight by less than ``--min-change`` of that weight (others
rescaled in proportion) changes its category.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any, TextIO

import numpy as np
import pandas as pd

from prioritize.cli.terminal import for_stream, printable
from prioritize.errors import Problem, ValidationError
from prioritize.export.text import csv_table
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.smaa import DEFAULT_CONCENTRATION, WEIGHT_MODES, Acceptability, smaa
from prioritize.sensitivity.stability import (
    CriticalCriterion,
    most_critical_criterion,
    nearest_change,
    stability_intervals,
)

__all__ = ["add_arguments", "placements", "run"]

_FORMATS = ("table", "csv", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sensitivity options (not the input options) to ``parser``."""
    parser.add_argument(
        "--samples", type=int, default=10_000, help="SMAA samples (default: %(default)s)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random seed; the same seed gives the same result (default: %(default)s)",
    )
    parser.add_argument(
        "--top-k",
        dest="top_k",
        type=int,
        default=10,
        help="size of the top set whose stability is reported (default: %(default)s)",
    )
    parser.add_argument(
        "--weights",
        dest="smaa_weights",
        choices=WEIGHT_MODES,
        default="uniform",
        help="how SMAA samples weights: uniform on the simplex, a Dirichlet "
        "around the council's weights, or keeping their order "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--concentration",
        type=float,
        default=DEFAULT_CONCENTRATION,
        help="Dirichlet concentration for --weights council (default: %(default)s)",
    )
    parser.add_argument(
        "--resample-members",
        action="store_true",
        help="also draw the council's members with replacement in each sample",
    )
    parser.add_argument(
        "--min-acceptability",
        type=float,
        default=0.8,
        help="flag placements whose category acceptability is below this (default: %(default)s)",
    )
    parser.add_argument(
        "--min-change",
        type=float,
        default=0.25,
        help="flag placements whose category changes when one criterion's "
        "weight moves by less than this share of it "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="table",
        help="output format; csv holds one row per requirement (default: %(default)s)",
    )


def placements(
    evaluation: Evaluation,
    acceptability: Acceptability,
    category: pd.DataFrame,
    *,
    min_acceptability: float,
    min_change: float,
) -> pd.DataFrame:
    """One row per requirement: its category, the acceptability of that category, the most
    likely category, the smallest weight change that flips it, and whether it is fragile."""
    table = evaluation.table
    accept = acceptability.acceptability_of(table["category"])
    shares = acceptability.category_acceptability
    most_likely = shares.columns.to_numpy(dtype=object)[shares.to_numpy().argmax(axis=1)]
    relative = category["relative_change"].to_numpy(dtype=float).reshape(len(table), -1)
    change = category["change"].to_numpy(dtype=float).reshape(len(table), -1)
    # the tightest criterion: smallest relative change, then smallest absolute change
    pick = (
        np.lexsort((change, relative), axis=1)[:, 0]
        if relative.size
        else np.zeros(len(table), dtype=np.intp)
    )
    rows = np.arange(len(table)) * relative.shape[1] + pick
    tight = category.iloc[rows]
    tight_relative = tight["relative_change"].to_numpy(dtype=float)
    new_weight, _, down = nearest_change(tight)
    becomes = np.where(
        down, tight["category_below"].astype(object), tight["category_above"].astype(object)
    )
    finite = np.isfinite(tight_relative)
    low_acceptance = accept.to_numpy() < min_acceptability
    close_flip = finite & (tight_relative < min_change)
    reasons = []
    for low, close in zip(low_acceptance, close_flip, strict=True):
        parts = []
        if low:
            parts.append(f"acceptability below {min_acceptability:g}")
        if close:
            parts.append(f"flips within {min_change:.0%} of a weight")
        reasons.append("; ".join(parts))
    return pd.DataFrame(
        {
            "title": table["title"].to_numpy(dtype=object),
            "rank": table["rank"].to_numpy(),
            "tied": table["tied"].to_numpy(),
            "category": table["category"].astype(str).to_numpy(dtype=object),
            "acceptability": accept.to_numpy(),
            "most_likely": most_likely,
            **{
                f"p_{name.lower().replace(' ', '_').replace('-', '_')}": shares[name].to_numpy()
                for name in CATEGORIES
            },
            "flip_criterion": np.where(finite, tight.index.get_level_values("criterion"), ""),
            "flip_weight": np.where(finite, tight["weight"], np.nan),
            "flip_to_weight": np.where(finite, new_weight, np.nan),
            "flip_relative_change": np.where(finite, tight_relative, np.nan),
            "flip_category": np.where(finite, becomes, ""),
            "fragile": low_acceptance | close_flip,
            "reason": reasons,
        },
        index=pd.Index(table.index, name="id"),
    )


def _check(args: argparse.Namespace) -> None:
    problems = []
    if not 0 <= args.min_acceptability <= 1:
        problems.append(
            Problem(
                "--min-acceptability must lie in [0, 1]",
                column="--min-acceptability",
                value=str(args.min_acceptability),
                expected="a number from 0 to 1",
            )
        )
    if not args.min_change >= 0:
        problems.append(
            Problem(
                "--min-change must be >= 0",
                column="--min-change",
                value=str(args.min_change),
                expected="a number >= 0",
            )
        )
    if args.top_k < 1:
        problems.append(
            Problem(
                "--top-k must be >= 1",
                column="--top-k",
                value=str(args.top_k),
                expected="an integer >= 1",
            )
        )
    if problems:
        raise ValidationError(problems)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: inf and NaN become null."""
    out = []
    for record in frame.reset_index().to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, float | np.floating):
                clean[str(key)] = float(value) if math.isfinite(value) else None
            elif isinstance(value, np.integer):
                clean[str(key)] = int(value)
            elif isinstance(value, np.bool_):
                clean[str(key)] = bool(value)
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                clean[str(key)] = None
            else:
                clean[str(key)] = value if isinstance(value, int | bool) else str(value)
        out.append(clean)
    return out


def _cell(value: object) -> str:
    """User text (an id, a title, a criterion) for one cell or line of the table."""
    return printable(str(value), one_line=True)


def _span(lower: float, upper: float) -> str:
    return f"{lower:.3f} to {upper:.3f}"


def run(evaluation: Evaluation, args: argparse.Namespace, out: TextIO) -> int:
    """Compute and print the sensitivity report; returns the exit code (0)."""
    _check(args)
    n = len(evaluation.table)
    k = min(int(args.top_k), n)
    ranking = stability_intervals(evaluation, scope="ranking")
    top = stability_intervals(evaluation, scope="top-k", k=k)
    critical = most_critical_criterion(evaluation, k=k)
    category = stability_intervals(evaluation, scope="category")
    acceptability = smaa(
        evaluation,
        samples=args.samples,
        weights=args.smaa_weights,
        concentration=args.concentration,
        resample_members=args.resample_members,
        seed=args.seed,
        pairwise=False,
    )
    rows = placements(
        evaluation,
        acceptability,
        category,
        min_acceptability=args.min_acceptability,
        min_change=args.min_change,
    )
    if args.format == "csv":
        text = csv_table(rows.reset_index(), float_format="%.6f", what="sensitivity CSV")
        out.write(for_stream(text, out))
        return 0
    settings = {
        "samples": acceptability.samples,
        "seed": acceptability.seed,
        "weights": acceptability.weights,
        "concentration": acceptability.concentration,
        "resample_members": acceptability.resample_members,
        "top_k": k,
        "min_acceptability": args.min_acceptability,
        "min_change": args.min_change,
    }
    if args.format == "json":
        json.dump(
            {
                "criteria": evaluation.criteria.name,
                "criteria_sha256": evaluation.criteria.sha256,
                "aggregation": evaluation.aggregation,
                "settings": settings,
                "ranking_intervals": _records(ranking),
                "top_k_intervals": _records(top),
                "most_critical": None
                if critical is None
                else {
                    "criterion": critical.criterion,
                    "weight": critical.weight,
                    "new_weight": critical.new_weight,
                    "change": critical.change,
                    "relative_change": critical.relative_change,
                    "by": critical.by,
                },
                "placements": _records(rows),
                "category_intervals": _records(category),
                "notes": [*evaluation.notes, *acceptability.notes],
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    _write_table(evaluation, acceptability, ranking, top, critical, rows, k, args, out)
    return 0


def _write_table(
    evaluation: Evaluation,
    acceptability: Acceptability,
    ranking: pd.DataFrame,
    top: pd.DataFrame,
    critical: CriticalCriterion | None,
    rows: pd.DataFrame,
    k: int,
    args: argparse.Namespace,
    out: TextIO,
) -> None:
    members = len(evaluation.scores.members)
    out.write(
        f"{_cell(evaluation.criteria.name)} (version {_cell(evaluation.criteria.version)}), "
        f"{evaluation.aggregation} of {members} members' scores, "
        f"{len(evaluation.table)} requirements\n"
    )
    resampled = ", members resampled" if acceptability.resample_members else ""
    out.write(
        f"SMAA: {acceptability.samples} samples, {acceptability.weights} weights"
        f"{resampled}, seed {acceptability.seed}\n\n"
    )
    out.write("Weight stability, one criterion at a time (the others rescaled in proportion):\n")
    shown = pd.DataFrame(
        {
            "criterion": [_cell(c) for c in ranking.index],
            "weight": ranking["weight"].map("{:.3f}".format).to_numpy(),
            "ranking unchanged": [
                _span(lo, up) for lo, up in zip(ranking["lower"], ranking["upper"], strict=True)
            ],
            f"top-{k} unchanged": [
                _span(lo, up) for lo, up in zip(top["lower"], top["upper"], strict=True)
            ],
            f"top-{k} first changes": [
                f"at {w:.3f}: {_cell(by)}" if by else "-"
                for w, by in zip(*nearest_change(top)[:2], strict=True)
            ],
        }
    )
    out.write(shown.to_string(index=False) + "\n")
    if critical is None:
        out.write(f"\nNo single weight from 0 to 1 changes the top {k}.\n")
    else:
        out.write(f"\nMost critical for the top {k}: {_cell(critical)}\n")
    out.write("\nPlacements (acceptability: share of SMAA samples in the same category):\n")
    flip = [
        f"{_cell(c)} {w:.3f}->{t:.3f}: {_cell(to)}" if c else "none"
        for c, w, t, to in zip(
            rows["flip_criterion"],
            rows["flip_weight"],
            rows["flip_to_weight"],
            rows["flip_category"],
            strict=True,
        )
    ]
    table = pd.DataFrame(
        {
            "rank": [
                f"{r}=" if t else str(r) for r, t in zip(rows["rank"], rows["tied"], strict=True)
            ],
            "id": [_cell(i) for i in rows.index],
            "category": [_cell(c) for c in rows["category"]],
            "accept.": rows["acceptability"].map("{:.2f}".format).to_numpy(),
            "most likely": [
                _cell(likely) if likely != placed else ""
                for likely, placed in zip(rows["most_likely"], rows["category"], strict=True)
            ],
            "nearest flip (one weight)": flip,
            "fragile": np.where(rows["fragile"], "yes", ""),
        }
    )
    out.write(table.to_string(index=False) + "\n")
    fragile = rows[rows["fragile"]]
    out.write(
        f"\nFragile placements ({len(fragile)}): category acceptability below "
        f"{args.min_acceptability:g}, or the category flips when one weight moves by less "
        f"than {args.min_change:.0%} of it.\n"
    )
    for rid, row in fragile.iterrows():
        out.write(
            f"  {_cell(rid)} {_cell(row['title'])}: {_cell(row['category'])}, acceptability "
            f"{row['acceptability']:.2f} ({_cell(row['reason'])})\n"
        )
    for note in acceptability.notes:
        out.write(f"note: {printable(str(note))}\n")
