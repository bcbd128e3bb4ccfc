"""Reading a sheet (``prioritize/load/xlsx.py``): the same values pandas' reader (openpyxl)
gave, for the files Excel and openpyxl write, without pandas' cost on sparse sheets; blank
rows skipped with each data row keeping its row number in the sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.load import DEFAULT_LIMITS
from prioritize.load.xlsx import read_sheet
from tests.load import hostile


def pandas_frame(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """What the loaders read before issue 10."""
    return pd.read_excel(path, sheet_name=sheet, dtype=object, keep_default_na=False, na_values=[])


def same_values(mine: pd.DataFrame, theirs: pd.DataFrame) -> None:
    kept = [i for i, row in enumerate(theirs.itertuples(index=False)) if any(v != "" for v in row)]
    theirs = theirs.iloc[kept]  # pandas kept blank rows as rows of ""; we skip them
    assert list(mine.columns) == list(theirs.columns)
    assert len(mine) == len(theirs)
    for column in mine.columns:
        for a, b in zip(mine[column], theirs[column], strict=True):
            assert type(a) is type(b) and a == b, (column, a, b)


def test_values_of_every_kind_as_pandas_read_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "n", "yes", "when", "time", "long", "formula", "text"])
    sheet.append(["R1", 1, True, dt.datetime(2026, 1, 5, 10, 30), dt.time(9, 15), None, None, "NA"])
    sheet.append(
        ["R2", 2.5, False, dt.datetime(1900, 1, 1), None, dt.timedelta(hours=30), None, ""]
    )
    sheet.append([])  # a blank row
    sheet.append(["R3", -7, None, dt.date(2030, 12, 31), None, None, "=1+2", " spaced "])
    sheet["F2"].number_format = "[h]:mm:ss"
    sheet["F2"] = dt.timedelta(hours=1)
    path = tmp_path / "kinds.xlsx"
    book.save(path)
    mine, label = read_sheet(path, "kinds.xlsx", None, DEFAULT_LIMITS)
    assert label == f"kinds.xlsx [sheet {sheet.title}]"
    same_values(mine, pandas_frame(path))
    assert list(mine.index + 2) == [2, 3, 5]  # the blank row 4 is skipped, not renumbered


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.none()
            | st.booleans()
            | st.integers(-(10**12), 10**12)
            | st.floats(allow_nan=False, allow_infinity=False, width=32)
            | st.text(
                alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                max_size=12,
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_small_sheet_reads_as_pandas_read_it(tmp_path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b", "c"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "any.xlsx"
    book.save(path)
    mine, _ = read_sheet(path, "any.xlsx", None, DEFAULT_LIMITS)
    theirs = pandas_frame(path)
    if len(theirs.columns) != 3:  # pandas drops trailing empty columns: so do we
        assert len(mine.columns) == len(theirs.columns)
    same_values(mine, theirs)


def test_shared_and_rich_strings_and_cells_without_references(tmp_path: Path) -> None:
    sst = (
        f'<sst xmlns="{hostile.MAIN}"><si><t>id</t></si><si><t>title</t></si>'
        "<si><r><t>Bold </t></r><r><t>start</t></r><rPh><t>reading</t></rPh></si></sst>"
    )
    rows = (
        '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
        '<row><c><v>7</v></c><c t="s"><v>2</v></c></row>'
    )
    path = hostile.write_xlsx(
        tmp_path / "r.xlsx", rows, extra=[("xl/sharedStrings.xml", sst)], shared_strings=True
    )
    requirements = pz.load_requirements(path)
    assert list(requirements.ids) == ["7"] and requirements["7"].title == "Bold start"


def test_rows_are_named_as_the_sheet_shows_them(tmp_path: Path) -> None:
    rows = (
        hostile.HEADER_ROW
        + '<row r="2">'
        + hostile.text_cell("A2", "R1")
        + hostile.text_cell("B2", "a")
        + "</row>"
        + '<row r="5">'
        + hostile.text_cell("A5", "R1")
        + hostile.text_cell("B5", "b")
        + "</row>"
    )
    path = hostile.write_xlsx(tmp_path / "r.xlsx", rows)
    with pytest.raises(pz.ValidationError) as caught:
        pz.load_requirements(path)
    assert caught.value.first.row == 5


def test_sheet_by_name_and_number(tmp_path: Path) -> None:
    path = hostile.write_xlsx(
        tmp_path / "r.xlsx", hostile.HEADER_ROW, sheets=("Notes", "Requirements")
    )
    with pytest.raises(pz.ValidationError, match="no such sheet") as caught:
        pz.load_requirements(path, sheet="Nope")
    assert caught.value.first.expected == "one of Notes, Requirements"
    with pytest.raises(pz.ValidationError, match=r"\[sheet Requirements\]: the file has no data"):
        pz.load_requirements(path, sheet=1)
