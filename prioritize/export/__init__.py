"""Export: the audit-ready portfolio workbook (xlsx) and the ranking as CSV or JSON.

* :func:`export_portfolio` / :func:`portfolio_xlsx` -- the workbook (sheets listed in
  :mod:`prioritize.export.workbook`), written by the fast column-wise writer of
  :mod:`prioritize.export.xlsx`;
* :func:`export_ranking` -- the ranked table as CSV or JSON;
* :func:`portfolio_table` -- which requirements make the approved portfolio, and why
  (:mod:`prioritize.export.portfolio`);
* user text never becomes a formula, and text a spreadsheet cannot hold is replaced with a
  warning (:mod:`prioritize.export.text`).

Every file is written atomically (:mod:`prioritize.export.files`): nothing half-written.
"""

from __future__ import annotations

from prioritize.export.portfolio import RECOMMENDED_CATEGORIES, decision_log, portfolio_table
from prioritize.export.ranking import export_ranking, ranking_frame
from prioritize.export.text import (
    ExportTextWarning,
    ExportWarning,
    csv_unquote,
    is_formula_like,
)
from prioritize.export.workbook.write import export_portfolio, portfolio_xlsx

__all__ = [
    "RECOMMENDED_CATEGORIES",
    "ExportTextWarning",
    "ExportWarning",
    "csv_unquote",
    "decision_log",
    "export_portfolio",
    "export_ranking",
    "is_formula_like",
    "portfolio_table",
    "portfolio_xlsx",
    "ranking_frame",
]
