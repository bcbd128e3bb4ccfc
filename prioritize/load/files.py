"""Reading a file (CSV, XLSX or YAML), an upload, a DataFrame or records into a :class:`Table`
that remembers where each row came from. Cells are read as text, so no spreadsheet value is
ever interpreted as anything but data; column names are matched case-insensitively,
ignoring surrounding spaces, with spaces and hyphens read as underscores. Two columns whose
names match that way (``title,Title``, or ``title,title``, which pandas alone would rename
``title.1``) are an error naming both.

Every file is read within :class:`~prioritize.load.limits.Limits`: its size on disk first,
then the CSV header's columns (before pandas parses a row), an XLSX's zip directory and
used range (:mod:`~prioritize.load.xlsx`), a YAML's aliases and depth
(:mod:`~prioritize.load.bounded_yaml`); then rows, columns, cells and text per cell.

Row numbers: for CSV and XLSX the line as a spreadsheet shows it (the header is row 1, the
first data row is row 2); for YAML the item number (1 = first); for a DataFrame the index
label.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.load.bounded_yaml import read_yaml
from prioritize.load.csvfile import read_csv
from prioritize.load.identity import check_header
from prioritize.load.limits import (
    DEFAULT_LIMITS,
    FROM_LIMITS,
    Limits,
    MaxBytes,
    exceeded,
    file_limit,
)
from prioritize.load.xlsx import read_sheet

#: Files (and uploads) larger than this are refused; pass ``max_bytes=None`` to lift it.
DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_file_bytes
#: At most this many problems about cells are listed per file.
_LISTED = 50
#: What a YAML cell may hold: one value, not a list or a mapping.
_SCALARS = (str, int, float, bool, dt.date, dt.time, dt.timedelta)


@runtime_checkable
class Upload(Protocol):
    """A binary file-like object with a name (e.g. Streamlit's ``UploadedFile``)."""

    name: str

    def read(self, size: int = -1, /) -> bytes: ...


Source = str | Path | pd.DataFrame | Sequence[Mapping[str, Any]] | Upload


@dataclass(frozen=True, slots=True)
class Table:
    """A table read from a file, with where it came from."""

    frame: pd.DataFrame
    label: str
    #: Row number = index label + row_base (the reader's RangeIndex starts at 0; a wide
    #: score sheet melted to long form keeps each cell's source row). None: the label itself.
    row_base: int | None

    def row(self, position: int) -> int | str:
        label = self.frame.index[position]
        if self.row_base is None:
            return str(label)
        return int(label) + self.row_base


def read_table(
    source: Source,
    *,
    key: str | None = None,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read a CSV, XLSX or YAML file (or upload, DataFrame or list of mappings).

    Parameters
    ----------
    source
        A path, a binary file-like object with a ``name`` (an upload), a DataFrame or
        records. The file type comes from the name's suffix.
    key
        For YAML: the top-level key holding the list (``requirements``, ``scores``,
        ``members``) when the file is a mapping rather than a list.
    sheet
        For XLSX: the sheet name or number (default: the first sheet).
    max_bytes
        Refuse files larger than this (default: ``limits.max_file_bytes``, 20 MiB); None:
        no limit.
    limits
        How large and complex a file may be (:class:`~prioritize.load.limits.Limits`).
        A DataFrame or records, already in memory, are not measured against them.
    """
    size_limit = file_limit(max_bytes, limits)
    if isinstance(source, pd.DataFrame):
        frame = source
        if frame.index.name is not None and frame.index.name not in frame.columns:
            frame = frame.reset_index()
        return Table(_normalise_columns(frame, "<DataFrame>", None), "<DataFrame>", None)
    if isinstance(source, list | tuple):
        records = list(source)
        _check_records(records, "<records>", None)
        return Table(_normalise_columns(pd.DataFrame(records), "<records>", None), "<records>", 1)
    if isinstance(source, Upload):
        label = str(source.name)
        data = source.read() if size_limit is None else source.read(size_limit + 1)
        _check_size(label, len(data), size_limit)
        payload: Path | io.BytesIO = io.BytesIO(data)
        suffix = Path(label).suffix.lower()
    else:
        assert isinstance(source, str | Path)
        path = Path(source)
        label = str(source)
        if not path.is_file():
            raise ValidationError(Problem("no such file", file=label, expected="an existing file"))
        _check_size(label, path.stat().st_size, size_limit)
        payload = path
        suffix = path.suffix.lower()
    header_row: int | None = 1
    if suffix in (".csv", ".txt"):
        frame = read_csv(payload, label, limits)
        base = 2
    elif suffix in (".xlsx", ".xlsm"):
        frame, label = read_sheet(payload, label, sheet, limits)
        base = 2
    elif suffix in (".yaml", ".yml"):
        frame = _read_yaml(payload, label, key, limits)
        base = 1
        header_row = None
    else:
        raise ValidationError(
            Problem(
                "unsupported file type", file=label, value=suffix, expected=".csv, .xlsx or .yaml"
            )
        )
    if frame.empty:
        raise ValidationError(
            Problem(
                "the file has no data rows", file=label, expected="a header and at least one row"
            )
        )
    if suffix not in (".xlsx", ".xlsm"):  # an XLSX frame's index already names sheet rows
        frame = frame.reset_index(drop=True)
    return Table(_normalise_columns(frame, label, header_row), label, base)


def _check_size(label: str, size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise ValidationError(
            Problem(
                f"the file is larger than the {max_bytes / 1e6:.0f} MB limit",
                file=label,
                value=f"{size / 1e6:.1f} MB"
                if size <= max_bytes + 1
                else f"more than {max_bytes / 1e6:.1f} MB",
                expected=f"at most {max_bytes / 1e6:.0f} MB (split the file, or raise the limit: "
                "max_bytes=None in the library)",
                limit="max_file_bytes",
            )
        )


def _read_yaml(
    payload: Path | io.BytesIO, label: str, key: str | None, limits: Limits
) -> pd.DataFrame:
    raw = payload.read_bytes() if isinstance(payload, Path) else payload.getvalue()
    data = read_yaml(raw, label, limits, "a YAML list of mappings")
    if data is None:
        raise ValidationError(
            Problem("the file is empty", file=label, expected="a YAML list of mappings")
        )
    if isinstance(data, Mapping) and key is not None and key in data:
        data = data[key]
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise ValidationError(
            Problem(
                "expected a list of mappings",
                file=label,
                value=type(data).__name__,
                expected=f"a list of mappings, or a mapping with a '{key}' list",
            )
        )
    _check_records(data, label, limits)
    return pd.DataFrame(data)


def _check_records(records: list[Any], label: str, limits: Limits | None) -> None:
    """Each item of a YAML list (or of records) is one row, each value one cell: a list or a
    mapping inside a cell is an error naming its row and column. With limits: rows,
    columns, cells and text per cell."""
    problems: list[Problem] = []
    columns: set[str] = set()
    for number, item in enumerate(records, start=1):
        if not isinstance(item, Mapping):
            continue  # pandas says what it makes of it
        for name, value in item.items():
            if value is not None and not isinstance(value, _SCALARS):
                if len(problems) < _LISTED:
                    problems.append(
                        Problem(
                            f"a {_kind_of(value)} in a cell",
                            file=label,
                            row=number,
                            column=str(name),
                            value=bounded_repr(value),
                            expected="one value (a text or a number) per cell",
                        )
                    )
            elif (
                limits is not None and isinstance(value, str) and len(value) > limits.max_cell_chars
            ):
                raise exceeded(
                    "max_cell_chars",
                    "a cell's text is too long",
                    file=label,
                    row=number,
                    column=str(name),
                    found=f"{len(value):,} characters",
                    expected=f"at most {limits.max_cell_chars:,} characters",
                )
        if limits is not None:
            columns.update(map(str, item))
            if len(columns) > limits.max_columns:
                raise exceeded(
                    "max_columns",
                    "the items have too many different keys",
                    file=label,
                    row=number,
                    found=f"more than {limits.max_columns:,} keys",
                    expected=f"at most {limits.max_columns:,} columns",
                )
    if limits is not None and len(records) > limits.max_rows:
        raise exceeded(
            "max_rows",
            "the file has too many items",
            file=label,
            found=f"{len(records):,} items",
            expected=f"at most {limits.max_rows:,} rows",
        )
    if limits is not None and len(records) * len(columns) > limits.max_cells:
        raise exceeded(
            "max_cells",
            "the file has too many cells",
            file=label,
            found=f"{len(records):,} items x {len(columns):,} keys",
            expected=f"at most {limits.max_cells:,} cells",
        )
    if problems:
        raise ValidationError(problems)


def _kind_of(value: object) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, set | frozenset):
        return "set"
    return type(value).__name__


def _normalise_columns(frame: pd.DataFrame, label: str, header_row: int | None) -> pd.DataFrame:
    """Column names lower-cased, stripped, spaces and hyphens as underscores (no copy of
    the data: pandas copies on write); two names that match are an error."""
    check_header(list(frame.columns), label, header_row)
    columns = [str(c).strip().lower().replace(" ", "_").replace("-", "_") for c in frame.columns]
    return frame.set_axis(columns, axis=1)
