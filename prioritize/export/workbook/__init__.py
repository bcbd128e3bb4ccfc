"""The portfolio workbook: :mod:`~prioritize.export.workbook.write` (``export_portfolio``),
:mod:`~prioritize.export.workbook.sheets` (what each sheet holds),
:mod:`~prioritize.export.workbook.history` (the Scores history sheet),
:mod:`~prioritize.export.workbook.weights` (the Weights sheet),
:mod:`~prioritize.export.workbook.columns` (what the sheets share) and
:mod:`~prioritize.export.workbook.about` (the About sheet)."""

from __future__ import annotations

from prioritize.export.workbook.write import export_portfolio, portfolio_xlsx

__all__ = ["export_portfolio", "portfolio_xlsx"]
