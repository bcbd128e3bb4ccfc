"""The value matrix as data: its axes, the measures a rule may test, conditions and the
ordered category rules (first match wins; rules are data, never code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: The three axes of the matrix.
AXES: tuple[str, ...] = ("value", "effort", "urgency")
#: What a category rule may test: the axes, net value (value - effort) and the score.
MEASURES: tuple[str, ...] = ("value", "effort", "urgency", "net_value", "score")


@dataclass(frozen=True, slots=True)
class Axis:
    """A matrix axis: the weighted mean of the listed criteria's ``utility`` (u) or
    ``burden`` (1 - u), weighted by the criteria weights."""

    name: str
    criteria: tuple[str, ...]
    measure: Literal["utility", "burden"] = "utility"


@dataclass(frozen=True, slots=True)
class Condition:
    """``measure >= at_least`` and/or ``measure < below``."""

    measure: str
    at_least: float | None = None
    below: float | None = None

    def describe(self) -> str:
        """The condition in words, e.g. ``urgency >= 0.70``."""
        parts = []
        if self.at_least is not None:
            parts.append(f"{self.measure} >= {self.at_least:.2f}")
        if self.below is not None:
            parts.append(f"{self.measure} < {self.below:.2f}")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Place a requirement in ``category`` when every condition holds (none: always)."""

    category: str
    conditions: tuple[Condition, ...] = ()

    def describe(self) -> str:
        """The rule in words."""
        if not self.conditions:
            return "otherwise"
        return " and ".join(c.describe() for c in self.conditions)


@dataclass(frozen=True, slots=True)
class Matrix:
    """The value matrix: axes and ordered category rules (first match wins).

    ``notes`` say what was defaulted (no matrix section, an axis without criteria).
    """

    axes: tuple[Axis, ...]
    rules: tuple[CategoryRule, ...]
    defaulted: bool = False
    notes: tuple[str, ...] = ()

    def axis(self, name: str) -> Axis:
        """The axis called ``name``."""
        for axis in self.axes:
            if axis.name == name:
                return axis
        raise KeyError(name)
