"""What moved between two rounds (two evaluations), and which weights and scores moved it.

A requirement's priority score is ``S = sum_j w_j u_j``. Between round a and round b each
criterion's contribution changes by

    w_b u_b - w_a u_a = (w_b - w_a) u_b  +  w_a (u_b - u_a)
                        due to weights      due to scores

an exact split (no residual): the weight part is the weight change valued at the new
utilities, the score part the utility change valued at the old weights. Summed over the
criteria the two parts give the change of the score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation

__all__ = ["RoundDiff", "round_diff"]


@dataclass(frozen=True, slots=True)
class RoundDiff:
    """The difference between two evaluations (round a, then round b).

    Attributes
    ----------
    table
        Indexed by requirement id (b's rank order, then requirements only in a):
        ``title, status`` (``both``, ``added``, ``removed``), ``rank_a, rank_b, rank_change``
        (positive: moved up), ``category_a, category_b, category_changed, score_a,
        score_b, score_change, due_to_weights, due_to_scores, main_criterion`` (the
        criterion whose contribution changed most) and ``members_changed`` (members whose
        scores of it changed, comma-separated).
    contributions
        Indexed by ``(requirement_id, criterion)`` for requirements ranked in both:
        ``contribution_a, contribution_b, change, due_to_weights, due_to_scores``.
    weights
        Indexed by criterion: ``weight_a, weight_b, change`` (normalised weights).
    score_changes
        Every score that differs: ``requirement_id, member, criterion, score_a, score_b``
        (NaN where a score was added or removed).
    """

    table: pd.DataFrame
    contributions: pd.DataFrame
    weights: pd.DataFrame
    score_changes: pd.DataFrame

    @property
    def moved(self) -> pd.DataFrame:
        """Requirements whose rank or category changed."""
        t = self.table
        return t[(t["rank_change"].fillna(0) != 0) | t["category_changed"]]


def _score_changes(a: Evaluation, b: Evaluation) -> pd.DataFrame:
    keys = ["requirement_id", "member", "criterion"]
    left = a.scores.frame[[*keys, "score"]].rename(columns={"score": "score_a"})
    right = b.scores.frame[[*keys, "score"]].rename(columns={"score": "score_b"})
    merged = left.merge(right, on=keys, how="outer", sort=True)
    sa, sb = merged["score_a"].to_numpy(dtype=float), merged["score_b"].to_numpy(dtype=float)
    changed = ~((sa == sb) | (np.isnan(sa) & np.isnan(sb)))
    out: pd.DataFrame = merged[changed].reset_index(drop=True)
    return out


def round_diff(a: Evaluation, b: Evaluation) -> RoundDiff:
    """Compare two evaluations of the same criteria: ranks, categories, and why they moved.

    Parameters
    ----------
    a, b
        The earlier and the later evaluation (e.g. two rounds of the same requirements).

    Raises
    ------
    ValidationError
        The two evaluations use different criteria.

    Examples
    --------
    >>> import prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> heavier = pz.evaluate(ev.criteria.with_weights({"customer_impact": 0.5}),
    ...                       ev.requirements, ev.scores, members=ev.members)
    >>> d = round_diff(ev, heavier)
    >>> bool(np.allclose(d.table["score_change"].dropna(), d.table["due_to_weights"].dropna()))
    True
    """
    if tuple(a.criteria.ids) != tuple(b.criteria.ids):
        raise ValidationError(
            Problem(
                "the two evaluations use different criteria",
                column="criteria",
                value=", ".join(b.criteria.ids),
                expected=", ".join(a.criteria.ids),
            )
        )
    ta, tb = a.table, b.table
    both = tb.index[tb.index.isin(ta.index)]
    only_b = tb.index[~tb.index.isin(ta.index)]
    only_a = ta.index[~ta.index.isin(tb.index)]
    order = pd.Index([*tb.index, *only_a], name="id")

    wa = a.weights.to_numpy(dtype=float)
    wb = b.weights.to_numpy(dtype=float)
    ua = a.utilities.loc[both].to_numpy(dtype=float)
    ub = b.utilities.loc[both].to_numpy(dtype=float)
    ca, cb = wa * ua, wb * ub
    due_w = (wb - wa) * ub
    due_s = wa * (ub - ua)
    criteria = list(a.criteria.ids)
    index = pd.MultiIndex.from_product(
        [pd.Index(both, dtype=object), criteria], names=["requirement_id", "criterion"]
    )
    contributions = pd.DataFrame(
        {
            "contribution_a": ca.reshape(-1),
            "contribution_b": cb.reshape(-1),
            "change": (cb - ca).reshape(-1),
            "due_to_weights": due_w.reshape(-1),
            "due_to_scores": due_s.reshape(-1),
        },
        index=index,
    )

    changes = _score_changes(a, b)
    who = (
        changes.drop_duplicates(["requirement_id", "member"])
        .groupby("requirement_id", sort=False)["member"]
        .agg(lambda m: ", ".join(sorted(m)))
    )

    table = pd.DataFrame(index=order)
    title = pd.concat([tb["title"], ta["title"].loc[only_a]])
    table["title"] = title.reindex(order).to_numpy(dtype=object)
    status = np.full(len(order), "both", dtype=object)
    status[order.isin(only_b)] = "added"
    status[order.isin(only_a)] = "removed"
    table["status"] = status
    table["rank_a"] = ta["rank"].reindex(order).astype("Int64")
    table["rank_b"] = tb["rank"].reindex(order).astype("Int64")
    table["rank_change"] = table["rank_a"] - table["rank_b"]
    cat_a = ta["category"].astype(object).reindex(order)
    cat_b = tb["category"].astype(object).reindex(order)
    table["category_a"] = cat_a.to_numpy(dtype=object)
    table["category_b"] = cat_b.to_numpy(dtype=object)
    table["category_changed"] = (cat_a != cat_b).to_numpy() & (table["status"] == "both")
    table["score_a"] = ta["score"].reindex(order).to_numpy(dtype=float)
    table["score_b"] = tb["score"].reindex(order).to_numpy(dtype=float)
    table["score_change"] = table["score_b"] - table["score_a"]
    table["due_to_weights"] = pd.Series(due_w.sum(axis=1), index=both).reindex(order).to_numpy()
    table["due_to_scores"] = pd.Series(due_s.sum(axis=1), index=both).reindex(order).to_numpy()
    change = np.abs(cb - ca)
    main = np.asarray(criteria, dtype=object)[change.argmax(axis=1)] if len(both) else []
    main_series = pd.Series(main, index=both, dtype=object)
    main_series[change.max(axis=1) <= 1e-12 if len(both) else []] = ""
    table["main_criterion"] = main_series.reindex(order).fillna("").to_numpy(dtype=object)
    table["members_changed"] = who.reindex(order).fillna("").to_numpy(dtype=object)

    weights = pd.DataFrame(
        {"weight_a": wa, "weight_b": wb, "change": wb - wa},
        index=pd.Index(criteria, name="criterion"),
    )
    return RoundDiff(
        table=table, contributions=contributions, weights=weights, score_changes=changes
    )
