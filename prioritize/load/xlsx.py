"""Reading one sheet of an XLSX workbook within limits, with the standard library only.

The workbook's zip directory is checked first (:mod:`~prioritize.load.xlsx_parts`). The
sheet is then streamed cell by cell: only cells that hold a value are kept, and the used
range (up to the last cell with a value, not the range the file claims) is checked against
the row, column, cell and text limits as it grows, so a sparse sheet with one cell at XFD2
and one at A1048576 is refused at the first of them instead of becoming a million-row
frame. (pandas' reader, through openpyxl, fills every gap with empty cells.)

The sheet becomes a frame of cell values as pandas' reader gave them: text as text, whole
numbers as ``int``, other numbers as ``float``, booleans, date-formatted numbers as
datetimes; an empty or error cell is ``""``. The first row with a value is the header;
blank rows are skipped, and every data row keeps its row number in the sheet (index label
= row number - 2, so that :meth:`~prioritize.load.files.Table.row` names it).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from array import array
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd

from prioritize.errors import ValidationError
from prioritize.load.limits import Limits, exceeded
from prioritize.load.xlsx_parts import (
    DURATION,
    SheetPart,
    Workbook,
    check_zip,
    item_text,
    unreadable,
)

_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
_COLUMNS: dict[str, int] = {}


def read_sheet(
    payload: Path | io.BytesIO, label: str, sheet: str | int | None, limits: Limits
) -> tuple[pd.DataFrame, str]:
    """The chosen sheet (default: the first) as a frame, and the label naming it.

    Raises
    ------
    ValidationError
        Not a workbook, no sheet, no such sheet, or a limit passed.
    """
    with check_zip(payload, label, limits) as archive:
        try:
            part = Workbook(archive, label, limits).sheet(sheet)
            with archive.open(part.path) as stream:
                return _SheetReader(part, limits).read(stream), part.label
        except ValidationError:
            raise
        except (zipfile.BadZipFile, ET.ParseError, KeyError, IndexError, ValueError) as exc:
            raise unreadable(label, exc) from exc


def _column_number(letters: str) -> int:
    number = _COLUMNS.get(letters)
    if number is None:
        if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isupper()):
            raise ValueError(f"cell reference with column {letters[:10]!r}")
        number = 0
        for letter in letters:
            number = number * 26 + ord(letter) - 64
        _COLUMNS[letters] = number
    return number


def _column_name(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SheetReader:
    """Streams a sheet's cells, keeping only those with a value, and checks the used range
    against the limits as it grows."""

    def __init__(self, part: SheetPart, limits: Limits) -> None:
        self.label = part.label
        self.limits = limits
        self.strings = part.strings
        self.dates = part.dates
        self.epoch = _MAC_EPOCH if part.date1904 else _WINDOWS_EPOCH
        self.rows = array("q")
        self.columns = array("q")
        self.values: list[object] = []
        self.width = 0
        self.value_tag = self.inline_tag = ""  # set from the sheet's namespace

    def read(self, stream: IO[bytes]) -> pd.DataFrame:
        # The hot loop of the reader: one pass of start/end events, tags compared whole (the
        # namespace is the root's), each cell dropped from its row once read and each row
        # from the sheet, so memory holds one cell element at a time.
        row_tag = cell_tag = ""
        row: ET.Element | None = None
        rows: ET.Element | None = None
        row_number = column = 0
        had_value = False
        for event, element in ET.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if not row_tag:
                    namespace = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
                    row_tag, cell_tag = f"{namespace}row", f"{namespace}c"
                    self.value_tag, self.inline_tag = f"{namespace}v", f"{namespace}is"
                elif tag == row_tag:
                    given = element.get("r")
                    row_number = int(given) if given else row_number + 1
                    column = 0
                    had_value = False
                    row = element
                elif tag == cell_tag:
                    continue
                elif row is None:
                    rows = element  # the latest container: sheetData, once rows start
            elif tag == cell_tag:
                reference = element.get("r")
                column = _column_number(reference.rstrip("0123456789")) if reference else column + 1
                if self._cell(element, row_number, column):
                    had_value = True
                if row is not None:
                    row.remove(element)
            elif tag == row_tag:
                if had_value:
                    self._used_row(row_number)
                if rows is not None:
                    rows.remove(element)
                row = None
        return self._frame()

    def _cell(self, cell: ET.Element, row_number: int, column: int) -> bool:
        """Keep the cell if it holds a value (and say so), within the limits."""
        value = self._value(cell)
        if value is None or value == "":
            return False
        limits = self.limits
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise exceeded(
                "max_cell_chars",
                "a cell's text is too long",
                file=self.label,
                row=row_number,
                column=_column_name(column),
                found=f"{len(value):,} characters",
                expected=f"at most {limits.max_cell_chars:,} characters",
            )
        if column > limits.max_columns:
            raise exceeded(
                "max_columns",
                "a value beyond the last column allowed",
                file=self.label,
                row=row_number,
                column=_column_name(column),
                found=f"column {_column_name(column)} ({column:,})",
                expected=f"at most {limits.max_columns:,} columns",
            )
        if row_number - 1 > limits.max_rows:  # the header is row 1
            raise exceeded(
                "max_rows",
                "a value beyond the last row allowed",
                file=self.label,
                row=row_number,
                column=_column_name(column),
                found=f"row {row_number:,}",
                expected=f"at most {limits.max_rows:,} data rows after the header",
            )
        self.width = max(self.width, column)
        self.rows.append(row_number)
        self.columns.append(column)
        self.values.append(value)
        return True

    def _used_row(self, row_number: int) -> None:
        # the used range: from the header (row 1) to this row, as wide as the widest row
        if (row_number - 1) * self.width > self.limits.max_cells:
            raise exceeded(
                "max_cells",
                "the sheet's used range has too many cells",
                file=self.label,
                row=row_number,
                found=f"{row_number - 1:,} rows x {self.width:,} columns so far",
                expected=f"at most {self.limits.max_cells:,} cells",
            )

    def _value(self, cell: ET.Element) -> object:
        kind = cell.get("t") or "n"
        text: str | None = None
        for child in cell:
            if child.tag == self.value_tag:
                text = child.text
            elif child.tag == self.inline_tag:
                text = item_text(child)
        if text is None:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind in ("str", "inlineStr"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return ""  # an error value (#N/A, #DIV/0!): what pandas read as missing
        if kind == "d":
            return dt.datetime.fromisoformat(text.strip())
        number = _number(text)
        style = int(cell.get("s") or 0)
        if 0 <= style < len(self.dates) and self.dates[style]:
            return self._date(float(number), duration=self.dates[style] == DURATION)
        return number

    def _date(self, serial: float, *, duration: bool) -> object:
        # openpyxl's from_excel, which pandas' reader used
        if duration:
            return dt.timedelta(days=serial)
        day, fraction = divmod(serial, 1)
        time = dt.timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= serial < 1 and time.days == 0:
            return (dt.datetime.min + time).time()
        if 0 < serial < 60 and self.epoch == _WINDOWS_EPOCH:
            day += 1  # Excel's 29 February 1900, which never was
        try:
            return self.epoch + dt.timedelta(days=day) + time
        except OverflowError:
            return serial

    def _frame(self) -> pd.DataFrame:
        if not self.values:
            return pd.DataFrame()
        rows = np.frombuffer(self.rows, dtype=np.int64)
        columns = np.frombuffer(self.columns, dtype=np.int64) - 1
        values = np.empty(len(self.values), dtype=object)
        values[:] = self.values
        numbers, position = np.unique(rows, return_inverse=True)
        grid = np.full((len(numbers), self.width), "", dtype=object)
        grid[position, columns] = values
        names = [_headeritem_text(v) or f"Unnamed: {i}" for i, v in enumerate(grid[0])]
        index = pd.Index(numbers[1:] - 2, dtype=np.int64)
        return pd.DataFrame(grid[1:], columns=names, index=index, dtype=object)


def _headeritem_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def _number(text: str) -> int | float:
    text = text.strip()
    if not any(mark in text for mark in ".eEnN"):
        try:
            return int(text)
        except ValueError:  # too many digits for an int: a float says inf
            pass
    number = float(text)
    return int(number) if number.is_integer() else number
