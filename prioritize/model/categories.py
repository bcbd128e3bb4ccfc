"""The six categories of the value matrix: their order, what a council usually does with
each, and their colours (fill and text), shared by the page, the charts and the workbook.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

#: The six categories of the value matrix, in the order the council reads them.
CATEGORIES: tuple[str, ...] = (
    "Immediate control",
    "High-value improvement",
    "Strategic investment",
    "Limited enhancement",
    "Low-value request",
    "Harmful requirement",
)

#: What a council usually does with a requirement of each category: the response a decision
#: is compared with to tell an override (:func:`prioritize.council.decisions.is_override`).
USUAL_RESPONSE: Mapping[str, str] = types.MappingProxyType(
    {
        "Immediate control": "do now",
        "High-value improvement": "approve",
        "Strategic investment": "plan and fund",
        "Limited enhancement": "when capacity allows",
        "Low-value request": "reject or postpone",
        "Harmful requirement": "remove from the process",
    }
)

#: One colour per category, shared by the page's charts and the workbook (colour-blind safe
#: Okabe-Ito hues, red kept for the harmful category).
CATEGORY_COLOURS: Mapping[str, str] = types.MappingProxyType(
    {
        "Immediate control": "#D55E00",
        "High-value improvement": "#009E73",
        "Strategic investment": "#0072B2",
        "Limited enhancement": "#E69F00",
        "Low-value request": "#999999",
        "Harmful requirement": "#7F0000",
    }
)


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG 2 relative luminance and
    contrast ratio). The one rule for text on a category colour: page, charts and workbook.

    >>> text_colour("#7F0000"), text_colour("#E69F00"), text_colour("#009E73")
    ('#FFFFFF', '#000000', '#000000')
    """
    channels = [int(fill[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    against_white = 1.05 / (luminance + 0.05)
    against_black = (luminance + 0.05) / 0.05
    return "#000000" if against_black >= against_white else "#FFFFFF"


#: The text colour on each category's fill (:func:`text_colour` of :data:`CATEGORY_COLOURS`).
CATEGORY_TEXT_COLOURS: Mapping[str, str] = types.MappingProxyType(
    {category: text_colour(fill) for category, fill in CATEGORY_COLOURS.items()}
)

#: Categories a mandatory requirement (one that passes a gate) can never be placed in.
MANDATORY_EXCLUDED: frozenset[str] = frozenset({"Low-value request", "Harmful requirement"})
