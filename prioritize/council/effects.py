"""What an approval expects: the effects a council states on its scorecard's measures when
it approves a requirement (e.g. first-time-right +8 points by the end of Q3, with why).

One rule for every face: :func:`check_effects` validates them against the scorecard and
:func:`effects_text` gives the canonical text that the decision log stores and hashes;
:func:`effects_from_text` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable

from prioritize.errors import Problem, ValidationError
from prioritize.model.scorecard import ExpectedEffect, Scorecard

__all__ = ["check_effects", "effects_from_text", "effects_text"]


def check_effects(
    effects: Iterable[ExpectedEffect], scorecard: Scorecard, *, outcome: str
) -> tuple[ExpectedEffect, ...]:
    """The effects, checked: only an approval states them; each names a measure of the
    scorecard once, with a finite, non-zero change and a rationale.

    Raises
    ------
    ValidationError
        Every problem, naming the measure and what was expected.
    """
    effects = tuple(effects)
    problems: list[Problem] = []
    if effects and outcome != "approve":
        problems.append(
            Problem(
                f"only an approval states expected effects, not '{outcome}'",
                column="expected effects",
                expected="no expected effects, or the outcome 'approve'",
            )
        )
    seen: set[str] = set()
    for effect in effects:
        if effect.measure not in scorecard.ids:
            problems.append(
                Problem(
                    "unknown measure",
                    column="measure",
                    value=str(effect.measure),
                    expected=f"a measure of the scorecard '{scorecard.name}': "
                    + ", ".join(scorecard.ids),
                )
            )
        elif effect.measure in seen:
            problems.append(
                Problem(
                    "the same measure twice",
                    column="measure",
                    value=effect.measure,
                    expected="one expected effect per measure",
                )
            )
        seen.add(effect.measure)
        if not math.isfinite(effect.change) or effect.change == 0:
            problems.append(
                Problem(
                    "an expected change must be a number other than 0",
                    column="change",
                    value=str(effect.change),
                    expected="e.g. +8 (points) or -2 (days), in the measure's unit",
                )
            )
        if not effect.rationale.strip():
            problems.append(
                Problem(
                    f"the expected effect on {effect.measure} needs a rationale",
                    column="rationale",
                    expected="why the council expects this change",
                )
            )
    if problems:
        raise ValidationError(problems)
    return tuple(sorted(effects, key=lambda e: e.measure))


def effects_text(effects: Iterable[ExpectedEffect]) -> str | None:
    """The canonical JSON of the effects (sorted, no spaces), None when there are none.

    >>> effect = ExpectedEffect("first_time_right", 8.0, dt.date(2026, 9, 30), "fewer re-keys")
    >>> effects_text([effect])
    '[{"by":"2026-09-30","change":8.0,"measure":"first_time_right","rationale":"fewer re-keys"}]'
    """
    rows = [
        {
            "by": None if e.by is None else e.by.isoformat(),
            "change": float(e.change),
            "measure": e.measure,
            "rationale": e.rationale.strip(),
        }
        for e in sorted(effects, key=lambda e: e.measure)
    ]
    if not rows:
        return None
    return json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def effects_from_text(text: str | None) -> tuple[ExpectedEffect, ...]:
    """The effects stored by :func:`effects_text` (none for None or empty)."""
    if not text:
        return ()
    return tuple(
        ExpectedEffect(
            str(row["measure"]),
            float(row["change"]),
            None if row.get("by") is None else dt.date.fromisoformat(str(row["by"])),
            str(row.get("rationale", "")),
        )
        for row in json.loads(text)
    )
