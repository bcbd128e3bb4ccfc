"""What SMAA samples: weight vectors (uniform on the simplex, around the council's weights,
or keeping the council's order of criteria) and resampled councils (members drawn with
replacement within each criterion's owner pool). See :mod:`prioritize.sensitivity.smaa`
for how the draws are used and the conventions behind them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.engine.scoring import aggregate, gates_passed, owner_mask, score_cube, utilities
from prioritize.model.evaluation import Evaluation

__all__ = [
    "DEFAULT_CONCENTRATION",
    "EQUAL_DECIMALS",
    "Council",
    "council_of",
    "draw_members",
    "resampled_utility",
    "sample_weights",
]

#: Dirichlet concentration around the council's weights (``weights="council"``).
DEFAULT_CONCENTRATION = 100.0
#: Council weights equal to this many decimals are tied in the ordinal order.
EQUAL_DECIMALS = 12


def sample_weights(
    council: np.ndarray,
    samples: int,
    mode: str,
    *,
    concentration: float = DEFAULT_CONCENTRATION,
    rng: np.random.Generator,
    proposals: np.ndarray | None = None,
    jitter: float | None = None,
) -> np.ndarray:
    """Draw ``(samples, criteria)`` weight vectors on the simplex (see the module notes).

    ``"members"`` draws rows of ``proposals`` ``(members, criteria)``, each normalised to
    sum 1, with replacement; with ``jitter``, each drawn proposal ``p`` is replaced by a
    Dirichlet(jitter x p) draw around it (a criterion a member weighs 0 stays at 0).

    Examples
    --------
    >>> w = sample_weights(np.array([0.5, 0.3, 0.2]), 4, "ordinal",
    ...                    rng=np.random.default_rng(0))
    >>> bool((w[:, 0] >= w[:, 1]).all() and (w[:, 1] >= w[:, 2]).all())
    True
    """
    if mode == "members":
        if proposals is None:
            raise ValueError("weights='members' needs the members' proposals")
        rows = np.asarray(proposals, dtype=float)
        rows = rows / rows.sum(axis=1, keepdims=True)
        drawn: np.ndarray = rows[rng.integers(0, len(rows), size=samples)]
        if jitter is None:
            return drawn
        spread = rng.standard_gamma(jitter * drawn)
        return np.asarray(spread / spread.sum(axis=1, keepdims=True))
    council = np.asarray(council, dtype=float)
    council = council / council.sum()
    c = len(council)
    out = np.zeros((samples, c))
    if mode == "uniform":
        draw = rng.standard_exponential((samples, c))
        uniform: np.ndarray = draw / draw.sum(axis=1, keepdims=True)
        return uniform
    positive = np.flatnonzero(council > 0)
    if mode == "council":
        draw = rng.standard_gamma(concentration * council[positive], size=(samples, len(positive)))
        out[:, positive] = draw / draw.sum(axis=1, keepdims=True)
        return out
    if mode == "ordinal":
        draw = rng.standard_exponential((samples, len(positive)))
        draw = -np.sort(-draw / draw.sum(axis=1, keepdims=True), axis=1)  # largest first
        levels, level = np.unique(np.round(council[positive], EQUAL_DECIMALS), return_inverse=True)
        group = len(levels) - 1 - level.ravel()  # 0 for the heaviest criteria
        # Sorting by group then a random key orders equal-weight criteria at random.
        key = group[None, :] + rng.random((samples, len(positive)))
        order = np.argsort(key, axis=1)
        placed = np.empty_like(draw)
        np.put_along_axis(placed, order, draw, axis=1)
        out[:, positive] = placed
        return out
    raise ValueError(f"unknown weight mode {mode!r}")


@dataclass(frozen=True, slots=True)
class Council:
    """The data needed to redraw the council in each sample."""

    cube: np.ndarray  # (n, c, M) counting scores, NaN elsewhere
    pools: list[np.ndarray]  # member indices of each pool
    pool_criteria: list[np.ndarray]
    blocks: list[np.ndarray]  # per pool (n, |criteria|, |members|): its scores, NaN for none
    filled: list[np.ndarray]  # the same with 0 for none
    valid: list[np.ndarray]  # 1.0 where a score is, else 0.0
    fallback: np.ndarray  # (n, c) the council's aggregate


def council_of(evaluation: Evaluation) -> Council:
    criteria = evaluation.criteria
    frame = evaluation.scores.frame
    if evaluation.members is not None:
        member_ids = evaluation.members.ids
        counting = owner_mask(criteria, evaluation.members.departments)
    else:
        member_ids = pd.Index(pd.unique(frame["member"].to_numpy(dtype=object)))
        counting = np.ones((len(criteria), len(member_ids)), dtype=bool)
    cube = score_cube(evaluation.scores, evaluation.table.index, criteria.ids, member_ids)
    cube = np.where(counting[None, :, :], cube, np.nan)
    scored = ~np.isnan(cube).all(axis=0)  # (c, M): counts for and scored the criterion
    keys, inverse = np.unique(scored, axis=0, return_inverse=True)
    pools = [np.flatnonzero(key) for key in keys]
    pool_criteria = [np.flatnonzero(inverse.ravel() == p) for p in range(len(keys))]
    blocks = [cube[:, crit][:, :, pool] for pool, crit in zip(pools, pool_criteria, strict=True)]
    return Council(
        cube=cube,
        pools=pools,
        pool_criteria=pool_criteria,
        blocks=blocks,
        filled=[np.nan_to_num(block, nan=0.0) for block in blocks],
        valid=[(~np.isnan(block)).astype(float) for block in blocks],
        fallback=evaluation.aggregated.to_numpy(dtype=float),
    )


def draw_members(council: Council, samples: int, rng: np.random.Generator) -> list[np.ndarray]:
    """For each pool, ``(samples, pool size)`` drawn member positions (with replacement)."""
    return [rng.integers(0, max(len(pool), 1), size=(samples, len(pool))) for pool in council.pools]


def resampled_utility(
    evaluation: Evaluation, council: Council, draws: list[np.ndarray], rows: slice
) -> tuple[np.ndarray, np.ndarray, int]:
    """``(chunk, n, c)`` utilities of the drawn councils, ``(chunk, n)`` which requirements
    their aggregates make mandatory (gates), and how many cells fell back."""
    n, c, _ = council.cube.shape
    s = draws[0][rows].shape[0] if draws else 0
    aggregated = np.empty((s, n, c))
    for p, (pool, crit, draw) in enumerate(
        zip(council.pools, council.pool_criteria, draws, strict=True)
    ):
        if len(pool) == 0:
            aggregated[:, :, crit] = np.nan
            continue
        picks = draw[rows]  # (s, |pool|)
        if evaluation.aggregation == "mean":
            # mean over the drawn members = multiplicity-weighted mean: one matrix product
            size = len(pool)
            slots = (np.arange(s)[:, None] * size + picks).ravel()
            counts = np.bincount(slots, minlength=s * size).reshape(s, size).astype(float)
            total = np.tensordot(counts, council.filled[p], axes=([1], [2]))
            number = np.tensordot(counts, council.valid[p], axes=([1], [2]))
            with np.errstate(invalid="ignore", divide="ignore"):
                aggregated[:, :, crit] = np.where(number > 0, total / number, np.nan)
        else:
            drawn = council.blocks[p][:, :, picks]  # (n, |crit|, s, |pool|)
            aggregated[:, :, crit] = np.moveaxis(
                aggregate(drawn, evaluation.aggregation, trim=evaluation.trim), 2, 0
            )
    missing = np.isnan(aggregated)
    aggregated = np.where(missing, council.fallback[None], aggregated)
    return (
        utilities(aggregated, evaluation.criteria),
        gates_passed(evaluation.criteria, aggregated),
        int(missing.sum()),
    )
