"""The portfolio workbook's sheets, built from an evaluation (and, when given, the decision
log and the sensitivity results) as column arrays for :mod:`prioritize.export.xlsx`.

What the sheets share (column styles, values as cells, the orders of requirements and
members, splitting a long sheet) is in :mod:`~prioritize.export.workbook.columns`.

Headers are lower-case words (``requirement id``, ``net value``): readable, and read back by
:mod:`prioritize.io` as the column names they came from (spaces read as underscores), so that
the Requirements, Members and Scores sheets load with ``load_requirements(path,
sheet="Requirements")`` and the like.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from prioritize.engine.scoring import owner_mask
from prioritize.export.portfolio import decision_log, portfolio_table
from prioritize.export.workbook.columns import (
    PERCENT,
    SCORE,
    WHOLE,
    WIDE,
    WRAP,
    category_column,
    category_style,
    cell_values,
    member_columns,
    member_order,
    objects,
    requirement_order,
    split_sheets,
    title_lookup,
)
from prioritize.export.workbook.optimal import optimal_columns
from prioritize.export.xlsx.writer import Column, Sheet, Style
from prioritize.model.categories import CATEGORIES, USUAL_RESPONSE
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio, PortfolioAcceptability

__all__ = [
    "acceptability_sheet",
    "criteria_sheet",
    "decisions_sheet",
    "members_sheet",
    "portfolio_sheet",
    "ranking_sheet",
    "requirements_sheet",
    "scores_sheets",
    "stability_sheet",
]

#: Columns of counts and positions, shown without decimals.
_WHOLE_NUMBERS = frozenset({"rank", "seq", "round id", "k", "samples"})
#: Columns of user prose, shown wrapped in a wide column.
_PROSE = frozenset(
    {
        "description",
        "evidence",
        "rationale",
        "dissent",
        "explanation",
        "reason",
        "scenario",
        "anchors",
        "notes",
    }
)


def _header(name: object) -> str:
    if isinstance(name, tuple):
        return " ".join(str(part) for part in name).replace("_", " ")
    return str(name).replace("_", " ")


def _frame_columns(frame: pd.DataFrame, percent: bool = False) -> list[Column]:
    """Columns of a generic table (stability, a decision log): floats as 0.000 (0.0% when
    ``percent`` or the name says probability or acceptability), prose wrapped, categories
    coloured."""
    columns = []
    for position, name in enumerate(frame.columns):
        values = cell_values(frame.iloc[:, position])
        header = _header(name)
        key = header.lower()
        if key == "category":
            columns.append(category_column(header, values))
        elif key in _WHOLE_NUMBERS and values.dtype.kind in "fiu":
            columns.append(Column(header, values, WHOLE))
        elif values.dtype == np.float64:
            share = percent or any(w in key for w in ("acceptab", "probab", "share"))
            columns.append(Column(header, values, PERCENT if share else SCORE))
        elif key in _PROSE:
            columns.append(Column(header, values, WRAP, width=WIDE))
        else:
            columns.append(Column(header, values))
    return columns


def _index_column(frame: pd.DataFrame, evaluation: Evaluation) -> list[Column]:
    """The index of a generic table as leading columns, named after what they hold; a level
    of requirement ids is followed by the titles."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return []
    levels = frame.index.to_frame(index=False)
    columns = []
    for position, name in enumerate(levels.columns):
        labels = pd.Index(levels.iloc[:, position].astype(object).to_numpy())
        as_text = labels.astype(str)
        requirements = bool(as_text.isin(evaluation.requirements.ids).all())
        if not isinstance(name, str) or name == str(position):
            if as_text.isin(evaluation.criteria.ids).all():
                name = "criterion"
            else:
                name = "requirement id" if requirements else "key"
        columns.append(Column(_header(name), objects(labels)))
        if requirements:
            columns.append(Column("title", title_lookup(evaluation, as_text)))
    return columns


def portfolio_sheet(
    evaluation: Evaluation,
    decisions: Any = None,
    *,
    selection: Portfolio | None = None,
    core: PortfolioAcceptability | None = None,
) -> Sheet:
    """The Portfolio sheet (see :func:`prioritize.export.portfolio.portfolio_table`); with
    an optimal portfolio, whether each requirement is in it, its cost, effort and reason
    (and its core index and class) after the status."""
    table = portfolio_table(evaluation, decisions, selection=selection, core=core)
    optimal = optimal_columns(table) if selection is not None else []
    return Sheet(
        "Portfolio",
        (
            Column("rank", table["rank"].to_numpy(), WHOLE),
            Column("id", objects(table.index)),
            Column("title", objects(table["title"])),
            Column("status", objects(table["status"])),
            *optimal,
            category_column("category", table["category"]),
            Column("usual response", objects(table["usual_response"])),
            Column("score", table["score"].to_numpy(), SCORE),
            Column("mandatory", table["mandatory"].to_numpy(dtype=bool)),
            Column("owner", objects(table["owner"])),
            Column("rationale", objects(table["rationale"]), WRAP, width=WIDE),
            Column("decided by", objects(table["decided_by"])),
            Column("decided at", objects(table["decided_at"])),
        ),
        freeze="C2",
    )


def _own_category_acceptability(evaluation: Evaluation, acceptability: pd.DataFrame) -> np.ndarray:
    """P(the category the model placed it in), per table row (NaN where not given)."""
    table = evaluation.table
    frame = acceptability.reindex(index=table.index, columns=list(CATEGORIES))
    codes = table["category"].cat.codes.to_numpy()
    return frame.to_numpy(dtype=float)[np.arange(len(table)), codes]


def ranking_sheet(evaluation: Evaluation, acceptability: pd.DataFrame | None = None) -> Sheet:
    """Every requirement in rank order; those left unranked (incomplete scores) last."""
    table, unscored = evaluation.table, evaluation.unscored
    ids = table.index.append(unscored.index)
    gap = np.full(len(unscored), np.nan)
    none = np.full(len(unscored), None, dtype=object)

    def numbers(column: str) -> np.ndarray:
        return np.concatenate([table[column].to_numpy(dtype=float), gap])

    def flags(column: str) -> np.ndarray:
        return np.concatenate([table[column].to_numpy(dtype=bool).astype(object), none])

    frame = evaluation.requirements.frame
    requested = (
        frame["requested_by"].reindex(ids)
        if "requested_by" in frame.columns
        else pd.Series(None, index=ids, dtype=object)
    )
    category = np.concatenate([table["category"].astype(object).to_numpy(), none])
    missing = unscored["missing"].astype(object).to_numpy()
    explanation = np.concatenate(
        [
            table["explanation"].astype(object).to_numpy(),
            np.array(["Not ranked: no usable score on " + str(m) for m in missing], dtype=object),
        ]
    )
    columns = [
        Column("rank", numbers("rank"), WHOLE),
        Column("tied", flags("tied")),
        Column("id", objects(ids)),
        Column("title", title_lookup(evaluation, ids)),
        Column("requested by", objects(requested)),
        category_column("category", category),
        Column("usual response", objects(pd.Series(category).map(USUAL_RESPONSE))),
        Column("score", numbers("score"), SCORE),
        Column("value", numbers("value"), SCORE),
        Column("effort", numbers("effort"), SCORE),
        Column("urgency", numbers("urgency"), SCORE),
        Column("net value", numbers("net_value"), SCORE),
        Column("mandatory", flags("mandatory")),
        Column("rule", numbers("rule"), WHOLE),
    ]
    if acceptability is not None:
        stability = np.concatenate([_own_category_acceptability(evaluation, acceptability), gap])
        columns.append(Column("category acceptability", stability, PERCENT))
    columns.append(Column("explanation", explanation, WRAP, width=90.0))
    return Sheet("Ranking", tuple(columns), freeze="D2")


def scores_sheets(evaluation: Evaluation) -> list[Sheet]:
    """Every member's raw score and reason in long form: requirements in rank order (the
    unranked last), then criteria in the set's order, then members in the council's order.
    More rows than a sheet holds continue on "Scores 2", "Scores 3", ..."""
    frame = evaluation.scores.frame
    criteria, members = evaluation.criteria, evaluation.members
    requirement = requirement_order(evaluation).get_indexer(pd.Index(frame["requirement_id"]))
    criterion = pd.Index(criteria.ids).get_indexer(pd.Index(frame["criterion"]))
    member_ids = member_order(evaluation, frame["member"])
    member = member_ids.get_indexer(pd.Index(frame["member"]))
    # unknown keys (-1) sort last
    big = np.iinfo(np.int64).max
    order = np.lexsort(tuple(np.where(k < 0, big, k) for k in (member, criterion, requirement)))
    member, criterion = member[order], criterion[order]
    rows = frame.iloc[order]
    columns = [
        Column("requirement id", objects(rows["requirement_id"])),
        Column("title", title_lookup(evaluation, rows["requirement_id"])),
        Column("member", objects(rows["member"])),
        *member_columns(evaluation, member),
    ]
    counts = np.ones(len(rows), dtype=bool)
    if members is not None:
        counting = owner_mask(criteria, members.departments)
        known = (criterion >= 0) & (member >= 0)
        counts[known] = counting[criterion[known], member[known]]
    columns += [
        Column("criterion", objects(rows["criterion"])),
        Column("score", rows["score"].to_numpy(dtype=float)),
        Column("counted", np.where(counts, "yes", "advisory").astype(object)),
        Column(
            "reason",
            objects(rows["reason"])
            if "reason" in rows.columns
            else np.full(len(rows), None, dtype=object),
            WRAP,
            width=WIDE,
        ),
    ]
    if "time" in rows.columns:
        columns.append(Column("time", cell_values(rows["time"])))
    return split_sheets("Scores", columns)


def requirements_sheet(evaluation: Evaluation) -> Sheet:
    """The requirements as loaded (file order, every column), for reproducing the
    evaluation."""
    frame = evaluation.requirements.frame
    columns = [Column("id", objects(frame.index))]
    for position, name in enumerate(frame.columns):
        header = _header(name)
        values = cell_values(frame.iloc[:, position])
        prose = str(name) in _PROSE
        columns.append(
            Column(header, values, WRAP if prose else Style(), width=WIDE if prose else None)
        )
    return Sheet("Requirements", tuple(columns), freeze="B2")


def members_sheet(evaluation: Evaluation) -> Sheet | None:
    """The council as loaded, or ``None`` when the evaluation had no members."""
    if evaluation.members is None:
        return None
    frame = evaluation.members.frame
    return Sheet(
        "Members",
        (
            Column("id", objects(frame.index)),
            *(
                Column(_header(n), cell_values(frame.iloc[:, p]))
                for p, n in enumerate(frame.columns)
            ),
        ),
    )


def criteria_sheet(evaluation: Evaluation) -> Sheet:
    """The criteria: raw and normalised weights, axes, owners, gates and scale anchors."""
    criteria = evaluation.criteria
    axes: dict[str, list[str]] = {c: [] for c in criteria.ids}
    for axis in criteria.matrix.axes:
        for cid in axis.criteria:
            if cid in axes:
                axes[cid].append(axis.name + (" (burden)" if axis.measure == "burden" else ""))
    items = list(criteria)
    weights = evaluation.weights.reindex(list(criteria.ids)).to_numpy(dtype=float)
    return Sheet(
        "Criteria",
        (
            Column("id", objects([c.id for c in items])),
            Column("name", objects([c.name for c in items])),
            Column("group", objects([c.group for c in items])),
            Column("direction", objects([c.direction for c in items])),
            Column("weight", np.array([c.weight for c in items], dtype=float)),
            Column("weight share", weights, PERCENT),
            Column("axes", objects(["; ".join(axes[c.id]) for c in items])),
            Column("owners", objects(["; ".join(c.owners) for c in items])),
            Column(
                "gate",
                objects(
                    [
                        f">= {c.gate.at_least:g}" + (f": {c.gate.reason}" if c.gate.reason else "")
                        if c.gate
                        else ""
                        for c in items
                    ]
                ),
                WRAP,
                width=40.0,
            ),
            Column("scale min", np.array([c.scale.min for c in items], dtype=float)),
            Column("scale max", np.array([c.scale.max for c in items], dtype=float)),
            Column(
                "anchors",
                objects(
                    [
                        "\n".join(f"{k}: {v}" for k, v in sorted(c.scale.levels.items()))
                        for c in items
                    ]
                ),
                WRAP,
                width=WIDE,
            ),
            Column("description", objects([c.description for c in items]), WRAP, width=WIDE),
        ),
        freeze="B2",
    )


def stability_sheet(evaluation: Evaluation, stability: pd.DataFrame) -> Sheet:
    """The weight stability intervals, as the sensitivity analysis gave them."""
    columns = _index_column(stability, evaluation) + _frame_columns(stability)
    return Sheet("Sensitivity", tuple(columns), freeze="B2")


def acceptability_sheet(evaluation: Evaluation, acceptability: pd.DataFrame) -> Sheet:
    """Category acceptability (requirements x the six categories), in rank order."""
    table = evaluation.table
    extra = acceptability.index.astype(str).difference(table.index, sort=False)
    ids = table.index.append(extra)
    frame = acceptability.copy()
    frame.index = frame.index.astype(str)
    known = [c for c in CATEGORIES if c in frame.columns]
    other = [c for c in frame.columns if c not in CATEGORIES]
    frame = frame.reindex(index=ids, columns=known + other)
    placed = np.concatenate(
        [table["category"].astype(object).to_numpy(), np.full(len(extra), None, dtype=object)]
    )
    columns = [
        Column(
            "rank",
            np.concatenate([table["rank"].to_numpy(dtype=float), np.full(len(extra), np.nan)]),
            WHOLE,
        ),
        Column("id", objects(ids)),
        Column("title", title_lookup(evaluation, ids)),
        category_column("category", placed),
    ]
    for name in known:
        columns.append(
            Column(
                name,
                frame[name].to_numpy(dtype=float),
                PERCENT,
                header_style=category_style(name, bold=True),
                width=14.0,
            )
        )
    columns += _frame_columns(frame[other], percent=True)
    return Sheet("Acceptability", tuple(columns), freeze="D2")


def decisions_sheet(evaluation: Evaluation, decisions: Any) -> Sheet:
    """The decision log in its order of record, with its hashes."""
    log = decision_log(decisions)
    if "title" not in log.columns:
        log.insert(
            list(log.columns).index("requirement_id") + 1,
            "title",
            title_lookup(evaluation, log["requirement_id"]),
        )
    columns = _frame_columns(log)
    return Sheet("Decisions", tuple(columns), freeze="A2")
