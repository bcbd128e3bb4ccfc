"""Viewpoints: the evaluation redone with one department's (or one member's) scores alone,
and what flips.

A viewpoint keeps everything the council agreed — criteria, weights, scales, matrix rules,
gates, the aggregation — and changes only whose scores count. Conventions:

* Owners are ignored inside a viewpoint: a department's scores count on every criterion it
  scored, including criteria owned by other departments (in the council's evaluation those
  scores are advisory). A viewpoint is what that department thinks, all of it.
* Where the department gave no score (a criterion it did not score for a requirement, or a
  whole requirement), the council's aggregate stands in, so every requirement is ranked in
  every viewpoint and ranks stay comparable; ``coverage`` says which share of a
  requirement's criteria the department scored (0: the row is the council's).
* Gates are re-read on the viewpoint's aggregates: a requirement is mandatory in a viewpoint
  when that viewpoint's score passes the gate.
* The trimmed mean cuts the proportion the evaluation used (``Evaluation.trim``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from prioritize.engine.matrix import categorize, measures, rule_categories
from prioritize.engine.scoring import (
    aggregate,
    gates_passed,
    priority,
    rank_with_ties,
    score_cube,
    utilities,
)
from prioritize.errors import Problem, ValidationError
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.lines import categorical

__all__ = ["Viewpoints", "viewpoints"]

#: As in :func:`prioritize.evaluate`: a gate holds at its threshold less this.


@dataclass(frozen=True, slots=True)
class Viewpoints:
    """The council's evaluation seen from each department (or member).

    Attributes
    ----------
    by
        ``"department"`` or ``"member"``.
    k
        The size of the top set compared.
    table
        Indexed by ``(requirement, viewpoint)`` (requirements in the council's rank order):
        ``category, rank, tied, score, mandatory`` in the viewpoint, ``council_category,
        council_rank``, ``changed_category`` (the category differs from the council's),
        ``in_top_k``, ``left_top_k`` (in the council's top k but not in this viewpoint's),
        ``entered_top_k`` and ``coverage`` (share of the requirement's criteria this
        viewpoint scored; 0 means the row is the council's).
    summary
        Indexed by viewpoint: ``members`` (how many), ``coverage`` (share of all cells
        scored), ``changed_category`` and ``left_top_k`` (how many requirements).
    notes
        The conventions a reader should know.
    """

    by: str
    k: int
    table: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...]

    @property
    def flips(self) -> pd.DataFrame:
        """The rows where the category changed or the requirement left the top k."""
        return self.table[self.table["changed_category"] | self.table["left_top_k"]]


def viewpoints(
    evaluation: Evaluation, by: Literal["department", "member"] = "department", *, k: int = 10
) -> Viewpoints:
    """Redo the evaluation with each department's (or member's) scores alone.

    Parameters
    ----------
    evaluation
        The council's evaluation. ``by="department"`` needs its members (departments).
    by
        ``"department"`` (default) or ``"member"``.
    k
        The size of the top set compared (capped at the number of requirements).

    Returns
    -------
    Viewpoints

    Raises
    ------
    ValidationError
        ``by="department"`` without members, an unknown ``by``, or k < 1.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import viewpoints
    >>> vp = viewpoints(pz.evaluate_example(), k=5)
    >>> sorted(vp.summary.index)[:3]
    ['Customer', 'Customer Service', 'Finance']
    """
    if by not in ("department", "member"):
        raise ValidationError(
            Problem(
                "unknown viewpoint grouping",
                column="by",
                value=repr(by),
                expected="department or member",
            )
        )
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValidationError(
            Problem(
                "k must be a whole number >= 1",
                column="k",
                value=repr(k),
                expected="an integer >= 1",
            )
        )
    frame = evaluation.scores.frame
    scorers = pd.Index(pd.unique(frame["member"].to_numpy(dtype=object)))
    if by == "department":
        if evaluation.members is None:
            raise ValidationError(
                Problem(
                    "viewpoints by department need the council's members (their departments)",
                    column="members",
                    expected="an evaluation made with members=...",
                )
            )
        departments = evaluation.members.departments
        scorers = scorers[scorers.isin(departments.index)]
        group_of = departments.reindex(scorers).astype(str).to_numpy(dtype=object)
    else:
        group_of = scorers.to_numpy(dtype=object)
    groups = sorted(set(group_of))

    criteria = evaluation.criteria
    ids = evaluation.table.index
    weights = evaluation.weights.to_numpy(dtype=float)
    rules = criteria.matrix.rules
    codes_of_rule = rule_categories(rules)
    cube = score_cube(evaluation.scores, ids, criteria.ids, scorers)
    council_aggregate = evaluation.aggregated.to_numpy(dtype=float)
    council_rank = evaluation.table["rank"].to_numpy(dtype=np.int64)
    council_code = evaluation.table["category"].cat.codes.to_numpy(dtype=np.int64)
    k = int(min(k, len(ids)))

    rows = []
    summary = []
    for group in groups:  # a loop over departments: a handful
        columns = np.flatnonzero(group_of == group)
        own = aggregate(cube[:, :, columns], evaluation.aggregation, trim=evaluation.trim)
        scored = ~np.isnan(own)
        aggregated = np.where(scored, own, council_aggregate)
        utility = utilities(aggregated, criteria)
        score = priority(utility, weights)
        rank, tied = rank_with_ties(score)
        mandatory = gates_passed(criteria, aggregated)
        placed = categorize(measures(utility, weights, criteria, score=score), mandatory, rules)
        code = codes_of_rule[placed]
        rows.append(
            pd.DataFrame(
                {
                    "requirement": ids,
                    "viewpoint": group,
                    "category": categorical(code),
                    "rank": rank,
                    "tied": tied,
                    "score": score,
                    "mandatory": mandatory,
                    "council_category": evaluation.table["category"].to_numpy(),
                    "council_rank": council_rank,
                    "changed_category": code != council_code,
                    "in_top_k": rank <= k,
                    "left_top_k": (council_rank <= k) & (rank > k),
                    "entered_top_k": (council_rank > k) & (rank <= k),
                    "coverage": scored.mean(axis=1),
                }
            )
        )
        summary.append(
            {
                "viewpoint": group,
                "members": len(columns),
                "coverage": float(scored.mean()),
                "changed_category": int((code != council_code).sum()),
                "left_top_k": int(((council_rank <= k) & (rank > k)).sum()),
            }
        )
    table = pd.concat(rows, ignore_index=True)
    position = pd.Index(ids).get_indexer(table["requirement"])
    table = table.iloc[np.argsort(position, kind="stable")]
    for column in ("category", "council_category"):
        table[column] = pd.Categorical(table[column], categories=list(CATEGORIES))
    notes = (
        f"each viewpoint counts only its {by}'s scores, on every criterion it scored "
        "(criterion owners are ignored inside a viewpoint)",
        "where a viewpoint gave no score, the council's aggregate stands in (see coverage)",
    )
    return Viewpoints(
        by=by,
        k=k,
        table=table.set_index(["requirement", "viewpoint"]),
        summary=pd.DataFrame(summary).set_index("viewpoint"),
        notes=notes,
    )
