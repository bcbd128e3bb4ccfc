"""Load and validate scorecards (versioned YAML files under ``scorecards/``, read with
PyYAML's safe loader within :class:`~prioritize.load.limits.Limits`), and re-export the
loaders of the scorecard's tables: readings (:mod:`~prioritize.load.readings`), deliveries
and events (:mod:`~prioritize.load.outcome_files`).

Every problem in a scorecard is reported at once, each naming the file, the measure
(``measure 3``) and the key: an unknown area, a direction that is not ``higher`` or
``lower``, duplicate ids, both alert bounds, a threshold or target that is not a number, a
trend window below 2 readings, a criterion the criteria set does not know.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prioritize import resources
from prioritize.errors import Problem, ValidationError, bounded_repr
from prioritize.load.bounded_yaml import check_version, read_yaml_text, yaml_file_bytes, yaml_source
from prioritize.load.identity import unique_items
from prioritize.load.limits import DEFAULT_LIMITS, Limits
from prioritize.load.outcome_files import load_deliveries, load_events
from prioritize.load.problems import finite_number
from prioritize.load.readings import load_readings
from prioritize.model.criteria import CriteriaSet
from prioritize.model.scorecard import AREAS, MEASURE_DIRECTIONS, Measure, Scorecard

__all__ = [
    "SUPPORTED_VERSIONS",
    "load_deliveries",
    "load_events",
    "load_readings",
    "load_scorecard",
    "scorecard_from_text",
]

SUPPORTED_VERSIONS = (1,)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = frozenset(
    "id name area unit direction owner description alert target trend criteria".split()  # noqa: SIM905
)
_EXPECTED = "a YAML mapping with 'version', 'name' and 'measures'"


def load_scorecard(
    source: str | Path | Mapping[str, Any] = "customer-operations",
    *,
    criteria: CriteriaSet | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Scorecard:
    """Load and validate a scorecard.

    Parameters
    ----------
    source
        A bundled scorecard's name (default ``"customer-operations"``), a path to a YAML
        file, or an already-parsed mapping.
    criteria
        When given, each measure's ``criteria`` must be ids of this criteria set.
    limits
        How large and complex the file may be.

    Raises
    ------
    ValidationError
        Every problem found, each naming the file, the measure and the key.

    Examples
    --------
    >>> card = load_scorecard("customer-operations")
    >>> card.ids[:3]
    ('first_time_right', 'complaints', 'corrected_orders')
    >>> card["complaints"].direction, card["complaints"].alert_above
    ('lower', 5.0)
    """
    if isinstance(source, Mapping):
        return _parse(source, "<mapping>", None, "", criteria)
    path = _resolve(source)
    raw = yaml_file_bytes(path, limits, "the scorecard file")
    return scorecard_from_text(raw, str(path), criteria=criteria, limits=limits)


def scorecard_from_text(
    text: str | bytes,
    label: str = "<text>",
    *,
    criteria: CriteriaSet | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Scorecard:
    """A scorecard from YAML text kept elsewhere (the store's copy), under the same limits
    as a file; ``sha256`` is the text's.

    >>> text = resources.scorecard_dir().joinpath("customer-operations.yaml").read_text()
    >>> scorecard_from_text(text).sha256 == load_scorecard().sha256
    True
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    data = read_yaml_text(raw, label, limits, "the scorecard")
    return _parse(data, label, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8"), criteria)


def _resolve(source: str | Path) -> Path:
    return yaml_source(
        source,
        resources.scorecard_dir(),
        resources.bundled_scorecards(),
        "no such scorecard file or bundled scorecard",
    )


def _parse(
    data: object,
    label: str,
    sha256: str | None,
    text: str,
    criteria: CriteriaSet | None,
) -> Scorecard:
    if not isinstance(data, Mapping):
        raise ValidationError(
            Problem(
                "the file is empty" if data is None else "the top level is not a mapping",
                file=label,
                value=None if data is None else type(data).__name__,
                expected=_EXPECTED,
            )
        )
    check_version(data, label, SUPPORTED_VERSIONS)
    problems: list[Problem] = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(
            Problem(
                "missing name",
                file=label,
                column="name",
                value=bounded_repr(name),
                expected="a non-empty text",
            )
        )
    description = data.get("description", "")
    if description is None:
        description = ""
    if not isinstance(description, str):
        problems.append(
            Problem(
                "description is not a text",
                file=label,
                column="description",
                value=bounded_repr(description),
                expected="a text",
            )
        )
    items = data.get("measures")
    if not isinstance(items, list) or not items:
        problems.append(
            Problem(
                "no measures",
                file=label,
                column="measures",
                value=bounded_repr(items),
                expected="a non-empty list of measures",
            )
        )
        raise ValidationError(problems)
    known = None if criteria is None else set(criteria.ids)
    measures = unique_items(
        (
            _measure(item, f"measure {number}", label, problems, known)
            for number, item in enumerate(items, start=1)
        ),
        "measure",
        label,
        problems,
    )
    if problems:
        raise ValidationError(problems)
    assert isinstance(name, str) and isinstance(description, str)
    return Scorecard(
        name=name.strip(),
        version=int(data["version"]),
        description=description.strip(),
        measures=tuple(measures),
        sha256=sha256,
        yaml_text=text,
    )


def _measure(
    item: object, row: str, label: str, problems: list[Problem], known: set[str] | None
) -> Measure | None:
    """One measure, or None with its problems added to ``problems``."""
    found: list[Problem] = []

    def problem(message: str, column: str, value: object, expected: str) -> None:
        found.append(
            Problem(
                message,
                file=label,
                row=row,
                column=column,
                value=bounded_repr(value),
                expected=expected,
            )
        )

    if not isinstance(item, Mapping):
        problem("a measure is not a mapping", "measures", item, "a mapping with id, name, ...")
        problems += found
        return None
    for key in item:
        if key not in _KEYS:
            problem("unknown key", str(key), key, f"one of {', '.join(sorted(_KEYS))}")
    mid = item.get("id")
    if not isinstance(mid, str) or not _ID.match(mid):
        problem("bad measure id", "id", mid, "snake_case: a lower-case letter, then a-z, 0-9, _")
    texts: dict[str, str] = {}
    for key, required in (
        ("name", True),
        ("unit", True),
        ("owner", False),
        ("description", False),
    ):
        value = item.get(key, None if required else "")
        value = "" if value is None and not required else value
        if isinstance(value, int | float) and not isinstance(value, bool) and key == "unit":
            value = str(value)
        if not isinstance(value, str) or (required and key == "name" and not value.strip()):
            problem(
                f"missing {key}" if value is None else f"{key} is not a text",
                key,
                value,
                "a non-empty text" if key == "name" else "a text",
            )
            continue
        texts[key] = value.strip()
    area = item.get("area")
    if area not in AREAS:
        problem("unknown area", "area", area, f"one of {', '.join(AREAS)}")
    direction = item.get("direction")
    if direction not in MEASURE_DIRECTIONS:
        problem("bad direction", "direction", direction, "higher or lower (which value is better)")
    below, above = _alert(item.get("alert"), problem)
    target = None
    if item.get("target") is not None:
        target = finite_number(item["target"])
        if target is None:
            problem("target is not a number", "target", item["target"], "a finite number")
    window, change = _trend(item.get("trend"), problem)
    linked = _criteria(item.get("criteria"), problem, known)
    problems += found
    if found:
        return None
    assert isinstance(mid, str) and isinstance(area, str) and isinstance(direction, str)
    return Measure(
        id=mid,
        name=texts["name"],
        area=area,
        unit=texts["unit"],
        direction=direction,
        owner=texts.get("owner", ""),
        description=texts.get("description", ""),
        alert_below=below,
        alert_above=above,
        target=target,
        trend_window=window,
        trend_change=change,
        criteria=linked,
    )


def _alert(alert: object, problem: Any) -> tuple[float | None, float | None]:
    if alert is None:
        return None, None
    expected = "a mapping with one of below: <number> or above: <number>"
    if not isinstance(alert, Mapping) or not alert:
        problem("alert is not a mapping", "alert", alert, expected)
        return None, None
    unknown = [k for k in alert if k not in ("below", "above")]
    if unknown:
        problem("unknown alert key", "alert", unknown[0], expected)
    if "below" in alert and "above" in alert:
        problem("both alert bounds given", "alert", alert, expected)
        return None, None
    bounds: dict[str, float | None] = {"below": None, "above": None}
    for key in ("below", "above"):
        if key in alert:
            bounds[key] = finite_number(alert[key])
            if bounds[key] is None:
                problem(f"alert {key} is not a number", f"alert.{key}", alert[key], expected)
    return bounds["below"], bounds["above"]


def _trend(trend: object, problem: Any) -> tuple[int | None, float | None]:
    if trend is None:
        return None, None
    expected = "a mapping with window: <readings, at least 2> and change: <number, >= 0>"
    if not isinstance(trend, Mapping):
        problem("trend is not a mapping", "trend", trend, expected)
        return None, None
    unknown = [k for k in trend if k not in ("window", "change")]
    if unknown:
        problem("unknown trend key", "trend", unknown[0], expected)
    window = trend.get("window")
    if isinstance(window, bool) or not isinstance(window, int) or window < 2:
        problem(
            "trend window is not a whole number of at least 2", "trend.window", window, expected
        )
        window = None
    change = finite_number(trend.get("change"))
    if change is None or change < 0:
        problem("trend change is not a number >= 0", "trend.change", trend.get("change"), expected)
        change = None
    return window, change


def _criteria(value: object, problem: Any, known: set[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    expected = "a list of criterion ids"
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problem("criteria is not a list", "criteria", value, expected)
        return ()
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not _ID.match(item):
            problem("bad criterion id", "criteria", item, expected)
        elif known is not None and item not in known:
            problem("unknown criterion", "criteria", item, f"one of {', '.join(sorted(known))}")
        elif item in out:
            problem("criterion listed twice", "criteria", item, "each criterion once")
        else:
            out.append(item)
    return tuple(out)
