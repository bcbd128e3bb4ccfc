"""The workbook's Scores history sheet (issue 10, "every change on the record"): a member's
earlier values stay readable with their times, and ``current`` marks the value in force."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import prioritize as pz
from prioritize.errors import ExportWarning, ValidationError
from prioritize.export import export_portfolio, portfolio_xlsx
from prioritize.store import DEMO_SUFFIX
from prioritize.store.history import HISTORY_COLUMNS
from tests.conftest import ExampleCouncil

STAMP = "2026-03-01T09:30:00Z"
EVALUATION = pz.evaluate_example()
#: The score that changed: REQ-009 (ranked second), m02, error_reduction.
CHANGED = ("REQ-009", "m02", "error_reduction")
HEADERS = [
    "requirement id",
    "title",
    "member",
    "name",
    "department",
    "criterion",
    "score",
    "reason",
    "time",
    "version",
    "current",
]


def history_row(
    requirement: str,
    member: str,
    criterion: str,
    score: float,
    reason: str | None,
    time: str,
    version: int,
) -> dict[str, Any]:
    return dict(
        zip(
            HISTORY_COLUMNS,
            (requirement, member, criterion, score, reason, time, version),
            strict=True,
        )
    )


def two_versions() -> pd.DataFrame:
    """CHANGED scored 2, then 4 a day later; two other scores with one version each, given
    out of the sheet's order."""
    return pd.DataFrame(
        [
            history_row(
                "REQ-009", "m03", "customer_impact", 3.0, "fine", "2026-02-01T08:00:00Z", 1
            ),
            history_row(*CHANGED, 2.0, "first thought", "2026-02-01T09:00:00Z", 1),
            history_row("REQ-001", "m01", "customer_impact", 5.0, "", "2026-02-01T10:00:00Z", 1),
            history_row(*CHANGED, 4.0, "after the demo", "2026-02-02T09:00:00Z", 2),
        ]
    )


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def cells(ws: Worksheet, header: str) -> list[Any]:
    """The cells (not values) of a column, header excluded."""
    position = [c.value for c in ws[1]].index(header)
    return [row[position] for row in ws.iter_rows(min_row=2)]


def book_of(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def history_rows(book: openpyxl.Workbook) -> list[dict[str, Any]]:
    return rows(book["Scores history"])


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return book_of(portfolio_xlsx(EVALUATION, history=two_versions(), generated_at=STAMP))


def test_the_sheet_comes_right_after_scores(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names[names.index("Scores") + 1] == "Scores history"
    assert names[names.index("Scores history") + 1] == "Requirements"


def test_headers_frozen_filtered_formats(book: openpyxl.Workbook) -> None:
    ws = book["Scores history"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"
    assert all(c.font.b for c in ws[1])
    assert {c.number_format for c in cells(ws, "version")} == {"0"}
    assert all(c.alignment.wrap_text for c in cells(ws, "reason") if c.value is not None)


def test_both_versions_with_their_times_and_current_flags(book: openpyxl.Workbook) -> None:
    changed = [
        r
        for r in history_rows(book)
        if (r["requirement id"], r["member"], r["criterion"]) == CHANGED
    ]
    assert [(r["score"], r["reason"], r["time"], r["version"], r["current"]) for r in changed] == [
        (2, "first thought", "2026-02-01T09:00:00Z", 1, "no"),
        (4, "after the demo", "2026-02-02T09:00:00Z", 2, "yes"),
    ]
    time = next(c for c in cells(book["Scores history"], "time") if c.value)
    assert time.data_type == "s"  # the time as stored, not a date the spreadsheet re-reads
    others = [r for r in history_rows(book) if r["member"] != CHANGED[1]]
    assert [r["current"] for r in others] == ["yes", "yes"]


def test_titles_and_members_looked_up(book: openpyxl.Workbook) -> None:
    members = EVALUATION.members
    assert members is not None
    for r in history_rows(book):
        assert r["title"] == EVALUATION.requirements[r["requirement id"]].title
        member = members[r["member"]]
        assert (r["name"], r["department"]) == (member.name, member.department)


def test_order_rank_then_criterion_then_member_then_version(book: openpyxl.Workbook) -> None:
    got = [
        (r["requirement id"], r["criterion"], r["member"], r["version"]) for r in history_rows(book)
    ]
    assert list(EVALUATION.table.index[:2]) == ["REQ-001", "REQ-009"]
    assert got == [
        ("REQ-001", "customer_impact", "m01", 1),
        ("REQ-009", "customer_impact", "m03", 1),
        ("REQ-009", "error_reduction", "m02", 1),
        ("REQ-009", "error_reduction", "m02", 2),
    ]


def test_current_is_the_last_version_whatever_the_given_order() -> None:
    frame = two_versions().iloc[::-1]
    got = history_rows(book_of(portfolio_xlsx(EVALUATION, history=frame, generated_at=STAMP)))
    changed = [(r["version"], r["current"]) for r in got if r["member"] == CHANGED[1]]
    assert changed == [(1, "no"), (2, "yes")]


def test_about_lists_the_sheet(book: openpyxl.Workbook) -> None:
    about = {r["item"]: r["value"] for r in rows(book["About"])}
    assert about["score history entries"] == 4
    assert "current" in about["how to read: Scores history"]
    assert about["how to read: Scores"].startswith("Every member's raw score")


@pytest.mark.parametrize("reason", ["=1+1", "@risk", "-5% returns", "+1 for this", "\tx"])
def test_formula_like_reasons_are_text(reason: str) -> None:
    frame = two_versions()
    frame.loc[1, "reason"] = reason
    data = portfolio_xlsx(EVALUATION, history=frame, generated_at=STAMP)
    cell = next(c for c in cells(book_of(data)["Scores history"], "reason") if c.value == reason)
    assert cell.data_type == "s" and cell.quotePrefix
    plain = next(c for c in cells(book_of(data)["Scores history"], "reason") if c.value == "fine")
    assert not plain.quotePrefix


def test_formula_like_keys_and_times_are_text() -> None:
    frame = two_versions()
    frame.loc[0, "time"] = "=NOW()"
    frame.loc[0, "member"] = "@m99"
    frame.loc[0, "requirement_id"] = "=HYPERLINK(1)"
    with pytest.warns(ExportWarning, match="does not know"):
        data = portfolio_xlsx(EVALUATION, history=frame, generated_at=STAMP)
    ws = book_of(data)["Scores history"]
    for header, text in (
        ("time", "=NOW()"),
        ("member", "@m99"),
        ("requirement id", "=HYPERLINK(1)"),
    ):
        cell = next(c for c in cells(ws, header) if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    last = history_rows(book_of(data))[-1]  # unknown requirements come last, without title
    assert (last["requirement id"], last["title"], last["name"]) == ("=HYPERLINK(1)", None, None)


@pytest.mark.parametrize("column", HISTORY_COLUMNS)
def test_a_missing_column_is_named(column: str) -> None:
    with pytest.raises(ValidationError, match=f"missing column {column}") as caught:
        portfolio_xlsx(EVALUATION, history=two_versions().drop(columns=column))
    assert caught.value.first.column == column


def test_bad_values_are_named() -> None:
    frame = two_versions().astype({"score": object, "version": object})
    frame.loc[0, "score"] = "high"
    frame.loc[1, "version"] = 1.5
    frame.loc[2, "member"] = None
    with pytest.raises(ValidationError) as caught:
        portfolio_xlsx(EVALUATION, history=frame)
    found = {(p.column, p.row, p.message) for p in caught.value.problems}
    assert found == {
        ("score", 0, "not a number"),
        ("version", 1, "not a whole number"),
        ("member", 2, "missing member"),
    }


def test_none_or_empty_leaves_the_workbook_as_it_was() -> None:
    before = portfolio_xlsx(EVALUATION, generated_at=STAMP)
    assert portfolio_xlsx(EVALUATION, history=None, generated_at=STAMP) == before
    empty = pd.DataFrame(columns=list(HISTORY_COLUMNS))
    assert portfolio_xlsx(EVALUATION, history=empty, generated_at=STAMP) == before
    assert "Scores history" not in book_of(before).sheetnames


def test_deterministic_with_history() -> None:
    one = portfolio_xlsx(EVALUATION, history=two_versions(), generated_at=STAMP)
    assert portfolio_xlsx(EVALUATION, history=two_versions(), generated_at=STAMP) == one


def test_times_as_datetimes_are_iso_8601() -> None:
    frame = two_versions()
    frame["time"] = pd.to_datetime(frame["time"])
    got = history_rows(book_of(portfolio_xlsx(EVALUATION, history=frame, generated_at=STAMP)))
    assert got[0]["time"] == "2026-02-01T10:00:00Z"


def test_split_over_sheets_when_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    from prioritize.export.workbook import columns

    frame = pd.DataFrame(
        [
            history_row("REQ-001", "m01", "customer_impact", 1.0 + v % 5, None, f"t{v:03}", v)
            for v in range(1, 251)
        ]
    )
    monkeypatch.setattr(columns, "MAX_ROWS", 101)  # 100 data rows per sheet
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        book = book_of(portfolio_xlsx(EVALUATION, history=frame, generated_at=STAMP))
    names = [n for n in book.sheetnames if n.startswith("Scores history")]
    assert names == ["Scores history", "Scores history 2", "Scores history 3"]
    got = [r for n in names for r in rows(book[n])]
    assert [r["version"] for r in got] == list(range(1, 251))
    assert [r["current"] for r in got] == ["no"] * 249 + ["yes"]
    about = [r["item"] for r in rows(book["About"])]
    assert about.count("how to read: Scores history") == 1
    assert about.count("how to read: Scores") == 1


def test_the_stores_own_history(example_council: ExampleCouncil, tmp_path: Path) -> None:
    """A real council: the facilitator's session gives the evaluation and the history."""
    example = example_council.example
    session = example_council.store().session(
        example.facilitator, example.facilitator + DEMO_SUFFIX
    )
    history = session.score_history(example.round.id)
    evaluation = session.evaluation(example.round.id)
    path = export_portfolio(
        evaluation, tmp_path / "portfolio.xlsx", history=history, generated_at=STAMP
    )
    book = openpyxl.load_workbook(path)
    got = history_rows(book)
    assert len(got) == len(history)
    current = {
        (r["requirement id"], r["member"], r["criterion"]): r["score"]
        for r in got
        if r["current"] == "yes"
    }
    scores = {
        (r["requirement id"], r["member"], r["criterion"]): r["score"] for r in rows(book["Scores"])
    }
    assert current == scores
    assert np.all([isinstance(r["time"], str) and r["time"] for r in got])
