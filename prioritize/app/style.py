"""How the pages show categories: the same colours as the charts and the workbook."""

from __future__ import annotations

from typing import Any

import pandas as pd

from prioritize.model.categories import CATEGORY_COLOURS


def _text_colour(background: str) -> str:
    red, green, blue = (int(background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def category_css(value: Any) -> str:
    """CSS for a cell holding a category name."""
    colour = CATEGORY_COLOURS.get(str(value))
    if colour is None:
        return ""
    return f"background-color: {colour}; color: {_text_colour(colour)}"


def category_styler(frame: pd.DataFrame, columns: tuple[str, ...] = ("category",)) -> Any:
    """A Styler colouring category cells."""
    present = [c for c in columns if c in frame.columns]
    return frame.style.map(category_css, subset=pd.Index(present))
