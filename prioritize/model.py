"""The council's vocabulary as frozen types: criteria, criteria sets, the value matrix,
requirements, members, scores and the result of an evaluation.

Everything here is immutable. Collections of many rows (requirements, scores, members) are
validated frozen wrappers around a pandas DataFrame, so that ten thousand requirements or a
million scores stay fast; ``.table`` hands out a copy, and iterating yields the frozen
per-row types (:class:`Requirement`, :class:`Member`).
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError

__all__ = [
    "AXES",
    "CATEGORIES",
    "CATEGORY_COLOURS",
    "DIRECTIONS",
    "GROUPS",
    "MEASURES",
    "ROLES",
    "USUAL_RESPONSE",
    "Axis",
    "CategoryRule",
    "Condition",
    "CriteriaSet",
    "Criterion",
    "Evaluation",
    "Gate",
    "Matrix",
    "Member",
    "Members",
    "Requirement",
    "Requirements",
    "Scale",
    "Scores",
]

GROUPS: tuple[str, ...] = ("customer impact", "risk", "cost", "strategic fit")
DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
ROLES: tuple[str, ...] = ("member", "facilitator", "observer")

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

#: The three axes of the matrix.
AXES: tuple[str, ...] = ("value", "effort", "urgency")
#: What a category rule may test: the axes, net value (value - effort) and the score.
MEASURES: tuple[str, ...] = ("value", "effort", "urgency", "net_value", "score")

#: Categories a mandatory requirement (one that passes a gate) can never be placed in.
MANDATORY_EXCLUDED: frozenset[str] = frozenset({"Low-value request", "Harmful requirement"})


@dataclass(frozen=True, slots=True)
class Scale:
    """An anchored scoring scale: ``min`` to ``max`` with a description per level."""

    min: float
    max: float
    levels: Mapping[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", types.MappingProxyType(dict(self.levels)))

    def __reduce__(self) -> tuple[type[Scale], tuple[float, float, dict[int, str]]]:
        # a read-only mapping does not pickle; results must (st.cache_data, processes)
        return (Scale, (self.min, self.max, dict(self.levels)))

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
            An unknown criterion, a negative or non-finite weight, or all weights zero.
        """
        known = set(self.ids)
        problems = []
        for key, value in weights.items():
            if key not in known:
                problems.append(
                    Problem("unknown criterion", column="weight", value=str(key),
                            expected=f"one of {', '.join(self.ids)}")
                )
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or number < 0:
                problems.append(
                    Problem("weight must be a non-negative number", row=key, column="weight",
                            value=str(value), expected="a number >= 0")
                )
        if problems:
            raise ValidationError(problems)
        criteria = tuple(
            replace(c, weight=float(weights[c.id])) if c.id in weights else c
            for c in self.criteria
        )
        if sum(c.weight for c in criteria) <= 0:
            raise ValidationError(
                Problem("all weights are zero", column="weight", expected="at least one weight > 0")
            )
        return replace(self, criteria=criteria)


@dataclass(frozen=True, slots=True)
class Requirement:
    """A proposed business requirement."""

    id: str
    title: str
    description: str = ""
    requested_by: str = ""
    personas: tuple[str, ...] = ()
    scenario: str = ""
    evidence: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    """A council member. ``role`` is ``member``, ``facilitator`` or ``observer``."""

    id: str
    name: str
    department: str
    role: str = "member"


def _readonly_copy(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.copy(deep=True)


@dataclass(frozen=True, slots=True)
class Requirements:
    """Validated requirements: a DataFrame indexed by ``id``.

    Columns: ``title, description, requested_by, personas, scenario, evidence, status``
    (``personas`` is a ``;``-separated text).
    """

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Requirement]:
        records = self.frame.to_dict(orient="records")
        for rid, row in zip(self.frame.index, records, strict=True):
            yield _requirement(str(rid), {str(k): v for k, v in row.items()})

    def __getitem__(self, requirement_id: str) -> Requirement:
        row = self.frame.loc[requirement_id]
        return _requirement(requirement_id, {str(k): v for k, v in row.items()})

    @property
    def ids(self) -> pd.Index:
        """Requirement ids, in file order."""
        return self.frame.index

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the requirements as a DataFrame indexed by id."""
        return _readonly_copy(self.frame)


def _requirement(rid: str, row: Mapping[str, object]) -> Requirement:
    personas = str(row.get("personas") or "")
    return Requirement(
        id=rid,
        title=str(row.get("title") or ""),
        description=str(row.get("description") or ""),
        requested_by=str(row.get("requested_by") or ""),
        personas=tuple(p.strip() for p in personas.split(";") if p.strip()),
        scenario=str(row.get("scenario") or ""),
        evidence=str(row.get("evidence") or ""),
        status=str(row.get("status") or ""),
    )


@dataclass(frozen=True, slots=True)
class Members:
    """Validated council members: a DataFrame indexed by ``id`` with ``name, department,
    role``."""

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Member]:
        columns = (self.frame.index, self.frame["name"], self.frame["department"],
                   self.frame["role"])
        for mid, name, department, role in zip(*columns, strict=True):
            yield Member(id=str(mid), name=str(name), department=str(department),
                         role=str(role))

    def __getitem__(self, member_id: str) -> Member:
        row = self.frame.loc[member_id]
        return Member(id=member_id, name=str(row["name"]), department=str(row["department"]),
                      role=str(row["role"]))

    @property
    def ids(self) -> pd.Index:
        """Member ids, in file order."""
        return self.frame.index

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the members as a DataFrame indexed by id."""
        return _readonly_copy(self.frame)

    @property
    def departments(self) -> pd.Series:
        """Each member's department, indexed by member id."""
        return self.frame["department"].copy()


@dataclass(frozen=True, slots=True)
class Scores:
    """Validated scores in long ("tidy") form.

    Columns: ``requirement_id, member, criterion, score, reason`` (and ``time`` when
    given); one row per member x requirement x criterion.
    """

    frame: pd.DataFrame = field(repr=False)
    source: str = "<DataFrame>"
    #: Row number in the source file = position + row_base (None: the index label).
    row_base: int | None = None
    #: Per key column, ``(codes, labels)`` with ``labels[codes]`` equal to the column, kept
    #: from loading so that lookups cost the distinct values, not the rows.
    keys: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def table(self) -> pd.DataFrame:
        """A copy of the scores as a DataFrame."""
        return _readonly_copy(self.frame)

    @property
    def members(self) -> tuple[str, ...]:
        """Ids of the members who scored, sorted."""
        return tuple(sorted(self.frame["member"].unique()))


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of :func:`prioritize.evaluate`.

    Attributes
    ----------
    table
        Indexed by requirement id, ordered by rank: ``title, score, rank, tied, category,
        value, effort, urgency, net_value, mandatory, rule, explanation``.
    utilities
        Requirements x criteria utilities u in [0, 1] (1 is best on every criterion).
    aggregated
        Requirements x criteria aggregated raw scores, on each criterion's own scale.
    weights
        The normalised weights (sum 1), indexed by criterion id.
    unscored
        Requirements left out of the ranking for lack of scores: ``title, missing`` (the
        criteria without a usable score).
    """

    criteria: CriteriaSet
    requirements: Requirements
    scores: Scores
    members: Members | None
    aggregation: str
    trim: float
    table: pd.DataFrame
    utilities: pd.DataFrame
    aggregated: pd.DataFrame
    weights: pd.Series
    unscored: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def utility_array(self) -> np.ndarray:
        """Utilities as a read-only ``(requirements, criteria)`` float array in table order."""
        array = self.utilities.to_numpy(dtype=float, copy=True)
        array.setflags(write=False)
        return array

    @property
    def mandatory_array(self) -> np.ndarray:
        """Read-only boolean array: which requirements (in table order) are mandatory."""
        array = self.table["mandatory"].to_numpy(dtype=bool, copy=True)
        array.setflags(write=False)
        return array
