"""Uploads on the page: the size the uploaders take (the loaders' own limit), and a refused
upload's problems, each with its place, in a table the council can read on a phone (row
first), in reading order."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize.app import state, words
from prioritize.errors import PrioritizeError, ValidationError
from prioritize.load.limits import DEFAULT_LIMITS

#: The largest file an uploader takes, in MB: the loaders' own limit (the browser refuses
#: a larger one before sending it).
UPLOAD_MB = max(1, (DEFAULT_LIMITS.max_file_bytes or 200 * 2**20) // 2**20)

#: What the loaders call input that was typed in a form rather than uploaded.
_TYPED = {"<records>": "typed in the form", "<mapping>": "the criteria set"}


def show_problems(exc: PrioritizeError, outcome: str, key: str) -> None:
    """A refusal: a file's problems with their places in a table (keyed ``key``); other
    errors as the app shows them. ``outcome`` says what did not happen."""
    if not isinstance(exc, ValidationError):
        state.show_error(exc)
        return
    st.error(
        f"{outcome}: {words.count(len(exc.problems), 'problem')} listed below with "
        "where each is. Fix them and try again.",
        icon=":material/warning:",
    )
    # in reading order: file by file, row by row (a loader lists them check by check)
    problems = sorted(
        exc.problems,
        key=lambda p: (str(p.file), isinstance(p.row, str), p.row or 0, str(p.row)),
    )
    st.dataframe(
        pd.DataFrame(
            {
                "row": ["" if p.row is None else str(p.row) for p in problems],
                "column": [p.column or "" for p in problems],
                "problem": [p.message for p in problems],
                "found": [p.value or "" for p in problems],
                "expected": [p.expected or "" for p in problems],
                "file": [_TYPED.get(str(p.file), p.file or "") for p in problems],
            }
        ),
        hide_index=True,
        width="stretch",
        key=key,
    )
