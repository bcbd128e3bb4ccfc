"""Load what closes the loop around the scorecard: deliveries (approved requirements that
went live, with the effect the council expects on each measure) and events (a new law, a
market move) from CSV, XLSX, YAML, an upload or a DataFrame, validated all-or-nothing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Source, Table, read_table
from prioritize.load.limits import DEFAULT_LIMITS, FROM_LIMITS, Limits, MaxBytes
from prioritize.load.problems import (
    blank_problems,
    duplicate_problems,
    factorize,
    listed,
    parse_numbers,
    require_columns,
    text_frame,
)
from prioritize.load.readings import date_problems, parse_days
from prioritize.model.council import id_list
from prioritize.model.criteria import CriteriaSet
from prioritize.model.scorecard import EVENT_KINDS, Delivery, Event, ExpectedEffect, Scorecard

__all__ = ["DELIVERY_COLUMNS", "EVENT_COLUMNS", "load_deliveries", "load_events"]

DELIVERY_COLUMNS = (
    "requirement_id",
    "title",
    "live_on",
    "measure",
    "expected_change",
    "by",
    "rationale",
)
EVENT_COLUMNS = ("on", "kind", "title", "criteria", "requirements")


def _day(value: np.datetime64) -> dt.date:
    return pd.Timestamp(value).date()


def load_deliveries(
    source: Source,
    scorecard: Scorecard,
    *,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Delivery, ...]:
    """Load and validate deliveries: one row per expected effect.

    Columns: ``requirement_id``, ``live_on`` (the go-live date) required; ``title``,
    ``measure`` (a measure id; blank for a delivery that states no effect),
    ``expected_change`` (signed, in the measure's unit; blank: an effect named without a
    number), ``by`` (when the effect should show) and ``rationale`` optional. The rows of
    one requirement share its title and go-live date.

    Raises
    ------
    ValidationError
        Every problem at once (file, row, column, value, expected): a blank requirement id,
        a go-live or ``by`` date that is not a date, ``by`` before go-live, an unknown
        measure, a change that is not a number, a change or ``by`` without a measure, two
        rows of one requirement with different titles or go-live dates, one measure twice
        for one requirement.

    Examples
    --------
    >>> from prioritize.load.scorecard import load_scorecard
    >>> rows = pd.DataFrame({"requirement_id": ["REQ-001", "REQ-001"],
    ...     "title": ["Validate fields", "Validate fields"], "live_on": ["2026-05-01"] * 2,
    ...     "measure": ["first_time_right", "corrected_orders"],
    ...     "expected_change": ["8", "-60"], "by": ["2026-09-30", ""]})
    >>> (delivery,) = load_deliveries(rows, load_scorecard())
    >>> delivery.live_on
    datetime.date(2026, 5, 1)
    >>> [(e.measure, e.change, str(e.by)) for e in delivery.effects]
    [('first_time_right', 8.0, '2026-09-30'), ('corrected_orders', -60.0, 'None')]
    """
    table = read_table(source, key="deliveries", sheet=sheet, max_bytes=max_bytes, limits=limits)
    require_columns(table, ("requirement_id", "live_on"))
    frame = table.frame
    text = text_frame(table, ["requirement_id", "title", "measure", "rationale"])
    ids = factorize(frame["requirement_id"])
    problems = blank_problems(table, "requirement_id", ids, "requirement id")
    live, live_factor = parse_days(frame["live_on"])
    problems += date_problems(table, "live_on", live, live_factor)
    if "by" in frame.columns:
        by, by_factor = parse_days(frame["by"])
        problems += date_problems(table, "by", by, by_factor, required=False)
    else:
        by = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    if "expected_change" in frame.columns:
        change, raw = parse_numbers(frame["expected_change"])
        shown = raw.text if raw is not None else frame["expected_change"].astype(str).to_numpy()
        typed = shown != "" if raw is not None else ~np.isnan(change)
        bad = typed & ~np.isfinite(change)
        problems += _rows(table, bad, "expected_change", shown, "not a number", "a signed number")
    else:
        change = np.full(len(frame), np.nan)
    measure = text["measure"].to_numpy(dtype=object)
    unknown = np.array([bool(m) and m not in scorecard for m in measure], dtype=bool)
    problems += _rows(
        table,
        unknown,
        "measure",
        measure,
        "unknown measure",
        f"a measure of the scorecard ({', '.join(scorecard.ids)}) or blank",
    )
    no_measure = measure == ""
    problems += _rows(
        table,
        no_measure & ~np.isnan(change),
        "expected_change",
        change.astype(str),
        "an expected change without a measure",
        "a measure for the change",
    )
    problems += _rows(
        table,
        no_measure & ~np.isnat(by),
        "by",
        np.datetime_as_string(by, unit="D"),
        "a date for an effect without a measure",
        "a measure for the effect",
    )
    problems += _rows(
        table,
        ~np.isnat(by) & ~np.isnat(live) & (by < live),
        "by",
        np.datetime_as_string(by, unit="D"),
        "the effect is due before the requirement goes live",
        "a date on or after live_on",
    )
    problems += _consistent(table, ids.text, text["title"].to_numpy(dtype=object), "title")
    problems += _consistent(table, ids.text, np.datetime_as_string(live, unit="D"), "live_on")
    stated = ~no_measure
    if stated.any() and not problems:
        sub = Table(frame[stated], table.label, table.row_base)
        problems += duplicate_problems(
            sub,
            [factorize(sub.frame["requirement_id"]), factorize(sub.frame["measure"])],
            ["requirement_id", "measure"],
            "expected effect of a requirement on a measure",
        )
    if problems:
        raise ValidationError(problems)
    deliveries: dict[str, tuple[str, dt.date, list[ExpectedEffect]]] = {}
    rationale = text["rationale"].to_numpy(dtype=object)
    titles = text["title"].to_numpy(dtype=object)
    for p, rid in enumerate(ids.text):  # one row per delivery and effect: a few dozen
        effects = deliveries.setdefault(str(rid), (str(titles[p]), _day(live[p]), []))[2]
        if measure[p]:
            effects.append(
                ExpectedEffect(
                    measure=str(measure[p]),
                    change=float(change[p]),
                    by=None if np.isnat(by[p]) else _day(by[p]),
                    rationale=str(rationale[p]),
                )
            )
    return tuple(
        Delivery(rid, title, live_on, tuple(effects))
        for rid, (title, live_on, effects) in deliveries.items()
    )


def _rows(
    table: Table, mask: np.ndarray, column: str, shown: np.ndarray, message: str, expected: str
) -> list[Problem]:
    return listed(
        table,
        np.flatnonzero(mask),
        lambda p: Problem(
            message,
            file=table.label,
            row=table.row(p),
            column=column,
            value=str(shown[p]),
            expected=expected,
        ),
        message,
        column,
    )


def _consistent(table: Table, ids: np.ndarray, values: np.ndarray, column: str) -> list[Problem]:
    """A problem per row whose ``column`` differs from the first row of its requirement."""
    frame = pd.DataFrame({"id": ids, "value": values})
    first = frame.groupby("id", sort=False)["value"].transform("first").to_numpy(dtype=object)
    first_row = (
        pd.Series(np.arange(len(frame))).groupby(frame["id"].to_numpy()).transform("min").to_numpy()
    )
    return listed(
        table,
        np.flatnonzero(values != first),
        lambda p: Problem(
            f"the requirement's {column} differs from its row {table.row(int(first_row[p]))}",
            file=table.label,
            row=table.row(p),
            column=column,
            value=str(values[p]),
            expected=f"the same {column} on every row of a requirement ({first[p]})",
        ),
        f"{column} differs within a requirement",
        column,
    )


def load_events(
    source: Source,
    *,
    criteria: CriteriaSet | None = None,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Event, ...]:
    """Load and validate events (a new law, a market move, an outage), in date order.

    Columns: ``on`` (the date), ``kind`` (legal, regulatory, market or operational),
    ``title`` required; ``requirements`` optional: the ids of the requirements it concerns
    (``;``-separated; blank: every requirement scored on its criteria); ``criteria``
    optional: ids of the criteria the event may change,
    ``;``-separated (blank: for legal and regulatory events, the criteria that are gates
    or in the risk group; see :func:`prioritize.triggers`). Events may lie in the future
    (a law that comes into force next year).

    Raises
    ------
    ValidationError
        A date that is not a date, an unknown kind, a blank title; with ``criteria``, an
        id the criteria set does not know.

    Examples
    --------
    >>> rows = pd.DataFrame({"on": ["2026-10-15"], "kind": ["regulatory"],
    ...                      "title": ["E-invoicing becomes mandatory"], "criteria": [""]})
    >>> (event,) = load_events(rows)
    >>> event.on, event.kind, event.criteria
    (datetime.date(2026, 10, 15), 'regulatory', ())
    """
    table = read_table(source, key="events", sheet=sheet, max_bytes=max_bytes, limits=limits)
    require_columns(table, ("on", "kind", "title"))
    text = text_frame(table, ["kind", "title", "criteria", "requirements"])
    on, on_factor = parse_days(table.frame["on"])
    problems = date_problems(table, "on", on, on_factor)
    problems += blank_problems(table, "title", factorize(table.frame["title"]), "title")
    kinds = text["kind"].to_numpy(dtype=object)
    problems += _rows(
        table,
        ~np.isin(kinds, EVENT_KINDS),
        "kind",
        kinds,
        "unknown kind of event",
        f"one of {', '.join(EVENT_KINDS)}",
    )
    lists = [id_list(c) for c in text["criteria"]]
    if criteria is not None:
        known = set(criteria.ids)
        cells = text["criteria"].to_numpy(dtype=object)
        problems += _rows(
            table,
            np.array([any(c not in known for c in ids) for ids in lists], dtype=bool),
            "criteria",
            cells,
            "unknown criterion",
            f"criterion ids separated by ';' ({', '.join(criteria.ids)})",
        )
    if problems:
        raise ValidationError(problems)
    concerned = [id_list(c) for c in text["requirements"]]
    events = [
        Event(_day(on[p]), str(kinds[p]), str(title), lists[p], concerned[p])
        for p, title in enumerate(text["title"])
    ]
    return tuple(sorted(events, key=lambda e: e.on))
