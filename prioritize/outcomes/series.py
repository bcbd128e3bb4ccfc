"""What benefit realisation and triggers share: each measure's readings as numpy arrays in
date order, and a change written as the council reads it."""

from __future__ import annotations

import itertools

import numpy as np

from prioritize.model.scorecard import Readings

__all__ = ["measure_series", "signed_change"]


def measure_series(readings: Readings) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each measure's dates (datetime64[ns]) and values (float) in date order, cut from the
    readings' columns without copying row by row (the readings are sorted by measure,
    then date).

    >>> import pandas as pd
    >>> r = Readings.trusted(pd.DataFrame({"date": ["2026-01-01", "2026-01-01", "2026-02-01"],
    ...                                    "measure": ["b", "a", "b"], "value": [1.0, 2.0, 3.0]}))
    >>> {k: v[1].tolist() for k, v in measure_series(r).items()}
    {'a': [2.0], 'b': [1.0, 3.0]}
    """
    frame = readings.frame
    if frame.empty:
        return {}
    dates = frame["date"].to_numpy(dtype="datetime64[ns]")
    values = frame["value"].to_numpy(dtype=float)
    measures = frame["measure"].to_numpy(dtype=object)
    bounds = np.flatnonzero(np.r_[True, measures[1:] != measures[:-1], True])
    return {str(measures[a]): (dates[a:b], values[a:b]) for a, b in itertools.pairwise(bounds)}


def signed_change(change: float, unit: str) -> str:
    """A change with its sign and unit; a change of a percentage is in points.

    >>> signed_change(8, "%"), signed_change(-1.5, "per 1,000 orders"), signed_change(-60, "orders")
    ('+8.0 points', '-1.5 per 1,000 orders', '-60 orders')
    """
    if unit == "%":
        return f"{change:+,.1f} points"
    text = f"{change:+,.0f}" if float(change).is_integer() else f"{change:+,.1f}"
    return f"{text} {unit}" if unit else text
