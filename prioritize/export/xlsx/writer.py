"""A small, fast writer of xlsx workbooks: column-oriented sheets of text, numbers and
booleans with a styled, frozen, filterable header row.

Why not openpyxl (which the package uses to *read* workbooks): the portfolio of 5,000
requirements scored by 12 members has a Scores sheet of 600,000 rows; openpyxl's write-only
mode needs 35 to 65 s for that sheet alone and XlsxWriter's constant-memory mode about 35 s
on the reference machine, because both build every cell in Python. This writer builds the
sheet XML column by column with numpy (every text is stored once in the shared-string table
and cells refer to it by number), and the whole workbook takes about 3 s. See
``benchmarks/bench_export.py`` and BENCHMARKS.md.

What it guarantees:

* No formula cell is ever written: text is always a shared-string cell (``t="s"``), so
  neither ``=...`` nor ``#N/A`` can become a formula or an error value. Formula-like text
  (:func:`prioritize.export.text.is_formula_like`) also gets the ``quotePrefix`` style.
* Text a workbook cannot hold is replaced or cut with a warning
  (:func:`prioritize.export.text.sanitize`); a carriage return is kept (``&#13;``) and a
  literal ``_xHHHH_`` is escaped as ECMA-376 asks, so Excel shows the text as given. Sheet
  names and the document properties (title, creator) follow the same rule
  (:func:`prioritize.export.text.sanitize_text`), so every part is well-formed XML.
* Numbers are written with the shortest decimal that reads back as the same float; NaN is
  an empty cell; an infinite value is the text ``inf`` or ``-inf``.
* The same sheets and ``created`` time give the same bytes (fixed zip entry order,
  timestamps and attributes).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

import numpy as np

from prioritize.export.text import sanitize_text
from prioritize.export.xlsx.cells import (
    BOOL,
    EMPTY,
    NUMBER,
    TEXT,
    Encoded,
    SharedStrings,
    encode_column,
)
from prioritize.export.xlsx.ooxml import (
    MAIN,
    REL,
    XML_DECL,
    Style,
    StyleTable,
    column_letter,
    package_parts,
    zip_entry,
)

__all__ = ["HEADER", "MAX_ROWS", "Column", "Sheet", "Style", "column_letter", "write_workbook"]

#: Rows an Excel sheet holds, header included.
MAX_ROWS = 1_048_576
#: Rows turned into XML at a time (bounds the memory of the Scores sheet).
_CHUNK = 50_000

# Characters Excel refuses in a sheet name.
_NOT_IN_SHEET_NAMES = re.compile(r"[:\\/?*\[\]]")


#: No formatting.
_PLAIN = Style()
#: The header row's style.
HEADER = Style(bold=True, fill="#D9D9D9")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet.

    ``values``: a bool array (booleans), an int or float array (numbers; NaN is an empty
    cell) or an object array of ``str`` (text; ``None`` and ``""`` are empty cells).
    ``styles`` with ``style_index`` choose a style per row (e.g. a category's fill).
    ``width`` is in characters (``None``: fitted to the content, at most 50).
    """

    header: str
    values: np.ndarray
    style: Style = _PLAIN
    styles: tuple[Style, ...] = ()
    style_index: np.ndarray | None = None
    width: float | None = None
    header_style: Style = HEADER


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet: a header row and columns of equal length.

    ``freeze`` is the top-left cell of the part that scrolls (``"A2"``: the header row
    stays; ``"C2"``: also the first two columns).
    """

    name: str
    columns: tuple[Column, ...]
    freeze: str = "A2"
    autofilter: bool = True

    @property
    def n_rows(self) -> int:
        """Data rows (the header excluded)."""
        return len(self.columns[0].values) if self.columns else 0


@dataclass(slots=True)
class _SheetPlan:
    sheet: Sheet
    header: list[Encoded]
    cells: list[Encoded]
    widths: list[float]


def _plan(sheet: Sheet, styles: StyleTable, strings: SharedStrings) -> _SheetPlan:
    if not sheet.columns:
        raise ValueError(f"sheet {sheet.name!r} has no columns")
    n = sheet.n_rows
    if n + 1 > MAX_ROWS:
        raise ValueError(f"sheet {sheet.name!r} has {n:,} rows; a sheet holds {MAX_ROWS - 1:,}")
    header, cells, widths = [], [], []
    for column in sheet.columns:
        if len(column.values) != n:
            raise ValueError(
                f"column {column.header!r} of sheet {sheet.name!r} has "
                f"{len(column.values)} rows, expected {n}"
            )
        where = f"{sheet.name} sheet, column {column.header!r}"
        head = encode_column(
            np.array([column.header], dtype=object),
            [column.header_style],
            None,
            styles,
            strings,
            where + " (header)",
        )
        base = column.styles or (column.style,)
        body = encode_column(
            np.asarray(column.values),
            base,
            None if not column.styles else column.style_index,
            styles,
            strings,
            where,
        )
        header.append(head)
        cells.append(body)
        fitted = max(body.width, min(head.width + 2, 40.0))  # room for the filter button
        widths.append(column.width if column.width is not None else min(fitted, 50.0))
    return _SheetPlan(sheet, header, cells, widths)


def _rows_xml(
    cells: list[Encoded],
    start: int,
    stop: int,
    first_row: int,
    mids: np.ndarray,
    letters: list[str],
) -> str:
    """XML of rows ``start:stop`` of the columns, numbered from ``first_row``."""
    m = stop - start
    numbers = np.arange(first_row, first_row + m).astype(str).astype(object)
    pieces = np.empty((m, 3 + 5 * len(cells) + 1), dtype=object)
    pieces[:, 0] = '<row r="'
    pieces[:, 1] = numbers
    pieces[:, 2] = '">'
    for j, cell in enumerate(cells):
        k = 3 + 5 * j
        kind = cell.kind[start:stop]
        pieces[:, k] = f'<c r="{letters[j]}'
        pieces[:, k + 1] = numbers
        pieces[:, k + 2] = mids[cell.style[start:stop] * 3 + np.maximum(kind, 0)]
        pieces[:, k + 3] = cell.value[start:stop]
        pieces[:, k + 4] = "</v></c>"
        empty = kind == EMPTY
        if empty.any():
            pieces[empty, k : k + 5] = ""
    pieces[:, -1] = "</row>"
    return "".join(pieces.ravel().tolist())


def _mids(n_styles: int) -> np.ndarray:
    """``'" s="7" t="s"><v>'`` and the like, indexed by ``style * 3 + kind``."""
    out = np.empty(3 * n_styles, dtype=object)
    for s in range(n_styles):
        attr = f' s="{s}"' if s else ""
        out[3 * s + NUMBER] = f'"{attr}><v>'
        out[3 * s + TEXT] = f'"{attr} t="s"><v>'
        out[3 * s + BOOL] = f'"{attr} t="b"><v>'
    return out


def _pane(freeze: str) -> str:
    match = re.fullmatch(r"([A-Z]+)(\d+)", freeze)
    if match is None or freeze == "A1":
        return ""
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    x, y = column - 1, int(match.group(2)) - 1
    if x and y:
        top_right, bottom_left = f"{match.group(1)}1", f"A{y + 1}"
        return (
            f'<pane xSplit="{x}" ySplit="{y}" topLeftCell="{freeze}" '
            'activePane="bottomRight" state="frozen"/>'
            f'<selection pane="topRight" activeCell="{top_right}" sqref="{top_right}"/>'
            f'<selection pane="bottomLeft" activeCell="{bottom_left}" '
            f'sqref="{bottom_left}"/>'
            f'<selection pane="bottomRight" activeCell="{freeze}" sqref="{freeze}"/>'
        )
    if y:
        return (
            f'<pane ySplit="{y}" topLeftCell="{freeze}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{freeze}" '
            f'sqref="{freeze}"/>'
        )
    return (
        f'<pane xSplit="{x}" topLeftCell="{freeze}" activePane="topRight" state="frozen"/>'
        f'<selection pane="topRight" activeCell="{freeze}" sqref="{freeze}"/>'
    )


def _write_sheet(stream: IO[bytes], plan: _SheetPlan, mids: np.ndarray, selected: bool) -> None:
    sheet = plan.sheet
    letters = [column_letter(j) for j in range(len(plan.cells))]
    last = f"{letters[-1]}{sheet.n_rows + 1}"
    cols = "".join(
        f'<col min="{j + 1}" max="{j + 1}" width="{w:.1f}" customWidth="1"/>'
        for j, w in enumerate(plan.widths)
    )
    stream.write(
        (
            f'{XML_DECL}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<dimension ref="A1:{last}"/><sheetViews><sheetView '
            + ('tabSelected="1" ' if selected else "")
            + f'workbookViewId="0">{_pane(sheet.freeze)}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        ).encode()
    )
    stream.write(_rows_xml(plan.header, 0, 1, 1, mids, letters).encode())
    for start in range(0, sheet.n_rows, _CHUNK):  # a loop over chunks bounds the memory
        stop = min(sheet.n_rows, start + _CHUNK)
        stream.write(_rows_xml(plan.cells, start, stop, start + 2, mids, letters).encode())
    tail = "</sheetData>"
    if sheet.autofilter:
        tail += f'<autoFilter ref="A1:{last}"/>'
    tail += (
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )
    stream.write(tail.encode())


def write_workbook(
    sheets: Sequence[Sheet],
    stream: IO[bytes],
    *,
    created: datetime,
    title: str = "",
    creator: str = "prioritize",
) -> None:
    """Write ``sheets`` as an xlsx workbook to a binary stream.

    Parameters
    ----------
    sheets
        The sheets, in tab order (names unique, at most 31 characters).
    stream
        A writable binary stream (a file opened ``"wb"``, a ``BytesIO``).
    created
        The workbook's creation time (document properties and zip timestamps; UTC).
    title, creator
        Document properties.

    Warns
    -----
    ExportTextWarning
        Text that a workbook cannot hold was replaced or cut.
    """
    names = [sanitize_text(s.name, f"sheet name {s.name!r}") for s in sheets]
    if len(set(names)) != len(names) or any(len(n) > 31 or not n for n in names):
        raise ValueError(f"sheet names must be unique, 1 to 31 characters: {names}")
    if any(_NOT_IN_SHEET_NAMES.search(n) or n.startswith("'") or n.endswith("'") for n in names):
        raise ValueError(f"sheet names cannot hold : \\ / ? * [ ] nor start or end with ': {names}")
    title = sanitize_text(title, "the workbook's title")
    creator = sanitize_text(creator, "the workbook's creator")
    created = created.astimezone(UTC) if created.tzinfo else created
    styles, strings = StyleTable(), SharedStrings()
    plans = [_plan(sheet, styles, strings) for sheet in sheets]
    shared = strings.finish()
    mids = _mids(len(styles.xfs))

    filters = [
        (name, len(p.cells), p.sheet.n_rows + 1) if p.sheet.autofilter else None
        for name, p in zip(names, plans, strict=True)
    ]
    parts = package_parts(
        names, filters, styles.xml(), created=created, title=title, creator=creator
    )
    with zipfile.ZipFile(stream, "w") as archive:
        for name, text in parts.items():
            archive.writestr(zip_entry(name, created), text.encode())
        for i, plan in enumerate(plans):
            with archive.open(zip_entry(f"xl/worksheets/sheet{i + 1}.xml", created), "w") as part:
                _write_sheet(part, plan, mids, selected=i == 0)
        archive.writestr(zip_entry("xl/sharedStrings.xml", created), shared.encode())
