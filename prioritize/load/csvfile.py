"""Reading a CSV file within limits: the header is read with the csv module before pandas
parses a row, so a header of 100,000 columns is refused at once (pandas would spend minutes
on it), a repeated column name is seen as typed (pandas alone renames ``title,title`` to
``title, title.1``), and pandas then reads at most one row more than the limits allow.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.identity import check_header
from prioritize.load.limits import Limits, exceeded


def read_csv(payload: Path | io.BytesIO, label: str, limits: Limits) -> pd.DataFrame:
    """The file as a frame of text cells (no value is interpreted), within ``limits``."""
    header = _csv_header(payload, label, limits)
    # read one row more than allowed: enough to know the file has too many
    allowed = min(limits.max_rows, limits.max_cells // max(len(header), 1))
    if isinstance(payload, io.BytesIO):
        payload.seek(0)
    try:
        frame = pd.read_csv(
            payload,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=False,
            nrows=allowed + 1,
        )
    except pd.errors.EmptyDataError as exc:
        raise ValidationError(
            Problem("the file is empty", file=label, expected="a header and at least one row")
        ) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise _malformed_csv(label, exc) from exc
    if len(frame) > allowed:
        limit = "max_rows" if allowed == limits.max_rows else "max_cells"
        raise exceeded(
            limit,
            "the file has too many rows" if limit == "max_rows" else "the file has too many cells",
            file=label,
            found=f"more than {allowed:,} rows of {len(header):,} columns",
            expected=f"at most {limits.max_rows:,} rows and {limits.max_cells:,} cells",
        )
    _check_text_lengths(frame, label, limits)
    return frame


def _malformed_csv(label: str, exc: Exception) -> ValidationError:
    return ValidationError(
        Problem(
            f"malformed CSV: {exc}".strip(),
            file=label,
            expected="comma-separated values, UTF-8",
        )
    )


def _csv_header(payload: Path | io.BytesIO, label: str, limits: Limits) -> list[str]:
    """The header's column names as typed, read with the csv module before pandas sees the
    file: pandas would spend minutes on 100,000 columns, and renames a repeated name
    (``title,title`` becomes ``title, title.1``) so that the repeat goes unnoticed."""
    handle = payload.open("rb") if isinstance(payload, Path) else payload
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        names: list[str] = []
        for record in csv.reader(text):
            if any(record):  # pandas skips blank lines before the header too
                names = record
                break
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise _malformed_csv(label, exc) from exc
        raise exceeded(  # a name longer than the csv module reads (131,072 characters)
            "max_cell_chars",
            "a column name is too long",
            file=label,
            row=1,
            found=f"more than {csv.field_size_limit():,} characters",
            expected=f"at most {limits.max_cell_chars:,} characters",
        ) from exc
    except UnicodeDecodeError as exc:
        raise _malformed_csv(label, exc) from exc
    finally:
        text.detach()
        if isinstance(payload, Path):
            handle.close()
    if len(names) > limits.max_columns:
        raise exceeded(
            "max_columns",
            "the header has too many columns",
            file=label,
            row=1,
            found=f"{len(names):,} columns",
            expected=f"at most {limits.max_columns:,} columns",
        )
    for position, name in enumerate(names, start=1):
        if len(name) > limits.max_cell_chars:
            raise exceeded(
                "max_cell_chars",
                f"the name of column {position} is too long",
                file=label,
                row=1,
                found=f"{len(name):,} characters",
                expected=f"at most {limits.max_cell_chars:,} characters",
            )
    check_header(names, label, 1)
    return names


def _check_text_lengths(frame: pd.DataFrame, label: str, limits: Limits) -> None:
    for position, column in enumerate(frame.columns):
        lengths = frame.iloc[:, position].str.len().to_numpy(dtype=float, na_value=0.0)
        over = np.flatnonzero(lengths > limits.max_cell_chars)
        if len(over):
            raise exceeded(
                "max_cell_chars",
                "a cell's text is too long",
                file=label,
                row=int(over[0]) + 2,
                column=str(column),
                found=f"{int(lengths[over[0]]):,} characters",
                expected=f"at most {limits.max_cell_chars:,} characters",
            )
