"""A criterion's scale in a criteria file: ``min``, ``max``, the anchored ``levels`` and an
optional ``step``, each checked (finite, within the input limits, levels on the scale)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prioritize.load.limits import Limits
from prioritize.load.problems import finite_number
from prioritize.model.criteria import Scale

__all__ = ["parse_scale"]


def parse_scale(raw: object, bad: Any, limits: Limits) -> Scale | None:
    expected = "a mapping {min: 1, max: 5, levels: {1: '...', 5: '...'}} (step optional)"
    if not isinstance(raw, Mapping):
        bad("scale", "missing scale", raw, expected)
        return None
    low, high = finite_number(raw.get("min")), finite_number(raw.get("max"))
    if low is None or high is None or not low < high:
        bad(
            "scale",
            "scale needs numbers min < max",
            {"min": raw.get("min"), "max": raw.get("max")},
            expected,
        )
        return None
    bound = limits.max_scale_magnitude
    if max(abs(low), abs(high)) > bound:
        bad(
            "scale",
            "scale bounds too large",
            {"min": raw.get("min"), "max": raw.get("max")},
            f"min and max from {-bound:g} to {bound:g}",
            "max_scale_magnitude",
        )
        return None
    levels_raw = raw.get("levels") or {}
    if not isinstance(levels_raw, Mapping):
        bad("scale.levels", "levels must map a level to its description", levels_raw, expected)
        return None
    levels: dict[int, str] = {}
    for key, text in levels_raw.items():
        if isinstance(key, bool) or not isinstance(key, int) or not low <= key <= high:
            bad(
                "scale.levels",
                "level outside the scale",
                key,
                f"whole numbers from {low:g} to {high:g}",
            )
            return None
        if not isinstance(text, str) or not text.strip():
            bad("scale.levels", f"level {key} has no description", text, "a non-empty text")
            return None
        levels[key] = text.strip()
    step = None
    if raw.get("step") is not None:
        step = finite_number(raw.get("step"))
        if step is None or not 0 < step <= high - low:
            bad(
                "scale.step",
                "step must be a number above 0 and at most max - min",
                raw.get("step"),
                "e.g. step: 1 (whole levels only) or step: 0.5",
            )
            return None
    return Scale(min=low, max=high, levels=dict(sorted(levels.items())), step=step)
