"""The ``matrix`` section of a criteria file (axes and category rules), and the default
matrix used when a criteria set has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, cast

from prioritize.errors import Problem, bounded_repr
from prioritize.load.problems import finite_number
from prioritize.model.categories import CATEGORIES
from prioritize.model.criteria import Criterion
from prioritize.model.matrix import AXES, MEASURES, Axis, CategoryRule, Condition, Matrix

#: The category rules used when a criteria set has no matrix section (the same as the
#: bundled ``customer-operations`` set).
DEFAULT_RULES: tuple[CategoryRule, ...] = (
    CategoryRule(
        "Immediate control", (Condition("urgency", at_least=0.7), Condition("effort", below=0.5))
    ),
    CategoryRule(
        "Harmful requirement", (Condition("value", below=0.2), Condition("net_value", below=0.0))
    ),
    CategoryRule(
        "Strategic investment",
        (Condition("value", at_least=0.6), Condition("effort", at_least=0.5)),
    ),
    CategoryRule("High-value improvement", (Condition("value", at_least=0.6),)),
    CategoryRule(
        "Low-value request", (Condition("effort", at_least=0.55), Condition("value", below=0.45))
    ),
    CategoryRule("Limited enhancement", ()),
)

#: Which groups feed which axis by default, and whether the axis reads utility or burden.
DEFAULT_AXES: dict[str, tuple[tuple[str, ...], Literal["utility", "burden"]]] = {
    "value": (("customer impact", "strategic fit"), "utility"),
    "effort": (("cost",), "burden"),
    "urgency": (("risk",), "utility"),
}


def default_matrix(criteria: tuple[Criterion, ...]) -> Matrix:
    """The matrix of a criteria set that has none.

    value: the ``customer impact`` and ``strategic fit`` criteria (utility); effort: the
    ``cost`` criteria (burden, 1 - u); urgency: the ``risk`` criteria (utility); rules:
    :data:`DEFAULT_RULES`. An axis without criteria is 0 for every requirement, and a note
    says so.
    """
    axes = []
    notes = ["no matrix section: axes from the criteria groups and the default category rules"]
    for name, (groups, measure) in DEFAULT_AXES.items():
        ids = tuple(c.id for c in criteria if c.group in groups)
        if not ids:
            notes.append(
                f"the {name} axis has no criteria (no {' or '.join(groups)} group): "
                f"it is 0 for every requirement"
            )
        axes.append(Axis(name, ids, measure))
    return Matrix(tuple(axes), DEFAULT_RULES, defaulted=True, notes=tuple(notes))


def parse_matrix(
    raw: object, criteria: tuple[Criterion, ...], label: str, problems: list[Problem]
) -> Matrix | None:
    start = len(problems)
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(
                "matrix must be a mapping with axes and categories",
                file=label,
                column="matrix",
                value=bounded_repr(raw),
                expected="{axes: {...}, categories: [...]}",
            )
        )
        return None
    ids = {c.id for c in criteria}
    axes_raw = raw.get("axes")
    axes: list[Axis] = []
    notes: list[str] = []
    if not isinstance(axes_raw, Mapping):
        problems.append(
            Problem(
                "matrix.axes must be a mapping",
                file=label,
                column="matrix.axes",
                value=bounded_repr(axes_raw),
                expected=f"keys {', '.join(AXES)}",
            )
        )
    else:
        for key in axes_raw:
            if key not in AXES:
                problems.append(
                    Problem(
                        "unknown axis",
                        file=label,
                        column="matrix.axes",
                        value=bounded_repr(key),
                        expected=f"one of {', '.join(AXES)}",
                    )
                )
        for name in AXES:
            spec = axes_raw.get(name)
            column = f"matrix.axes.{name}"
            if not isinstance(spec, Mapping):
                problems.append(
                    Problem(
                        "axis missing or not a mapping",
                        file=label,
                        column=column,
                        value=bounded_repr(spec),
                        expected="{criteria: [ids], measure: utility|burden}",
                    )
                )
                continue
            members = spec.get("criteria") or []
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                problems.append(
                    Problem(
                        "axis criteria must be a list of criterion ids",
                        file=label,
                        column=column,
                        value=bounded_repr(members),
                        expected="a list of criterion ids",
                    )
                )
                continue
            unknown = [m for m in members if m not in ids]
            if unknown:
                problems.append(
                    Problem(
                        "unknown criterion on an axis",
                        file=label,
                        column=column,
                        value=", ".join(unknown),
                        expected=f"criterion ids ({', '.join(sorted(ids))})",
                    )
                )
                continue
            measure = spec.get("measure", "utility")
            if measure not in ("utility", "burden"):
                problems.append(
                    Problem(
                        "unknown axis measure",
                        file=label,
                        column=f"{column}.measure",
                        value=bounded_repr(measure),
                        expected="utility (u) or burden (1 - u)",
                    )
                )
                continue
            if not members:
                notes.append(f"the {name} axis has no criteria: it is 0 for every requirement")
            axes.append(Axis(name, tuple(members), cast(Literal["utility", "burden"], measure)))
    rules = parse_rules(raw.get("categories"), label, problems)
    if len(problems) > start or rules is None:
        return None
    return Matrix(tuple(axes), rules, defaulted=False, notes=tuple(notes))


def parse_rules(
    raw: object, label: str, problems: list[Problem]
) -> tuple[CategoryRule, ...] | None:
    expected = "a list of {category: <one of the six>, when: {measure: {at_least|below: x}}}"
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(
                "matrix.categories must be a non-empty list",
                file=label,
                column="matrix.categories",
                value=bounded_repr(raw),
                expected=expected,
            )
        )
        return None
    rules: list[CategoryRule] = []
    start = len(problems)
    for number, item in enumerate(raw, start=1):
        where = f"category rule {number}"
        if not isinstance(item, Mapping):
            problems.append(
                Problem(
                    "not a mapping",
                    file=label,
                    row=where,
                    value=bounded_repr(item),
                    expected=expected,
                )
            )
            continue
        category = item.get("category")
        if category not in CATEGORIES:
            problems.append(
                Problem(
                    "unknown category",
                    file=label,
                    row=where,
                    column="category",
                    value=bounded_repr(category),
                    expected=f"one of {', '.join(CATEGORIES)}",
                )
            )
            continue
        when = item.get("when") or {}
        if not isinstance(when, Mapping):
            problems.append(
                Problem(
                    "'when' must be a mapping",
                    file=label,
                    row=where,
                    column="when",
                    value=bounded_repr(when),
                    expected=expected,
                )
            )
            continue
        conditions = []
        for measure, bounds in when.items():
            if measure not in MEASURES:
                problems.append(
                    Problem(
                        "unknown measure",
                        file=label,
                        row=where,
                        column=f"when.{measure}",
                        value=bounded_repr(measure),
                        expected=f"one of {', '.join(MEASURES)}",
                    )
                )
                continue
            if not isinstance(bounds, Mapping) or not bounds or set(bounds) - {"at_least", "below"}:
                problems.append(
                    Problem(
                        "bounds must be at_least and/or below",
                        file=label,
                        row=where,
                        column=f"when.{measure}",
                        value=bounded_repr(bounds),
                        expected="{at_least: x} or {below: x} or both",
                    )
                )
                continue
            low = finite_number(bounds["at_least"]) if "at_least" in bounds else None
            high = finite_number(bounds["below"]) if "below" in bounds else None
            if ("at_least" in bounds and low is None) or ("below" in bounds and high is None):
                problems.append(
                    Problem(
                        "bound is not a number",
                        file=label,
                        row=where,
                        column=f"when.{measure}",
                        value=bounded_repr(bounds),
                        expected="finite numbers",
                    )
                )
                continue
            conditions.append(Condition(str(measure), at_least=low, below=high))
        rules.append(CategoryRule(str(category), tuple(conditions)))
    if len(problems) > start:
        return None
    if rules[-1].conditions:
        problems.append(
            Problem(
                "the last category rule must have no conditions (a catch-all), "
                "so that every requirement is placed",
                file=label,
                row=f"category rule {len(rules)}",
                column="when",
                expected="an empty 'when' on the last rule",
            )
        )
        return None
    return tuple(rules)
