"""The Benefits and Readings sheets: did what the council approved work?

**Benefits**: one row per delivered requirement and measure it states an effect on, as
:func:`prioritize.outcomes.benefit_realisation` gives them: ``requirement``, ``title``,
``measure`` (id), ``measure name``, ``unit``, ``live on``, ``before``, ``after``,
``change`` (after - before, in the measure's unit), ``expected``, ``by``, ``readings
before``, ``readings after``, ``shared with``, ``status`` (in its colour,
:data:`prioritize.outcomes.STATUS_COLOURS`) and ``explanation``. The numbers are the
library's, unrounded; the About sheet states the rules.

**Readings**: every reading of the scorecard's measures (``date``, ``measure``, ``measure
name``, ``unit``, ``value``, ``source``, ``note``), so that the Benefits rows can be
recomputed by hand.

Text is written as text cells by the writer (formula-like text gets the quote prefix), so
a typed ``=...`` in a title, source or note is never a formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.export.workbook.columns import WHOLE, WIDE, WRAP, objects
from prioritize.export.xlsx.writer import Column, Sheet, Style
from prioritize.model.scorecard import Readings, Scorecard
from prioritize.outcomes import STATUS_COLOURS, STATUS_TEXT_COLOURS, STATUSES, BenefitRealisation

__all__ = [
    "BENEFITS_SHEET",
    "READINGS_SHEET",
    "Outcomes",
    "benefits_sheet",
    "outcome_sheets",
    "readings_sheet",
]

BENEFITS_SHEET = "Benefits"
READINGS_SHEET = "Readings"
_NUMBER = Style(number_format="0.0##")
_STATUS_STYLES = (
    *(Style(fill=STATUS_COLOURS[s], font_colour=STATUS_TEXT_COLOURS[s]) for s in STATUSES),
    Style(),
)


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What the Benefits and Readings sheets show: the council's scorecard, its readings
    and their benefit realisation (:meth:`prioritize.store.Session.benefit_realisation`)."""

    scorecard: Scorecard
    readings: Readings
    benefits: BenefitRealisation


def outcome_sheets(outcomes: Outcomes | None) -> list[Sheet]:
    """The Benefits and Readings sheets that have something to show."""
    if outcomes is None:
        return []
    sheets = (
        benefits_sheet(outcomes.benefits, outcomes.scorecard),
        readings_sheet(outcomes.readings, outcomes.scorecard),
    )
    return [s for s in sheets if s is not None]


def _days(values: pd.Series) -> np.ndarray:
    """Dates as ISO text (``YYYY-MM-DD``), None where there is none."""
    return objects([None if pd.isna(v) else f"{v:%Y-%m-%d}" for v in values])


def _measures(card: Scorecard, ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    names = {m.id: m.name for m in card}
    units = {m.id: m.unit for m in card}
    return (
        objects([names.get(str(m), "") for m in ids]),
        objects([units.get(str(m), "") for m in ids]),
    )


def benefits_sheet(benefits: BenefitRealisation, scorecard: Scorecard) -> Sheet | None:
    """The Benefits sheet (None when no delivered requirement states an effect)."""
    table = benefits.table
    if table.empty:
        return None
    names, units = _measures(scorecard, table["measure"])
    codes = pd.Categorical(table["status"], categories=list(STATUSES)).codes
    return Sheet(
        BENEFITS_SHEET,
        (
            Column("requirement", objects(table["requirement_id"])),
            Column("title", objects(table["title"])),
            Column("measure", objects(table["measure"])),
            Column("measure name", names),
            Column("unit", units),
            Column("live on", _days(table["live_on"])),
            Column("before", table["before"].to_numpy(dtype=float), _NUMBER),
            Column("after", table["after"].to_numpy(dtype=float), _NUMBER),
            Column("change", table["change"].to_numpy(dtype=float), _NUMBER),
            Column("expected", table["expected"].to_numpy(dtype=float), _NUMBER),
            Column("by", _days(table["by"])),
            Column("readings before", table["n_before"].to_numpy(dtype=np.int64), WHOLE),
            Column("readings after", table["n_after"].to_numpy(dtype=np.int64), WHOLE),
            Column("shared with", objects(table["shared_with"].str.replace(";", ", "))),
            Column(
                "status",
                objects(table["status"]),
                styles=_STATUS_STYLES,
                style_index=np.where(codes < 0, len(STATUSES), codes),
                width=20.0,
            ),
            Column("explanation", objects(table["explanation"]), WRAP, width=WIDE),
        ),
        freeze="C2",
    )


def readings_sheet(readings: Readings, scorecard: Scorecard) -> Sheet | None:
    """The Readings sheet (None without readings), in the scorecard's measure order."""
    if not len(readings):
        return None
    order = {m: i for i, m in enumerate(scorecard.ids)}
    frame = readings.table
    frame["order"] = [order.get(str(m), len(order)) for m in frame["measure"]]
    frame = frame.sort_values(["order", "measure", "date"], kind="stable")
    names, units = _measures(scorecard, frame["measure"])
    return Sheet(
        READINGS_SHEET,
        (
            Column("date", _days(frame["date"])),
            Column("measure", objects(frame["measure"])),
            Column("measure name", names),
            Column("unit", units),
            Column("value", frame["value"].to_numpy(dtype=float), _NUMBER),
            Column("source", objects(frame["source"])),
            Column("note", objects(frame["note"]), WRAP, width=WIDE),
        ),
    )
