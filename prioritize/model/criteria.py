"""Criteria and criteria sets: anchored scales, gates, owners, weights."""

from __future__ import annotations

import math
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.model.matrix import Matrix

GROUPS: tuple[str, ...] = ("customer impact", "risk", "cost", "strategic fit")
DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
#: The largest weight: weights are relative, and one near 1e308 overflows every score to
#: NaN (the loaders' ``Limits.max_weight`` defaults to this).
MAX_WEIGHT = 1e6


@dataclass(frozen=True, slots=True)
class Scale:
    """An anchored scoring scale: ``min`` to ``max`` with a description per level, and
    optionally a ``step``: the finest difference between two scores (1: whole levels only;
    None: any number on the scale)."""

    min: float
    max: float
    levels: Mapping[int, str] = field(default_factory=dict)
    step: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", types.MappingProxyType(dict(self.levels)))

    def __reduce__(
        self,
    ) -> tuple[type[Scale], tuple[float, float, dict[int, str], float | None]]:
        # a read-only mapping does not pickle; results must (st.cache_data, processes)
        return (Scale, (self.min, self.max, dict(self.levels), self.step))

    def on_step(self, value: float) -> bool:
        """Whether ``value`` lies on the scale's steps (always, without a step).

        >>> Scale(1, 5, step=1).on_step(3.5), Scale(1, 5, step=0.5).on_step(3.5)
        (False, True)
        """
        if self.step is None:
            return True
        units = (value - self.min) / self.step
        return abs(units - round(units)) <= 1e-9 * max(1.0, abs(units))

    @property
    def span(self) -> float:
        """``max - min``."""
        return self.max - self.min

    def describe(self, level: float) -> str:
        """The anchor text of ``level``, or the nearest anchors around it."""
        if level in self.levels:
            return self.levels[int(level)]
        below = [k for k in self.levels if k < level]
        above = [k for k in self.levels if k > level]
        parts = []
        if below:
            parts.append(f"{max(below)}: {self.levels[max(below)]}")
        if above:
            parts.append(f"{min(above)}: {self.levels[min(above)]}")
        return " | ".join(parts)


@dataclass(frozen=True, slots=True)
class Gate:
    """A rule that makes a requirement mandatory: the aggregated score reaches ``at_least``."""

    at_least: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One agreed criterion the council scores requirements on.

    ``direction`` is ``"benefit"`` (a higher score is better) or ``"cost"`` (a higher score
    is worse). ``owners`` are the departments whose scores count for this criterion (empty:
    everybody's); others' scores are advisory.
    """

    id: str
    name: str
    group: str
    direction: str
    weight: float
    scale: Scale
    description: str = ""
    owners: tuple[str, ...] = ()
    gate: Gate | None = None

    def swing(self) -> tuple[tuple[float, str], tuple[float, str]]:
        """``(worst, best)``: each end of the scale as ``(score, meaning)``, the worst first
        (the scale's max for a cost criterion). A weight is the value of this swing.

        >>> c = Criterion("cost", "Cost", "cost", "cost", 0.3, Scale(1, 5, {1: "cheap", 5: "dear"}))
        >>> c.swing()
        ((5.0, 'dear'), (1.0, 'cheap'))
        """

        def end(value: float) -> tuple[float, str]:
            whole = float(value).is_integer()
            return float(value), self.scale.levels.get(int(value), "") if whole else ""

        low, high = end(self.scale.min), end(self.scale.max)
        return (high, low) if self.direction == "cost" else (low, high)


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    """A versioned set of criteria with weights and the value matrix.

    Weights are stored as given (non-negative, not all zero) and normalised to sum 1
    when used (:attr:`weights`).
    """

    name: str
    criteria: tuple[Criterion, ...]
    matrix: Matrix
    version: int = 1
    description: str = ""
    source: str | None = None
    sha256: str | None = None

    def __len__(self) -> int:
        return len(self.criteria)

    def __iter__(self) -> Iterator[Criterion]:
        return iter(self.criteria)

    def __getitem__(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """Criterion ids, in file order."""
        return tuple(c.id for c in self.criteria)

    @property
    def raw_weights(self) -> pd.Series:
        """Weights as given, indexed by criterion id."""
        return pd.Series([c.weight for c in self.criteria], index=list(self.ids), name="weight")

    @property
    def weights(self) -> pd.Series:
        """Weights normalised to sum 1, indexed by criterion id."""
        raw = self.raw_weights
        return raw / raw.sum()

    def with_weights(self, weights: Mapping[str, float]) -> CriteriaSet:
        """A new criteria set with some or all weights replaced.

        The weights are the lever the council debates; this never changes ``self``.
        Weights are normalised when used, so ``{"customer_impact": 2}`` doubles that
        criterion's raw weight relative to the others.

        Raises
        ------
        ValidationError
            An unknown criterion, a negative, non-finite or too large (> :data:`MAX_WEIGHT`)
            weight, or all weights zero.
        """
        known = set(self.ids)
        problems = []
        for key, value in weights.items():
            if key not in known:
                problems.append(
                    Problem(
                        "unknown criterion",
                        column="weight",
                        value=str(key),
                        expected=f"one of {', '.join(self.ids)}",
                    )
                )
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
                problems.append(
                    Problem(
                        "weight too large"
                        if number > MAX_WEIGHT
                        else "weight must be a non-negative number",
                        row=key,
                        column="weight",
                        value=str(value),
                        expected=f"a number from 0 to {MAX_WEIGHT:g}",
                    )
                )
        if problems:
            raise ValidationError(problems)
        criteria = tuple(
            replace(c, weight=float(weights[c.id])) if c.id in weights else c for c in self.criteria
        )
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(
                Problem("all weights are zero", column="weight", expected="at least one weight > 0")
            )
        return replace(self, criteria=criteria)
