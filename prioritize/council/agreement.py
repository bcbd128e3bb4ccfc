"""Where the council agrees and where it does not: disagreement per requirement x criterion
and the debate flags that name what to talk about. (Concordance of the members' rankings,
Kendall's W, lives in :mod:`prioritize.concordance` and is re-exported here.)

Measures (all vectorised over requirements, criteria and members):

- spread: ``n, mean, std`` (sample standard deviation, ddof 1), ``min, max, range`` and
  ``iqr`` (interquartile range, linear interpolation as ``numpy.percentile``);
- ``rwg``: within-group agreement of James, Demaree & Wolf (1984),
  ``1 - s**2 / ((A**2 - 1) / 12)``, the observed variance against that of a uniform answer
  over the scale's ``A`` levels. Values below 0 (more spread than uniform: two camps) are
  set to 0, as LeBreton & Senter (2008) recommend; NaN with fewer than two scores;
- ``agreement``: van der Eijk's (2001) agreement A for ordered rating scales, from the
  frequencies of the scale's levels (scores rounded to the nearest level): 1 when everyone
  gives the same score, 0 for a uniform spread over the levels, -1 when half score the
  lowest level and half the highest. It separates "two camps" from "one wide spread",
  which a variance cannot;
- ``polarisation``: ``max(0, -agreement)``; 0 for anything no more split than a uniform
  spread, 1 for two equal camps at the two ends of the scale;
- ``low, high``: how many scores fall below and above the scale's midpoint (the camps).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from prioritize.engine.scoring import owner_mask, score_cube
from prioritize.errors import Problem, ValidationError
from prioritize.load.criteria import load_criteria
from prioritize.load.members import load_members
from prioritize.load.scores import load_scores
from prioritize.model.council import Members, Scores
from prioritize.model.criteria import CriteriaSet
from prioritize.model.evaluation import Evaluation

DISAGREEMENT_COLUMNS = (
    "n",
    "mean",
    "std",
    "min",
    "max",
    "range",
    "iqr",
    "rwg",
    "agreement",
    "polarisation",
    "low",
    "high",
    "weight",
)


# --- spread and polarisation -------------------------------------------------------------


def ordinal_agreement(counts: np.ndarray) -> np.ndarray:
    """Van der Eijk's agreement A of frequency vectors over ``K >= 3`` ordered levels.

    The distribution is decomposed into layers (at each step the smallest non-zero
    frequency is taken off every non-empty level); each layer's pattern of empty and
    non-empty levels gets ``A = U * (1 - (S - 1) / (K - 1))``, S being its number of
    non-empty levels and U its unimodality from the triples of levels (TU: patterns
    110 and 011; TDU: 101), ``U = ((K-2) TU - (K-1) TDU) / ((K-2) (TU + TDU))`` (1 when
    no triple counts); A is the mean of the layers' A weighted by their share of answers.
    Reference: C. van der Eijk, "Measuring agreement in ordered rating scales", Quality &
    Quantity 35 (2001) 325-341.

    Parameters
    ----------
    counts
        ``(..., K)`` non-negative frequencies.

    Returns
    -------
    numpy.ndarray
        ``counts.shape[:-1]``; NaN where there is no answer or ``K < 3``.

    Examples
    --------
    >>> ordinal_agreement(np.array([[0, 0, 7, 0, 0], [2, 2, 2, 2, 2], [5, 0, 0, 0, 5]])).tolist()
    [1.0, 0.0, -1.0]
    """
    f = np.asarray(counts, dtype=float)
    k = f.shape[-1]
    flat = f.reshape(-1, k)
    total = flat.sum(axis=-1)
    if k < 3:
        return np.full(f.shape[:-1], np.nan)
    i, j, h = (
        np.array(t, dtype=np.intp) for t in zip(*itertools.combinations(range(k), 3), strict=True)
    )
    agreement = np.zeros(flat.shape[0])
    remaining = flat.copy()
    for _ in range(k):  # each layer empties at least one level: at most K layers
        present = remaining > 0
        if not present.any():
            break
        smallest = np.where(present, remaining, np.inf).min(axis=-1)
        smallest = np.where(np.isfinite(smallest), smallest, 0.0)
        size = present.sum(axis=-1)
        pi, pj, pl = present[:, i], present[:, j], present[:, h]
        tu = ((pi & pj & ~pl) | (~pi & pj & pl)).sum(axis=-1)
        tdu = (pi & ~pj & pl).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            unimodality = np.where(
                tu + tdu > 0, ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * (tu + tdu)), 1.0
            )
            share = smallest * size / total
        layer = unimodality * (1.0 - (size - 1) / (k - 1))
        agreement += np.where(size > 0, share * layer, 0.0)
        remaining = np.where(present, remaining - smallest[:, None], 0.0)
    agreement = np.where(total > 0, agreement, np.nan)
    return agreement.reshape(f.shape[:-1])


def _quantile(cube: np.ndarray, count: np.ndarray, q: float) -> np.ndarray:
    """Linear-interpolation quantile of the last axis ignoring NaN (``numpy.nanquantile``'s
    default method, without its per-cell Python loop)."""
    ordered = np.sort(cube, axis=-1)  # NaN sort last
    h = np.maximum(count - 1, 0) * q
    lo = np.floor(h).astype(np.intp)
    hi = np.ceil(h).astype(np.intp)
    a = np.take_along_axis(ordered, lo[..., None], axis=-1)[..., 0]
    b = np.take_along_axis(ordered, hi[..., None], axis=-1)[..., 0]
    return np.where(count > 0, a + (h - lo) * (b - a), np.nan)


def _spread(cube: np.ndarray, criteria: CriteriaSet) -> dict[str, np.ndarray]:
    """Every disagreement measure of a ``(requirements, criteria, members)`` cube."""
    valid = ~np.isnan(cube)
    n = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, cube, 0.0).sum(axis=-1) / n
        deviation = np.where(valid, cube - mean[..., None], 0.0)
        variance = np.where(n >= 2, (deviation**2).sum(axis=-1) / (n - 1), np.nan)
    low_end = np.where(valid, cube, np.inf).min(axis=-1)
    high_end = np.where(valid, cube, -np.inf).max(axis=-1)
    out: dict[str, np.ndarray] = {
        "n": n,
        "mean": np.where(n > 0, mean, np.nan),
        "std": np.sqrt(variance),
        "min": np.where(n > 0, low_end, np.nan),
        "max": np.where(n > 0, high_end, np.nan),
    }
    out["range"] = out["max"] - out["min"]
    out["iqr"] = _quantile(cube, n, 0.75) - _quantile(cube, n, 0.25)
    rwg = np.full(n.shape, np.nan)
    agreement = np.full(n.shape, np.nan)
    low = np.zeros(n.shape, dtype=np.int64)
    high = np.zeros(n.shape, dtype=np.int64)
    for j, criterion in enumerate(criteria):  # a loop over criteria: each has its own scale
        first, last = int(np.ceil(criterion.scale.min)), int(np.floor(criterion.scale.max))
        levels = last - first + 1
        expected = (levels**2 - 1) / 12.0
        if expected > 0:
            rwg[:, j] = np.clip(1.0 - variance[:, j] / expected, 0.0, 1.0)
        scores = cube[:, j, :]
        nearest = np.clip(np.rint(scores), first, last)
        counts = np.stack(
            [(nearest == level).sum(axis=-1) for level in range(first, last + 1)], axis=-1
        )
        agreement[:, j] = ordinal_agreement(counts)
        middle = (criterion.scale.min + criterion.scale.max) / 2
        low[:, j] = (scores < middle).sum(axis=-1)
        high[:, j] = (scores > middle).sum(axis=-1)
    out["rwg"] = np.where(n >= 2, rwg, np.nan)
    out["agreement"] = agreement
    out["polarisation"] = np.clip(-agreement, 0.0, None)
    out["low"] = low
    out["high"] = high
    return out


def _criteria(value: CriteriaSet | str | Path | None) -> CriteriaSet:
    if value is None:
        raise ValidationError(
            Problem(
                "criteria are needed to read the scales",
                column="criteria",
                expected="a CriteriaSet, a bundled name or a YAML path (or pass an Evaluation)",
            )
        )
    return value if isinstance(value, CriteriaSet) else load_criteria(value)


def disagreement(
    source: Evaluation | Scores | pd.DataFrame | str | Path,
    *,
    criteria: CriteriaSet | str | Path | None = None,
    members: Members | pd.DataFrame | str | Path | None = None,
    owners_only: bool = False,
) -> pd.DataFrame:
    """How far apart the council's scores are, per requirement x criterion.

    Parameters
    ----------
    source
        An :class:`~prioritize.model.Evaluation` (its ranked requirements, criteria,
        weights and members are used), or scores (:class:`~prioritize.model.Scores`, a
        long-form DataFrame or file) together with ``criteria``.
    criteria, members
        Needed with plain scores (``members`` only for ``owners_only``).
    owners_only
        False (default): every member's view, advisory scores included, because the
        debate is where advisory views are heard. True: only the scores that count in the
        model (the owners', where a criterion has owners).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(requirement_id, criterion)``; columns :data:`DISAGREEMENT_COLUMNS`
        (see the module docstring); ``weight`` is the criterion's normalised weight.

    Examples
    --------
    >>> import prioritize as pz
    >>> d = disagreement(pz.evaluate_example())
    >>> bool(((d["rwg"] >= 0) & (d["rwg"] <= 1)).all())
    True
    """
    if isinstance(source, Evaluation):
        cs = source.criteria
        scores = source.scores
        requirement_ids = source.table.index
        member_set = source.members
        weights = source.weights.to_numpy(dtype=float)
    else:
        cs = _criteria(criteria)
        scores = load_scores(source)
        requirement_ids = pd.Index(
            pd.unique(scores.frame["requirement_id"].to_numpy(dtype=object)), name="requirement_id"
        )
        member_set = None if members is None else load_members(members)
        weights = cs.weights.to_numpy(dtype=float)
    if member_set is not None:
        member_ids = member_set.ids
    else:
        member_ids = pd.Index(pd.unique(scores.frame["member"].to_numpy(dtype=object)))
    cube = score_cube(scores, requirement_ids, cs.ids, member_ids)
    if owners_only:
        if member_set is None:
            raise ValidationError(
                Problem(
                    "owners_only needs the members (their departments)",
                    column="members",
                    expected="a members table",
                )
            )
        cube = np.where(owner_mask(cs, member_set.departments)[None, :, :], cube, np.nan)
    measures = _spread(cube, cs)
    measures["weight"] = np.broadcast_to(weights, cube.shape[:2])
    index = pd.MultiIndex.from_product(
        [pd.Index(requirement_ids, dtype=object), list(cs.ids)],
        names=["requirement_id", "criterion"],
    )
    return pd.DataFrame(
        {name: np.asarray(measures[name]).reshape(-1) for name in DISAGREEMENT_COLUMNS}, index=index
    )
