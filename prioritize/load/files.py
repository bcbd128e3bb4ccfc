"""Reading a file (CSV, XLSX or YAML), an upload, a DataFrame or records into a :class:`Table`
that remembers where each row came from. Cells are read as text, so no spreadsheet value is
ever interpreted as anything but data; column names are matched case-insensitively,
ignoring surrounding spaces, with spaces and hyphens read as underscores.

Row numbers: for CSV and XLSX the line as a spreadsheet shows it (the header is row 1, the
first data row is row 2); for YAML the item number (1 = first); for a DataFrame the index
label.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd
import yaml

from prioritize.errors import Problem, ValidationError

#: Files (and uploads) larger than this are refused; pass ``max_bytes=None`` to lift it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


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
    max_bytes: int | None = DEFAULT_MAX_BYTES,
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
        Refuse files larger than this (default 20 MB); None: no limit.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
        if frame.index.name is not None and frame.index.name not in frame.columns:
            frame = frame.reset_index()
        return Table(_normalise_columns(frame), "<DataFrame>", None)
    if isinstance(source, list | tuple):
        return Table(_normalise_columns(pd.DataFrame(list(source))), "<records>", 1)
    if isinstance(source, Upload):
        label = str(source.name)
        data = source.read() if max_bytes is None else source.read(max_bytes + 1)
        _check_size(label, len(data), max_bytes)
        payload: Path | io.BytesIO = io.BytesIO(data)
        suffix = Path(label).suffix.lower()
    else:
        assert isinstance(source, str | Path)
        path = Path(source)
        label = str(source)
        if not path.is_file():
            raise ValidationError(Problem("no such file", file=label, expected="an existing file"))
        _check_size(label, path.stat().st_size, max_bytes)
        payload = path
        suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        frame = _read_csv(payload, label)
        base = 2
    elif suffix in (".xlsx", ".xlsm"):
        frame, label = _read_xlsx(payload, label, sheet)
        base = 2
    elif suffix in (".yaml", ".yml"):
        frame = _read_yaml(payload, label, key)
        base = 1
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
    frame = frame.reset_index(drop=True)
    return Table(_normalise_columns(frame), label, base)


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
            )
        )


def _read_csv(path: Path | io.BytesIO, label: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
        )
    except pd.errors.EmptyDataError as exc:
        raise ValidationError(
            Problem("the file is empty", file=label, expected="a header and at least one row")
        ) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError(
            Problem(
                f"malformed CSV: {exc}".strip(),
                file=label,
                expected="comma-separated values, UTF-8",
            )
        ) from exc


def _read_xlsx(
    path: Path | io.BytesIO, label: str, sheet: str | int | None
) -> tuple[pd.DataFrame, str]:
    try:
        workbook = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises a zoo of types for a broken file
        raise ValidationError(
            Problem(
                f"not a readable XLSX workbook: {exc}",
                file=label,
                expected="an .xlsx file saved by Excel or openpyxl",
            )
        ) from exc
    with workbook:
        names = [str(n) for n in workbook.sheet_names]
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            chosen = sheet
        else:
            raise ValidationError(
                Problem(
                    "no such sheet",
                    file=label,
                    value=str(sheet),
                    expected=f"one of {', '.join(names)}",
                )
            )
        # no NA guessing: a title "NA" or "null" is text, not a missing value
        frame = pd.read_excel(
            workbook, sheet_name=chosen, dtype=object, keep_default_na=False, na_values=[]
        )
    return frame, f"{label} [sheet {chosen}]"


def _read_yaml(path: Path | io.BytesIO, label: str, key: str | None) -> pd.DataFrame:
    try:
        raw = path.read_bytes() if isinstance(path, Path) else path.getvalue()
        data = yaml.safe_load(raw.decode("utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationError(
            Problem(
                f"malformed YAML: {getattr(exc, 'problem', exc)}",
                file=label,
                row=None if mark is None else mark.line + 1,
                expected="a YAML list of mappings",
            )
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(
            Problem("not a UTF-8 text file", file=label, expected="a YAML list of mappings")
        ) from exc
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
    return pd.DataFrame(data)


def _normalise_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names lower-cased, stripped, spaces and hyphens as underscores (no copy of
    the data: pandas copies on write)."""
    columns = [str(c).strip().lower().replace(" ", "_").replace("-", "_") for c in frame.columns]
    return frame.set_axis(columns, axis=1)
