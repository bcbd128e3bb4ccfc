"""Cells on their way into a sheet: each column encoded once, column-wise with numpy (numbers
as text, booleans, text as shared strings with its quote-prefix style when it starts like
a formula), and the shared-string table itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prioritize.export.text import formula_like, sanitize
from prioritize.export.xlsx.ooxml import (
    MAIN,
    XML_DECL,
    Style,
    StyleTable,
)

# Cell kinds, per row of a column.
__all__ = [
    "BOOL",
    "EMPTY",
    "NUMBER",
    "TEXT",
    "Encoded",
    "SharedStrings",
    "encode_column",
    "quote_prefixed",
]

EMPTY, NUMBER, TEXT, BOOL = -1, 0, 1, 2


# A literal "_xHHHH_" in text would be read by Excel as an escaped character.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


@dataclass(slots=True)
class Encoded:
    """A column turned into cells: kind, style id and value text per row."""

    kind: np.ndarray  # int8: EMPTY, NUMBER, TEXT, BOOL
    style: np.ndarray  # int64 xf ids
    value: np.ndarray  # object: str of the number/bool; text cells filled by SharedStrings
    text_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    text_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    width: float = 8.0


class SharedStrings:
    """The shared-string table: every distinct text once, in order of first use."""

    def __init__(self) -> None:
        self.chunks: list[np.ndarray] = []
        self.offset = 0
        self.count = 0
        self.pending: list[tuple[Encoded, int]] = []

    def add(self, encoded: Encoded, uniques: np.ndarray) -> None:
        """Register ``uniques``; ``encoded.text_codes`` index into them."""
        self.chunks.append(uniques)
        self.pending.append((encoded, self.offset))
        self.offset += len(uniques)
        self.count += len(encoded.text_rows)

    def finish(self) -> str:
        """Fill every registered column's text cells; the ``sharedStrings.xml`` text."""
        every = np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=object)
        codes, table = pd.factorize(every)
        numbers = np.arange(len(table)).astype(str).astype(object)
        for encoded, offset in self.pending:
            encoded.value[encoded.text_rows] = numbers[codes[offset + encoded.text_codes]]
        texts = np.asarray(table, dtype=object).tolist()
        # One pass of C-level replaces over all texts joined by NUL, a character that
        # sanitize() has removed from every text.
        body = "\0".join(texts)
        body = (
            body.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\r", "&#13;")
        )
        body = _ESCAPE_LIKE.sub(r"_x005F_\1", body)
        open_si = '<si><t xml:space="preserve">'
        items = open_si + body.replace("\0", "</t></si>" + open_si) + "</t></si>" if texts else ""
        return (
            f'{XML_DECL}<sst xmlns="{MAIN}" count="{self.count}" '
            f'uniqueCount="{len(texts)}">{items}</sst>'
        )


def kind_of(values: np.ndarray) -> str:
    if values.dtype == bool:
        return "bool"
    if np.issubdtype(values.dtype, np.number):
        return "number"
    return "text"


def put_numbers(
    kind: np.ndarray, value: np.ndarray, rows: np.ndarray, numbers: np.ndarray, texts: np.ndarray
) -> float:
    """Number cells at ``rows``; an infinite value becomes the text ``inf`` or ``-inf`` in
    ``texts``. Returns the width the numbers need."""
    floats = numbers.astype(np.float64)
    finite = np.isfinite(floats)
    # Format each distinct number once (a score column holds a handful).
    if np.issubdtype(numbers.dtype, np.integer):
        codes, distinct_ints = pd.factorize(numbers)  # exact, even beyond 2**53
        distinct_text = np.asarray(distinct_ints).astype(str)
    else:
        codes, found = pd.factorize(floats[finite])
        distinct = np.asarray(found, dtype=np.float64)
        # astype(str) gives the shortest text that reads back as the same float; whole
        # numbers are written without ".0" so that they read back as integers.
        whole = (np.trunc(distinct) == distinct) & (np.abs(distinct) < 2.0**53)
        distinct_text = distinct.astype(str)
        if whole.any():
            distinct_text = np.where(
                whole, np.where(whole, distinct, 0).astype(np.int64).astype(str), distinct_text
            )
    text = np.full(len(floats), "", dtype=object)
    text[finite] = distinct_text.astype(object)[codes]
    kind[rows[finite]] = NUMBER
    value[rows[finite]] = text[finite]
    infinite = np.isinf(floats)
    texts[rows[infinite]] = np.where(floats[infinite] < 0, "-inf", "inf").astype(object)
    return float(min(distinct_text.dtype.itemsize // 4, 12)) if len(distinct_text) else 0.0


def encode_column(
    values: np.ndarray,
    base: Sequence[Style],
    style_index: np.ndarray | None,
    styles: StyleTable,
    strings: SharedStrings,
    where: str,
) -> Encoded:
    n = len(values)
    kind = np.full(n, EMPTY, dtype=np.int8)
    value = np.full(n, "", dtype=object)
    which = np.zeros(n, dtype=np.int64) if style_index is None else np.asarray(style_index)
    plain = np.array([styles.id(s) for s in base], dtype=np.int64)
    quoted = np.array([styles.id(quote_prefixed(s)) for s in base], dtype=np.int64)
    style = plain[which]
    column_kind = kind_of(values)
    if column_kind == "bool":
        kind[:] = BOOL
        value[:] = np.where(values, "1", "0").astype(object)
        return Encoded(kind, style, value, width=7.0)
    texts = np.full(n, None, dtype=object)
    width = 0.0
    if column_kind == "number":
        width = put_numbers(kind, value, np.arange(n), values, texts)
    else:
        texts = values.astype(object, copy=False)
        # (pd.factorize below reads None, NaN and pd.NA among texts as empty cells)
        if n and pd.api.types.infer_dtype(texts, skipna=True) not in ("string", "empty"):
            texts = texts.copy()
            texts[pd.isna(texts)] = None
            # A column mixing numbers, booleans and text (the About sheet, a column with
            # gaps): numbers stay numbers and booleans booleans.
            is_bool = np.fromiter(
                (isinstance(v, bool | np.bool_) for v in texts), dtype=bool, count=n
            )
            is_number = ~is_bool & np.fromiter(
                (isinstance(v, int | float | np.number) for v in texts), dtype=bool, count=n
            )
            rows = np.flatnonzero(is_number)
            numbers = np.array(texts[rows].tolist())
            if not np.issubdtype(numbers.dtype, np.number):
                numbers = numbers.astype(np.float64)  # NaN: an empty cell
            truth = np.flatnonzero(is_bool)
            kind[truth] = BOOL
            value[truth] = np.where(texts[truth].astype(bool), "1", "0").astype(object)
            texts = np.array(
                [
                    None if number or v is None or isinstance(v, bool | np.bool_) else str(v)
                    for v, number in zip(texts, is_number, strict=True)
                ],
                dtype=object,
            )
            width = put_numbers(kind, value, rows, numbers, texts)
    codes, found = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    uniques: np.ndarray = np.asarray(found, dtype=object)
    blank = np.append(uniques == "", True)  # the sentinel -1 picks the last entry
    rows = np.flatnonzero(~blank[codes])
    uniques = sanitize(uniques, where)
    kind[rows] = TEXT
    quote = formula_like(uniques)[codes[rows]]
    style[rows] = np.where(quote, quoted[which[rows]], plain[which[rows]])
    encoded = Encoded(kind, style, value, rows, codes[rows])
    strings.add(encoded, uniques)
    if len(uniques):
        lengths = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
        width = max(width, float(lengths.max()))
    encoded.width = max(width, 6.0) + 2
    return encoded


def quote_prefixed(style: Style) -> Style:
    return Style(
        style.bold,
        style.fill,
        style.font_colour,
        style.number_format,
        style.wrap,
        quote_prefix=True,
    )
