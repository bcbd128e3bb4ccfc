"""Debate flags: which requirements the council should talk about, and why (disagreement,
two camps, a department's viewpoint that would move it, low acceptability).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from prioritize.council.agreement import disagreement
from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation

# --- debate flags --------------------------------------------------------------------------

FLAG_COLUMNS = (
    "requirement_id",
    "title",
    "rank",
    "flag",
    "criterion",
    "value",
    "threshold",
    "reason",
)
#: The flag kinds, most severe first: two camps, then a split council, then a placement
#: that other plausible weights would change, then a department that would place it
#: elsewhere. Flags of one requirement are listed in this order, and flagged requirements
#: are debated in it (:func:`prioritize.council.analysis.flagged_requirements`).
FLAG_SEVERITY: tuple[str, ...] = (
    "polarised",
    "disagreement",
    "low acceptability",
    "viewpoint flip",
)


def _fmt(values: pd.Series | np.ndarray, spec: str) -> pd.Series:
    return pd.Series(np.char.mod(spec, np.asarray(values, dtype=float)), dtype=object)


def debate_flags(
    evaluation: Evaluation,
    *,
    viewpoints: pd.DataFrame | None = None,
    acceptability: pd.DataFrame | None = None,
    spread: pd.DataFrame | None = None,
    heavy_weight: float | None = None,
    max_rwg: float = 0.5,
    min_polarisation: float = 0.1,
    min_acceptability: float = 0.5,
    min_scores: int = 3,
) -> pd.DataFrame:
    """What the council should talk about, each flag with its reason in words.

    Flags:

    - ``disagreement``: agreement ``rwg < max_rwg`` on a heavily weighted criterion
      (normalised weight ``>= heavy_weight``; default: the equal share ``1 / criteria``);
      0.5 is the usual line below which a group's scores show weak or no agreement;
    - ``polarised``: ``polarisation >= min_polarisation`` on a criterion with weight > 0
      (two camps, not one wide spread). A uniform spread is 0 and two equal camps at the
      ends are 1; camps nearer each other weigh less: on a 1-5 scale, three members at
      each of 1, 2, 4 and 5 give 0.14, four at 1 and eight at 5 give 0.33, hence the
      default 0.1;
    - ``viewpoint flip``: the requirement's category differs between viewpoints
      (``viewpoints``: requirements x viewpoint, e.g. department, of category names, as the
      sensitivity module's viewpoints produce) or from the council's;
    - ``low acceptability``: the probability of the council's category is below
      ``min_acceptability`` (``acceptability``: requirements x categories, e.g. SMAA
      category acceptability).

    Spread flags need at least ``min_scores`` scores in the cell. ``spread`` is a
    precomputed :func:`disagreement` table (default: computed from ``evaluation``).

    Returns
    -------
    pandas.DataFrame
        One row per flag: :data:`FLAG_COLUMNS`, ordered by rank, then flag kind
        (:data:`FLAG_SEVERITY`), then the criterion's weight (heaviest first).
        ``criterion`` is empty for the flags about a whole requirement.
    """
    table = evaluation.table
    spread = disagreement(evaluation) if spread is None else spread
    heavy = 1.0 / len(evaluation.criteria) if heavy_weight is None else heavy_weight
    names = pd.Series({c.id: c.name for c in evaluation.criteria})
    cells = spread.reset_index()
    cells = cells[cells["requirement_id"].isin(table.index)]
    counted = cells["n"].to_numpy() >= min_scores
    parts: list[pd.DataFrame] = []

    split = cells[
        counted
        & (cells["rwg"] < max_rwg).to_numpy()
        & (cells["weight"] >= heavy - 1e-12).to_numpy()
    ].reset_index(drop=True)
    if len(split):
        reason = (
            "council split on "
            + split["criterion"].map(names).astype(str)
            + " (weight "
            + _fmt(split["weight"], "%.2f")
            + "): scores "
            + _fmt(split["min"], "%g")
            + " to "
            + _fmt(split["max"], "%g")
            + ", sd "
            + _fmt(split["std"], "%.2f")
            + ", agreement rwg "
            + _fmt(split["rwg"], "%.2f")
            + " < "
            + f"{max_rwg:.2f}"
        )
        parts.append(
            pd.DataFrame(
                {
                    "requirement_id": split["requirement_id"],
                    "flag": "disagreement",
                    "criterion": split["criterion"],
                    "value": split["rwg"],
                    "threshold": max_rwg,
                    "reason": reason,
                    "weight": split["weight"],
                }
            )
        )

    camps = cells[
        counted
        & (cells["polarisation"] >= min_polarisation).to_numpy()
        & (cells["weight"] > 0).to_numpy()
    ].reset_index(drop=True)
    if len(camps):
        reason = (
            "two camps on "
            + camps["criterion"].map(names).astype(str)
            + ": "
            + camps["low"].astype(str)
            + " score low, "
            + camps["high"].astype(str)
            + " score high (polarisation "
            + _fmt(camps["polarisation"], "%.2f")
            + ")"
        )
        parts.append(
            pd.DataFrame(
                {
                    "requirement_id": camps["requirement_id"],
                    "flag": "polarised",
                    "criterion": camps["criterion"],
                    "value": camps["polarisation"],
                    "threshold": min_polarisation,
                    "reason": reason,
                    "weight": camps["weight"],
                }
            )
        )

    if viewpoints is not None and len(viewpoints.columns):
        parts.append(_flip_flags(table, viewpoints))
    if acceptability is not None:
        parts.append(_acceptability_flags(table, acceptability, min_acceptability))

    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype=float
                    if c in ("value", "threshold")
                    else np.int64
                    if c == "rank"
                    else object
                )
                for c in FLAG_COLUMNS
            }
        )
    flags = pd.concat(parts, ignore_index=True)
    flags["title"] = table["title"].reindex(flags["requirement_id"]).to_numpy()
    flags["rank"] = table["rank"].reindex(flags["requirement_id"]).to_numpy(dtype=np.int64)
    flags["kind"] = pd.Categorical(flags["flag"], categories=list(FLAG_SEVERITY), ordered=True)
    flags["position"] = table.index.get_indexer(pd.Index(flags["requirement_id"]))
    flags = flags.sort_values(
        ["position", "kind", "weight"], ascending=[True, True, False], kind="stable"
    )
    return flags[list(FLAG_COLUMNS)].reset_index(drop=True)


def _flip_flags(table: pd.DataFrame, viewpoints: pd.DataFrame) -> pd.DataFrame:
    views = viewpoints.reindex(table.index).astype(object)
    council = table["category"].astype(str)
    views.index = views.index.rename("requirement_id")
    frame = (
        views.reset_index()
        .melt(id_vars="requirement_id", var_name="viewpoint", value_name="category")
        .dropna(subset=["category"])
    )
    frame["category"] = frame["category"].astype(str)
    frame["viewpoint"] = frame["viewpoint"].astype(str)
    flipped = frame.groupby("requirement_id")["category"].nunique() > 1
    differs = frame["category"] != council.reindex(frame["requirement_id"]).to_numpy()
    differs_any = differs.groupby(frame["requirement_id"].to_numpy()).any()
    hit = flipped.reindex(table.index, fill_value=False) | differs_any.reindex(
        table.index, fill_value=False
    )
    chosen = frame[frame["requirement_id"].isin(hit[hit].index)]
    if not len(chosen):
        return pd.DataFrame()
    grouped = (
        chosen.groupby(["requirement_id", "category"], sort=False)["viewpoint"]
        .agg(lambda v: ", ".join(map(str, v)))
        .reset_index()
    )
    grouped["text"] = grouped["viewpoint"] + ": " + grouped["category"]
    listing = grouped.groupby("requirement_id", sort=False)["text"].agg("; ".join)
    ids = listing.index
    count = chosen.groupby("requirement_id")["category"].nunique().reindex(ids)
    reason = (
        "category flips between viewpoints (council: "
        + council.reindex(ids).to_numpy()
        + "): "
        + listing.to_numpy()
    )
    return pd.DataFrame(
        {
            "requirement_id": ids.to_numpy(dtype=object),
            "flag": "viewpoint flip",
            "criterion": "",
            "value": count.to_numpy(dtype=float),
            "threshold": 1.0,
            "reason": reason,
            "weight": 0.0,
        }
    )


def _acceptability_flags(
    table: pd.DataFrame, acceptability: pd.DataFrame, minimum: float
) -> pd.DataFrame:
    probabilities = acceptability.reindex(table.index).astype(float).fillna(0.0)
    council = table["category"].astype(str)
    unknown = sorted(set(council) - set(probabilities.columns))
    if unknown:
        raise ValidationError(
            Problem(
                "acceptability lacks categories",
                column="acceptability",
                value=", ".join(unknown),
                expected="a column per category of the value matrix",
            )
        )
    columns = list(probabilities.columns)
    values = probabilities.to_numpy()
    position = pd.Index(columns).get_indexer(pd.Index(council))
    own = values[np.arange(len(table)), position]
    others = values.copy()
    others[np.arange(len(table)), position] = -np.inf
    best = others.argmax(axis=1)
    low = own < minimum
    if not low.any():
        return pd.DataFrame()
    ids = table.index[low]
    alternative = np.asarray(columns, dtype=object)[best[low]]
    reason = (
        council[low].to_numpy(dtype=object)
        + " in only "
        + _fmt(own[low] * 100, "%.0f")
        + f"% of the sampled cases (threshold {minimum:.0%}); otherwise most often "
        + alternative
        + " ("
        + _fmt(others[low].max(axis=1) * 100, "%.0f")
        + "%)"
    )
    return pd.DataFrame(
        {
            "requirement_id": ids.to_numpy(dtype=object),
            "flag": "low acceptability",
            "criterion": "",
            "value": own[low],
            "threshold": minimum,
            "reason": reason.to_numpy(dtype=object),
            "weight": 0.0,
        }
    )
