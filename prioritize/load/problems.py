"""Cleaning cells and collecting problems with their place: cells as text (cleaned once
per distinct value), numbers, required columns, blanks, duplicates and ids a reader cannot
tell apart, each problem naming file, row, column, value and what was expected (at most
:data:`MAX_LISTED` per kind).
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
from prioritize.load.identity import comparable, difference

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
    dtype = values.dtype
    if (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)  # as floats: the real part, silently
    ):
        return values.to_numpy(dtype=float, na_value=np.nan), None
    factor = factorize(values)
    parsed = pd.to_numeric(pd.Series(factor.labels, dtype=object), errors="coerce")
    return parsed.to_numpy(dtype=float, na_value=np.nan)[factor.codes], factor


def not_a_number(value: object, text: str) -> str:
    """Why a cell is not a usable number (``value`` as read, ``text`` as cleaned)."""
    if not text:
        return "missing"
    if isinstance(value, bool | np.bool_):
        return "a yes/no value, not a number"
    if isinstance(value, complex | np.complexfloating):
        return "a complex number"
    try:
        number = float(text)
    except ValueError:
        return "not a number"
    return "not a finite number" if not math.isfinite(number) else "not a number"


def collision_problems(table: Table, column: str, factor: Factor, what: str) -> list[Problem]:
    """Two different ids in one column that a reader cannot tell apart: equal once
    :func:`~prioritize.load.identity.comparable` (case, Unicode form, invisible characters).
    Each problem names both ids and the first row of each; the ids stay as typed."""
    first_label: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for code, label in enumerate(factor.labels):
        if not label:
            continue
        key = comparable(str(label))
        if key in first_label:
            pairs.append((first_label[key], code))
        else:
            first_label[key] = code
    if not pairs:
        return []
    codes, at = np.unique(factor.codes, return_index=True)
    first_row = dict(zip(codes.tolist(), at.tolist(), strict=True))

    def make(pair: int) -> Problem:
        a, b = pairs[pair]
        text_a, text_b = str(factor.labels[a]), str(factor.labels[b])
        row_a, row_b = table.row(first_row[a]), table.row(first_row[b])
        return Problem(
            f"{what} of row {row_b} differs from that of row {row_a} only by "
            f"{difference(text_a, text_b)}",
            file=table.label,
            row=row_b,
            column=column,
            value=f"{text_a} | {text_b}",
            expected=f"{what}s that differ visibly (or the same {what}, typed the same way)",
        )

    return listed(
        table,
        np.arange(len(pairs)),
        make,
        f"{what}s that differ only by case, Unicode form or invisible characters",
        column,
    )


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
