"""Closing the loop: did what the council approved work, and what should send requirements
back to the council? Above ``portfolio`` (it reads evaluations and decisions).

- :mod:`~prioritize.outcomes.realisation` — expected against actual effect per delivered
  requirement and measure, with the status and attribution rules;
- :mod:`~prioritize.outcomes.triggers` — thresholds crossed, adverse trends and events, and
  the requirements each flags;
- :mod:`~prioritize.outcomes.series` — what the two share;
- :mod:`~prioritize.outcomes.summary` — the statuses' colours and the triggers grouped by
  requirement.
"""

from __future__ import annotations

from prioritize.outcomes.realisation import (
    REALISATION_COLUMNS,
    STATUSES,
    BenefitRealisation,
    benefit_realisation,
)
from prioritize.outcomes.summary import (
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    flagged_requirements,
    stated_rule,
    unlinked_triggers,
)
from prioritize.outcomes.triggers import TRIGGER_COLUMNS, TRIGGER_KINDS, Triggers, triggers

__all__ = [
    "REALISATION_COLUMNS",
    "STATUSES",
    "STATUS_COLOURS",
    "STATUS_TEXT_COLOURS",
    "TRIGGER_COLUMNS",
    "TRIGGER_KINDS",
    "BenefitRealisation",
    "Triggers",
    "benefit_realisation",
    "flagged_requirements",
    "stated_rule",
    "triggers",
    "unlinked_triggers",
]
