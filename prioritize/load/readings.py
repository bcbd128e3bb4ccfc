"""Load readings of a scorecard's measures (``date, measure, value[, source, note]``) from
CSV, XLSX, YAML, an upload or a DataFrame, validated all-or-nothing; and the one reading of
a date cell (:func:`parse_days`) the scorecard's other tables share.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Source, Table, read_table
from prioritize.load.limits import DEFAULT_LIMITS, FROM_LIMITS, Limits, MaxBytes
from prioritize.load.problems import (
    Factor,
    blank_problems,
    cell_text,
    duplicate_problems,
    factorize,
    listed,
    not_a_number,
    parse_numbers,
    require_columns,
)
from prioritize.model.scorecard import Readings, Scorecard, sort_readings

__all__ = ["DATE_EXPECTED", "READING_REQUIRED", "load_readings", "parse_days"]

READING_REQUIRED = ("date", "measure", "value")
#: What a date cell must hold.
DATE_EXPECTED = "a date as YYYY-MM-DD"


def parse_days(values: pd.Series) -> tuple[np.ndarray, Factor]:
    """A column of dates as datetime64[ns] at day precision (NaT where blank or not an ISO
    8601 date), parsed once per distinct value, and the column's factor (to quote cells).

    >>> days, _ = parse_days(pd.Series(["2026-01-31", "31/01/2026", "", "2026-02-01 00:00:00"]))
    >>> [str(d)[:10] for d in days]
    ['2026-01-31', 'NaT', 'NaT', '2026-02-01']
    """
    factor = factorize(values)
    labels = pd.Series(factor.labels, dtype=object)
    parsed = pd.to_datetime(labels, format="ISO8601", errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:  # a time zone says a moment, not a day
        parsed = parsed.dt.tz_localize(None)
    days = parsed.dt.normalize().to_numpy(dtype="datetime64[ns]")
    return days[factor.codes], factor


def date_problems(
    table: Table,
    column: str,
    days: np.ndarray,
    factor: Factor,
    *,
    required: bool = True,
    latest: dt.date | None = None,
) -> list[Problem]:
    """A problem per unparseable (or, when required, blank) date and per date after
    ``latest``."""
    text = factor.text
    blank = text == ""
    bad = np.isnat(days) & (~blank if not required else np.ones(len(days), dtype=bool))
    problems = listed(
        table,
        np.flatnonzero(bad),
        lambda p: Problem(
            "missing date" if not text[p] else "not a date",
            file=table.label,
            row=table.row(p),
            column=column,
            value=str(text[p]),
            expected=DATE_EXPECTED,
        ),
        "not a date",
        column,
    )
    if latest is not None:
        limit = np.datetime64(latest, "ns")
        future = np.flatnonzero(~np.isnat(days) & (days > limit))
        problems += listed(
            table,
            future,
            lambda p: Problem(
                "date in the future",
                file=table.label,
                row=table.row(p),
                column=column,
                value=str(text[p]),
                expected=f"a date on or before {latest.isoformat()}",
            ),
            "date in the future",
            column,
        )
    return problems


def load_readings(
    source: Readings | Source,
    scorecard: Scorecard,
    *,
    today: dt.date | None = None,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> Readings:
    """Load and validate readings of ``scorecard``'s measures.

    Columns: ``date`` (YYYY-MM-DD), ``measure`` (a measure id of the scorecard), ``value``
    (a number in the measure's unit), and optionally ``source`` and ``note`` (text).

    Parameters
    ----------
    source
        A CSV, XLSX or YAML file (a list, or a mapping with a ``readings:`` list), an
        upload, or a DataFrame.
    scorecard
        The measures the readings may name.
    today
        No reading may be dated after it (default: today's date).

    Raises
    ------
    ValidationError
        Every problem at once, each naming the file, row, column, value and what was
        expected: missing columns, an unknown or blank measure, a value that is not a finite
        number, a date that is blank, not a date or after ``today``, two readings of one
        measure on one day.

    Examples
    --------
    >>> from prioritize.load.scorecard import load_scorecard
    >>> card = load_scorecard()
    >>> rows = pd.DataFrame({"date": ["2026-02-01", "2026-01-01"],
    ...                      "measure": ["first_time_right"] * 2, "value": ["72.5", "71"]})
    >>> load_readings(rows, card, today=dt.date(2026, 3, 1)).frame[["measure", "value"]]
                measure  value
    0  first_time_right   71.0
    1  first_time_right   72.5
    >>> load_readings(rows.assign(value=["72.5", "n/a"]), card)
    Traceback (most recent call last):
    ...
    prioritize.errors.ValidationError: <DataFrame>, 1, column 'value': value is not a number ...
    """
    if isinstance(source, Readings):
        return source
    table = read_table(source, key="readings", sheet=sheet, max_bytes=max_bytes, limits=limits)
    require_columns(table, READING_REQUIRED)
    frame = table.frame
    measures = factorize(frame["measure"])
    problems = blank_problems(table, "measure", measures, "measure")
    known = set(scorecard.ids)
    unknown_labels = np.flatnonzero([bool(m) and m not in known for m in measures.labels])
    text = measures.text
    problems += listed(
        table,
        np.flatnonzero(np.isin(measures.codes, unknown_labels)),
        lambda p: Problem(
            "unknown measure",
            file=table.label,
            row=table.row(p),
            column="measure",
            value=str(text[p]),
            expected=f"a measure of the scorecard ({', '.join(scorecard.ids)})",
        ),
        "unknown measure",
        "measure",
    )
    values, raw = parse_numbers(frame["value"])

    def bad_value(p: int) -> Problem:
        original = frame["value"].iloc[p]
        shown = str(raw.labels[raw.codes[p]]) if raw is not None else cell_text(original)
        return Problem(
            f"value is {not_a_number(original, shown)}",
            file=table.label,
            row=table.row(p),
            column="value",
            value=shown,
            expected="a number in the measure's unit",
        )

    problems += listed(
        table, np.flatnonzero(~np.isfinite(values)), bad_value, "value is not a number", "value"
    )
    days, date_factor = parse_days(frame["date"])
    problems += date_problems(table, "date", days, date_factor, latest=today or dt.date.today())
    if not problems:
        day_codes, day_labels = pd.factorize(days)
        day_factor = Factor(
            day_codes.astype(np.intp),
            np.asarray([str(d)[:10] for d in day_labels], dtype=object),
        )
        problems += duplicate_problems(
            table, [measures, day_factor], ["measure", "date"], "reading of a measure on a day"
        )
    if problems:
        raise ValidationError(problems)
    n = len(frame)
    out = pd.DataFrame(
        {
            "date": days,
            "measure": text,
            "value": values,
            **{
                c: factorize(frame[c]).text if c in frame.columns else np.full(n, "", dtype=object)
                for c in ("source", "note")
            },
        }
    )
    return Readings(sort_readings(out), table.label)
