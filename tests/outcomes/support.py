"""Small scorecards and series for the outcome tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

import prioritize as pz

CARD = pz.load_scorecard(
    {
        "version": 1,
        "name": "Test",
        "measures": [
            {
                "id": "ftr",
                "name": "First-time-right",
                "area": "accuracy",
                "unit": "%",
                "direction": "higher",
                "alert": {"below": 70},
                "trend": {"window": 3, "change": 2},
                "criteria": ["error_reduction"],
            },
            {
                "id": "complaints",
                "name": "Complaints",
                "area": "customer",
                "unit": "per 1,000 orders",
                "direction": "lower",
                "alert": {"above": 5},
                "trend": {"window": 3, "change": 1},
                "criteria": ["customer_impact"],
            },
        ],
    }
)


def monthly(measure: str, values: Sequence[float], start: str = "2026-01-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=len(values), freq="MS"),
            "measure": measure,
            "value": list(values),
        }
    )


def readings(*frames: pd.DataFrame) -> pz.Readings:
    return pz.Readings.trusted(pd.concat(frames, ignore_index=True))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
