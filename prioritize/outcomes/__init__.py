"""Closing the loop: did what the council approved work, and what should send requirements
back to the council? Above ``portfolio`` (it reads evaluations and decisions).

- :mod:`~prioritize.outcomes.realisation` — expected against actual effect per delivered
  requirement and measure, with the status and attribution rules;
- :mod:`~prioritize.outcomes.triggers` — thresholds crossed, adverse trends and events, and
  the requirements each flags;
- :mod:`~prioritize.outcomes.series` — what the two share.
"""

from __future__ import annotations

from prioritize.outcomes.realisation import (
    REALISATION_COLUMNS,
    STATUSES,
    BenefitRealisation,
    benefit_realisation,
)
from prioritize.outcomes.triggers import TRIGGER_COLUMNS, TRIGGER_KINDS, Triggers, triggers

__all__ = [
    "REALISATION_COLUMNS",
    "STATUSES",
    "TRIGGER_COLUMNS",
    "TRIGGER_KINDS",
    "BenefitRealisation",
    "Triggers",
    "benefit_realisation",
    "triggers",
]
