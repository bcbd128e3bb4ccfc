"""Cleaning cells and collecting problems with their place: cells as text (cleaned once
per distinct value), numbers, required columns, blanks and duplicates, each problem naming
file, row, column, value and what was expected (at most :data:`MAX_LISTED` per kind).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Table

#: At most this many problems of one kind are listed per column (the count says the rest).
MAX_LISTED = 50


def cell_text(value: object) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class Factor:
    """A column as codes into its distinct cleaned texts (``labels[codes]`` is the column).

    Cleaning (text, stripped; a missing cell is '') runs once per distinct value, not once
    per row: a million scores have a few thousand distinct keys.
    """

    codes: np.ndarray
    labels: np.ndarray

    @property
    def text(self) -> np.ndarray:
        return np.asarray(self.labels[self.codes], dtype=object)


def factorize(values: pd.Series) -> Factor:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array(
        [cell_text(u) for u in np.asarray(uniques, dtype=object)] + [""], dtype=object
    )
    codes = np.where(codes < 0, len(uniques), codes)  # a missing cell is the '' label
    # distinct raw values may clean to the same text (' R1' and 'R1'): merge them
    merged, labels = pd.factorize(cleaned)
    return Factor(merged[codes].astype(np.intp), np.asarray(labels, dtype=object))


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, Factor | None]:
    """A column as floats (NaN where not a number) and, for text input, its factor (to quote
    offending cells)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan), None
    factor = factorize(values)
    parsed = pd.to_numeric(pd.Series(factor.labels, dtype=object), errors="coerce")
    return parsed.to_numpy(dtype=float, na_value=np.nan)[factor.codes], factor


def require_columns(table: Table, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in table.frame.columns]
    if missing:
        raise ValidationError(
            Problem(
                f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                file=table.label,
                row=1 if table.row_base == 2 else None,
                value=", ".join(map(str, table.frame.columns)),
                expected=f"columns {', '.join(required)}",
            )
        )


def listed(
    table: Table, positions: np.ndarray, make: Any, summary: str, column: str
) -> list[Problem]:
    problems = [make(int(p)) for p in positions[:MAX_LISTED]]
    if len(positions) > MAX_LISTED:
        problems.append(
            Problem(
                f"{len(positions) - MAX_LISTED} more rows: {summary}",
                file=table.label,
                column=column,
            )
        )
    return problems


def blank_problems(table: Table, column: str, factor: Factor, what: str) -> list[Problem]:
    blank_labels = np.flatnonzero(factor.labels == "")
    if not len(blank_labels):
        return []
    positions = np.flatnonzero(np.isin(factor.codes, blank_labels))
    return listed(
        table,
        positions,
        lambda p: Problem(
            f"missing {what}",
            file=table.label,
            row=table.row(p),
            column=column,
            value="",
            expected=f"a non-empty {what}",
        ),
        f"missing {what}",
        column,
    )


def duplicate_problems(
    table: Table, factors: Sequence[Factor], columns: Sequence[str], what: str
) -> list[Problem]:
    sizes = tuple(max(len(f.labels), 1) for f in factors)
    if float(np.prod(sizes, dtype=float)) < 2.0**62:
        key = pd.Series(np.ravel_multi_index(tuple(f.codes for f in factors), sizes))
    else:  # too many distinct keys to pack in one integer
        key = pd.Series(list(zip(*(f.codes for f in factors), strict=True)))
    duplicated = key.duplicated(keep="first").to_numpy()
    if not duplicated.any():
        return []
    first_at = pd.Series(np.arange(len(key))).groupby(key.to_numpy()).transform("min")
    first = first_at.to_numpy()

    def make(p: int) -> Problem:
        value = " / ".join(str(f.labels[f.codes[p]]) for f in factors)
        return Problem(
            f"duplicate {what} (first at row {table.row(int(first[p]))})",
            file=table.label,
            row=table.row(p),
            column=", ".join(columns),
            value=value,
            expected=f"each {what} once",
        )

    return listed(table, np.flatnonzero(duplicated), make, f"duplicate {what}", ", ".join(columns))


def text_frame(table: Table, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns (all of them, missing ones as '') as cleaned text."""
    out = {}
    for column in columns:
        if column in table.frame.columns:
            text = factorize(table.frame[column]).text
        else:
            text = np.full(len(table.frame), "", dtype=object)
        out[column] = pd.Series(text, index=table.frame.index, dtype=object)
    return pd.DataFrame(out, index=table.frame.index)


def finite_number(value: object) -> float | None:
    """A finite int or float (not a bool) as a float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
