"""SMAA: stochastic multicriteria acceptability analysis over the weights and, optionally,
over the council's members.

Thousands of plausible weightings (and, with ``resample_members``, plausible councils) are
drawn; for each the priority scores, ranks and categories are computed, and the results
are counted: how often each requirement takes each rank (rank acceptability) and each
category (category acceptability), how often it beats each other requirement, the mean
weights that make it first (central weights), and the SMAA-2 confidence and holistic
acceptability (Lahdelma & Salminen 2001, "SMAA-2: Stochastic multicriteria acceptability
analysis for group decision making", Operations Research 49(3):444-454).

Samples are processed in chunks, every chunk as arrays: no Python loop over samples,
requirements or members.

Conventions (choices a reader should know):

* Weights. ``"uniform"``: uniform on the simplex, Dirichlet(1, ..., 1), drawn as normalised
  standard exponentials (never normalised independent uniforms, which are not uniform).
  ``"council"``: Dirichlet(concentration x council weights); the default concentration
  :data:`DEFAULT_CONCENTRATION` = 100 keeps a weight of 0.10 within about +-0.06 of it
  (two standard deviations: sd = sqrt(w (1 - w) / (concentration + 1))). ``"ordinal"``:
  uniform on the part of the simplex that keeps the council's order of criteria: a
  Dirichlet(1) sample sorted and handed out by rank; criteria with equal council weights are
  interchangeable (each order among them equally likely), which is exactly uniform on the
  region where the strictly ordered ones keep their order. In ``"council"`` and
  ``"ordinal"`` a criterion the council weighs 0 stays at 0. ``"members"``: the members' own
  weight proposals, resampled with replacement (each equally likely), so the spread of
  the weights is the council's real disagreement; with ``jitter`` each drawn proposal is
  blurred by a Dirichlet(jitter x proposal) around it (a jitter of 200 keeps a weight of
  0.10 within about +-0.04: two standard deviations, sqrt(w (1 - w) / (jitter + 1))).
* Ties within a sample: requirements whose scores are within the ranking's tie tolerance
  share the best rank of their group (as in the evaluation), so each requirement still has
  exactly one rank per sample; "a beats b" means a's rank is better than b's.
* Member resampling: in every sample the members who count for a criterion are drawn with
  replacement from those who count for it (and scored it) — one draw for all criteria
  without owners, one per owner group — so an owned criterion always keeps its owners'
  voices, and a department with one member gives no spread on what only it owns. A cell
  (requirement x criterion) left without any score by a draw keeps the council's aggregate
  (counted in ``notes``). Gates are re-read on each drawn council's aggregates, so a
  requirement can be mandatory in some draws and not in others. The trimmed mean cuts the
  proportion the evaluation used (``Evaluation.trim``).
* Holistic acceptability uses linear meta-weights ``alpha_r = (m - r) / (m - 1)`` for rank r
  of m (1 for first, 0 for last; SMAA-2 leaves the choice to the analyst).
* All draws are made up front, so the result does not depend on the chunk size.
* The pairwise winning index costs (samples x m^2); it is computed by default only for up to
  :data:`PAIRWISE_AUTO_LIMIT` requirements (``pairwise=True`` forces it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from prioritize.engine.matrix import rule_categories
from prioritize.engine.scoring import TIE_TOLERANCE
from prioritize.model.categories import CATEGORIES
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.counting import Job, Tally, count_chunk
from prioritize.sensitivity.inputs import WEIGHT_MODES, WeightMode, check_inputs, proposal_array
from prioritize.sensitivity.sampling import (
    DEFAULT_CONCENTRATION,
    Council,
    council_of,
    draw_members,
    resampled_utility,
    sample_weights,
)

__all__ = [
    "DEFAULT_CONCENTRATION",
    "PAIRWISE_AUTO_LIMIT",
    "WEIGHT_MODES",
    "Acceptability",
    "WeightMode",
    "sample_weights",
    "smaa",
]

#: Up to this many requirements the pairwise winning index is computed by default.
PAIRWISE_AUTO_LIMIT = 300
#: Elements (samples x requirements) processed at once: about ten float arrays of this size
#: live at a time (~5 MB), small enough to stay in cache, which is also the fastest.
_CHUNK_ELEMENTS = 65_536
#: With member resampling a chunk holds (samples, requirements, criteria) cubes; this many
#: times more elements per chunk keeps the per-pool work from dominating (~40 MB a cube).
_RESAMPLED_CHUNK_FACTOR = 8


@dataclass(frozen=True, slots=True)
class Acceptability:
    """The result of :func:`smaa`.

    Attributes
    ----------
    rank_acceptability
        Requirements (table order) x ranks 1..m: the share of samples in which each
        requirement took each rank. Rows sum to 1.
    category_acceptability
        Requirements x the six categories: the share of samples placing each requirement in
        each category. Rows sum to 1.
    pairwise_winning
        Requirements x requirements: the share of samples in which the row ranks better
        than the column (None when not computed, see ``pairwise`` of :func:`smaa`).
    central_weights
        Requirements x criteria: the mean weights of the samples in which each requirement
        ranks first (NaN when it never does).
    confidence
        SMAA-2 confidence factor: the share of the data samples (councils; one without
        member resampling) in which the requirement ranks first with its central weights.
        NaN when it never ranks first.
    holistic
        SMAA-2 holistic acceptability, ``sum_r alpha_r * b_r`` with linear meta-weights
        ``alpha_r = (m - r) / (m - 1)``.
    samples, seed, weights, concentration, resample_members
        How it was drawn (``concentration`` only for ``weights="council"``; for
        ``weights="members"`` it is the jitter, None without one).
    proposals
        For ``weights="members"``: how many proposals were resampled (else None).
    notes
        What a reader should know (e.g. cells that kept the council's aggregate).
    """

    rank_acceptability: pd.DataFrame
    category_acceptability: pd.DataFrame
    pairwise_winning: pd.DataFrame | None
    central_weights: pd.DataFrame
    confidence: pd.Series
    holistic: pd.Series
    samples: int
    seed: int
    weights: str
    concentration: float | None
    resample_members: bool
    notes: tuple[str, ...] = field(default=())
    proposals: int | None = None

    def acceptability_of(self, categories: pd.Series) -> pd.Series:
        """The acceptability of a given category per requirement (e.g. the council's)."""
        columns = self.category_acceptability.columns.get_indexer(pd.Index(categories.astype(str)))
        values = self.category_acceptability.to_numpy()[
            self.category_acceptability.index.get_indexer(categories.index), columns
        ]
        return pd.Series(values, index=categories.index, name="acceptability")


def smaa(
    evaluation: Evaluation,
    *,
    samples: int = 10_000,
    weights: WeightMode = "uniform",
    concentration: float = DEFAULT_CONCENTRATION,
    resample_members: bool = False,
    seed: int = 0,
    pairwise: bool | None = None,
    proposals: pd.DataFrame | None = None,
    jitter: float | None = None,
) -> Acceptability:
    """Stochastic multicriteria acceptability analysis of an evaluation.

    Parameters
    ----------
    evaluation
        The council's evaluation.
    samples
        Number of Monte Carlo samples.
    weights
        ``"uniform"`` (uniform on the simplex: no weight information), ``"council"``
        (Dirichlet centred on the council's weights) or ``"ordinal"`` (uniform subject to
        the council's order of criteria) or ``"members"`` (the members' own proposals,
        resampled: pass ``proposals``).
    concentration
        For ``"council"``: the Dirichlet's concentration (higher is closer to the council's
        weights; default :data:`DEFAULT_CONCENTRATION`).
    resample_members
        Also draw the council with replacement in each sample (see the module notes), so
        that disagreement among members becomes uncertainty in the result.
    seed
        Seed of the numpy random generator: the same seed gives the same result.
    pairwise
        Compute the pairwise winning index (None: only up to
        :data:`PAIRWISE_AUTO_LIMIT` requirements).
    proposals
        For ``weights="members"``: members x criteria weights (a DataFrame whose columns
        are the evaluation's criteria; e.g. ``Session.weight_proposals(round).weights``).
        Each row is normalised to sum 1.
    jitter
        For ``weights="members"``: None (the proposals exactly) or a Dirichlet
        concentration around each drawn proposal (see the module notes).

    Returns
    -------
    Acceptability

    Raises
    ------
    ValidationError
        Invalid samples, weights, concentration or seed.

    Examples
    --------
    >>> import prioritize as pz
    >>> from prioritize.sensitivity import smaa
    >>> acc = smaa(pz.evaluate_example(), samples=2_000, seed=1)
    >>> bool(np.allclose(acc.rank_acceptability.sum(axis=1), 1))
    True
    >>> bool(np.allclose(acc.category_acceptability.sum(axis=1), 1))
    True
    """
    check_inputs(samples, weights, concentration, seed)
    member_weights = proposal_array(evaluation, weights, proposals, jitter)
    samples = int(samples)
    ids = evaluation.table.index
    n = len(ids)
    c = len(evaluation.criteria)
    rules = evaluation.criteria.matrix.rules
    codes_of_rule = rule_categories(rules)
    mandatory = evaluation.mandatory_array
    utility = evaluation.utility_array
    utility_t = np.ascontiguousarray(utility.T)
    do_pairwise = n <= PAIRWISE_AUTO_LIMIT if pairwise is None else bool(pairwise)

    weight_rng, member_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    drawn_weights = sample_weights(
        evaluation.weights.to_numpy(dtype=float),
        samples,
        weights,
        concentration=concentration,
        rng=weight_rng,
        proposals=member_weights,
        jitter=jitter,
    )
    council = council_of(evaluation) if resample_members else None
    draws = draw_members(council, samples, member_rng) if council is not None else []

    job = Job(
        evaluation=evaluation,
        utility=utility,
        utility_t=utility_t,
        mandatory=mandatory,
        codes_of_rule=codes_of_rule,
        weights=drawn_weights,
        council=council,
        draws=draws,
        pairwise=do_pairwise,
        pairwise_step=max(1, _CHUNK_ELEMENTS * 8 // max(n * n, 1)),
    )
    rank_counts = Tally(n * n)
    category_counts = np.zeros(n * len(CATEGORIES), dtype=np.int64)
    first_weights = np.zeros((n, c))
    first_counts = np.zeros(n, dtype=np.int64)
    wins = np.zeros((n, n), dtype=np.int64) if do_pairwise else None
    fallbacks = 0
    # a drawn council is a (chunk, n, c) cube: larger chunks amortise the per-pool work
    per_sample = n if council is None else n * c // _RESAMPLED_CHUNK_FACTOR
    chunk = max(1, _CHUNK_ELEMENTS // max(per_sample, 1))
    pieces = [slice(start, min(samples, start + chunk)) for start in range(0, samples, chunk)]
    for part in map(partial(count_chunk, job), pieces):  # chunks of samples, in order
        rank_counts.add(part.rank_slots)
        category_counts += part.categories
        first_counts += part.first
        first_weights += part.first_weights
        if wins is not None and part.wins is not None:
            wins += part.wins
        fallbacks += part.fallbacks

    with np.errstate(invalid="ignore", divide="ignore"):
        central = first_weights / first_counts[:, None]
    central[first_counts == 0] = np.nan
    confidence = _confidence(evaluation, central, council, draws, samples)
    rank_share = rank_counts.flush().reshape(n, n) / samples
    alpha = (n - np.arange(1, n + 1)) / (n - 1) if n > 1 else np.ones(1)
    notes = []
    if fallbacks:
        notes.append(
            f"{fallbacks} of {samples * n * c} resampled cells had no counting score "
            "in their draw and kept the council's aggregate"
        )
    if wins is None and pairwise is None:
        notes.append(
            f"pairwise winning index not computed for {n} requirements "
            f"(over {PAIRWISE_AUTO_LIMIT}; pass pairwise=True)"
        )
    id_index = pd.Index(ids, name="id")
    return Acceptability(
        rank_acceptability=pd.DataFrame(
            rank_share, index=id_index, columns=pd.Index(np.arange(1, n + 1), name="rank")
        ),
        category_acceptability=pd.DataFrame(
            category_counts.reshape(n, len(CATEGORIES)) / samples,
            index=id_index,
            columns=pd.Index(list(CATEGORIES), name="category"),
        ),
        pairwise_winning=None
        if wins is None
        else pd.DataFrame(wins / samples, index=id_index, columns=pd.Index(ids, name="over")),
        central_weights=pd.DataFrame(
            central, index=id_index, columns=pd.Index(evaluation.criteria.ids, name="criterion")
        ),
        confidence=pd.Series(confidence, index=id_index, name="confidence"),
        holistic=pd.Series(rank_share @ alpha, index=id_index, name="holistic"),
        samples=samples,
        seed=int(seed),
        weights=weights,
        concentration=float(concentration)
        if weights == "council"
        else (None if jitter is None or weights != "members" else float(jitter)),
        resample_members=bool(resample_members),
        notes=tuple(notes),
        proposals=None if member_weights is None else len(member_weights),
    )


def _confidence(
    evaluation: Evaluation,
    central: np.ndarray,
    council: Council | None,
    draws: list[np.ndarray],
    samples: int,
) -> np.ndarray:
    """SMAA-2 confidence factor: the share of data samples in which each requirement ranks
    first (ties included) under its own central weights."""
    n = central.shape[0]
    out = np.full(n, np.nan)
    has = np.flatnonzero(~np.isnan(central).any(axis=1))
    if len(has) == 0:
        return out
    weights = central[has]
    if council is None:
        score = weights @ evaluation.utility_array.T  # (|has|, n)
        own = score[np.arange(len(has)), has]
        out[has] = (own >= score.max(axis=1) - TIE_TOLERANCE).astype(float)
        return out
    hits = np.zeros(len(has))
    c = central.shape[1]
    # the same chunks as the main pass, fewer when the (chunk, |has|, n) scores would be big
    chunk = max(
        1,
        min(
            _CHUNK_ELEMENTS * _RESAMPLED_CHUNK_FACTOR // max(n * c, 1),
            _CHUNK_ELEMENTS * 64 // max(len(has) * n, 1),
        ),
    )
    for start in range(0, samples, chunk):  # chunks of data samples
        rows = slice(start, min(samples, start + chunk))
        sampled, _, _ = resampled_utility(evaluation, council, draws, rows)
        score = np.matmul(weights[None], sampled.transpose(0, 2, 1))  # (s, |has|, n)
        own = score[:, np.arange(len(has)), has]
        hits += (own >= score.max(axis=2) - TIE_TOLERANCE).sum(axis=0)
    out[has] = hits / samples
    return out
