"""The model: from validated tables to the ranked, categorised table.

- :mod:`~prioritize.engine.scoring` — aggregation, utilities, the priority score, ranking;
- :mod:`~prioritize.engine.matrix` — axis values, category rules, explanations of placements;
- :mod:`~prioritize.engine.evaluate` — :func:`evaluate`, which glues the two;
- :mod:`~prioritize.engine.explain` — why a requirement sits where it does, why A above B.
"""

from __future__ import annotations

from prioritize.engine.evaluate import evaluate
from prioritize.engine.explain import Comparison, Explanation, compare, explain

__all__ = ["Comparison", "Explanation", "compare", "evaluate", "explain"]
