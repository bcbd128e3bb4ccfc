"""Reading a weight proposal from the command line: ``--set criterion=value`` pairs,
``--judge MORE>LESS=N`` AHP judgements or a judgements file, and a pairwise matrix file
for ``prioritize weights ahp``. Every number is read as a number (fractions with
:class:`fractions.Fraction`, never evaluated); a bad one is named with its file, row and
column. What the numbers must add up to is the core's rule (:func:`prioritize.weights.elicit`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from prioritize.cli.terminal import printable
from prioritize.errors import Problem, ValidationError
from prioritize.load.csvfile import read_csv
from prioritize.load.files import read_table
from prioritize.load.limits import DEFAULT_LIMITS, exceeded

__all__ = ["answer_from_args", "parse_pairs", "read_pairwise_matrix"]

#: At most this many problems about a matrix file's cells are listed.
_LISTED = 50
_INTEGER = re.compile(r"[+-]?\d+")


def _cell(value: object) -> str:
    return printable(str(value), one_line=True)


def _number(
    text: str, what: str, column: str, *, file: str | None = None, row: int | None = None
) -> float | int:
    """A number as typed (an integer stays an integer, so stored answers read as typed)."""
    text = text.strip()
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        raise ValidationError(
            Problem(
                f"{what} is not a number",
                file=file,
                row=row,
                column=column,
                value=text,
                expected="a number such as 40 or 12.5",
            )
        ) from None


def parse_pairs(items: Sequence[str], option: str) -> dict[str, float | int]:
    """``criterion=value`` items as a mapping; a criterion given twice is refused."""
    values: dict[str, float | int] = {}
    problems: list[Problem] = []
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(
                Problem(
                    f"{option} needs CRITERION=VALUE",
                    column=option,
                    value=item,
                    expected="e.g. cost=40",
                )
            )
        elif key in values:
            problems.append(
                Problem(
                    f"{option} gives a criterion twice",
                    column=key,
                    value=item,
                    expected="each criterion once",
                )
            )
        else:
            try:
                values[key] = _number(text, f"the value for {key!r}", key)
            except ValidationError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return values


def _judgements_from_options(items: Sequence[str]) -> list[list[object]]:
    judgements: list[list[object]] = []
    problems: list[Problem] = []
    for item in items:
        pair, sep, text = item.rpartition("=")
        more, gt, less = pair.partition(">")
        if not sep or not gt or not more.strip() or not less.strip():
            problems.append(
                Problem(
                    "--judge needs MORE>LESS=INTENSITY",
                    column="--judge",
                    value=item,
                    expected="e.g. customer_impact>cost=5 (intensity 1..9, 1 = equal)",
                )
            )
            continue
        try:
            judgements.append([more.strip(), less.strip(), _number(text, "the intensity", item)])
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return judgements


def _judgements_from_file(path: Path) -> list[list[object]]:
    table = read_table(path)
    label = table.label
    missing = [c for c in ("more", "less", "intensity") if c not in table.frame.columns]
    if missing:
        raise ValidationError(
            Problem(
                "the judgements file misses columns",
                file=label,
                value=", ".join(missing),
                expected="columns more, less, intensity",
            )
        )
    judgements: list[list[object]] = []
    problems: list[Problem] = []
    for position, (more, less, text) in enumerate(
        table.frame[["more", "less", "intensity"]].itertuples(index=False)
    ):
        try:
            intensity = _number(
                str(text), "the intensity", "intensity", file=label, row=int(table.row(position))
            )
        except ValidationError as exc:
            problems.extend(exc.problems)
            continue
        judgements.append([str(more).strip(), str(less).strip(), intensity])
    if problems:
        raise ValidationError(problems[:_LISTED])
    return judgements


def answer_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The answer :func:`prioritize.weights.elicit` reads, from the options given."""
    if args.method == "ahp":
        if args.values:
            raise ValidationError(
                Problem(
                    "an AHP proposal is made of judgements, not --set values",
                    column="--set",
                    expected="--judge MORE>LESS=INTENSITY for each pair, or --file",
                )
            )
        if bool(args.judgements) == (args.file is not None):
            raise ValidationError(
                Problem(
                    "give the AHP judgements either with --judge or with --file",
                    column="--judge",
                    expected="--judge MORE>LESS=INTENSITY for each pair, or --file pairs.csv",
                )
            )
        judgements = (
            _judgements_from_file(args.file)
            if args.file is not None
            else _judgements_from_options(args.judgements)
        )
        return {"judgements": judgements}
    if args.judgements or args.file is not None:
        raise ValidationError(
            Problem(
                f"a {args.method!r} proposal is given with --set, not with --judge or --file",
                column="--judge" if args.judgements else "--file",
                expected="--set CRITERION=VALUE for each criterion",
            )
        )
    if not args.values:
        raise ValidationError(
            Problem(
                f"no values given for the {args.method!r} proposal",
                column="--set",
                expected="--set CRITERION=VALUE for each criterion",
            )
        )
    key = {"points": "points", "swing": "ratings", "rank": "ranks"}[args.method]
    return {key: parse_pairs(args.values, "--set")}


# --- printing -------------------------------------------------------------------------------


def read_pairwise_matrix(path: Path) -> pd.DataFrame:
    """A pairwise matrix from a CSV file, read within the input limits: the first column
    and the header name the same criteria, each cell a number or a fraction (``1/3``),
    parsed by :class:`fractions.Fraction` (nothing is evaluated). Positivity and
    reciprocity are :func:`~prioritize.weights.ahp_weights`' to check."""
    label = str(path)
    if not path.is_file():
        raise ValidationError(Problem("no such file", file=label, expected="an existing file"))
    size, limit = path.stat().st_size, DEFAULT_LIMITS.max_file_bytes
    if limit is not None and size > limit:
        raise exceeded(
            "max_file_bytes",
            "the file is too large",
            file=label,
            found=f"{size:,} bytes",
            expected=f"at most {limit:,} bytes",
        )
    frame = read_csv(path, label, DEFAULT_LIMITS)
    if frame.empty:
        raise ValidationError(
            Problem(
                "the file has no rows of judgements",
                file=label,
                expected="a header naming the criteria and one row per criterion",
            )
        )
    criteria = [str(c).strip() for c in frame.columns[1:]]
    labels = [str(v).strip() for v in frame.iloc[:, 0]]
    if len(set(labels)) != len(labels) or sorted(labels) != sorted(criteria):
        raise ValidationError(
            Problem(
                "the first column and the header must name the same criteria, each once",
                file=label,
                value=f"rows {', '.join(labels)}; columns {', '.join(criteria)}",
                expected="a square matrix: row labels in the first column, the same "
                "criteria as column names",
            )
        )
    values = [[0.0] * len(criteria) for _ in labels]
    problems: list[Problem] = []
    for i, row in enumerate(frame.iloc[:, 1:].itertuples(index=False)):
        for j, text in enumerate(row):
            try:
                values[i][j] = float(Fraction(str(text).strip()))
            except (ValueError, ZeroDivisionError, OverflowError):
                problems.append(
                    Problem(
                        "a judgement must be a number or a fraction",
                        file=label,
                        row=i + 2,  # the header is row 1
                        column=criteria[j],
                        value=str(text),
                        expected="a positive number such as 3, 0.5 or 1/3",
                    )
                )
    if problems:
        raise ValidationError(problems[:_LISTED])
    return pd.DataFrame(values, index=labels, columns=criteria)
