"""The Benefits and Readings sheets of the portfolio workbook
(prioritize/export/workbook/benefits.py), read back with openpyxl: the example council after
REQ-001's approval (first-time-right +8 points) and its go-live on 2026-05-01 -- the numbers
are the library's (:func:`prioritize.outcomes.benefit_realisation`), text is never a
formula, and without outcomes the workbook has neither sheet."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from prioritize.export import portfolio_xlsx
from prioritize.export.workbook.benefits import Outcomes
from prioritize.model.scorecard import ExpectedEffect
from prioritize.store import Session
from tests.conftest import ExampleCouncil

STAMP = "2026-12-01T00:00:00Z"
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def delivered(example_council: ExampleCouncil) -> tuple[Session, int]:
    facilitator = example_council.store().session("m01", "m01-demo")
    round_id = example_council.example.round.id
    facilitator.record_decision(
        round_id,
        "REQ-001",
        "approve",
        rationale="controls at entry",
        effects=[
            ExpectedEffect("first_time_right", 8.0, dt.date(2026, 9, 30), "fewer re-entries"),
            ExpectedEffect("complaints", -1.0, None, "fewer wrong orders"),
        ],
    )
    facilitator.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))
    facilitator.add_reading("data_quality", dt.date(2026, 11, 20), 90.0, source=HOSTILE)
    return facilitator, round_id


def _book(facilitator: Session, round_id: int, outcomes: Outcomes | None) -> openpyxl.Workbook:
    data = portfolio_xlsx(
        facilitator.evaluation(round_id),
        decisions=facilitator.decisions(round_id),
        generated_at=STAMP,
        outcomes=outcomes,
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def _outcomes(facilitator: Session) -> Outcomes:
    return Outcomes(
        facilitator.scorecard(), facilitator.readings(), facilitator.benefit_realisation()
    )


def test_the_benefits_sheet_holds_the_librarys_numbers(delivered: tuple[Session, int]) -> None:
    facilitator, round_id = delivered
    book = _book(facilitator, round_id, _outcomes(facilitator))
    assert book.sheetnames[-3:] == ["Benefits", "Readings", "About"]
    rows = list(book["Benefits"].values)
    header, body = list(rows[0]), rows[1:]
    expected = facilitator.benefit_realisation().table
    assert len(body) == len(expected) == 2
    for row, (_, want) in zip(body, expected.iterrows(), strict=True):
        got = dict(zip(header, row, strict=True))
        assert got["requirement"] == want["requirement_id"] == "REQ-001"
        assert got["measure"] == want["measure"]
        assert got["live on"] == "2026-05-01"
        for column in ("before", "after", "change", "expected"):
            assert got[column] == pytest.approx(want[column])
        assert got["readings before"] == want["n_before"]
        assert got["status"] == want["status"]
        assert got["explanation"] == want["explanation"]
    (first,) = [
        r
        for r in (dict(zip(header, b, strict=True)) for b in body)
        if r["measure"] == "first_time_right"
    ]
    assert first["by"] == "2026-09-30" and first["status"] == "delivering"
    about = "\n".join(str(c) for row in book["About"].values for c in row if c)
    assert "Benefits" in about and "never split" in about


def test_the_readings_sheet_lists_every_reading_as_text_not_formulas(
    delivered: tuple[Session, int],
) -> None:
    facilitator, round_id = delivered
    book = _book(facilitator, round_id, _outcomes(facilitator))
    sheet = book["Readings"]
    rows = list(sheet.values)
    assert len(rows) - 1 == len(facilitator.readings())
    assert rows[1][1] == "first_time_right"  # the scorecard's order: first-time-right first
    source = list(rows[0]).index("source")
    cells = [row[source] for row in sheet.iter_rows(min_row=2)]
    hostile = [c for c in cells if c.value == HOSTILE]
    assert hostile and all(c.data_type == "s" for c in hostile)  # text, never a formula


def test_without_outcomes_the_workbook_has_neither_sheet(delivered: tuple[Session, int]) -> None:
    facilitator, round_id = delivered
    book = _book(facilitator, round_id, None)
    assert "Benefits" not in book.sheetnames and "Readings" not in book.sheetnames
