"""Sensitivity and robustness: would a placement survive a different but defensible
weighting, or a different set of voices?

* :mod:`~prioritize.sensitivity.sweep` — one-at-a-time weight sweeps and the tornado.
* :mod:`~prioritize.sensitivity.stability` — exact weight stability intervals (closed form)
  and the most critical criterion.
* :mod:`~prioritize.sensitivity.smaa` — stochastic multicriteria acceptability analysis
  over weights and, optionally, over the council's members.
* :mod:`~prioritize.sensitivity.viewpoints` — the evaluation redone with each department's
  (or member's) scores alone.
"""

from __future__ import annotations

from prioritize.sensitivity.smaa import (
    DEFAULT_CONCENTRATION,
    WEIGHT_MODES,
    Acceptability,
    sample_weights,
    smaa,
)
from prioritize.sensitivity.stability import (
    CriticalCriterion,
    most_critical_criterion,
    stability_intervals,
)
from prioritize.sensitivity.sweep import Sweep, sweep, tornado
from prioritize.sensitivity.viewpoints import Viewpoints, viewpoints

__all__ = [
    "DEFAULT_CONCENTRATION",
    "WEIGHT_MODES",
    "Acceptability",
    "CriticalCriterion",
    "Sweep",
    "Viewpoints",
    "most_critical_criterion",
    "sample_weights",
    "smaa",
    "stability_intervals",
    "sweep",
    "tornado",
    "viewpoints",
]
