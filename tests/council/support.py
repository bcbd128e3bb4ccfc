"""Score tables for the council tests, written cell by cell."""

from __future__ import annotations

import pandas as pd


def score_frame(cells: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    """Long-form scores: cell (requirement, criterion) -> one score per member m0, m1, ..."""
    rows = [(r, f"m{i}", c, s) for (r, c), scores in cells.items() for i, s in enumerate(scores)]
    return pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score"])
