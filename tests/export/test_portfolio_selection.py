"""The workbook's Portfolio sheet with the optimal portfolio and its core index (issue 13):
the bundled example with its estimates, read back with openpyxl and checked against
:mod:`prioritize.portfolio`; without them the workbook is what it was."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import prioritize as pz
from prioritize.errors import ExportWarning, ValidationError
from prioritize.export import export_portfolio, portfolio_xlsx
from prioritize.export.portfolio import MAXIMISED, RECOMMENDED_CATEGORIES
from prioritize.portfolio import Portfolio, portfolio, portfolio_acceptability

STAMP = "2026-03-01T09:30:00Z"
BUDGET = 1_000_000.0
CAPACITY = 1_200.0
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","click")'
#: The Portfolio sheet's columns before issue 13.
OLD_HEADER = [
    "rank",
    "id",
    "title",
    "status",
    "category",
    "usual response",
    "score",
    "mandatory",
    "owner",
    "rationale",
    "decided by",
    "decided at",
]


def _example_with_a_formula_title() -> pz.Evaluation:
    """The bundled example (with its estimates), REQ-001's title made to look like a
    formula."""
    folder = pz.example_dir()
    requirements = pd.read_csv(folder / "requirements.csv", dtype=str, keep_default_na=False)
    requirements.loc[requirements["id"] == "REQ-001", "title"] = FORMULA_TITLE
    return pz.evaluate(
        "customer-operations",
        requirements,
        folder / "scores.csv",
        members=folder / "members.csv",
    )


EXAMPLE = _example_with_a_formula_title()
SELECTION = portfolio(EXAMPLE, BUDGET, capacity=CAPACITY)
CORE = portfolio_acceptability(EXAMPLE, BUDGET, capacity=CAPACITY, samples=300, seed=3)


def book_of(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def rows(ws: Worksheet) -> pd.DataFrame:
    values = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(values[1:], columns=values[0]).set_index("id")


def about(book: openpyxl.Workbook) -> dict[Any, Any]:
    return {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return book_of(portfolio_xlsx(EXAMPLE, selection=SELECTION, core=CORE, generated_at=STAMP))


def test_without_selection_the_workbook_is_as_it_was() -> None:
    before = portfolio_xlsx(EXAMPLE, generated_at=STAMP)
    assert portfolio_xlsx(EXAMPLE, selection=None, core=None, generated_at=STAMP) == before
    plain = book_of(before)
    assert header(plain["Portfolio"]) == OLD_HEADER
    assert not any(str(k).startswith(("optimal", "core")) for k in about(plain))


def test_the_selection_columns_follow_status(book: openpyxl.Workbook) -> None:
    found = header(book["Portfolio"])
    after = found.index("status") + 1
    assert found[after : after + 6] == [
        "optimal",
        "cost",
        "effort",
        "reason",
        "core index",
        "class",
    ]
    assert [c for c in found if c not in found[after : after + 6]] == OLD_HEADER


def test_every_requirement_shown_has_the_library_selection_and_core_index(
    book: openpyxl.Workbook,
) -> None:
    shown = rows(book["Portfolio"])
    table, core = SELECTION.table, CORE.table
    for rid, row in shown.iterrows():
        assert row["optimal"] == bool(table.at[rid, "selected"])
        assert row["cost"] == table.at[rid, "cost"] and row["effort"] == table.at[rid, "effort"]
        assert row["reason"] == table.at[rid, "reason"]
        assert row["core index"] == pytest.approx(core.at[rid, "core_index"])
        assert row["class"] == core.at[rid, "class"]
    # the recommendation (no log) and the optimal portfolio, both, in priority order
    ranked = EXAMPLE.table
    recommended = ranked["category"].isin(RECOMMENDED_CATEGORIES) | ranked["mandatory"]
    expected = ranked.index[recommended.to_numpy() | table["selected"].reindex(ranked.index)]
    assert list(shown.index) == list(expected)
    extra = shown.loc[shown["optimal"] & ~shown.index.isin(ranked.index[recommended])]
    assert len(extra) and (extra["status"] == "optimal, not recommended, not yet decided").all()


def test_about_gives_the_totals_and_the_core_index_settings(book: openpyxl.Workbook) -> None:
    items = about(book)
    assert items["optimal portfolio: maximised"] == f"value: {MAXIMISED['value']}"
    assert items["optimal portfolio: budget"] == BUDGET
    assert items["optimal portfolio: total cost"] == SELECTION.total_cost
    assert items["optimal portfolio: budget left"] == BUDGET - SELECTION.total_cost
    assert items["optimal portfolio: capacity (person-days)"] == CAPACITY
    assert items["optimal portfolio: total effort (person-days)"] == SELECTION.total_effort
    assert items["optimal portfolio: capacity left (person-days)"] == (
        CAPACITY - SELECTION.total_effort
    )
    assert items["optimal portfolio: requirements funded"] == len(SELECTION.selected)
    assert items["optimal portfolio: total value"] == pytest.approx(SELECTION.total_value)
    assert (items["core index: samples"], items["core index: seed"]) == (300, 3)
    assert items["core index: weights"] == "council"
    assert items["core index: members resampled"] == "no"
    assert "'optimal'" in items["how to read: Portfolio"]
    assert "borderline" in items["how to read: Portfolio"]


def test_a_title_starting_with_equals_stays_text(book: openpyxl.Workbook) -> None:
    ws = book["Portfolio"]
    column = header(ws).index("title") + 1
    cell = next(
        ws.cell(row=r, column=column)
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=2).value == "REQ-001"
    )
    assert cell.value == FORMULA_TITLE
    assert cell.data_type == "s" and cell.quotePrefix


def test_with_a_decision_log_the_optimal_ones_not_approved_are_flagged() -> None:
    optimal = [r for r in SELECTION.selected if not EXAMPLE.table.at[r, "mandatory"]]
    log = pd.DataFrame(
        {
            "requirement_id": ["REQ-002", optimal[0], optimal[1]],
            "outcome": ["approve", "reject", "approve"],
        }
    )
    shown = rows(
        book_of(portfolio_xlsx(EXAMPLE, decisions=log, selection=SELECTION, generated_at=STAMP))[
            "Portfolio"
        ]
    )
    assert shown.at["REQ-002", "status"] == "approved"
    assert not shown.at["REQ-002", "optimal"]
    assert shown.at["REQ-002", "reason"].startswith("over budget")
    assert shown.at[optimal[0], "status"] == "optimal, not approved (latest decision: reject)"
    assert shown.at[optimal[1], "status"] == "approved" and shown.at[optimal[1], "optimal"]
    assert (shown.loc[[optimal[2]], "status"] == "optimal, no decision yet").all()
    assert "core index" not in shown.columns  # no core index given


def test_nothing_fits_is_said_on_the_about_sheet() -> None:
    none_fits = portfolio(EXAMPLE, 100_000)
    assert not none_fits.feasible
    book = book_of(portfolio_xlsx(EXAMPLE, selection=none_fits, generated_at=STAMP))
    assert about(book)["optimal portfolio"] == f"no portfolio fits: {none_fits.infeasible}"
    shown = rows(book["Portfolio"])
    assert not shown["optimal"].any() and (shown["reason"] == none_fits.infeasible).all()


def test_export_portfolio_writes_the_same_bytes(tmp_path: Path) -> None:
    path = export_portfolio(
        EXAMPLE, tmp_path / "p.xlsx", selection=SELECTION, core=CORE, generated_at=STAMP
    )
    assert path.read_bytes() == portfolio_xlsx(
        EXAMPLE, selection=SELECTION, core=CORE, generated_at=STAMP
    )


def test_a_core_index_needs_its_selection_and_both_this_evaluation() -> None:
    with pytest.raises(ValidationError, match="core index"):
        portfolio_xlsx(EXAMPLE, core=CORE)
    other = portfolio(pz.evaluate_example(), BUDGET)
    shorter = Portfolio(
        selected=other.selected,
        table=other.table.iloc[:-1],
        budget=other.budget,
        capacity=other.capacity,
        value_kind=other.value_kind,
        total_cost=other.total_cost,
        total_effort=other.total_effort,
        total_value=other.total_value,
    )
    with pytest.raises(ValidationError, match="ranked requirements"):
        portfolio_xlsx(EXAMPLE, selection=shorter)


def test_a_core_index_of_another_problem_is_warned_about() -> None:
    other = portfolio_acceptability(EXAMPLE, 400_000, samples=20)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        portfolio_xlsx(EXAMPLE, selection=SELECTION, core=other, generated_at=STAMP)
    assert any(issubclass(w.category, ExportWarning) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExportWarning)
        portfolio_xlsx(EXAMPLE, selection=SELECTION, core=CORE, generated_at=STAMP)
