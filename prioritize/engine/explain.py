"""Why a requirement sits where it does: its criterion contributions, the rule that placed it,
the nearest category boundary; and why one requirement ranks above another."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from prioritize.engine.matrix import Boundary, nearest_boundary
from prioritize.errors import ValidationError
from prioritize.model.evaluation import Evaluation

__all__ = ["Comparison", "Explanation", "compare", "explain"]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one requirement has its score and category.

    Attributes
    ----------
    contributions
        Indexed by criterion: ``name, weight, aggregated`` (the council's score on the
        criterion's scale), ``utility, contribution`` (weight x utility; they sum to the
        score), ordered by contribution, largest first.
    boundary
        The nearest category boundary (None when no change of the axes can move it).
    """

    requirement_id: str
    title: str
    score: float
    rank: int
    category: str
    mandatory: bool
    rule: int
    placement: str
    contributions: pd.DataFrame
    boundary: Boundary | None

    def __str__(self) -> str:
        lines = [
            f"{self.requirement_id} {self.title}: score {self.score:.3f}, rank {self.rank}",
            f"  {self.placement}",
        ]
        if self.boundary is not None:
            lines.append(f"  nearest boundary: {self.boundary.description}")
        lines.append("  contributions (weight x utility):")
        for cid, row in self.contributions.iterrows():
            lines.append(
                f"    {cid:<26} {row['weight']:.3f} x {row['utility']:.3f} = "
                f"{row['contribution']:.3f}"
            )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Why ``a`` ranks above (or below) ``b``.

    ``table`` is indexed by criterion: ``contribution_a, contribution_b, difference`` (a - b),
    ordered by the size of the difference, largest first; the differences sum to
    ``score_a - score_b``.
    """

    a: str
    b: str
    score_a: float
    score_b: float
    table: pd.DataFrame

    @property
    def difference(self) -> float:
        """``score_a - score_b``."""
        return self.score_a - self.score_b

    def __str__(self) -> str:
        verb = "above" if self.difference > 0 else "below" if self.difference < 0 else "level with"
        lines = [
            f"{self.a} ranks {verb} {self.b}: {self.score_a:.3f} vs {self.score_b:.3f} "
            f"(difference {self.difference:+.3f})"
        ]
        for cid, row in self.table.iterrows():
            lines.append(f"  {cid:<26} {row['difference']:+.3f}")
        return "\n".join(lines)


def _row(evaluation: Evaluation, requirement_id: str) -> pd.Series:
    if requirement_id not in evaluation.table.index:
        if requirement_id in evaluation.unscored.index:
            missing = str(evaluation.unscored.loc[requirement_id, "missing"])
            raise ValidationError(
                f"requirement {requirement_id!r} is not ranked: it lacks scores on {missing}"
            )
        raise ValidationError(f"unknown requirement {requirement_id!r}")
    row = evaluation.table.loc[requirement_id]
    assert isinstance(row, pd.Series)
    return row


def _contributions(evaluation: Evaluation, requirement_id: str) -> pd.Series:
    utility = evaluation.utilities.loc[requirement_id]
    assert isinstance(utility, pd.Series)
    return utility * evaluation.weights


def explain(evaluation: Evaluation, requirement_id: str) -> Explanation:
    """Each criterion's contribution ``w_j * u_ij``, the rule matched, and the distance to the
    nearest category boundary.

    Examples
    --------
    >>> import prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> e = pz.explain(ev, ev.table.index[0])
    >>> bool(abs(e.contributions["contribution"].sum() - e.score) < 1e-12)
    True
    """
    row = _row(evaluation, requirement_id)
    criteria = evaluation.criteria
    contribution = _contributions(evaluation, requirement_id)
    frame = pd.DataFrame(
        {
            "name": [c.name for c in criteria],
            "weight": evaluation.weights.to_numpy(),
            "aggregated": evaluation.aggregated.loc[requirement_id].to_numpy(),
            "utility": evaluation.utilities.loc[requirement_id].to_numpy(),
            "contribution": contribution.to_numpy(),
        },
        index=pd.Index(criteria.ids, name="criterion"),
    )
    frame = frame.sort_values("contribution", ascending=False, kind="stable")
    values = {m: float(row[m]) for m in ("value", "effort", "urgency", "net_value", "score")}
    rule = int(row["rule"])
    boundary = nearest_boundary(values, rule - 1, bool(row["mandatory"]), criteria.matrix.rules)
    return Explanation(
        requirement_id=requirement_id,
        title=str(row["title"]),
        score=float(row["score"]),
        rank=int(row["rank"]),
        category=str(row["category"]),
        mandatory=bool(row["mandatory"]),
        rule=rule,
        placement=str(row["explanation"]),
        contributions=frame,
        boundary=boundary,
    )


def compare(evaluation: Evaluation, a: str, b: str) -> Comparison:
    """Why ``a`` ranks above ``b``: per-criterion contribution differences, largest first.

    Examples
    --------
    >>> import prioritize as pz
    >>> ev = pz.evaluate_example()
    >>> first, second = ev.table.index[:2]
    >>> c = pz.compare(ev, first, second)
    >>> bool(abs(c.table["difference"].sum() - c.difference) < 1e-12)
    True
    """
    row_a, row_b = _row(evaluation, a), _row(evaluation, b)
    ca, cb = _contributions(evaluation, a), _contributions(evaluation, b)
    table = pd.DataFrame({"contribution_a": ca, "contribution_b": cb, "difference": ca - cb})
    table.index.name = "criterion"
    table = table.iloc[(-table["difference"].abs()).argsort(kind="stable")]
    return Comparison(
        a=a, b=b, score_a=float(row_a["score"]), score_b=float(row_b["score"]), table=table
    )
