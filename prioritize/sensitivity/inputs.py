"""The inputs of :func:`~prioritize.sensitivity.smaa.smaa`, checked: the sampling settings
and, for ``weights="members"``, the members' weight proposals."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation

__all__ = ["WEIGHT_MODES", "WeightMode", "check_inputs", "proposal_array"]

WeightMode = Literal["uniform", "council", "ordinal", "members"]
WEIGHT_MODES: tuple[str, ...] = ("uniform", "council", "ordinal", "members")


def check_inputs(samples: int, weights: str, concentration: float, seed: int) -> None:
    """Refuse invalid SMAA settings, naming each."""
    problems = []
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        problems.append(
            Problem(
                "samples must be a whole number >= 1",
                column="samples",
                value=repr(samples),
                expected="an integer >= 1",
            )
        )
    if weights not in WEIGHT_MODES:
        problems.append(
            Problem(
                "unknown weight sampling",
                column="weights",
                value=repr(weights),
                expected=" or ".join(WEIGHT_MODES),
            )
        )
    if not (
        isinstance(concentration, int | float) and np.isfinite(concentration) and concentration > 0
    ):
        problems.append(
            Problem(
                "concentration must be a positive number",
                column="concentration",
                value=repr(concentration),
                expected="a number > 0",
            )
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        problems.append(
            Problem(
                "seed must be a whole number >= 0",
                column="seed",
                value=repr(seed),
                expected="an integer >= 0",
            )
        )
    if problems:
        raise ValidationError(problems)


def proposal_array(
    evaluation: Evaluation, weights: str, proposals: pd.DataFrame | None, jitter: float | None
) -> np.ndarray | None:
    """The proposals as a (members, criteria) array in the evaluation's criteria order,
    checked; None unless ``weights="members"``."""
    if weights != "members":
        if proposals is not None or jitter is not None:
            raise ValidationError(
                Problem(
                    "proposals and jitter are for weights='members'",
                    column="weights",
                    value=repr(weights),
                    expected="weights='members' with proposals, or neither",
                )
            )
        return None
    ids = list(evaluation.criteria.ids)
    if proposals is None or len(proposals) == 0:
        raise ValidationError(
            Problem(
                "weights='members' needs the members' weight proposals",
                column="proposals",
                expected="a members x criteria DataFrame with at least one row",
            )
        )
    frame = pd.DataFrame(proposals)
    missing = [c for c in ids if c not in frame.columns]
    if missing:
        raise ValidationError(
            Problem(
                "the proposals lack criteria of the evaluation",
                column="proposals",
                value=", ".join(map(str, missing)),
                expected=f"a column for each of {', '.join(ids)}",
            )
        )
    values = frame[ids].to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any() or (values.sum(axis=1) <= 0).any():
        row = int(np.flatnonzero(bad.any(axis=1) | (values.sum(axis=1) <= 0))[0])
        raise ValidationError(
            Problem(
                "a proposal's weights must be finite, >= 0 and not all 0",
                row=str(frame.index[row]),
                column="proposals",
                value=str(values[row].tolist()),
                expected="non-negative weights with a positive sum",
            )
        )
    if jitter is not None and not (
        isinstance(jitter, int | float)
        and not isinstance(jitter, bool)
        and np.isfinite(jitter)
        and jitter > 0
    ):
        raise ValidationError(
            Problem(
                "jitter must be a positive number (a Dirichlet concentration) or None",
                column="jitter",
                value=repr(jitter),
                expected="a number > 0, or None for the proposals exactly",
            )
        )
    return values
