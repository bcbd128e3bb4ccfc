"""``export_portfolio``: the audit-ready portfolio workbook: what the council approved, the
ranking, every score with its reason, the criteria, the sensitivity and the decision log.

Sheets, in order: **Portfolio** (the approved requirements in priority order, and, when
given, the optimal portfolio under a budget with each requirement's reason and core index),
**Ranking** (every requirement with axes, score, rank, category, explanation and, with SMAA
results, its category acceptability), **Scores** (every member's raw score and reason, long
form), **Scores history** (every value each score ever had, with its time and version and
whether it is the one in force, when given), **Requirements** and **Members** (the inputs,
so that the workbook reproduces the ranking), **Criteria** (weights, axes, owners, gates,
scale anchors), **Weights** (the members' weight proposals, the council's aggregate and
their spread, the adopted weights with the log entry that adopted them, when given),
**Sensitivity** (weight stability, when given), **Acceptability** (category
acceptability, when given), **Decisions** (the log with its hashes, when given),
**Benefits** and **Readings** (expected against actual per delivered requirement and
measure, and the scorecard's readings, when given) and **About** (tool version, criteria
file and SHA-256, generation time, SMAA seed and samples, how to read the workbook)."""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from prioritize.council.weighing import Proposals
from prioritize.errors import Problem, ValidationError
from prioritize.export.files import atomic_write
from prioritize.export.portfolio import as_frame
from prioritize.export.workbook import sheets as build
from prioritize.export.workbook.about import about_sheet
from prioritize.export.workbook.benefits import Outcomes, outcome_sheets
from prioritize.export.workbook.columns import sheet_kind
from prioritize.export.workbook.history import history_sheets
from prioritize.export.workbook.weights import split_log, weights_sheet
from prioritize.export.xlsx.writer import Sheet, write_workbook
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio, PortfolioAcceptability
from prioritize.resources import VERSION

__all__ = ["export_portfolio", "portfolio_xlsx", "utc_time"]


def utc_time(value: datetime | str | None) -> datetime:
    """A generation time in UTC, to the second: ``None`` is now; a naive time or an ISO 8601
    text without a zone is taken as UTC.

    >>> utc_time("2026-03-01T10:00:00+01:00").isoformat()
    '2026-03-01T09:00:00+00:00'
    """
    if value is None:
        when = datetime.now(UTC)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError(
                Problem(
                    "not a date and time",
                    column="generated_at",
                    value=value,
                    expected="ISO 8601, e.g. 2026-03-01T10:00:00Z",
                )
            ) from exc
    else:
        when = value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0)


def _sheets(
    evaluation: Evaluation,
    *,
    decisions: Any,
    stability: Any,
    acceptability: Any,
    smaa_info: Mapping[str, object] | None,
    generated_at: datetime,
    history: pd.DataFrame | None,
    proposals: Proposals | None,
    selection: Portfolio | None,
    core: PortfolioAcceptability | None,
    outcomes: Outcomes | None = None,
) -> list[Sheet]:
    # Entries adopting weights decide no requirement: they go to the Weights sheet.
    log = split_log(decisions)
    decisions = log.decisions
    stability_frame = None if stability is None else as_frame(stability, "stability")
    acceptability_frame, smaa_info = _smaa(acceptability, smaa_info)
    out = [
        build.portfolio_sheet(evaluation, decisions, selection=selection, core=core),
        build.ranking_sheet(evaluation, acceptability_frame),
        *build.scores_sheets(evaluation),
    ]
    history_part = [] if history is None else history_sheets(evaluation, history)
    out += [*history_part, build.requirements_sheet(evaluation)]
    members = build.members_sheet(evaluation)
    if members is not None:
        out.append(members)
    out.append(build.criteria_sheet(evaluation))
    weights = weights_sheet(evaluation, proposals, log.adoptions)
    if weights is not None:
        out.append(weights)
    if stability_frame is not None:
        out.append(build.stability_sheet(evaluation, stability_frame))
    if acceptability_frame is not None:
        out.append(build.acceptability_sheet(evaluation, acceptability_frame))
    if decisions is not None:
        out.append(build.decisions_sheet(evaluation, decisions))
    out += outcome_sheets(outcomes)
    names = list(dict.fromkeys(sheet_kind(s.name) for s in out))
    out.append(
        about_sheet(
            evaluation,
            version=VERSION,
            generated_at=generated_at,
            sheets=names,
            decisions=decisions,
            log_head=log.head,
            weight_adoptions=len(log.adoptions),
            smaa_info=smaa_info,
            history_rows=sum(s.n_rows for s in history_part) if history_part else None,
            stability_attrs=None
            if stability_frame is None
            else {str(k): v for k, v in stability_frame.attrs.items()},
            selection=selection,
            core=core,
        )
    )
    return out


def _smaa(
    acceptability: Any, smaa_info: Mapping[str, object] | None
) -> tuple[pd.DataFrame | None, dict[str, object]]:
    """The category acceptability table and what the SMAA run used: from an
    :class:`prioritize.sensitivity.Acceptability` (its seed, samples, ... first, then
    ``smaa_info``) or from a DataFrame and ``smaa_info``."""
    info: dict[str, object] = {}
    if acceptability is None:
        frame = None
    elif isinstance(getattr(acceptability, "category_acceptability", None), pd.DataFrame):
        frame = acceptability.category_acceptability
        for key in ("seed", "samples", "weights", "concentration", "resample_members"):
            value = getattr(acceptability, key, None)
            if value is not None:
                info[key] = value
    else:
        frame = as_frame(acceptability, "acceptability")
    info.update(smaa_info or {})
    return frame, info


def portfolio_xlsx(
    evaluation: Evaluation,
    *,
    decisions: Any = None,
    stability: Any = None,
    acceptability: Any = None,
    smaa_info: Mapping[str, object] | None = None,
    generated_at: datetime | str | None = None,
    history: pd.DataFrame | None = None,
    proposals: Proposals | None = None,
    selection: Portfolio | None = None,
    core: PortfolioAcceptability | None = None,
    outcomes: Outcomes | None = None,
) -> bytes:
    """The portfolio workbook as bytes (for a download button); see :func:`export_portfolio`."""
    buffer = io.BytesIO()
    _write(
        buffer,
        evaluation,
        decisions=decisions,
        stability=stability,
        acceptability=acceptability,
        smaa_info=smaa_info,
        generated_at=generated_at,
        history=history,
        proposals=proposals,
        selection=selection,
        core=core,
        outcomes=outcomes,
    )
    return buffer.getvalue()


def _write(
    stream: Any,
    evaluation: Evaluation,
    *,
    decisions: Any,
    stability: Any,
    acceptability: Any,
    smaa_info: Mapping[str, object] | None,
    generated_at: datetime | str | None,
    history: pd.DataFrame | None,
    proposals: Proposals | None,
    selection: Portfolio | None,
    core: PortfolioAcceptability | None,
    outcomes: Outcomes | None = None,
) -> None:
    when = utc_time(generated_at)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sheets = _sheets(
            evaluation,
            decisions=decisions,
            stability=stability,
            acceptability=acceptability,
            smaa_info=smaa_info,
            generated_at=when,
            history=history,
            proposals=proposals,
            selection=selection,
            core=core,
            outcomes=outcomes,
        )
        write_workbook(sheets, stream, created=when, title=f"Portfolio: {evaluation.criteria.name}")
    # Re-issued from here so that they point at the caller, whatever depth they came from.
    for item in caught:
        warnings.warn(item.message, item.category, stacklevel=3)


def export_portfolio(
    evaluation: Evaluation,
    path: str | os.PathLike[str],
    *,
    decisions: Any = None,
    stability: Any = None,
    acceptability: Any = None,
    smaa_info: Mapping[str, object] | None = None,
    generated_at: datetime | str | None = None,
    history: pd.DataFrame | None = None,
    proposals: Proposals | None = None,
    selection: Portfolio | None = None,
    core: PortfolioAcceptability | None = None,
    outcomes: Outcomes | None = None,
) -> Path:
    """Write the portfolio workbook (xlsx).

    Parameters
    ----------
    evaluation
        The result of :func:`prioritize.evaluate`.
    path
        Where to write. An existing file is replaced, atomically: the workbook is written to
        a temporary file in the same folder first, so a failure leaves nothing half-written.
    decisions
        The decision log (a DataFrame with at least ``requirement_id`` and ``outcome``; also
        ``category, rank, rationale, decided_by, dissent, time, override, basis_hash,
        prev_hash, hash``). The Portfolio then lists the requirements whose latest decision
        is ``approve`` and flags mandatory ones that are not approved; without it the
        Portfolio is the model's recommendation, marked as not yet decided. Entries that
        adopt the round's weights (outcome ``adopt weights``, no requirement id, as
        :meth:`prioritize.store.Session.decisions` returns them) are shown on the Weights
        sheet, not on the Decisions sheet; a log of nothing else counts as no decision for
        the Portfolio. Pass one round's log: its last adoption is taken as the one in force.
    stability
        Weight stability intervals from the sensitivity analysis (a DataFrame, e.g. indexed
        by criterion with ``weight, lower, upper``), shown on the Sensitivity sheet.
    acceptability
        Category acceptability from SMAA: requirements (index) x categories (columns),
        probabilities. Shown on the Acceptability sheet; the Ranking gains each
        requirement's acceptability of its own category.
    smaa_info
        What the SMAA run used (e.g. ``{"seed": 7, "samples": 10000, "weights":
        "dirichlet"}``), listed on the About sheet.
    generated_at
        The generation time written into the workbook (default: now). The same inputs and
        ``generated_at`` give the same bytes.
    history
        The round's score history (:meth:`prioritize.store.Session.score_history`: columns
        ``requirement_id, member, criterion, score, reason, time, version``, every value
        each score ever had). When given and not empty, the **Scores history** sheet (after
        Scores) lists every entry with its time and version, and ``current`` says which
        value is in force (the last version of that requirement x member x criterion).
        Without it the workbook is as before, byte for byte.
    proposals
        The members' weight proposals for the round
        (:meth:`prioritize.store.Session.weight_proposals`, over the evaluation's criteria).
        When given and not empty, the **Weights** sheet (after Criteria) lists each
        member's proposal (department, method, consistency ratio for AHP, the normalised
        weight per criterion, reason, time, version), the council's aggregate (the
        aggregation the latest adoption in ``decisions`` used, when it applies, else the
        mean), the spread (min, median, max per criterion), and the round's weights (the
        evaluation's) with the adoption entry from ``decisions`` (who, when, the aggregation
        or ``other``, rationale, hash), or marked "current (not adopted)". Without
        proposals the sheet still lists the adoptions the log holds; with neither it is
        left out and the workbook is as before, byte for byte.
    selection
        The optimal portfolio of this evaluation under a budget
        (:func:`prioritize.portfolio.portfolio`, e.g. with ``include, exclude =
        decided(log)``). The Portfolio sheet then also lists the requirements in it that
        are not approved (or, without a log, not recommended), and gains after ``status``:
        ``optimal`` (in the optimal portfolio), ``cost``, ``effort`` and ``reason`` (why in
        or out); the About sheet gives its totals against the budget and the capacity and
        what was maximised. Without it the workbook is as before, byte for byte.
    core
        The core index of the same problem
        (:func:`prioritize.portfolio.portfolio_acceptability` with the selection's budget,
        capacity, value, include and exclude): the Portfolio sheet gains ``core index`` and
        ``class`` (core, borderline, exterior), the About sheet its samples, seed and
        weights. Only with ``selection``.
    outcomes
        The council's scorecard, readings and benefit realisation
        (:class:`~prioritize.export.workbook.benefits.Outcomes`): the **Benefits** sheet
        (expected against actual per delivered requirement and measure, with the status)
        and the **Readings** sheet, each when it has rows. Without it the workbook is as
        before, byte for byte.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValidationError
        A decision log without ``requirement_id`` or ``outcome`` or with an unknown outcome,
        a score history without one of its columns, with a blank key, a score that is not a
        number or a version that is not a whole number, a malformed ``generated_at``,
        proposals over other criteria than the evaluation's, a selection or core index
        of other requirements than the evaluation's ranked ones, a core index without a
        selection.

    Warns
    -----
    ExportTextWarning
        Text a workbook cannot hold was replaced (U+FFFD) or cut (32,767 characters).
    ExportWarning
        Decisions, or score history, about requirements the evaluation does not know; a
        core index computed for another problem than the selection.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl, prioritize as pz
    >>> from prioritize.export import export_portfolio
    >>> ev = pz.evaluate_example()
    >>> out = export_portfolio(ev, pathlib.Path(tempfile.mkdtemp()) / "portfolio.xlsx",
    ...                        generated_at="2026-01-01T00:00:00Z")
    >>> book = openpyxl.load_workbook(out, read_only=True)
    >>> book.sheetnames[:3]
    ['Portfolio', 'Ranking', 'Scores']
    """
    target = Path(path)
    with atomic_write(target) as stream:
        _write(
            stream,
            evaluation,
            decisions=decisions,
            stability=stability,
            acceptability=acceptability,
            smaa_info=smaa_info,
            generated_at=generated_at,
            history=history,
            proposals=proposals,
            selection=selection,
            core=core,
            outcomes=outcomes,
        )
    return target
