"""Load and validate criteria sets (versioned YAML files, read with PyYAML's safe loader
within :class:`~prioritize.load.limits.Limits`: size on disk, aliases, expanded size and
nesting, weights and scale bounds).

A criteria set names the criteria, their weights and scales, and the value matrix (axes and
ordered category rules). A set without a ``matrix`` section gets the documented defaults of
:func:`default_matrix`.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from prioritize import resources
from prioritize.errors import Problem, ValidationError, WeightsNormalisedWarning, bounded_repr
from prioritize.load.bounded_yaml import (
    check_version,
    read_yaml,
    read_yaml_text,
    yaml_file_bytes,
    yaml_source,
)
from prioritize.load.identity import unique_items
from prioritize.load.limits import DEFAULT_LIMITS, Limits
from prioritize.load.matrix import default_matrix, parse_matrix
from prioritize.load.problems import finite_number
from prioritize.load.scales import parse_scale
from prioritize.model.criteria import DIRECTIONS, GROUPS, CriteriaSet, Criterion, Gate

SUPPORTED_VERSIONS = (1,)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_WEIGHT_TOLERANCE = 1e-6


def load_criteria(
    source: str | Path | Mapping[str, Any], *, limits: Limits = DEFAULT_LIMITS
) -> CriteriaSet:
    """Load and validate a criteria set.

    Parameters
    ----------
    source
        A bundled set's name (``"customer-operations"``), a path to a YAML file, or an
        already-parsed mapping.
    limits
        How large and complex the file may be, how large a weight (``max_weight``) and a
        scale bound (``max_scale_magnitude``).

    Returns
    -------
    CriteriaSet

    Raises
    ------
    ValidationError
        Every problem found, each naming the file, the criterion and the key.

    Warns
    -----
    WeightsNormalisedWarning
        When the weights do not sum to 1 (they are normalised when used).

    Examples
    --------
    >>> cs = load_criteria("customer-operations")
    >>> cs.ids[:3]
    ('customer_impact', 'error_reduction', 'revenue_retention')
    >>> round(float(cs.weights.sum()), 6)
    1.0
    """
    if isinstance(source, Mapping):
        return _parse(source, "<mapping>", None, limits)
    path = _resolve(source)
    label = str(path)
    raw = yaml_file_bytes(path, limits, "the criteria file")
    data = read_yaml(raw, label, limits, "a YAML criteria set")
    return _parse(data, label, hashlib.sha256(raw).hexdigest(), limits)


def criteria_from_text(text: str, label: str, *, limits: Limits = DEFAULT_LIMITS) -> CriteriaSet:
    """A criteria set from YAML text kept elsewhere (a round's snapshot in the store),
    under the same limits as a file; ``sha256`` is the text's.

    >>> text = resources.criteria_dir().joinpath("customer-operations.yaml").read_text()
    >>> criteria_from_text(text, "<text>").ids[:2]
    ('customer_impact', 'error_reduction')
    """
    data = read_yaml_text(text, label, limits, "the criteria set")
    return _parse(data, label, hashlib.sha256(text.encode("utf-8")).hexdigest(), limits)


def _resolve(source: str | Path) -> Path:
    return yaml_source(
        source,
        resources.criteria_dir(),
        resources.bundled_criteria(),
        "no such criteria file or bundled criteria set",
    )


def _parse(data: object, label: str, sha256: str | None, limits: Limits) -> CriteriaSet:
    if data is None:
        raise ValidationError(
            Problem(
                "the file is empty",
                file=label,
                expected="a YAML mapping with 'version' and 'criteria'",
            )
        )
    if not isinstance(data, Mapping):
        raise ValidationError(
            Problem(
                "the top level is not a mapping",
                file=label,
                value=type(data).__name__,
                expected="a YAML mapping with 'version' and 'criteria'",
            )
        )
    problems: list[Problem] = []
    check_version(data, label, SUPPORTED_VERSIONS)
    items = data.get("criteria")
    if not isinstance(items, list) or not items:
        raise ValidationError(
            Problem(
                "no criteria",
                file=label,
                column="criteria",
                value=bounded_repr(items),
                expected="a non-empty list of criteria",
            )
        )
    if len(items) > limits.max_columns:  # each criterion is a column of wide scores
        raise ValidationError(
            Problem(
                "too many criteria",
                file=label,
                column="criteria",
                value=f"{len(items):,} criteria",
                expected=f"at most {limits.max_columns:,} criteria",
                limit="max_columns",
            )
        )
    criteria = unique_items(
        (
            _criterion(item, number, label, problems, limits)
            for number, item in enumerate(items, start=1)
        ),
        "criterion",
        label,
        problems,
    )
    if criteria and not problems and sum(c.weight for c in criteria) <= 0:
        problems.append(
            Problem(
                "all weights are zero",
                file=label,
                column="weight",
                expected="at least one weight > 0",
            )
        )
    matrix_data = data.get("matrix")
    matrix = None
    if problems:
        pass
    elif matrix_data is None:
        matrix = default_matrix(tuple(criteria))
    else:
        matrix = parse_matrix(matrix_data, tuple(criteria), label, problems)
    if problems:
        raise ValidationError(problems)
    assert matrix is not None
    total = sum(c.weight for c in criteria)
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        warnings.warn(
            f"{label}: weights sum to {total:g}, not 1; they are normalised "
            f"(divided by {total:g}) when used",
            WeightsNormalisedWarning,
            stacklevel=3,
        )
    name = data.get("name")
    return CriteriaSet(
        name=str(name) if name else Path(label).stem,
        criteria=tuple(criteria),
        matrix=matrix,
        version=int(data["version"]),
        description=str(data.get("description") or "").strip(),
        source=label,
        sha256=sha256,
    )


def _criterion(
    item: object, number: int, label: str, problems: list[Problem], limits: Limits
) -> Criterion | None:
    where = f"criterion {number}"
    if not isinstance(item, Mapping):
        problems.append(
            Problem(
                "not a mapping",
                file=label,
                row=where,
                value=bounded_repr(item),
                expected="a mapping with id, name, group, direction, weight, scale",
            )
        )
        return None
    cid = item.get("id")
    if isinstance(cid, str):
        where = f"criterion {number} ({cid})"
    start = len(problems)

    def bad(
        column: str, message: str, value: object, expected: str, limit: str | None = None
    ) -> None:
        problems.append(
            Problem(
                message,
                file=label,
                row=where,
                column=column,
                value=bounded_repr(value),
                expected=expected,
                limit=limit,
            )
        )

    if not isinstance(cid, str) or not _ID.match(cid):
        bad("id", "invalid id", cid, "snake_case text such as 'customer_impact'")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        bad("name", "missing name", name, "a non-empty text")
    group = item.get("group")
    if group not in GROUPS:
        bad("group", "unknown group", group, f"one of {', '.join(GROUPS)}")
    direction = item.get("direction")
    if direction not in DIRECTIONS:
        bad("direction", "unknown direction", direction, f"one of {', '.join(DIRECTIONS)}")
    weight = finite_number(item.get("weight"))
    if weight is None or not 0 <= weight <= limits.max_weight:
        too_large = weight is not None and weight > limits.max_weight
        bad(
            "weight",
            "weight too large" if too_large else "weight must be a non-negative number",
            item.get("weight"),
            f"a number from 0 to {limits.max_weight:g}",
            "max_weight" if too_large else None,
        )
    scale = parse_scale(item.get("scale"), bad, limits)
    owners_raw = item.get("owners", [])
    owners: tuple[str, ...] = ()
    if owners_raw is None:
        owners_raw = []
    if isinstance(owners_raw, str):
        owners_raw = [owners_raw]
    if not isinstance(owners_raw, list) or not all(
        isinstance(o, str) and o.strip() for o in owners_raw
    ):
        bad(
            "owners",
            "owners must be a list of department names",
            owners_raw,
            "a list such as [Legal, Finance]",
        )
    else:
        owners = tuple(o.strip() for o in owners_raw)
    gate = None
    gate_raw = item.get("gate")
    if gate_raw is not None:
        at_least = (
            finite_number(gate_raw.get("at_least")) if isinstance(gate_raw, Mapping) else None
        )
        if at_least is None:
            bad(
                "gate",
                "a gate needs a numeric 'at_least'",
                gate_raw,
                "a mapping such as {at_least: 5, reason: ...}",
            )
        elif scale is not None and not scale.min <= at_least <= scale.max:
            bad(
                "gate",
                "gate threshold outside the scale",
                at_least,
                f"a number from {scale.min:g} to {scale.max:g}",
            )
        else:
            assert isinstance(gate_raw, Mapping)
            gate = Gate(at_least=at_least, reason=str(gate_raw.get("reason") or ""))
    if len(problems) > start:
        return None
    assert scale is not None and weight is not None
    return Criterion(
        id=cast(str, cid),
        name=cast(str, name).strip(),
        group=cast(str, group),
        direction=cast(str, direction),
        weight=weight,
        scale=scale,
        description=str(item.get("description") or "").strip(),
        owners=owners,
        gate=gate,
    )
