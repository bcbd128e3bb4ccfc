"""User text on its way out to a spreadsheet (CSV or xlsx) or a JSON file: what would be read
as a formula, what cannot be held, and how each is handled. One rule for every output.

Rules (a file is opened by people who trust it, so no cell may run as a formula):

* **Formula-like text** -- text whose first character is ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return, also after leading whitespace (and the full-width forms ``＝ ＋ －
  ＠`` that some input methods produce).

  - In the **workbook** such text is written unchanged as a *string* cell (never a formula
    cell) with the ``quotePrefix`` style, the equivalent of typing a leading apostrophe in
    Excel: it shows as typed, and editing it does not turn it into a formula. A cell is
    never split, so only its start matters.
  - In a **CSV** file, which has no types, a reader may start a cell *inside* a field: after
    a line break (a reader that splits rows before it reads quotes), after ``;`` or ``,``
    (a spreadsheet whose list separator is not the file's) or after a tab (a tab-separated
    reading). So every *cell start* -- the start of the field and the character after each
    of :data:`CELL_BREAKS` -- is checked: when what follows it, up to the next cell break and
    skipping whitespace, apostrophes and double quotes, starts with a trigger, an
    apostrophe ``'`` is put there (the OWASP "CSV injection" advice). ``x;=2+5;`` becomes
    ``x;'=2+5;`` and ``a\\n-b`` becomes ``a\\n'-b``. Line breaks are kept, not replaced with
    spaces: a quoted field holds them, and what the user typed stays exactly recoverable:
    :func:`csv_unquote` takes every such apostrophe off again (an apostrophe the user typed
    before a trigger gets one more, so the two never mix up).
  - Every text field of a CSV file is quoted (``"..."``, quotes doubled), whatever it holds:
    a reader cannot split a field on a separator of either locale or on a line break.
    Numbers and booleans are written bare, so they stay numbers (a negative number is a
    number, not a formula).
  - **JSON** is data, not a spreadsheet: text is written exactly as it is (no apostrophe).
    So that printing a JSON file cannot drive a terminal, C1 controls, bidirectional
    overrides, line separators and lone surrogates are written as ``\\uXXXX`` escapes (C0
    controls always are), which read back as the same text (:func:`json_text`).
* **Characters a spreadsheet cannot hold** -- XML 1.0 forbids the control characters
  U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, the non-characters U+FFFE and U+FFFF and
  lone surrogates. In the workbook (cells, sheet names, document properties) and in a CSV
  file meant for a spreadsheet they are replaced with U+FFFD (the replacement character) and
  an :class:`ExportTextWarning` says where; nothing is dropped silently.
* **Over-long text** -- a workbook cell holds at most 32,767 characters; longer text is cut
  there, with an :class:`ExportTextWarning`. A CSV field is never cut.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import ExportTextWarning, ExportWarning

__all__ = [
    "CELL_BREAKS",
    "MAX_CELL_TEXT",
    "ExportTextWarning",
    "ExportWarning",
    "csv_quote",
    "csv_table",
    "csv_unquote",
    "formula_like",
    "is_formula_like",
    "json_text",
    "sanitize",
    "sanitize_text",
]

#: The most characters an Excel cell holds.
MAX_CELL_TEXT = 32_767

#: First characters that make a spreadsheet read text as a formula (or a DDE call).
FORMULA_TRIGGERS = "=+-@\t\r＝＋－＠"

#: Characters after which a CSV reader may start a new cell inside a field: the line breaks
#: of CSV readers and of ``str.splitlines``, both list separators, and the tab.
CELL_BREAKS = "\r\n,;\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Leading whitespace is skipped, except tab and CR, which are triggers themselves.
_FORMULA_LIKE = re.compile(r"[^\S\t\r]*[" + re.escape(FORMULA_TRIGGERS) + "]")
_BREAKS = "[" + re.escape(CELL_BREAKS) + "]"
# What a cell's reader skips before the first character that counts: whitespace, an
# apostrophe, a double quote (a reader that sees ``""=1`` may take the quotes as CSV quoting),
# never beyond the next cell break.
_LOOKS_LIKE_FORMULA = r"(?=(?:(?!" + _BREAKS + r")[\s'\"])*[" + re.escape(FORMULA_TRIGGERS) + "])"
_CELL_START = r"(?:\A|(?<=" + _BREAKS + "))"
_NEEDS_APOSTROPHE = re.compile(_CELL_START + _LOOKS_LIKE_FORMULA)
_PROTECTING_APOSTROPHE = re.compile(_CELL_START + "'" + _LOOKS_LIKE_FORMULA)
_CSV_TRIGGER = re.compile("[" + re.escape(FORMULA_TRIGGERS) + "]")

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"
# Characters a JSON file writes as \uXXXX escapes: DEL and C1 controls, the Arabic letter
# mark, directional marks, embeddings, overrides and isolates, line and paragraph
# separators, lone surrogates.
_JSON_ESCAPED = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula if it were typed in.

    >>> is_formula_like("=HYPERLINK(A1)"), is_formula_like("  -1"), is_formula_like("a=b")
    (True, True, False)
    """
    return _FORMULA_LIKE.match(text) is not None


def formula_like(texts: np.ndarray) -> np.ndarray:
    """:func:`is_formula_like` of every text in an object array, as a boolean array."""
    return np.fromiter(map(bool, map(_FORMULA_LIKE.match, texts)), dtype=bool, count=len(texts))


def _protect(text: str) -> str:
    if _CSV_TRIGGER.search(text) is None:
        return text  # the usual case: nothing to look at
    return _NEEDS_APOSTROPHE.sub("'", text)


def csv_quote(texts: np.ndarray) -> np.ndarray:
    """The texts with an apostrophe at every cell start that a spreadsheet would read as a
    formula (for CSV files; see the module's rules).

    A cell start already holding apostrophes before something formula-like gets one more,
    so that :func:`csv_unquote` gives every text back exactly.

    >>> csv_quote(np.array(["=1+1", "fine", "'=1", "x;=2+5;", "a\\n-b"], dtype=object)).tolist()
    ["'=1+1", 'fine', "''=1", "x;'=2+5;", "a\\n'-b"]
    """
    out = np.array(texts, dtype=object, copy=True)
    out[:] = [_protect(text) for text in out]
    return out


def csv_unquote(text: str) -> str:
    """Undo :func:`csv_quote` on one text: drop the apostrophe at each cell start that
    protects a formula-like text (any other apostrophe is the user's and is kept).

    >>> csv_unquote("'=1+1"), csv_unquote("'quoted'"), csv_unquote("''=1")
    ('=1+1', "'quoted'", "'=1")
    >>> csv_unquote("x;'=2+5;")
    'x;=2+5;'
    """
    if "'" not in text:
        return text
    return _PROTECTING_APOSTROPHE.sub("", text)


def sanitize(
    texts: np.ndarray,
    where: str,
    *,
    max_length: int | None = MAX_CELL_TEXT,
    stacklevel: int = 5,
) -> np.ndarray:
    """Replace characters a spreadsheet cannot hold and cut over-long texts, warning for each.

    Parameters
    ----------
    texts
        Object array of ``str``.
    where
        Where the texts go (e.g. ``"Scores sheet, column 'reason'"``), for the warning.
    max_length
        Cut texts longer than this (``None``: never cut, as in a CSV file).
    stacklevel
        Of the warning (the default points past the xlsx writer to its caller).

    Returns
    -------
    numpy.ndarray
        The same array when nothing needed changing, else a changed copy.

    Warns
    -----
    ExportTextWarning
        Text was changed.
    """
    if len(texts) == 0:
        return texts
    joined = "".join(texts.tolist())
    illegal = _ILLEGAL.search(joined) is not None
    too_long = (
        max_length is not None
        and len(joined) > max_length
        and bool(
            (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) > max_length).any()
        )
    )
    if not illegal and not too_long:
        return texts
    out = np.array(texts, dtype=object, copy=True)
    if illegal:
        # The rare path: only here is each text looked at on its own.
        hit = np.fromiter((_ILLEGAL.search(t) is not None for t in out), dtype=bool, count=len(out))
        out[hit] = [_ILLEGAL.sub(_REPLACEMENT, t) for t in out[hit]]
        _warn(
            f"{where}: {int(hit.sum())} text(s) held characters a spreadsheet cannot hold "
            f"(control characters, U+FFFE/U+FFFF or lone surrogates), e.g. "
            f"{_example(texts[hit])}; each was replaced with U+FFFD",
            stacklevel,
        )
    if too_long and max_length is not None:
        lengths = np.fromiter(map(len, out), dtype=np.int64, count=len(out))
        hit = lengths > max_length
        out[hit] = [t[:max_length] for t in out[hit]]
        _warn(
            f"{where}: {int(hit.sum())} text(s) longer than a cell holds "
            f"({max_length:,} characters, the longest {int(lengths.max()):,}) were cut",
            stacklevel,
        )
    return out


def sanitize_text(text: str, where: str, *, stacklevel: int = 5) -> str:
    """:func:`sanitize` of one text that is not a cell (a sheet name, a document property):
    characters XML cannot hold replaced with U+FFFD, with a warning; never cut.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     sanitize_text("Tiny\\x07", "the workbook's title")
    'Tiny\\ufffd'
    """
    return str(
        sanitize(np.array([text], dtype=object), where, max_length=None, stacklevel=stacklevel)[0]
    )


def _csv_text(texts: np.ndarray, formula_safe: bool, where: str) -> np.ndarray:
    """Text fields: (for a spreadsheet) unwritable characters replaced and cell starts
    protected, then quoted."""
    if formula_safe:
        texts = csv_quote(sanitize(texts, where, max_length=None, stacklevel=6))
    elif any(_SURROGATE.search(t) for t in texts):
        # UTF-8 cannot encode a lone surrogate: the one change a data pipeline also gets
        texts = sanitize(texts, where, max_length=None, stacklevel=6)
    out = np.array(['"' + t.replace('"', '""') + '"' for t in texts], dtype=object)
    return out


def _number_text(values: np.ndarray, float_format: str | None) -> np.ndarray:
    """Numbers: the shortest text that reads back as the same float (or ``float_format``);
    NaN is an empty field."""
    if values.dtype.kind in "iu":
        out: np.ndarray = values.astype(str).astype(object)
        return out
    floats = values.astype(np.float64)
    if float_format is None:
        text = floats.astype(str).astype(object)
    else:
        text = np.array([float_format % x for x in floats.tolist()], dtype=object)
    text[np.isnan(floats)] = ""
    return text


def _csv_column(
    series: pd.Series, formula_safe: bool, float_format: str | None, where: str
) -> np.ndarray:
    dtype = series.dtype
    has_na = bool(series.isna().any())
    if pd.api.types.is_bool_dtype(dtype) and not has_na:
        out: np.ndarray = np.where(series.to_numpy(dtype=bool), "True", "False").astype(object)
        return out
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        if pd.api.types.is_integer_dtype(dtype) and not has_na:
            return _number_text(series.to_numpy(dtype=np.int64), float_format)
        return _number_text(series.to_numpy(dtype=float, na_value=np.nan), float_format)
    # Text, categories, and object columns that may mix text with numbers or booleans:
    # numbers and booleans stay bare, anything else is text.
    values = series.astype(object).to_numpy()
    missing = np.asarray(pd.isna(values), dtype=bool)
    is_bool = ~missing & np.fromiter(
        (isinstance(v, bool | np.bool_) for v in values), dtype=bool, count=len(values)
    )
    is_number = (
        ~missing
        & ~is_bool
        & np.fromiter(
            (isinstance(v, int | float | np.number) for v in values), dtype=bool, count=len(values)
        )
    )
    is_text = ~(missing | is_bool | is_number)
    out = np.full(len(values), "", dtype=object)
    out[is_bool] = ["True" if v else "False" for v in values[is_bool]]
    if is_number.any():
        out[is_number] = _number_text(np.array(values[is_number].tolist()), float_format)
    if is_text.any():
        texts = np.array([str(v) for v in values[is_text]], dtype=object)
        out[is_text] = _csv_text(texts, formula_safe, where)
    return out


def csv_table(
    frame: pd.DataFrame,
    *,
    formula_safe: bool = True,
    float_format: str | None = None,
    what: str = "CSV",
) -> str:
    """A table as CSV text by the rules above: ``,`` separated, ``\\n`` line ends, a header
    of the column names, text always quoted (and, when ``formula_safe``, protected and
    cleaned of characters a spreadsheet cannot hold), numbers and booleans bare.

    Parameters
    ----------
    frame
        The table; its index is not written (``reset_index()`` it first to keep it).
    formula_safe
        Protect text for spreadsheets (default). ``False``: text exactly as it is, for a
        pipeline that never meets a spreadsheet.
    float_format
        A ``%`` format for floats (default: the shortest text that reads back the same).
    what
        What the table is, for warnings (``"ranking CSV"``).

    >>> print(csv_table(pd.DataFrame({"id": ["R1"], "title": ["=1;-2"], "score": [-0.5]})), end="")
    id,title,score
    "R1","'=1;'-2",-0.5
    """
    header = [
        _header_field(str(name), formula_safe) for name in frame.columns.astype(object).tolist()
    ]
    columns = [
        _csv_column(frame.iloc[:, j], formula_safe, float_format, f"{what}, column {name!r}")
        for j, name in enumerate(frame.columns)
    ]
    lines = [",".join(header)]
    if columns:
        lines += [",".join(row) for row in zip(*(c.tolist() for c in columns), strict=True)]
    return "\n".join(lines) + "\n"


def _header_field(name: str, formula_safe: bool) -> str:
    """A column name: bare when plain (our names are), else protected and quoted as text."""
    if re.fullmatch(r"[A-Za-z0-9_ .%()-]*", name) and not is_formula_like(name):
        return name
    return str(_csv_text(np.array([name], dtype=object), formula_safe, "CSV header")[0])


def json_text(document: Any) -> str:
    """``document`` as indented JSON text (UTF-8 ready, strict: no NaN), the text exactly as
    it is, with the characters that could drive a terminal written as ``\\uXXXX`` escapes.

    >>> json_text({"title": "=1\\u202e"})
    '{\\n  "title": "=1\\\\u202e"\\n}\\n'
    """
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _example(texts: Iterable[str]) -> str:
    first = next(iter(texts))
    return repr(first if len(first) <= 40 else first[:40] + "...")


def _warn(message: str, stacklevel: int) -> None:
    # stacklevel 5: _warn <- sanitize <- writer <- export function <- the caller
    warnings.warn(message, ExportTextWarning, stacklevel=stacklevel)
