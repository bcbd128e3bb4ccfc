"""User text on its way into a spreadsheet: what would be read as a formula, what a
spreadsheet cannot hold, and how each is handled.

Rules (a workbook is opened by people who trust it, so no cell may run as a formula):

* **Formula-like text** -- text whose first character is ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return, also after leading whitespace (and the full-width forms ``＝ ＋ －
  ＠`` that some input methods produce). In the workbook such text is written unchanged as
  a *string* cell (never a formula cell) with the ``quotePrefix`` style, the equivalent of
  typing a leading apostrophe in Excel: it shows as typed, and editing it does not turn it
  into a formula. In a CSV file, which has no types, the text gets a leading apostrophe
  ``'`` (the OWASP "CSV injection" advice); :func:`csv_unquote` takes it off again.
* **Characters a spreadsheet cannot hold** -- XML 1.0 forbids the control characters
  U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, the non-characters U+FFFE and U+FFFF and
  lone surrogates. They are replaced with U+FFFD (the replacement character) and an
  :class:`ExportTextWarning` says where; nothing is dropped silently.
* **Over-long text** -- a spreadsheet cell holds at most 32,767 characters; longer text is
  cut there, with an :class:`ExportTextWarning`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import numpy as np

from prioritize.errors import ExportTextWarning, ExportWarning

__all__ = [
    "MAX_CELL_TEXT",
    "ExportTextWarning",
    "ExportWarning",
    "csv_quote",
    "csv_unquote",
    "formula_like",
    "is_formula_like",
    "sanitize",
]

#: The most characters an Excel cell holds.
MAX_CELL_TEXT = 32_767

#: First characters that make a spreadsheet read text as a formula (or a DDE call).
FORMULA_TRIGGERS = "=+-@\t\r＝＋－＠"

# Leading whitespace is skipped, except tab and CR, which are triggers themselves.
_FORMULA_LIKE = re.compile(r"[^\S\t\r]*[" + re.escape(FORMULA_TRIGGERS) + "]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REPLACEMENT = "\ufffd"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula if it were typed in.

    >>> is_formula_like("=HYPERLINK(A1)"), is_formula_like("  -1"), is_formula_like("a=b")
    (True, True, False)
    """
    return _FORMULA_LIKE.match(text) is not None


def formula_like(texts: np.ndarray) -> np.ndarray:
    """:func:`is_formula_like` of every text in an object array, as a boolean array."""
    return np.fromiter(map(bool, map(_FORMULA_LIKE.match, texts)), dtype=bool, count=len(texts))


def csv_quote(texts: np.ndarray) -> np.ndarray:
    """The texts with a leading ``'`` on those that are formula-like (for CSV files).

    A text that already starts with apostrophes before something formula-like gets one
    more, so that :func:`csv_unquote` gives every text back exactly.

    >>> csv_quote(np.array(["=1+1", "fine", "'=1"], dtype=object)).tolist()
    ["'=1+1", 'fine', "''=1"]
    """
    out = np.array(texts, dtype=object, copy=True)
    hit = formula_like(np.array([t.lstrip("'") for t in out], dtype=object))
    out[hit] = ["'" + text for text in out[hit]]
    return out


def csv_unquote(text: str) -> str:
    """Undo :func:`csv_quote` on one text: drop a leading ``'`` that protects a formula-like
    text (any other apostrophe is the user's and is kept).

    >>> csv_unquote("'=1+1"), csv_unquote("'quoted'"), csv_unquote("''=1")
    ('=1+1', "'quoted'", "'=1")
    """
    if text.startswith("'") and is_formula_like(text.lstrip("'")):
        return text[1:]
    return text


def sanitize(texts: np.ndarray, where: str) -> np.ndarray:
    """Replace characters a workbook cannot hold and cut over-long texts, warning for each.

    Parameters
    ----------
    texts
        Object array of ``str``.
    where
        Where the texts go (e.g. ``"Scores sheet, column 'reason'"``), for the warning.

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
    too_long = len(joined) > MAX_CELL_TEXT and bool(
        (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) > MAX_CELL_TEXT).any()
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
            f"{_example(texts[hit])}; each was replaced with U+FFFD"
        )
    if too_long:
        lengths = np.fromiter(map(len, out), dtype=np.int64, count=len(out))
        hit = lengths > MAX_CELL_TEXT
        out[hit] = [t[:MAX_CELL_TEXT] for t in out[hit]]
        _warn(
            f"{where}: {int(hit.sum())} text(s) longer than a cell holds "
            f"({MAX_CELL_TEXT:,} characters, the longest {int(lengths.max()):,}) were cut"
        )
    return out


def _example(texts: Iterable[str]) -> str:
    first = next(iter(texts))
    return repr(first if len(first) <= 40 else first[:40] + "...")


def _warn(message: str) -> None:
    # stacklevel: _warn <- sanitize <- writer <- export function <- the caller
    warnings.warn(message, ExportTextWarning, stacklevel=5)
