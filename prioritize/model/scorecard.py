"""The shared scorecard: outcome measures the departments share, their readings over time,
what an approved requirement is expected to change, and dated events (a new law, a market
shift) that may send requirements back to the council.

Everything here is immutable. :class:`Readings` is a validated frozen wrapper around a
DataFrame (like :class:`~prioritize.model.council.Scores`): a year of monthly readings of a
dozen measures is small, but a scorecard fed daily for years is not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "AREAS",
    "EVENT_KINDS",
    "MEASURE_DIRECTIONS",
    "READING_COLUMNS",
    "Delivery",
    "Event",
    "ExpectedEffect",
    "Measure",
    "Readings",
    "Scorecard",
]

#: The areas of a balanced scorecard of customer operations.
AREAS: tuple[str, ...] = (
    "customer",
    "accuracy",
    "speed",
    "rework",
    "reliability",
    "financial",
    "compliance",
    "employee",
    "technology",
)
#: ``higher``: a higher value is better; ``lower``: a lower value is better.
MEASURE_DIRECTIONS: tuple[str, ...] = ("higher", "lower")
#: What an event is about.
EVENT_KINDS: tuple[str, ...] = ("legal", "regulatory", "market", "operational")
#: The columns of :attr:`Readings.frame`, in order.
READING_COLUMNS: tuple[str, ...] = ("date", "measure", "value", "source", "note")


@dataclass(frozen=True, slots=True)
class Measure:
    """One outcome measure of the scorecard.

    ``direction`` is ``"higher"`` (more is better, e.g. first-time-right) or ``"lower"``
    (less is better, e.g. complaints). ``alert_below`` / ``alert_above`` (at most one) is
    the threshold whose crossing sends linked requirements back to the council;
    ``trend_window`` readings and ``trend_change`` the adverse move that does the same.
    ``criteria`` are the ids of the criteria this measure informs (complaints ->
    ``customer_impact``).

    Examples
    --------
    >>> m = Measure("complaints", "Complaints", "customer", "per 1,000 orders", "lower")
    >>> m.sign, m.is_better(3.0, than=4.0), m.improvement(-1.5)
    (-1.0, True, 1.5)
    """

    id: str
    name: str
    area: str
    unit: str
    direction: str
    owner: str = ""
    description: str = ""
    alert_below: float | None = None
    alert_above: float | None = None
    target: float | None = None
    trend_window: int | None = None
    trend_change: float | None = None
    criteria: tuple[str, ...] = ()

    @property
    def sign(self) -> float:
        """+1 when a higher value is better, -1 when a lower value is."""
        return 1.0 if self.direction == "higher" else -1.0

    def improvement(self, change: float) -> float:
        """A change (new - old, in the measure's unit) as an improvement: positive when it
        moves the better way, negative when it moves against the measure's direction."""
        return float(change) * self.sign

    def is_better(self, value: float, *, than: float) -> bool:
        """Whether ``value`` is better than ``than`` for this measure's direction."""
        return self.improvement(float(value) - float(than)) > 0

    def beyond_alert(self, value: float) -> bool:
        """Whether ``value`` is beyond the alert threshold (strictly; False without one).

        >>> Measure("ftr", "FTR", "accuracy", "%", "higher", alert_below=75).beyond_alert(74.9)
        True
        """
        if self.alert_below is not None and value < self.alert_below:
            return True
        return self.alert_above is not None and value > self.alert_above

    @property
    def alert_text(self) -> str:
        """The alert threshold in words ("alert above 5.0 per 1,000 orders"), "" without."""
        if self.alert_above is not None:
            return f"alert above {format_value(self.alert_above, self.unit)}"
        if self.alert_below is not None:
            return f"alert below {format_value(self.alert_below, self.unit)}"
        return ""


def format_value(value: float, unit: str) -> str:
    """A measure's value with its unit, as the council reads it: one decimal at most.

    >>> format_value(71.25, "%"), format_value(140.0, "orders"), format_value(5.6, "")
    ('71.2 %', '140 orders', '5.6')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A versioned scorecard: the measures the council shares, in file order.

    ``sha256`` and ``yaml_text`` are the file's (``yaml_text`` "" for a mapping), so that
    the store can keep the scorecard a round was measured against.
    """

    name: str
    version: int
    description: str
    measures: tuple[Measure, ...]
    sha256: str | None = None
    yaml_text: str = field(default="", repr=False)

    def __len__(self) -> int:
        return len(self.measures)

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures)

    def __getitem__(self, measure_id: str) -> Measure:
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise KeyError(measure_id)

    def __contains__(self, measure_id: object) -> bool:
        return any(m.id == measure_id for m in self.measures)

    @property
    def ids(self) -> tuple[str, ...]:
        """Measure ids, in file order."""
        return tuple(m.id for m in self.measures)


@dataclass(frozen=True, slots=True)
class ExpectedEffect:
    """What the council expects an approved requirement to change in one measure.

    ``change`` is in the measure's unit and signed (+8 for first-time-right up 8 points,
    -1.5 for complaints down 1.5 per 1,000 orders); NaN when the effect is named without a
    number. ``by`` is when it should show (None: no date stated).
    """

    measure: str
    change: float
    by: dt.date | None = None
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class Delivery:
    """An approved requirement that went live on ``live_on``, with its expected effects."""

    requirement_id: str
    title: str
    live_on: dt.date
    effects: tuple[ExpectedEffect, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """A dated change outside the scorecard (a new law, a market move, an outage) that may
    change how requirements score on ``criteria`` (empty: the default for its kind); when it
    names ``requirements``, only those are flagged."""

    on: dt.date
    kind: str
    title: str
    criteria: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Readings:
    """Validated readings of the scorecard's measures, sorted by (measure, date).

    Columns of :attr:`frame`: ``date`` (datetime64[ns], day precision), ``measure``,
    ``value`` (float), ``source``, ``note`` (text, "" when not given). At most one reading
    per measure and day.

    Examples
    --------
    >>> import pandas as pd
    >>> r = Readings.trusted(pd.DataFrame({"date": ["2026-02-01", "2026-01-01"],
    ...                                    "measure": ["ftr", "ftr"], "value": [72.0, 71.0]}))
    >>> r.for_measure("ftr")["value"].tolist()
    [71.0, 72.0]
    >>> r.latest()["value"].to_dict()
    {'ftr': 72.0}
    """

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"

    @classmethod
    def trusted(cls, rows: pd.DataFrame, source: str = "<store>") -> Readings:
        """Readings from rows that were validated when they were written (our own store):
        ``date, measure, value`` and optionally ``source, note``. Only types and order are
        set; anything else goes through :func:`prioritize.load_readings`."""
        n = len(rows)
        frame = pd.DataFrame(
            {
                "date": pd.to_datetime(pd.Series(rows["date"]).to_numpy()).normalize(),
                "measure": pd.Series(rows["measure"]).astype(str).to_numpy(dtype=object),
                "value": pd.Series(rows["value"]).to_numpy(dtype=float),
                **{
                    c: (
                        pd.Series(rows[c]).fillna("").astype(str).to_numpy(dtype=object)
                        if c in rows.columns
                        else np.full(n, "", dtype=object)
                    )
                    for c in ("source", "note")
                },
            }
        )
        return cls(sort_readings(frame), source)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the readings."""
        return self.frame.copy(deep=True)

    @property
    def measures(self) -> tuple[str, ...]:
        """Ids of the measures that have readings, sorted."""
        return tuple(sorted(self.frame["measure"].unique()))

    def for_measure(self, measure_id: str) -> pd.DataFrame:
        """One measure's readings in date order (a copy, index 0..n-1)."""
        rows = self.frame[self.frame["measure"] == measure_id]
        return rows.reset_index(drop=True).copy()

    def latest(self) -> pd.DataFrame:
        """Each measure's latest reading, indexed by measure id."""
        return self.frame.groupby("measure", sort=True).tail(1).set_index("measure").copy()


def sort_readings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the readings' order: by measure, then date; index 0..n-1."""
    ordered = frame.sort_values(["measure", "date"], kind="stable")
    return ordered[list(READING_COLUMNS)].reset_index(drop=True)
