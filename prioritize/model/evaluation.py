"""The result of an evaluation: the ranked, categorised table with the utilities, aggregated
scores and weights behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.model.council import Members, Requirements, Scores
from prioritize.model.criteria import CriteriaSet


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of :func:`prioritize.evaluate`.

    Attributes
    ----------
    table
        Indexed by requirement id, ordered by rank: ``title, score, rank, tied, category,
        value, effort, urgency, net_value, mandatory, rule, explanation``.
    utilities
        Requirements x criteria utilities u in [0, 1] (1 is best on every criterion).
    aggregated
        Requirements x criteria aggregated raw scores, on each criterion's own scale.
    weights
        The normalised weights (sum 1), indexed by criterion id.
    unscored
        Requirements left out of the ranking for lack of scores: ``title, missing`` (the
        criteria without a usable score).
    """

    criteria: CriteriaSet
    requirements: Requirements
    scores: Scores
    members: Members | None
    aggregation: str
    trim: float
    table: pd.DataFrame
    utilities: pd.DataFrame
    aggregated: pd.DataFrame
    weights: pd.Series
    unscored: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def utility_array(self) -> np.ndarray:
        """Utilities as a read-only ``(requirements, criteria)`` float array in table order."""
        array = self.utilities.to_numpy(dtype=float, copy=True)
        array.setflags(write=False)
        return array

    @property
    def mandatory_array(self) -> np.ndarray:
        """Read-only boolean array: which requirements (in table order) are mandatory."""
        array = self.table["mandatory"].to_numpy(dtype=bool, copy=True)
        array.setflags(write=False)
        return array
