"""How the pages show categories: the fill and text colours of the core
(:data:`~prioritize.model.categories.CATEGORY_COLOURS` and ``CATEGORY_TEXT_COLOURS``), the
same as the charts and the workbook."""

from __future__ import annotations

from typing import Any

import pandas as pd

from prioritize.model.categories import CATEGORY_COLOURS, CATEGORY_TEXT_COLOURS


def category_css(value: Any) -> str:
    """CSS for a cell holding a category name."""
    fill = CATEGORY_COLOURS.get(str(value))
    if fill is None:
        return ""
    return f"background-color: {fill}; color: {CATEGORY_TEXT_COLOURS[str(value)]}"


def category_styler(frame: pd.DataFrame, columns: tuple[str, ...] = ("category",)) -> Any:
    """A Styler colouring category cells."""
    present = [c for c in columns if c in frame.columns]
    return frame.style.map(category_css, subset=pd.Index(present))
