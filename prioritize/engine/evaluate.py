"""``evaluate``: from criteria, requirements and the council's scores to the ranked table.

The steps of the model: aggregate the members' scores (owners' only where
a criterion has owners), normalise to utilities, weight into the priority score, rank with
ties, compute the matrix axes and place each requirement by the ordered category rules,
with gates making requirements mandatory. No Python loop runs over requirements or members.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from prioritize.engine.matrix import categorize, explain_placements, measures, rule_categories
from prioritize.engine.scoring import (
    AGGREGATIONS,
    DEFAULT_TRIM,
    aggregate,
    gate_hits,
    owner_mask,
    priority,
    rank_with_ties,
    score_cube,
    utilities,
)
from prioritize.errors import IncompleteScoresWarning, OwnersIgnoredWarning, ValidationError
from prioritize.load.criteria import load_criteria
from prioritize.load.files import Source
from prioritize.load.members import load_members
from prioritize.load.requirements import load_requirements
from prioritize.load.scores import check_scores, load_scores
from prioritize.model.categories import CATEGORIES
from prioritize.model.council import Members, Requirements, Scores
from prioritize.model.criteria import CriteriaSet
from prioritize.model.evaluation import Evaluation

__all__ = ["TABLE_COLUMNS", "evaluate"]

TABLE_COLUMNS = (
    "title",
    "score",
    "rank",
    "tied",
    "category",
    "value",
    "effort",
    "urgency",
    "net_value",
    "mandatory",
    "rule",
    "explanation",
)


def _criteria(value: CriteriaSet | str | Path | Any) -> CriteriaSet:
    return value if isinstance(value, CriteriaSet) else load_criteria(value)


def evaluate(
    criteria: CriteriaSet | str | Path,
    requirements: Requirements | Source,
    scores: Scores | Source,
    *,
    members: Members | Source | None = None,
    aggregation: str = "mean",
    trim: float = DEFAULT_TRIM,
) -> Evaluation:
    """Rank and categorise requirements from the council's scores.

    Parameters
    ----------
    criteria
        A :class:`~prioritize.model.CriteriaSet`, a bundled set's name or a YAML path.
    requirements
        :class:`~prioritize.model.Requirements`, a file or a DataFrame.
    scores
        :class:`~prioritize.model.Scores`, a file or a DataFrame (long form).
    members
        The council (id, name, department, role). Without it departments are unknown, so
        criterion owners cannot be applied: every member's score counts, with a warning.
    aggregation
        ``"mean"`` (default), ``"median"`` or ``"trimmed"``.
    trim
        Proportion cut from each end by the trimmed mean (default 0.2).

    Returns
    -------
    Evaluation
        ``.table`` is indexed by requirement id and ordered by rank.

    Raises
    ------
    ValidationError
        Scores for unknown requirements, criteria or members, scores outside a scale,
        an unknown aggregation, or no requirement with complete scores.

    Warns
    -----
    OwnersIgnoredWarning
        Criteria have owners but ``members`` was not given.
    IncompleteScoresWarning
        Requirements lacking a usable score on some criterion are left out of the ranking
        and listed in ``Evaluation.unscored`` (never silently ranked last).

    Examples
    --------
    >>> import prioritize as pz
    >>> ex = pz.example_dir()
    >>> ev = pz.evaluate("customer-operations", ex / "requirements.csv", ex / "scores.csv",
    ...                  members=ex / "members.csv")
    >>> sorted(set(ev.table["category"])) == sorted(pz.CATEGORIES)
    True
    """
    if aggregation not in AGGREGATIONS:
        raise ValidationError(
            f"unknown aggregation {aggregation!r}; expected one of {', '.join(AGGREGATIONS)}"
        )
    if not 0 <= trim < 0.5:
        raise ValidationError(f"trim must be in [0, 0.5), got {trim!r}")
    criteria = _criteria(criteria)
    requirements = load_requirements(requirements)
    member_set = None if members is None else load_members(members)
    scores = load_scores(scores)
    check_scores(scores, criteria=criteria, requirements=requirements, members=member_set)

    notes = list(criteria.matrix.notes)
    frame = scores.frame
    if member_set is not None:
        member_ids = member_set.ids
        counting = owner_mask(criteria, member_set.departments)
    else:
        member_ids = pd.Index(pd.unique(frame["member"].to_numpy(dtype=object)))
        counting = np.ones((len(criteria), len(member_ids)), dtype=bool)
        owned = [c.id for c in criteria if c.owners]
        if owned:
            message = (
                f"criteria {', '.join(owned)} have owners, but no members were given, so "
                "departments are unknown: every member's score counts for them"
            )
            warnings.warn(message, OwnersIgnoredWarning, stacklevel=2)
            notes.append(message)
    cube = score_cube(scores, requirements.ids, criteria.ids, member_ids)
    cube = np.where(counting[None, :, :], cube, np.nan)
    aggregated = aggregate(cube, aggregation, trim=trim)

    complete = ~np.isnan(aggregated).any(axis=1)
    unscored = _unscored(requirements, criteria, aggregated, complete)
    if not complete.any():
        raise ValidationError(
            f"no requirement has a usable score on every criterion "
            f"({len(unscored)} requirements lack scores); nothing to rank"
        )
    if len(unscored):
        listed = ", ".join(unscored.index[:10]) + (" ..." if len(unscored) > 10 else "")
        message = (
            f"{len(unscored)} requirement(s) lack a usable score on some criterion and "
            f"are left out of the ranking: {listed} (see Evaluation.unscored)"
        )
        warnings.warn(message, IncompleteScoresWarning, stacklevel=2)
        notes.append(message)

    ids = requirements.ids[complete]
    agg = aggregated[complete]
    utility = utilities(agg, criteria)
    weights = criteria.weights.to_numpy(dtype=float)
    score = priority(utility, weights)
    rank, tied = rank_with_ties(score)
    values = measures(utility, weights, criteria, score=score)
    mandatory, mandatory_note = _gates(criteria, agg)
    placed = categorize(values, mandatory, criteria.matrix.rules)
    category_code = rule_categories(criteria.matrix.rules)[placed]
    explanation = explain_placements(values, placed, mandatory_note, criteria.matrix.rules)

    table = pd.DataFrame(
        {
            "title": requirements.frame.loc[ids, "title"].to_numpy(dtype=object),
            "score": score,
            "rank": rank,
            "tied": tied,
            "category": pd.Categorical.from_codes(
                category_code.astype(np.int64), categories=pd.Index(list(CATEGORIES))
            ),
            "value": values["value"],
            "effort": values["effort"],
            "urgency": values["urgency"],
            "net_value": values["net_value"],
            "mandatory": mandatory,
            "rule": placed + 1,
            "explanation": explanation,
        },
        index=pd.Index(ids, name="id"),
    )
    order = np.lexsort((np.arange(len(table)), rank))
    table = table.iloc[order]
    utility_frame = pd.DataFrame(
        utility, index=pd.Index(ids, name="id"), columns=pd.Index(criteria.ids, name="criterion")
    ).iloc[order]
    aggregated_frame = pd.DataFrame(
        agg, index=pd.Index(ids, name="id"), columns=pd.Index(criteria.ids, name="criterion")
    ).iloc[order]
    return Evaluation(
        criteria=criteria,
        requirements=requirements,
        scores=scores,
        members=member_set,
        aggregation=aggregation,
        trim=trim,
        table=table,
        utilities=utility_frame,
        aggregated=aggregated_frame,
        weights=criteria.weights,
        unscored=unscored,
        notes=tuple(notes),
    )


def _gates(criteria: CriteriaSet, aggregated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which requirements pass a gate, and the explanation prefix saying which gate."""
    hits = gate_hits(criteria, aggregated)
    note = np.full(aggregated.shape[0], "", dtype=object)
    for j, criterion in enumerate(criteria):  # a loop over criteria, for the wording
        hit = hits[:, j]
        if criterion.gate is not None and hit.any():
            text = np.char.add(
                np.char.add(
                    f"Mandatory ({criterion.name} ", np.char.mod("%.1f", aggregated[hit, j])
                ),
                f" >= {criterion.gate.at_least:g}). ",
            )
            note[hit] = np.char.add(note[hit].astype(str), text)
    return np.asarray(hits.any(axis=1), dtype=bool), note


def _unscored(
    requirements: Requirements, criteria: CriteriaSet, aggregated: np.ndarray, complete: np.ndarray
) -> pd.DataFrame:
    missing_rows = np.flatnonzero(~complete)
    ids = requirements.ids[missing_rows]
    names = np.array(criteria.ids, dtype=object)
    missing = [", ".join(names[np.isnan(aggregated[i])]) for i in missing_rows]
    return pd.DataFrame(
        {
            "title": requirements.frame.loc[ids, "title"].to_numpy(dtype=object),
            "missing": pd.Series(missing, dtype=object).to_numpy(),
        },
        index=pd.Index(ids, name="id"),
    )
