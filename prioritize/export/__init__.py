"""Export: the audit-ready portfolio workbook (xlsx) and the ranking as CSV or JSON.

* :func:`export_portfolio` / :func:`portfolio_xlsx` -- the workbook (sheets listed in
  :mod:`prioritize.export.workbook`), written by the fast column-wise writer of
  :mod:`prioritize.export.xlsx`;
* :func:`export_ranking` -- the ranked table as CSV or JSON;
* :func:`portfolio_table` -- which requirements make the approved portfolio, and why
  (:mod:`prioritize.export.portfolio`);
* one text rule for every output (:mod:`prioritize.export.text`): user text never becomes
  a formula -- a ``quotePrefix`` string cell in the workbook; in CSV every text field quoted
  and an apostrophe wherever a cell could start with a formula, also after a line break,
  ``;``, ``,`` or tab inside the field (:func:`csv_unquote` takes it off again) -- and text a
  spreadsheet cannot hold is replaced with a warning, in cells and metadata alike; JSON is
  data, written as it is.

Every file is written atomically (:mod:`prioritize.export.files`): nothing half-written, and
never over a SQLite database (:func:`check_destination`).
"""

from __future__ import annotations

from prioritize.export.files import check_destination
from prioritize.export.portfolio import RECOMMENDED_CATEGORIES, decision_log, portfolio_table
from prioritize.export.ranking import export_ranking, ranking_frame
from prioritize.export.text import (
    ExportTextWarning,
    ExportWarning,
    csv_table,
    csv_unquote,
    is_formula_like,
)
from prioritize.export.workbook.write import export_portfolio, portfolio_xlsx

__all__ = [
    "RECOMMENDED_CATEGORIES",
    "ExportTextWarning",
    "ExportWarning",
    "check_destination",
    "csv_table",
    "csv_unquote",
    "decision_log",
    "export_portfolio",
    "export_ranking",
    "is_formula_like",
    "portfolio_table",
    "portfolio_xlsx",
    "ranking_frame",
]
