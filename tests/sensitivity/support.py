"""Factories and brute-force oracles for the sensitivity tests.

The oracles re-evaluate with the core functions (priority, rank_with_ties, measures,
categorize) at explicitly built weight vectors; they share nothing with the closed forms
under test except the core itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

import prioritize as pz
from prioritize.engine.matrix import categorize, measures, rule_categories
from prioritize.engine.scoring import priority, rank_with_ties

DEPARTMENTS = ("Legal", "Finance", "IT", "Operations", "Sales")


def criteria_mapping(
    weights: Sequence[float],
    *,
    axes: dict[str, tuple[list[int], str]] | None = None,
    rules: list[dict[str, Any]] | None = None,
    directions: Sequence[str] | None = None,
    owners: dict[int, list[str]] | None = None,
    gates: dict[int, float] | None = None,
) -> dict[str, Any]:
    """A criteria set on 0..1 scales (a benefit criterion's score is its utility)."""
    c = len(weights)
    directions = directions or ["benefit"] * c
    criteria = []
    for j, w in enumerate(weights):
        item: dict[str, Any] = {
            "id": f"c{j}",
            "name": f"Criterion {j}",
            "group": "customer impact",
            "direction": directions[j],
            "weight": float(w),
            "scale": {"min": 0, "max": 1},
        }
        if owners and j in owners:
            item["owners"] = owners[j]
        if gates and j in gates:
            item["gate"] = {"at_least": gates[j]}
        criteria.append(item)
    data: dict[str, Any] = {"version": 1, "name": "Synthetic", "criteria": criteria}
    if axes is not None or rules is not None:
        axes = axes or {}
        data["matrix"] = {
            "axes": {
                name: {
                    "criteria": [f"c{j}" for j in axes.get(name, ([], "utility"))[0]],
                    "measure": axes.get(name, ([], "utility"))[1],
                }
                for name in ("value", "effort", "urgency")
            },
            "categories": rules or [{"category": "Limited enhancement", "when": {}}],
        }
    return data


def load(mapping: dict[str, Any]) -> pz.CriteriaSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.WeightsNormalisedWarning)
        return pz.load_criteria(mapping)


def raw_scores(criteria: pz.CriteriaSet, utility: np.ndarray) -> np.ndarray:
    """Scores on each criterion's scale that give ``utility``."""
    low = np.array([c.scale.min for c in criteria])
    span = np.array([c.scale.span for c in criteria])
    cost = np.array([c.direction == "cost" for c in criteria])
    return low + span * np.where(cost, 1 - utility, utility)


def evaluation_from_utilities(
    criteria: pz.CriteriaSet, utility: np.ndarray, ids: Sequence[str] | None = None
) -> pz.Evaluation:
    """An evaluation by a one-member council whose scores give exactly ``utility``."""
    n, c = utility.shape
    ids = list(ids) if ids is not None else [f"R{i:03d}" for i in range(n)]
    raw = raw_scores(criteria, utility)
    r, j = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    scores = pd.DataFrame(
        {
            "requirement_id": np.array(ids, dtype=object)[r.ravel()],
            "member": "m0",
            "criterion": np.array(criteria.ids, dtype=object)[j.ravel()],
            "score": raw.ravel(),
        }
    )
    requirements = pd.DataFrame({"id": ids, "title": [f"Requirement {i}" for i in ids]})
    return pz.evaluate(criteria, requirements, scores)


def council_frames(
    n: int,
    members: int,
    criteria: pz.CriteriaSet,
    *,
    seed: int,
    spread: float = 0.8,
    discrete: bool = True,
    departments: Sequence[str] = DEPARTMENTS,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Requirements, long scores and members of a seeded random council."""
    rng = np.random.default_rng(seed)
    rids = [f"R{i:03d}" for i in range(n)]
    mids = [f"m{i:02d}" for i in range(members)]
    low = np.array([c.scale.min for c in criteria])
    high = np.array([c.scale.max for c in criteria])
    centre = rng.uniform(low, high, size=(n, len(criteria)))
    values = centre[:, :, None] + rng.normal(0, spread, size=(n, len(criteria), members))
    if discrete:
        values = np.rint(values)
    values = np.clip(values, low[None, :, None], high[None, :, None])
    r, j, m = np.meshgrid(np.arange(n), np.arange(len(criteria)), np.arange(members), indexing="ij")
    scores = pd.DataFrame(
        {
            "requirement_id": np.array(rids, dtype=object)[r.ravel()],
            "member": np.array(mids, dtype=object)[m.ravel()],
            "criterion": np.array(criteria.ids, dtype=object)[j.ravel()],
            "score": values.ravel(),
        }
    )
    member_frame = pd.DataFrame(
        {
            "id": mids,
            "name": mids,
            "department": [departments[i % len(departments)] for i in range(members)],
            "role": "member",
        }
    )
    requirements = pd.DataFrame({"id": rids, "title": rids})
    return requirements, scores, member_frame


def council_evaluation(
    n: int = 20,
    members: int = 5,
    *,
    seed: int = 0,
    criteria: pz.CriteriaSet | None = None,
    discrete: bool = True,
    aggregation: str = "mean",
) -> pz.Evaluation:
    criteria = criteria or pz.load_criteria("customer-operations")
    requirements, scores, member_frame = council_frames(
        n, members, criteria, seed=seed, discrete=discrete
    )
    return pz.evaluate(
        criteria, requirements, scores, members=member_frame, aggregation=aggregation
    )


def swept(weights: np.ndarray, k: int, t: float) -> np.ndarray:
    """The weights at sweep position t, written out independently of the library."""
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    out = np.empty_like(w)
    if w[k] < 1:
        out[:] = w * (1 - t) / (1 - w[k])
    else:
        out[:] = (1 - t) / (len(w) - 1)
    out[k] = t
    return out


def state(
    evaluation: pz.Evaluation, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Brute force: (rank, tied, category code) of every requirement (table order) at
    ``weights``, through the core functions."""
    utility = evaluation.utility_array
    score = priority(utility, weights)
    rank, tied = rank_with_ties(score)
    values = measures(utility, weights, evaluation.criteria, score=score)
    rules = evaluation.criteria.matrix.rules
    placed = categorize(values, evaluation.mandatory_array, rules)
    return rank, tied, rule_categories(rules)[placed]


def current_codes(evaluation: pz.Evaluation) -> np.ndarray:
    return evaluation.table["category"].cat.codes.to_numpy(dtype=np.int64)
