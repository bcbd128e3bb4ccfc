"""The About sheet: what produced the workbook (tool version, criteria file and its SHA-256,
generation time, inputs, SMAA seed and samples, the decision log's head), the model's
axes and category rules, and how to read each sheet."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np

from prioritize.export.portfolio import HASH_COLUMNS, MAXIMISED, decision_log
from prioritize.export.workbook.columns import WRAP, objects, sheet_kind
from prioritize.export.xlsx.writer import Column, Sheet, Style
from prioritize.model.evaluation import Evaluation
from prioritize.outcomes import stated_rule
from prioritize.portfolio import Portfolio, PortfolioAcceptability

__all__ = ["about_sheet"]


def about_sheet(
    evaluation: Evaluation,
    *,
    version: str,
    generated_at: datetime,
    sheets: list[str],
    decisions: Any = None,
    log_head: str | None = None,
    weight_adoptions: int = 0,
    smaa_info: Mapping[str, object] | None = None,
    history_rows: int | None = None,
    stability_attrs: Mapping[str, Any] | None = None,
    selection: Portfolio | None = None,
    core: PortfolioAcceptability | None = None,
) -> Sheet:
    """What produced the workbook, and how to read it.

    ``decisions`` is the log of requirement decisions; ``log_head`` the hash of the whole
    log's last entry when it differs from that log's (an entry adopting weights was taken
    out, :func:`~prioritize.export.workbook.weights.split_log`), and ``weight_adoptions``
    how many such entries there were."""
    criteria = evaluation.criteria
    stability_attrs = stability_attrs or {}
    items: list[tuple[str, object]] = [
        ("tool", f"prioritize {version}"),
        ("generated at (UTC)", generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("criteria set", f"{criteria.name} (version {criteria.version})"),
        ("criteria file", criteria.source or "(not read from a file)"),
        ("criteria SHA-256", criteria.sha256 or "(none: the set was not read from a file)"),
        ("aggregation", evaluation.aggregation),
        ("requirements ranked", len(evaluation.table)),
        ("requirements not ranked (incomplete scores)", len(evaluation.unscored)),
        (
            "members",
            len(evaluation.members)
            if evaluation.members is not None
            else len(evaluation.scores.members),
        ),
        ("scores", len(evaluation.scores)),
        *([("score history entries", history_rows)] if history_rows is not None else []),
        ("requirements file", evaluation.requirements.source),
        ("scores file", evaluation.scores.source),
    ]
    if evaluation.members is not None:
        items.append(("members file", evaluation.members.source))
    log = None if decisions is None else decision_log(decisions)
    if log is not None:
        items.append(("decisions", len(log)))
    if weight_adoptions:
        items.append(("weight adoptions", weight_adoptions))
    head = log_head
    if head is None and log is not None and len(log):
        column = next((c for c in HASH_COLUMNS if c in log.columns), None)
        head = None if column is None else str(log[column].iloc[-1])
    if head is not None:
        items.append(("decision log head (last entry's hash)", head))
    if log is not None:
        items.append(
            (
                "portfolio",
                "requirements whose latest decision is approve, and "
                "mandatory requirements that are not approved (flagged)",
            )
        )
    else:
        items.append(
            (
                "portfolio",
                "no decisions given: the model's recommendation (categories "
                "whose usual response is do now, approve or plan and fund, "
                "and mandatory requirements), not yet decided",
            )
        )
    items += _selection_items(selection, core)
    for key in ("scope", "k"):
        if stability_attrs.get(key) is not None:
            items.append((f"stability {key}", stability_attrs[key]))
    for key, value in (smaa_info or {}).items():
        items.append((f"SMAA {key}", value if isinstance(value, int | float | str) else str(value)))
    for axis in criteria.matrix.axes:
        measure = "utility u" if axis.measure == "utility" else "burden 1 - u"
        items.append(
            (f"axis {axis.name}", f"weighted mean of the {measure} of: {', '.join(axis.criteria)}")
        )
    for number, rule in enumerate(criteria.matrix.rules, start=1):
        items.append((f"category rule {number}", f"{rule.category}: {rule.describe()}"))
    for number, note in enumerate(evaluation.notes, start=1):
        items.append((f"note {number}", note))
    items += [
        (
            f"how to read: {name}",
            _HOW_TO_READ[sheet_kind(name)]
            + (_ADOPTIONS_ELSEWHERE if weight_adoptions and name == "Decisions" else "")
            + (_OPTIMAL if selection is not None and name == "Portfolio" else "")
            + (_CORE if core is not None and name == "Portfolio" else ""),
        )
        for name in sheets
        if sheet_kind(name) in _HOW_TO_READ
    ]
    items.append(
        (
            "how to read: text",
            "Text that starts like a formula (= + - @, a tab or a "
            "carriage return) is shown as typed, never computed.",
        )
    )
    return Sheet(
        "About",
        (
            Column("item", objects([k for k, _ in items]), Style(bold=True), width=44.0),
            Column("value", np.array([v for _, v in items], dtype=object), WRAP, width=100.0),
        ),
        autofilter=True,
    )


def _selection_items(
    selection: Portfolio | None, core: PortfolioAcceptability | None
) -> list[tuple[str, object]]:
    """The optimal portfolio's totals against the budget and capacity, what it maximised,
    and how the core index was drawn."""
    if selection is None:
        return []
    what = MAXIMISED.get(selection.value_kind, selection.value_kind)
    items: list[tuple[str, object]] = [
        ("optimal portfolio: maximised", f"{selection.value_kind}: {what}"),
        ("optimal portfolio: budget", selection.budget),
        (
            "optimal portfolio: capacity (person-days)",
            "no limit" if selection.capacity is None else selection.capacity,
        ),
    ]
    if not selection.feasible:
        return [*items, ("optimal portfolio", f"no portfolio fits: {selection.infeasible}")]
    items += [
        ("optimal portfolio: requirements funded", len(selection.selected)),
        ("optimal portfolio: total cost", selection.total_cost),
        ("optimal portfolio: budget left", selection.budget - selection.total_cost),
        ("optimal portfolio: total effort (person-days)", selection.total_effort),
    ]
    if selection.capacity is not None:
        items.append(
            (
                "optimal portfolio: capacity left (person-days)",
                selection.capacity - selection.total_effort,
            )
        )
    items.append((f"optimal portfolio: total {selection.value_kind}", selection.total_value))
    if core is not None:
        items += [
            ("core index: samples", core.samples),
            ("core index: seed", core.seed),
            ("core index: weights", core.weights),
            ("core index: members resampled", "yes" if core.resample_members else "no"),
        ]
    return items


_OPTIMAL = (
    " With the optimal portfolio (the requirements that maximise the value named above "
    "within the budget and capacity, mandatory ones in, requires and excludes respected): "
    "'optimal' says whether a requirement is in it, 'reason' why it is in or out, 'cost' and "
    "'effort' its estimates; requirements in it that are not approved are listed too."
)
_CORE = (
    " 'core index' is the share of weight samples whose optimal portfolio funds the "
    "requirement; 'class' is core (in every sample's), exterior (in none) or borderline (the "
    "rest: where the debate belongs)."
)

_HOW_TO_READ = {
    "Portfolio": "The approved portfolio in priority order. 'status' says why each requirement "
    "is listed (approved, or mandatory but not approved; without a decision log, "
    "recommended by the model and not yet decided).",
    "Ranking": "Every requirement by rank (1 = highest priority score; tied scores share a "
    "rank and are marked 'tied'). score = sum of weight x utility (0 to 1); value, "
    "effort and urgency are the matrix axes (0 to 1); net value = value - effort; "
    "'rule' is the number of the category rule that placed it (listed below); the "
    "explanation gives the numbers. Requirements without complete scores come "
    "last, unranked.",
    "Scores": "Every member's raw score on each criterion's own scale, with the reason. "
    "'advisory' marks a score that does not count: the criterion has owners and the "
    "member's department is not one of them.",
    "Scores history": "Every value each score ever had, oldest version first, with the time "
    "it was given and its reason: earlier values are kept, never overwritten. 'current' "
    "marks the value in force (the last version of that requirement, member and criterion), "
    "the one on the Scores sheet.",
    "Requirements": "The requirements as loaded. With the Scores and Members sheets and the "
    "criteria file named above (check its SHA-256) they reproduce the ranking.",
    "Members": "The council: each member's department decides whose scores count for "
    "criteria with owners.",
    "Criteria": "The criteria with raw weights and their shares (summing to 100%), the axes "
    "each feeds, owners, gates (reaching a gate makes a requirement mandatory) and "
    "the anchored scale.",
    "Weights": "The council's weights in the open: each member's proposal (normalised "
    "weights, summing to 100%; the consistency ratio for AHP), the council's aggregate by "
    "the aggregation named under 'method', the min, median and max of the proposals on "
    "each criterion, and the weights in force: 'adopted' with the decision-log entry that "
    "adopted them (who, when, the aggregation or 'other', the rationale, its hash), or "
    "'current (not adopted)'. Earlier adoptions are listed without weights: the log keeps "
    "the entry, not the weights it replaced.",
    "Sensitivity": "Weight stability: the range of each criterion's weight within which the "
    "result shown stays the same (the other weights rescaled to keep the sum 1).",
    "Acceptability": "Category acceptability from SMAA: the share of sampled weights (and "
    "resampled scores) under which a requirement falls in each category.",
    "Benefits": "Did what the council approved work? Per delivered requirement and measure "
    "it states an effect on: the mean of the readings before go-live and after it, the "
    "change (after - before, in the measure's unit) beside the change expected, and the "
    "status: " + " ".join(f"{rule}: {stated_rule(rule)}" for rule in ("Status", "Attribution")),
    "Readings": "Every reading of the scorecard's measures (date, value, source, note): the "
    "Benefits sheet's before and after are means of these.",
    "Decisions": "The decision log in its order of record. Each entry's hash covers the "
    "previous entry's hash (prev hash), so a changed or removed entry breaks the "
    "chain.",
}
_ADOPTIONS_ELSEWHERE = (
    " Entries adopting the round's weights are on the Weights sheet; the chain runs through "
    "them (seq, previous hash)."
)
