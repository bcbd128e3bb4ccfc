"""The optimal portfolio in the exports: the columns it adds to the approved portfolio
(:func:`prioritize.export.portfolio.portfolio_table`) -- whether each requirement is in the
optimal portfolio, its cost, effort and reason, and with the core index its index and class
--, checked to be of the evaluation exported, and what it maximised in the council's words.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from prioritize.errors import ExportWarning, Problem, ValidationError
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio, PortfolioAcceptability

__all__ = ["CORE_COLUMNS", "MAXIMISED", "SELECTION_COLUMNS", "selection_frame"]

#: Columns :func:`portfolio_table` adds with an optimal portfolio (after ``status``).
SELECTION_COLUMNS: tuple[str, ...] = ("optimal", "cost", "effort", "reason")
#: Columns it adds with the core index too (after the selection's).
CORE_COLUMNS: tuple[str, ...] = ("core_index", "class")
#: What an optimal portfolio maximised, in the council's words (by ``Portfolio.value_kind``).
MAXIMISED: dict[str, str] = {
    "value": "the value axis (cost and effort are limits, not counted twice)",
    "benefit": "the priority score over the benefit criteria",
}


def selection_frame(
    evaluation: Evaluation,
    selection: Portfolio | None,
    core: PortfolioAcceptability | None,
) -> pd.DataFrame | None:
    """The selection's (and core index's) columns (:data:`SELECTION_COLUMNS`,
    :data:`CORE_COLUMNS`) indexed by the evaluation's ranked requirements, or ``None``
    without a selection.

    Raises
    ------
    ValidationError
        A core index without its selection, or either of other requirements than the
        evaluation's ranked ones.

    Warns
    -----
    ExportWarning
        A core index whose portfolio under the council's own weights is not the selection.
    """
    if selection is None:
        if core is not None:
            raise ValidationError(
                Problem(
                    "a core index is shown with the optimal portfolio it belongs to",
                    column="core",
                    value="a core index without a selection",
                    expected="selection=portfolio(...) with core=portfolio_acceptability(...)",
                )
            )
        return None
    ranked = evaluation.table.index
    for name, table in (
        ("selection", selection.table),
        ("core", None if core is None else core.table),
    ):
        if table is None:
            continue
        if len(table.index) != len(ranked) or not table.index.isin(ranked).all():
            unknown = table.index.difference(ranked).union(ranked.difference(table.index))
            raise ValidationError(
                Problem(
                    f"the {name} is not of this evaluation's ranked requirements",
                    column=name,
                    value=", ".join(map(str, unknown[:10])),
                    expected="the result of the portfolio functions on the evaluation exported",
                )
            )
    frame = pd.DataFrame(
        {
            "optimal": selection.table["selected"].reindex(ranked).to_numpy(dtype=bool),
            "cost": selection.table["cost"].reindex(ranked).to_numpy(dtype=float),
            "effort": selection.table["effort"].reindex(ranked).to_numpy(dtype=float),
            "reason": selection.table["reason"].reindex(ranked).astype(object).to_numpy(),
        },
        index=ranked,
    )
    if core is not None:
        own = core.table["selected_now"].reindex(ranked).to_numpy(dtype=bool)
        if selection.feasible and not np.array_equal(own, frame["optimal"].to_numpy()):
            warnings.warn(
                "the core index was computed for another portfolio problem than the "
                "selection (its portfolio under the council's weights differs): check the "
                "budget, capacity and value both were given",
                ExportWarning,
                stacklevel=4,
            )
        frame["core_index"] = core.table["core_index"].reindex(ranked).to_numpy(dtype=float)
        frame["class"] = core.table["class"].reindex(ranked).astype(object).to_numpy()
    return frame
