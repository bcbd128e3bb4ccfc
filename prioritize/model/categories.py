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

#: What a council usually does with a requirement of each category (SPEC "The model").
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

#: Categories a mandatory requirement (one that passes a gate) can never be placed in.
MANDATORY_EXCLUDED: frozenset[str] = frozenset({"Low-value request", "Harmful requirement"})
