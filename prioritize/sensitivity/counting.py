"""How SMAA's samples become counts, one chunk at a time: each sample's scores, axes, ranks
(ties share the best rank) and category, tallied with bincount, never a loop over samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritize.engine.matrix import axis_coefficients, categorize, measures
from prioritize.engine.scoring import TIE_TOLERANCE
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.model.matrix import AXES
from prioritize.sensitivity.sampling import Council, resampled_utility

__all__ = ["ChunkCounts", "Job", "Tally", "count_chunk", "ranks_sorted", "stack_measures"]


def stack_measures(
    utility: np.ndarray, weights: np.ndarray, evaluation: Evaluation, score: np.ndarray
) -> dict[str, np.ndarray]:
    """:func:`prioritize.matrix.measures` for one utility matrix per sample
    (``utility`` is ``(s, n, c)``)."""
    out: dict[str, np.ndarray] = {}
    for name, (member, burden) in axis_coefficients(evaluation.criteria).items():
        a = weights * member
        total = a.sum(axis=-1)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.matmul(utility, a[:, :, None])[:, :, 0] / total
        mean = np.where(total > 0, mean, 0.0)
        out[name] = np.where(total > 0, 1.0 - mean, 0.0) if burden else mean
    for name in AXES:
        out.setdefault(name, np.zeros(score.shape))
    out["net_value"] = out["value"] - out["effort"]
    out["score"] = score
    return out


class Tally:
    """Counts of ``requirement x rank`` slots, fed in chunks.

    A bincount over all ``n * n`` slots costs the whole table each time; with small chunks
    that would dominate, so slot indices are kept until there are about as many as slots,
    then counted in one go.
    """

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.counts = np.zeros(slots, dtype=np.int64)
        self.pending: list[np.ndarray] = []
        self.size = 0

    def add(self, index: np.ndarray) -> None:
        self.pending.append(index.ravel())
        self.size += index.size
        if self.size >= self.slots:
            self.flush()

    def flush(self) -> np.ndarray:
        if self.pending:
            self.counts += np.bincount(np.concatenate(self.pending), minlength=self.slots)
            self.pending, self.size = [], 0
        return self.counts


def ranks_sorted(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of each row (best first) and each position's rank - 1 (ties share the
    best rank of their group)."""
    s, n = score.shape
    order = np.argsort(-score, axis=1)
    ordered = np.take_along_axis(score, order, axis=1)
    new_group = np.ones((s, n), dtype=bool)
    new_group[:, 1:] = (ordered[:, :-1] - ordered[:, 1:]) > TIE_TOLERANCE
    if new_group.all():
        return order, np.broadcast_to(np.arange(n), (s, n))
    start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0), axis=1)
    return order, start


@dataclass(frozen=True, slots=True)
class Job:
    """What every chunk needs (read only)."""

    evaluation: Evaluation
    utility: np.ndarray
    utility_t: np.ndarray
    mandatory: np.ndarray
    codes_of_rule: np.ndarray
    weights: np.ndarray
    council: Council | None
    draws: list[np.ndarray]
    pairwise: bool
    #: Samples per sub-chunk of the pairwise comparison (bounds its ``(s, n, n)`` array).
    pairwise_step: int = 1


@dataclass(frozen=True, slots=True)
class ChunkCounts:
    rank_slots: np.ndarray  # requirement * n + (rank - 1), one per sample x requirement
    categories: np.ndarray  # (n * 6,) counts
    first: np.ndarray  # (n,) how often ranked first
    first_weights: np.ndarray  # (n, c) sum of the weights of those samples
    wins: np.ndarray | None  # (n, n) how often the row ranked better than the column
    fallbacks: int


def count_chunk(job: Job, rows: slice) -> ChunkCounts:
    """Ranks and categories of one chunk of samples, counted."""
    evaluation = job.evaluation
    w = job.weights[rows]
    s, n = w.shape[0], job.utility.shape[0]
    fallbacks = 0
    mandatory = job.mandatory
    if job.council is None:
        score = w @ job.utility_t
        values = measures(job.utility, w, evaluation.criteria, score=score)
    else:
        sampled, mandatory, fallbacks = resampled_utility(evaluation, job.council, job.draws, rows)
        score = np.matmul(sampled, w[:, :, None])[:, :, 0]
        values = stack_measures(sampled, w, evaluation, score)
    order, position = ranks_sorted(score)
    placed = categorize(values, mandatory, evaluation.criteria.matrix.rules)
    categories = np.bincount(
        (np.arange(n)[None, :] * len(CATEGORIES) + job.codes_of_rule[placed]).ravel(),
        minlength=n * len(CATEGORIES),
    )
    if n > 1 and (position[:, 1] == 0).any():  # ties for first: all share rank 1
        first_sample, first_slot = np.nonzero(position == 0)
        winner = order[first_sample, first_slot]
    else:
        first_sample, winner = np.arange(s), order[:, 0]
    first_weights = np.stack(
        [np.bincount(winner, weights=w[first_sample, j], minlength=n) for j in range(w.shape[1])],
        axis=1,
    )  # a loop over criteria
    wins = None
    if job.pairwise:
        rank = np.empty((s, n), dtype=np.int64)
        np.put_along_axis(rank, order, position, axis=1)
        wins = np.zeros((n, n), dtype=np.int64)
        step = job.pairwise_step
        for sub in range(0, s, step):  # sub-chunks bound the (s, n, n) comparison
            r = rank[sub : sub + step]
            wins += (r[:, :, None] < r[:, None, :]).sum(axis=0)
    return ChunkCounts(
        rank_slots=order * n + position,
        categories=categories,
        first=np.bincount(winner, minlength=n),
        first_weights=first_weights,
        wins=wins,
        fallbacks=fallbacks,
    )
