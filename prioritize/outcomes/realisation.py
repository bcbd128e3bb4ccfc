"""Benefit realisation: did what the council approved work? Per delivered requirement and
measure, the readings before its go-live against those after, beside the change the
council expected, and a status in words.

The rules (one home; the CLI, the page and the workbook call :func:`benefit_realisation`):

- **Before and after.** ``before`` is the mean of the last ``window`` readings dated
  strictly before go-live, ``after`` the mean of the first ``window`` readings dated on or
  after it; ``change = after - before``, in the measure's unit.
- **Status.** *too early to tell* while fewer than ``window`` readings exist after go-live
  (or none before it: nothing to compare with), or while the stated ``by`` date has not
  come and the change is not there yet; *delivering* when the change moves the measure's
  better way by at least half the stated expected change (without a stated change: by more
  than the range, max - min, of the before readings, so more than the usual wobble);
  *not yet delivering* otherwise.
- **Attribution.** A measure moves for many reasons; the whole change is shown against
  every requirement that went live in the span of the readings compared and states an
  effect on that measure, and ``shared_with`` names the others. It is never split by a
  made-up share.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from prioritize.model.scorecard import Delivery, Measure, Readings, Scorecard, format_value
from prioritize.outcomes.series import measure_series, signed_change

__all__ = ["REALISATION_COLUMNS", "STATUSES", "BenefitRealisation", "benefit_realisation"]

#: The statuses, best first.
STATUSES: tuple[str, ...] = ("delivering", "not yet delivering", "too early to tell")
#: The columns of :attr:`BenefitRealisation.table`, in order.
REALISATION_COLUMNS: tuple[str, ...] = (
    "requirement_id",
    "title",
    "measure",
    "live_on",
    "before",
    "after",
    "change",
    "expected",
    "by",
    "n_before",
    "n_after",
    "shared_with",
    "status",
    "explanation",
)


@dataclass(frozen=True, slots=True)
class BenefitRealisation:
    """Expected against actual effect, one row per delivered requirement and measure.

    ``table`` columns: see :data:`REALISATION_COLUMNS`. ``live_on`` and ``by`` are
    datetime64 (``by`` NaT when not stated); ``before``, ``after``, ``change`` in the
    measure's unit (NaN without readings); ``expected`` NaN when no change was stated;
    ``shared_with`` the other requirements the change is shared with, ``;``-separated.
    """

    table: pd.DataFrame = field(repr=False)
    window: int = 3
    today: dt.date | None = None

    def __str__(self) -> str:
        if self.table.empty:
            return "No delivered requirement states an effect on a measure of the scorecard."
        lines = [
            f"Benefit realisation ({self.window} readings before and after go-live"
            + (f", as of {self.today.isoformat()})" if self.today else ")")
        ]
        for row in self.table.itertuples(index=False):
            lines.append(f"- {row.requirement_id} · {row.measure}: {row.status}")
            lines.append(f"  {row.explanation}")
        return "\n".join(lines)

    def counts(self) -> pd.Series:
        """How many rows have each status, in :data:`STATUSES` order."""
        return self.table["status"].value_counts().reindex(list(STATUSES), fill_value=0)


def benefit_realisation(
    scorecard: Scorecard,
    readings: Readings,
    deliveries: Iterable[Delivery],
    *,
    window: int = 3,
    today: dt.date | None = None,
) -> BenefitRealisation:
    """Expected against actual effect of each delivered requirement on each measure it
    states an effect on (a delivery without one gives no row). The rules are the module's:
    before/after means over ``window`` readings, the status rule and the attribution
    rule (the whole change, shared, never split).

    Parameters
    ----------
    window
        How many readings before and after go-live are compared (at least 1).
    today
        The day ``by`` dates are compared with (default: today's date).

    Examples
    --------
    >>> import pandas as pd
    >>> from prioritize.load.scorecard import load_scorecard
    >>> from prioritize.model.scorecard import Delivery, ExpectedEffect, Readings
    >>> card = load_scorecard()
    >>> ftr = [70, 72, 71, 78, 80, 79]  # before: 71.0, after: 79.0
    >>> readings = Readings.trusted(pd.DataFrame({
    ...     "date": pd.date_range("2026-01-01", periods=6, freq="MS"),
    ...     "measure": "first_time_right", "value": ftr}))
    >>> live = Delivery("REQ-001", "Validate fields", pd.Timestamp("2026-04-01").date(),
    ...                 (ExpectedEffect("first_time_right", 8.0),))
    >>> result = benefit_realisation(card, readings, [live])
    >>> result.table.loc[0, ["before", "after", "change", "status"]].to_dict()
    {'before': 71.0, 'after': 79.0, 'change': 8.0, 'status': 'delivering'}
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ValueError(f"window must be a whole number of readings >= 1, got {window!r}")
    today = today or dt.date.today()
    deliveries = tuple(deliveries)
    pairs = [
        (delivery, effect)
        for delivery in deliveries
        for effect in delivery.effects
        if effect.measure in scorecard
    ]
    series = measure_series(readings)
    spans: list[tuple[np.datetime64, np.datetime64]] = []
    rows: list[dict[str, object]] = []
    for delivery, effect in pairs:  # one per stated effect: a few dozen
        dates, values = series.get(effect.measure, (_NO_DATES, _NO_VALUES))
        live = np.datetime64(delivery.live_on, "ns")
        split = int(np.searchsorted(dates, live, side="left"))
        before = values[max(split - window, 0) : split]
        after = values[split : split + window]
        used = dates[max(split - window, 0) : split + window]
        spans.append((used[0], used[-1]) if len(used) else (live, live))
        rows.append(
            {
                "requirement_id": delivery.requirement_id,
                "title": delivery.title,
                "measure": effect.measure,
                "live_on": pd.Timestamp(delivery.live_on),
                "before": float(before.mean()) if len(before) else math.nan,
                "after": float(after.mean()) if len(after) else math.nan,
                "expected": float(effect.change),
                "by": pd.Timestamp(effect.by) if effect.by else pd.NaT,
                "n_before": len(before),
                "n_after": len(after),
                "spread": float(before.max() - before.min()) if len(before) else math.nan,
            }
        )
    for position, row in enumerate(rows):
        start, end = spans[position]
        row["shared_with"] = ";".join(
            sorted(
                {
                    str(other["requirement_id"])
                    for k, other in enumerate(rows)
                    if k != position
                    and other["measure"] == row["measure"]
                    and other["requirement_id"] != row["requirement_id"]
                    and start <= np.datetime64(other["live_on"], "ns") <= end  # type: ignore[call-overload]
                }
            )
        )
    table = pd.DataFrame(rows, columns=[*REALISATION_COLUMNS, "spread"])
    if not table.empty:
        table["change"] = table["after"] - table["before"]
        judged = [
            _judge(row, scorecard[str(row["measure"])], window, today)
            for _, row in table.iterrows()
        ]
        table["status"] = [status for status, _ in judged]
        table["explanation"] = [explanation for _, explanation in judged]
    table = table.drop(columns="spread")
    table = table.astype(
        {"before": float, "after": float, "change": float, "expected": float}
    ).astype({"n_before": int, "n_after": int})
    table["live_on"] = pd.to_datetime(table["live_on"])
    table["by"] = pd.to_datetime(table["by"])
    return BenefitRealisation(table.reset_index(drop=True), window, today)


_NO_DATES = np.array([], dtype="datetime64[ns]")
_NO_VALUES = np.array([], dtype=float)


def _judge(row: pd.Series, measure: Measure, window: int, today: dt.date) -> tuple[str, str]:
    """The status rule, and the sentence that says why."""
    unit = measure.unit
    live = row["live_on"].date().isoformat()
    expected = float(row["expected"])
    stated = "" if math.isnan(expected) else f"expected {signed_change(expected, unit)}"
    by = row["by"]
    if stated and not pd.isna(by):
        stated += f" by {by.date().isoformat()}"
    shared = (
        f"; the change is shared with {row['shared_with'].replace(';', ', ')}"
        if row["shared_with"]
        else ""
    )
    n_before, n_after = int(row["n_before"]), int(row["n_after"])
    if n_before == 0:
        return (
            "too early to tell",
            f"{measure.name} has no reading before go-live on {live}: nothing to compare with"
            + (f" ({stated})" if stated else "")
            + ".",
        )
    if n_after < window:
        return (
            "too early to tell",
            f"{measure.name} has {n_after} of the {window} readings needed after go-live on "
            f"{live}" + (f" ({stated})" if stated else "") + ".",
        )
    change = float(row["change"])
    improvement = measure.improvement(change)
    if stated:
        delivering = improvement > 0 and improvement >= 0.5 * abs(expected) - 1e-9
        bar = f"at least half the {stated}"
    else:
        delivering = improvement > float(row["spread"]) + 1e-9
        bar = f"more than the spread of the readings before ({format_value(row['spread'], unit)})"
    moved = "rose" if change > 0 else "fell" if change < 0 else "stayed"
    sentence = (
        f"{measure.name} {moved} from {format_value(row['before'], unit)} to "
        f"{format_value(row['after'], unit)} ({signed_change(change, unit)}), {n_before} readings "
        f"before go-live on {live} against {n_after} after"
    )
    if delivering:
        return "delivering", f"{sentence}: the better way by {bar}{shared}."
    if not pd.isna(by) and today < by.date():
        return "too early to tell", f"{sentence}; not yet {bar}, due by {by.date()}{shared}."
    return "not yet delivering", f"{sentence}: not {bar}{shared}."
