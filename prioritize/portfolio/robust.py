"""Which requirements stay in the portfolio whatever the weights: the core index (Robust
Portfolio Modelling, Liesiö, Mild & Salo 2007, "Preference programming for robust
portfolio modeling and project selection", EJOR 181(3):1488-1505).

Weights are sampled as SMAA samples them (:func:`prioritize.sensitivity.sample_weights`:
uniform, around the council's weights, keeping their order, or the members' own
proposals), optionally with a resampled council; for each sample the exact portfolio is
found, and a requirement's core index is the share of samples whose portfolio funds it.
Core: in every sample; exterior: in none; borderline: the rest (RPM's words).

The exact shortcut (``method="cones"``, the default; ``"loop"`` solves every sample and is
the oracle). A requirement's value under weights ``w`` is linear in ``w`` up to a positive
factor, so a portfolio's objective is ``w . p(x)`` with ``p(x)`` a point in criterion
space, and the weights for which a given portfolio is the best one form a convex cone (if
it is the best for ``w1`` and ``w2`` it is the best for any ``a w1 + b w2``, ``a, b >= 0``).
So once some samples have been solved, a sample whose weights are a non-negative
combination of samples that all chose the same portfolio has that portfolio too, proven
without solving (a non-negative least-squares test). The choice among equally good sets
(the cheapest) carries over by the same argument. Only samples outside every known cone
are solved. With resampled councils the utilities change per sample and every sample is
solved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio.instance import (
    Instance,
    ValueKind,
    build_instance,
    check_limit,
    value_basis,
)
from prioritize.portfolio.solve import Rows, feasibility, rows_of, solve
from prioritize.sensitivity.inputs import proposal_array
from prioritize.sensitivity.sampling import (
    DEFAULT_CONCENTRATION,
    council_of,
    draw_members,
    resampled_utility,
    sample_weights,
)

__all__ = ["CLASSES", "PortfolioAcceptability", "portfolio_acceptability"]

#: RPM's three classes of a requirement by its core index.
CLASSES: tuple[str, ...] = ("core", "borderline", "exterior")
#: A sample's weights within this (relative) of a cone of solved samples are in it.
CONE_TOLERANCE = 1e-10
Method = Literal["cones", "loop"]


@dataclass(frozen=True, slots=True)
class PortfolioAcceptability:
    """The result of :func:`portfolio_acceptability`.

    Attributes
    ----------
    table
        Per ranked requirement (rank order): ``core_index`` (share of samples whose best
        portfolio funds it), ``class`` (core, borderline, exterior) and ``selected_now``
        (in the portfolio under the evaluation's own weights).
    portfolios
        The distinct portfolios found, by how many samples chose each: ``samples``,
        ``share``, ``selected`` (a tuple of ids), most frequent first.
    samples, seed, weights, resample_members, method
        How it was drawn and computed.
    solved
        How many samples were solved by the MILP (the others were proven by the cones).
    """

    table: pd.DataFrame
    portfolios: pd.DataFrame
    samples: int
    seed: int
    weights: str
    resample_members: bool
    method: str
    solved: int
    notes: tuple[str, ...] = field(default=())


def _classes(index: np.ndarray) -> np.ndarray:
    return np.where(index >= 1.0, "core", np.where(index <= 0.0, "exterior", "borderline"))


def portfolio_acceptability(
    evaluation: Evaluation,
    budget: float,
    *,
    capacity: float | None = None,
    value: ValueKind = "value",
    samples: int = 2_000,
    seed: int = 0,
    weights: str = "council",
    concentration: float = DEFAULT_CONCENTRATION,
    proposals: pd.DataFrame | None = None,
    resample_members: bool = False,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    estimates: pd.DataFrame | None = None,
    method: Method = "cones",
    progress: Callable[[int, int], None] | None = None,
) -> PortfolioAcceptability:
    """The core index of every ranked requirement under sampled weights (and councils).

    Parameters
    ----------
    evaluation, budget, capacity, value, include, exclude, estimates
        As for :func:`~prioritize.portfolio.select.portfolio`.
    samples, seed
        Number of weight samples, and the seed (the same seed gives the same result).
    weights, concentration, proposals
        How weights are drawn, as :func:`prioritize.smaa` draws them (``"council"``,
        ``"uniform"``, ``"ordinal"``, ``"members"`` with the members' ``proposals``).
    resample_members
        Also draw the council with replacement in each sample (as in SMAA).
    method
        ``"cones"`` (exact shortcut, default) or ``"loop"`` (one MILP per sample).
    progress
        Called with ``(done, samples)`` as samples are settled (for a progress bar).

    Raises
    ------
    ValidationError
        Invalid settings, estimates, or a problem in which nothing fits (what must be
        funded exceeds the budget or capacity, or conflicts), said in words.
    """
    limit = check_limit("budget", budget, optional=False)
    assert limit is not None
    cap = check_limit("capacity", capacity, optional=True)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise ValidationError(
            Problem(
                "samples must be a whole number >= 1",
                column="samples",
                value=repr(samples),
                expected="an integer >= 1",
            )
        )
    if method not in ("cones", "loop"):
        raise ValidationError(
            Problem("unknown method", column="method", value=repr(method), expected="cones or loop")
        )
    instance = build_instance(evaluation, estimates, capacity=cap, include=include, exclude=exclude)
    check = feasibility(instance, limit, cap)
    if not check.ok:
        raise ValidationError(
            Problem(f"no portfolio fits: {check.reason}", column="budget", value=f"{limit:g}")
        )
    rows = rows_of(instance)
    g, m = value_basis(evaluation, value)
    weight_rng, member_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    member_weights = None
    if weights == "members":
        member_weights = proposal_array(evaluation, "members", proposals, None)
    drawn = sample_weights(
        evaluation.weights.to_numpy(dtype=float),
        int(samples),
        weights,
        concentration=concentration,
        rng=weight_rng,
        proposals=member_weights,
    )
    n = len(instance.ids)
    chosen = np.zeros((int(samples), n), dtype=bool)
    solved = 0
    if resample_members:
        council = council_of(evaluation)
        draws = draw_members(council, int(samples), member_rng)
        for s in range(int(samples)):  # the utilities change with each drawn council
            utility, _, _ = resampled_utility(evaluation, council, draws, slice(s, s + 1))
            gs, _ = value_basis(evaluation, value, utility[0])
            # gates stay as the council's evaluation reads them (the forced set is fixed)
            chosen[s] = _solve_one(instance, rows, drawn[s] * m, gs, limit, cap)
            solved += 1
            if progress is not None:
                progress(s + 1, int(samples))
    elif method == "loop":
        for s in range(int(samples)):
            chosen[s] = _solve_one(instance, rows, drawn[s] * m, g, limit, cap)
            solved += 1
            if progress is not None:
                progress(s + 1, int(samples))
    else:
        solved = _by_cones(instance, rows, drawn * m, g, limit, cap, chosen, progress)
    index = chosen.mean(axis=0)
    own = _solve_one(instance, rows, evaluation.weights.to_numpy(dtype=float) * m, g, limit, cap)
    table = pd.DataFrame(
        {"core_index": index, "class": _classes(index), "selected_now": own},
        index=pd.Index(instance.ids, name="id"),
    )
    keys, counts = np.unique(chosen, axis=0, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    ids = np.asarray(instance.ids, dtype=object)
    portfolios = pd.DataFrame(
        {
            "samples": counts[order],
            "share": counts[order] / int(samples),
            "selected": [tuple(ids[keys[k]].tolist()) for k in order],
        }
    )
    return PortfolioAcceptability(
        table=table,
        portfolios=portfolios,
        samples=int(samples),
        seed=int(seed),
        weights=weights,
        resample_members=bool(resample_members),
        method="loop" if resample_members else method,
        solved=solved,
    )


def _solve_one(
    instance: Instance,
    rows: Rows,
    direction: np.ndarray,
    g: np.ndarray,
    budget: float,
    capacity: float | None,
) -> np.ndarray:
    """The exact portfolio for one weight direction (``w * m``, unnormalised: the
    normalising factor does not move the best set)."""
    total = float(direction.sum())
    values = (g @ direction) / total if total > 0 else np.zeros(g.shape[0])
    chosen = solve(instance, rows, values, budget, capacity)
    assert chosen is not None  # the forced core fits: checked before
    return chosen


def _by_cones(
    instance: Instance,
    rows: Rows,
    directions: np.ndarray,
    g: np.ndarray,
    budget: float,
    capacity: float | None,
    chosen: np.ndarray,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Settle every sample: by a known portfolio's cone when its weights fall in it, by the
    MILP otherwise. Returns how many were solved."""
    samples = len(directions)
    found: list[np.ndarray] = []  # the distinct portfolios, as masks
    points: list[np.ndarray] = []  # p(x) = g^T x of each
    cones: list[list[np.ndarray]] = []  # the solved directions that chose each
    solved = 0
    norms = directions / np.maximum(np.linalg.norm(directions, axis=1, keepdims=True), 1e-300)
    # The farthest from the mean direction first: their cones then span the crowd in the
    # middle, which is proven without a MILP (the result does not depend on the order).
    centre = norms.mean(axis=0)
    order = np.argsort(norms @ centre, kind="stable")
    for done, s in enumerate(order, start=1):
        w = norms[s]
        settled = False
        if found:
            scores = np.array([w @ p for p in points])
            for k in np.argsort(-scores, kind="stable")[:2]:  # the likeliest owners
                if _in_cone(np.array(cones[k]).T, w):
                    chosen[s] = found[k]
                    settled = True
                    break
        if not settled:
            mask = _solve_one(instance, rows, directions[s], g, budget, capacity)
            solved += 1
            chosen[s] = mask
            match = next((k for k, f in enumerate(found) if np.array_equal(f, mask)), None)
            if match is None:
                found.append(mask)
                points.append(g.T @ mask.astype(float))
                cones.append([w])
            else:
                cones[match].append(w)
        if progress is not None and (done % 50 == 0 or done == samples):
            progress(done, samples)
    return solved


def _in_cone(generators: np.ndarray, w: np.ndarray) -> bool:
    """Whether ``w`` is a non-negative combination of the columns of ``generators``."""
    if generators.shape[1] == 1:
        return bool(np.allclose(generators[:, 0], w, atol=CONE_TOLERANCE, rtol=0))
    _, residual = nnls(generators, w)
    return bool(residual <= CONE_TOLERANCE)
