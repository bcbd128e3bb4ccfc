"""One round analysed one way: the recipe behind the debate flags, the order in which
flagged requirements are debated, and reweighting that keeps the round's aggregation.

The page, the command line (``prioritize round results``) and the workbook call these
functions, so they show the same flags in the same order for the same round.

The flag recipe: the council's :func:`~prioritize.council.agreement.disagreement` table,
the department :func:`~prioritize.sensitivity.viewpoints`, and SMAA category acceptability
with weights drawn around the council's own (:data:`FLAG_SMAA`), so a "low acceptability"
flag means "fragile under weights close to ours", not "under any weights at all".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.council.agreement import disagreement
from prioritize.council.flags import FLAG_SEVERITY, debate_flags
from prioritize.engine.evaluate import evaluate
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.smaa import Acceptability, WeightMode, smaa
from prioritize.sensitivity.viewpoints import Viewpoints, viewpoints

__all__ = [
    "FLAG_SMAA",
    "WORKBOOK_SMAA",
    "FlagInputs",
    "SmaaSettings",
    "flag_inputs",
    "flagged_requirements",
    "reweight",
    "round_flags",
    "run_smaa",
]


@dataclass(frozen=True, slots=True)
class SmaaSettings:
    """How an SMAA run behind a council result is drawn (recorded in the workbook)."""

    samples: int
    weights: WeightMode
    seed: int

    def as_dict(self) -> dict[str, object]:
        """``{"samples", "weights", "seed"}``, as the workbook's About sheet records it."""
        return {"samples": self.samples, "weights": self.weights, "seed": self.seed}


#: The SMAA behind the "low acceptability" debate flag.
FLAG_SMAA = SmaaSettings(samples=2_000, weights="council", seed=0)
#: The SMAA behind the workbook's Sensitivity and Acceptability sheets.
WORKBOOK_SMAA = SmaaSettings(samples=10_000, weights="council", seed=0)


def run_smaa(evaluation: Evaluation, settings: SmaaSettings) -> Acceptability:
    """SMAA of ``evaluation`` drawn as ``settings`` say."""
    return smaa(evaluation, samples=settings.samples, weights=settings.weights, seed=settings.seed)


@dataclass(frozen=True, slots=True)
class FlagInputs:
    """What the debate flags of a round rest on."""

    spread: pd.DataFrame
    viewpoints: Viewpoints | None
    acceptability: pd.DataFrame


def flag_inputs(evaluation: Evaluation) -> FlagInputs:
    """The disagreement table, the department viewpoints (when the evaluation knows its
    members' departments) and the category acceptability under :data:`FLAG_SMAA`."""
    views = viewpoints(evaluation) if evaluation.members is not None else None
    return FlagInputs(
        spread=disagreement(evaluation),
        viewpoints=views,
        acceptability=run_smaa(evaluation, FLAG_SMAA).category_acceptability,
    )


def _categories_by_viewpoint(views: Viewpoints | None) -> pd.DataFrame | None:
    if views is None or views.table.empty:
        return None
    table = views.table.reset_index()
    requirement, viewpoint = views.table.index.names
    return table.pivot(index=requirement, columns=viewpoint, values="category")


def round_flags(evaluation: Evaluation, inputs: FlagInputs | None = None) -> pd.DataFrame:
    """The round's debate flags, by the one recipe every face uses.

    Parameters
    ----------
    evaluation
        The round's evaluation.
    inputs
        Precomputed :func:`flag_inputs` (the page caches them); computed when omitted.

    Returns
    -------
    pandas.DataFrame
        :func:`~prioritize.council.flags.debate_flags`' table, requirements in rank order and
        each requirement's flags in :data:`~prioritize.council.flags.FLAG_SEVERITY` order.
    """
    inputs = flag_inputs(evaluation) if inputs is None else inputs
    return debate_flags(
        evaluation,
        viewpoints=_categories_by_viewpoint(inputs.viewpoints),
        acceptability=inputs.acceptability,
        spread=inputs.spread,
    )


def flagged_requirements(flags: pd.DataFrame) -> list[str]:
    """Flagged requirements in the order the council should debate them: by their most
    severe flag (:data:`~prioritize.council.flags.FLAG_SEVERITY`), then by how many flags
    they carry (more first), then by rank.

    >>> flags = pd.DataFrame({"requirement_id": ["A", "B", "B", "C"], "rank": [1, 2, 2, 3],
    ...                       "flag": ["viewpoint flip", "disagreement", "viewpoint flip",
    ...                                "polarised"]})
    >>> flagged_requirements(flags)
    ['C', 'B', 'A']
    """
    if flags.empty:
        return []
    severity = pd.Series({kind: i for i, kind in enumerate(FLAG_SEVERITY)})
    level = severity.reindex(flags["flag"]).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "requirement_id": flags["requirement_id"].to_numpy(),
            "level": np.where(np.isnan(level), len(FLAG_SEVERITY), level),
            "rank": flags["rank"].to_numpy(),
        }
    )
    summary = frame.groupby("requirement_id", sort=False).agg(
        worst=("level", "min"), count=("level", "size"), rank=("rank", "min")
    )
    ordered = summary.sort_values(
        ["worst", "count", "rank"], ascending=[True, False, True], kind="stable"
    )
    return [str(r) for r in ordered.index]


def reweight(evaluation: Evaluation, weights: Mapping[str, float]) -> Evaluation:
    """The evaluation redone under other weights, everything else as it was: the same
    requirements, scores, members, aggregation and trimmed-mean proportion."""
    return evaluate(
        evaluation.criteria.with_weights(dict(weights)),
        evaluation.requirements,
        evaluation.scores,
        members=evaluation.members,
        aggregation=evaluation.aggregation,
        trim=evaluation.trim,
    )
