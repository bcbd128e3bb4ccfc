"""The approved portfolio: which requirements leave the council as approved, and the
decision log as the workbook shows it.

With a decision log, the portfolio is every requirement whose **latest** decision (the last
entry for it in log order: the log is append-only and hash-chained, so its order is the
order of record) is ``approve``, plus every **mandatory** requirement (one that passes a
criterion's gate) that is not approved, flagged as such, because a board must see a legal
necessity the council did not fund. Without a log, nothing has been decided yet: the
portfolio is the model's recommendation, the categories whose usual response is "do now",
"approve" or "plan and fund", plus every mandatory requirement, each marked "not yet
decided". Rows are in priority order (rank, then table order); approved requirements that
could not be ranked (incomplete scores) come last.

With the **optimal portfolio** (:func:`prioritize.portfolio.portfolio`: the set that
maximises the council's value within a budget and capacity), the table also lists the
requirements in it that the council did not approve (or the model did not recommend), so
that the board sees both sets side by side, and gains per requirement whether it is in the
optimal portfolio, its cost, effort and the reason it is in or out; with the core index
(:func:`prioritize.portfolio.portfolio_acceptability`), its core index and class (core,
borderline, exterior).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np
import pandas as pd

from prioritize.council.decisions import ADOPT_WEIGHTS, OUTCOMES, latest_decisions
from prioritize.errors import ExportWarning, Problem, ValidationError
from prioritize.export.selection import CORE_COLUMNS, MAXIMISED, SELECTION_COLUMNS, selection_frame
from prioritize.model.categories import CATEGORIES, USUAL_RESPONSE
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio, PortfolioAcceptability

__all__ = [
    "CORE_COLUMNS",
    "DECISION_COLUMNS",
    "MAXIMISED",
    "PORTFOLIO_COLUMNS",
    "RECOMMENDED_CATEGORIES",
    "SELECTION_COLUMNS",
    "decision_log",
    "portfolio_table",
]

#: Categories the model recommends funding when no decision has been taken.
RECOMMENDED_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if USUAL_RESPONSE[c] in ("do now", "approve", "plan and fund")
)

#: The decision log's columns, in the order the Decisions sheet shows them (others follow).
#: Both the names of :class:`prioritize.decisions.DecisionEntry` (``decided_at,
#: basis_sha256, previous_hash, entry_hash``) and the short ones (``time, basis_hash,
#: prev_hash, hash``) are understood.
DECISION_COLUMNS: tuple[str, ...] = (
    "seq",
    "round_id",
    "decided_at",
    "time",
    "requirement_id",
    "title",
    "outcome",
    "override",
    "category",
    "rank",
    "rationale",
    "decided_by",
    "dissent",
    "basis_sha256",
    "basis_hash",
    "previous_hash",
    "prev_hash",
    "entry_hash",
    "hash",
)
#: Where the time of a decision and the hash of an entry may be found, first match first.
TIME_COLUMNS = ("decided_at", "time")
HASH_COLUMNS = ("entry_hash", "hash")

#: Columns of :func:`portfolio_table` (indexed by requirement id).
PORTFOLIO_COLUMNS: tuple[str, ...] = (
    "rank",
    "title",
    "status",
    "category",
    "usual_response",
    "score",
    "mandatory",
    "owner",
    "rationale",
    "decided_by",
    "decided_at",
)

_LOG = "<decisions>"


def as_frame(data: Any, what: str) -> pd.DataFrame:
    """A DataFrame from a DataFrame, an object with a ``table`` DataFrame, or a sequence of
    mappings or dataclass instances."""
    if isinstance(data, pd.DataFrame):
        return data
    table = getattr(data, "table", None)
    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(data, Sequence) and not isinstance(data, str):
        rows = [asdict(r) if is_dataclass(r) and not isinstance(r, type) else r for r in data]
        if all(isinstance(r, Mapping) for r in rows):
            return pd.DataFrame([dict(r) for r in rows])
    raise ValidationError(
        Problem(
            f"cannot read the {what}",
            file=f"<{what}>",
            value=type(data).__name__,
            expected="a DataFrame, an object with a .table DataFrame, or a list of mappings",
        )
    )


def decision_log(decisions: Any) -> pd.DataFrame:
    """The decision log, validated, with its columns in :data:`DECISION_COLUMNS` order.

    Column names are matched case-insensitively (spaces and hyphens read as underscores);
    ``outcome`` is read case-insensitively. Rows keep their order (the log's). Entries
    adopting weights (:data:`~prioritize.council.decisions.ADOPT_WEIGHTS`) decide no
    requirement and are left out.

    Raises
    ------
    ValidationError
        No ``requirement_id`` or ``outcome`` column, a blank requirement id, or an outcome
        other than approve, postpone, reject or remove.
    """
    frame = as_frame(decisions, "decisions").copy()
    if (
        frame.index.name is not None
        and frame.index.name not in frame.columns
        and not (isinstance(frame.index, pd.RangeIndex))
    ):
        frame = frame.reset_index()
    frame.columns = pd.Index(
        [str(c).strip().lower().replace(" ", "_").replace("-", "_") for c in frame.columns]
    )
    missing = [c for c in ("requirement_id", "outcome") if c not in frame.columns]
    if missing:
        raise ValidationError(
            Problem(
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                file=_LOG,
                value=", ".join(map(str, frame.columns)),
                expected="columns requirement_id and outcome",
            )
        )
    frame = frame.reset_index(drop=True)
    ids = frame["requirement_id"].astype(object).where(frame["requirement_id"].notna(), "")
    frame["requirement_id"] = ids.map(str).str.strip().astype(object)
    outcome = frame["outcome"].astype(object).where(frame["outcome"].notna(), "")
    frame["outcome"] = outcome.map(str).str.strip().str.lower().astype(object)
    frame = frame[frame["outcome"] != ADOPT_WEIGHTS].reset_index(drop=True)
    problems = [
        Problem(
            "missing requirement id",
            file=_LOG,
            row=int(i) + 1,
            column="requirement_id",
            value="",
            expected="a requirement id",
        )
        for i in np.flatnonzero(frame["requirement_id"].to_numpy() == "")[:50]
    ]
    bad = np.flatnonzero(~frame["outcome"].isin(OUTCOMES).to_numpy())
    problems += [
        Problem(
            "unknown outcome",
            file=_LOG,
            row=int(i) + 1,
            column="outcome",
            value=str(frame["outcome"].iloc[i]),
            expected=f"one of {', '.join(OUTCOMES)}",
        )
        for i in bad[:50]
    ]
    if problems:
        raise ValidationError(problems)
    known = [c for c in DECISION_COLUMNS if c in frame.columns]
    return frame[known + [c for c in frame.columns if c not in known]]


def _owner(evaluation: Evaluation, ids: pd.Index) -> np.ndarray:
    frame = evaluation.requirements.frame
    column = "owner" if "owner" in frame.columns else "requested_by"
    if column not in frame.columns:
        return np.full(len(ids), None, dtype=object)
    values = frame[column].reindex(ids)
    return values.astype(object).where(values.notna() & (values != ""), None).to_numpy()


def portfolio_table(
    evaluation: Evaluation,
    decisions: Any = None,
    *,
    selection: Portfolio | None = None,
    core: PortfolioAcceptability | None = None,
) -> pd.DataFrame:
    """The approved portfolio (see the module docstring for the rule), in priority order.

    Parameters
    ----------
    evaluation
        The evaluation the council decided on.
    decisions
        The decision log (:func:`decision_log` reads it), or ``None``: then the model's
        recommendation, marked as not yet decided.
    selection
        The optimal portfolio of this evaluation (:func:`prioritize.portfolio.portfolio`).
        Its requirements are listed too, and :data:`SELECTION_COLUMNS` are added.
    core
        The core index of the same problem
        (:func:`prioritize.portfolio.portfolio_acceptability`): adds
        :data:`CORE_COLUMNS`. Only with ``selection``.

    Returns
    -------
    pandas.DataFrame
        Indexed by requirement id, columns :data:`PORTFOLIO_COLUMNS` (with ``selection``,
        :data:`SELECTION_COLUMNS` after ``status``, then :data:`CORE_COLUMNS`). ``rank``
        and ``score`` are NaN for a requirement that could not be ranked; the selection's
        columns are empty for it.

    Raises
    ------
    ValidationError
        A selection or core index of other requirements than the evaluation's ranked ones,
        or a core index without its selection.

    Warns
    -----
    ExportWarning
        Decisions about requirements the evaluation does not know (left out); a core index
        whose portfolio under the council's own weights is not the selection (it was
        computed for another budget, capacity or value).
    """
    optimal = selection_frame(evaluation, selection, core)
    table = evaluation.table
    known = evaluation.requirements.ids
    if decisions is None:
        latest = pd.DataFrame(
            columns=["outcome", "rationale", "decided_by", "decided_at", "override"],
            index=pd.Index([], name="id"),
        )
    else:
        log = decision_log(decisions)
        unknown = pd.unique(log.loc[~log["requirement_id"].isin(known), "requirement_id"])
        if len(unknown):
            warnings.warn(
                f"{len(unknown)} decision(s) about requirements this evaluation "
                f"does not know are left out of the portfolio: "
                f"{', '.join(map(str, unknown[:10]))}",
                ExportWarning,
                stacklevel=3,
            )
        latest = latest_decisions(log)
    outcome = (
        latest["outcome"].reindex(table.index)
        if len(latest)
        else pd.Series(None, index=table.index, dtype=object)
    )
    category = table["category"].astype(object).to_numpy()
    mandatory = table["mandatory"].to_numpy(dtype=bool)
    if decisions is None:
        chosen = np.isin(category, RECOMMENDED_CATEGORIES) | mandatory
        usual = np.array([USUAL_RESPONSE[c] for c in CATEGORIES], dtype=object)
        codes = table["category"].cat.codes.to_numpy()
        status = np.where(
            mandatory,
            "mandatory, not yet decided",
            np.char.add(
                np.char.add("recommended (", usual[codes].astype(str)), "), not yet decided"
            ),
        )
    else:
        approved = (outcome == "approve").to_numpy()
        chosen = approved | mandatory
        override = _flag(latest.get("override"), table.index)
        latest_text = outcome.fillna("").astype(str).to_numpy()
        status = np.where(
            approved,
            np.where(override, "approved (override)", "approved"),
            np.where(
                latest_text == "",
                "mandatory, no decision yet",
                "mandatory, not approved (latest decision: " + latest_text.astype(object) + ")",
            ),
        )
    if optimal is not None:
        # in the optimal portfolio, not approved (or not recommended): listed, and said so
        extra = optimal["optimal"].to_numpy(dtype=bool) & ~chosen
        if decisions is None:
            status = np.where(extra, "optimal, not recommended, not yet decided", status)
        else:
            latest_text = outcome.fillna("").astype(str).to_numpy()
            status = np.where(
                extra,
                np.where(
                    latest_text == "",
                    "optimal, no decision yet",
                    "optimal, not approved (latest decision: " + latest_text.astype(object) + ")",
                ),
                status,
            )
        chosen = chosen | extra
    ranked = table.loc[chosen]
    out = pd.DataFrame(
        {
            "rank": ranked["rank"].to_numpy(dtype=float),
            "title": ranked["title"].astype(object).to_numpy(),
            "status": np.asarray(status, dtype=object)[chosen],
            "category": ranked["category"].astype(object).to_numpy(),
            "usual_response": ranked["category"].astype(object).map(USUAL_RESPONSE).to_numpy(),
            "score": ranked["score"].to_numpy(dtype=float),
            "mandatory": ranked["mandatory"].to_numpy(dtype=bool),
        },
        index=pd.Index(ranked.index, name="id"),
    )
    if decisions is not None:
        # Approved requirements that could not be ranked (incomplete scores) come last.
        unranked = latest.index[
            (latest["outcome"] == "approve").to_numpy()
            & latest.index.isin(known)
            & ~latest.index.isin(table.index)
        ]
        if len(unranked):
            titles = evaluation.requirements.frame["title"].reindex(unranked)
            extra = pd.DataFrame(
                {
                    "rank": np.nan,
                    "title": titles.astype(object).to_numpy(),
                    "status": "approved (not ranked: incomplete scores)",
                    "category": None,
                    "usual_response": None,
                    "score": np.nan,
                    "mandatory": False,
                },
                index=pd.Index(unranked, name="id"),
            )
            out = pd.concat([out, extra])
    out["owner"] = _owner(evaluation, out.index)
    time_column = next((c for c in TIME_COLUMNS if c in latest.columns), "time")
    for column, source in (
        ("rationale", "rationale"),
        ("decided_by", "decided_by"),
        ("decided_at", time_column),
    ):
        if source in latest.columns:
            values = latest[source].reindex(out.index)
            out[column] = values.astype(object).where(values.notna(), None).to_numpy()
        else:
            out[column] = None
    if optimal is None:
        return out[list(PORTFOLIO_COLUMNS)]
    added = optimal.reindex(out.index)
    for column in optimal.columns:
        out[column] = added[column].to_numpy()
    columns = list(PORTFOLIO_COLUMNS)
    after = columns.index("status") + 1
    return out[columns[:after] + list(optimal.columns) + columns[after:]]


def _flag(values: pd.Series | None, index: pd.Index) -> np.ndarray:
    """A yes/no column of the log (``override``) as booleans for ``index``."""
    if values is None:
        return np.zeros(len(index), dtype=bool)
    text = values.reindex(index).astype(object).where(values.reindex(index).notna(), "")
    return text.map(str).str.strip().str.lower().isin(["true", "1", "yes", "y"]).to_numpy()
