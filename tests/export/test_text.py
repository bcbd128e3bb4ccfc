"""User text in the workbook and in CSV: never a formula, always recoverable (issue 5,
item 2; issue 10, deliverable 3).

How the original text is recovered, exactly: read back with openpyxl, a text cell's value is
the text as the evaluation holds it, with characters XML cannot carry (U+0000-U+0008,
U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF, lone surrogates) replaced by U+FFFD, which an
ExportTextWarning announces; the cell's type is always a string (never 'f', never 'e');
and ``cell.quotePrefix`` is set exactly when the text is formula-like. One documented
exception: openpyxl's shared-string reader deletes every "x005F_" it sees, so a text that
itself contains "x005F_" comes back without it (Excel shows it right); the properties below
leave such texts out.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from typing import Any
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.export import ExportTextWarning, csv_unquote, is_formula_like, portfolio_xlsx
from prioritize.export.text import MAX_CELL_TEXT, csv_quote, csv_table, json_text
from prioritize.export.xlsx.writer import Column, Sheet, Style, column_letter, write_workbook
from tests.conftest import tiny_criteria_mapping

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
PREFIXES = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    " =",
    "   @",
    " \t",
    "\n-",
    "＝",
    "'=",
    "''=",
    "'",
    "' -",
]
TEXT = st.one_of(
    st.text(max_size=24),
    st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), st.text(max_size=16)),
    st.sampled_from(["#N/A", "#REF!", "TRUE", "1e5", "0012", "_x0041_", "a\r\nb", " pad "]),
)
#: Text built from the pieces that split a CSV cell or start a formula.
PIECES = st.sampled_from(
    ["=", "+", "-", "@", "\t", "\r", "\n", ";", ",", '"', "'", " ", "＝", "\x0b", "\u2028", "a"]
)
BROKEN = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expected(text: str) -> str | None:
    """What openpyxl gives back for a text the workbook received."""
    return ILLEGAL.sub("\ufffd", text) or None


def write_and_read(columns: list[Column]) -> tuple[openpyxl.Workbook, bytes, list[Any]]:
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_workbook(
            [Sheet("Data", tuple(columns))],
            buffer,
            created=pd.Timestamp("2026-01-01", tz="UTC").to_pydatetime(),
        )
    data = buffer.getvalue()
    return openpyxl.load_workbook(io.BytesIO(data)), data, caught


class TestFormulaLike:
    @pytest.mark.parametrize(
        "text",
        [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "  =x",
            " \t x",
            "\n=x",
            "＝1",
            "-",
            "=",
            "  @",
        ],
    )
    def test_formula_like(self, text: str) -> None:
        assert is_formula_like(text)

    @pytest.mark.parametrize(
        "text", ["", "a=b", "1-2", "x@y.z", "   ", "'=1", "#N/A", "\ufffd=1", "TRUE"]
    )
    def test_not_formula_like(self, text: str) -> None:
        assert not is_formula_like(text)

    @given(st.lists(st.one_of(TEXT, BROKEN), max_size=8))
    def test_csv_quote_round_trips(self, texts: list[str]) -> None:
        quoted = csv_quote(np.array(texts, dtype=object))
        assert [csv_unquote(q) for q in quoted] == texts
        for q in quoted:
            assert not is_formula_like(q)  # a spreadsheet opening the CSV sees text
            # nor does a reader that starts a cell after a line break or separator
            for piece in re.split("[\r\n,;\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", q):
                if re.match("[\\s'\"]*[=+\\-@＝＋－＠]", piece):
                    assert piece.startswith("'"), (q, piece)


TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cells_of(text: str) -> dict[str, list[list[str]]]:
    """The cells three readers see in a CSV text: the ``,`` reader (quotes honoured, line
    breaks inside quotes kept), and ``;`` and tab readers that split rows at every line break
    first (as a reader in another locale, or a naive one, does)."""
    rows = {",": list(csv.reader(io.StringIO(text, newline="")))}
    for separator in (";", "\t"):
        lines = re.split(r"\r\n|\r|\n", text)
        rows[separator] = [next(csv.reader([line], delimiter=separator), []) for line in lines]
    return rows


def assert_no_formula_cell(text: str) -> None:
    """No cell any reader sees starts like a formula, unless it is a number."""
    for separator, rows in cells_of(text).items():
        for row in rows:
            for cell in row:
                if cell.startswith(TRIGGERS):
                    try:
                        float(cell)
                    except ValueError:
                        raise AssertionError((separator, cell, text)) from None


class TestCsvRule:
    def test_a_formula_after_a_carriage_return_cannot_start_a_row(self) -> None:
        title = "x" + "\r" + "=cmd|' /C calc'!A0"
        text = csv_table(pd.DataFrame({"id": ["R1", "R2"], "title": [title, "plain"]}))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 3  # the CR did not start a row
        assert rows[1] == ["R1", "x\r'=cmd|' /C calc'!A0"]
        assert csv_unquote(rows[1][1]) == title
        assert_no_formula_cell(text)

    def test_a_formula_after_a_separator_in_a_semicolon_locale(self) -> None:
        title = "x" + ";" + "=2+5" + ";"
        text = csv_table(pd.DataFrame({"id": ["R1"], "title": [title], "score": [0.5]}))
        assert text == 'id,title,score\n"R1","x;\'=2+5;",0.5\n'
        semicolon = cells_of(text)[";"]
        assert "=2+5" not in [cell for row in semicolon for cell in row]
        assert_no_formula_cell(text)
        assert csv_unquote(next(csv.DictReader(io.StringIO(text)))["title"]) == title

    def test_text_is_always_quoted_numbers_and_booleans_bare(self) -> None:
        frame = pd.DataFrame(
            {
                "id": ["R1", "R2"],
                "note": ["plain", None],
                "net_value": [-0.25, float("nan")],
                "rank": [1, 2],
                "ok": [True, False],
                "mixed": pd.Series([3, "-3"], dtype=object),
            }
        )
        assert csv_table(frame).splitlines() == [
            "id,note,net_value,rank,ok,mixed",
            '"R1","plain",-0.25,1,True,3',
            '"R2",,,2,False,"\'-3"',
        ]

    def test_unwritable_characters_are_replaced_with_a_warning(self) -> None:
        bell, escape = "\x07", "\x1b"
        frame = pd.DataFrame({"title": ["ring" + bell, escape + "[31mred"]})
        with pytest.warns(ExportTextWarning, match="ranking CSV, column 'title': 2 text"):
            text = csv_table(frame, what="ranking CSV")
        assert text.splitlines()[1:] == ['"ring\ufffd"', '"\ufffd[31mred"']
        exact = csv_table(frame, formula_safe=False)  # a pipeline gets the text as it is
        assert list(csv.reader(io.StringIO(exact, newline="")))[1:] == [[t] for t in frame["title"]]

    @SETTINGS
    @given(st.lists(st.one_of(TEXT, BROKEN), min_size=1, max_size=6))
    def test_any_text_reads_back_exactly_and_never_as_a_formula(self, texts: list[str]) -> None:
        assume(not any(ILLEGAL.search(t) for t in texts))
        frame = pd.DataFrame({"id": [f"R{i}" for i in range(len(texts))], "text": texts})
        text = csv_table(frame)
        assert_no_formula_cell(text)
        back = list(csv.DictReader(io.StringIO(text, newline="")))
        assert [csv_unquote(r["text"]) for r in back] == texts


class TestJson:
    def test_text_is_data_and_terminal_controls_are_escaped(self) -> None:
        hostile = "=1+1" + "\x1b[2J" + "\x9b31m" + "\u202e" + "\ud800" + ";\r\n"
        text = json_text({"title": hostile})
        assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in text.replace("\n", ""))
        assert "\u202e" not in text and "\ud800" not in text
        assert json.loads(text) == {"title": hostile}  # the same text, not neutralised
        text.encode("utf-8")  # a lone surrogate no longer breaks the file


class TestWorkbookMetadata:
    def test_a_control_character_in_the_criteria_name_keeps_the_workbook_readable(
        self,
    ) -> None:
        name = "Tiny" + "\x07" + "\x1b[31m" + "\r\n" + "set & <co>"
        criteria = pz.load_criteria(tiny_criteria_mapping(name=name))
        ev = evaluate(
            {
                "titles": ["a", "b"],
                "descriptions": ["", ""],
                "requested_by": ["", ""],
                "names": ["x", "y"],
                "reasons": [""] * 12,
            },
            criteria,
        )
        assert ev.criteria.name == name
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = portfolio_xlsx(ev, generated_at="2026-01-01T00:00:00Z")
        assert sorted(str(w.message).split(":")[0] for w in caught) == [
            "About sheet, column 'value'",
            "the workbook's title",
        ]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.namelist():
                if part.endswith((".xml", ".rels")):
                    ElementTree.fromstring(archive.read(part))  # every part well-formed
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.properties.title == "Portfolio: Tiny\ufffd\ufffd[31m\r\nset & <co>"
        about = dict(book["About"].iter_rows(min_row=2, values_only=True))
        assert about["criteria set"] == "Tiny\ufffd\ufffd[31m\r\nset & <co> (version 1)"

    def test_sheet_names_and_properties_follow_the_same_rule(self) -> None:
        buffer = io.BytesIO()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            write_workbook(
                [Sheet("Data" + "\x01", (Column("a", np.zeros(1)),))],
                buffer,
                created=pd.Timestamp("2026-01-01").to_pydatetime(),
                title="t\x00",
                creator="c\x1f",
            )
        assert [str(w.message).split(":")[0] for w in caught] == [
            "sheet name 'Data\\x01'",
            "the workbook's title",
            "the workbook's creator",
        ]
        book = openpyxl.load_workbook(buffer)
        assert book.sheetnames == ["Data\ufffd"]
        assert (book.properties.title, book.properties.creator) == ("t\ufffd", "c\ufffd")
        with pytest.raises(ValueError, match="cannot hold"):
            write_workbook(
                [Sheet("a/b", (Column("a", np.zeros(1)),))],
                io.BytesIO(),
                created=pd.Timestamp("2026-01-01").to_pydatetime(),
            )


class TestWriter:
    @SETTINGS
    @given(st.lists(TEXT, min_size=1, max_size=12))
    def test_any_text_stays_text_and_comes_back(self, texts: list[str]) -> None:
        assume(not any("x005f_" in t.lower() for t in texts))
        book, data, caught = write_and_read([Column("text", np.array(texts, dtype=object))])
        ws = book["Data"]
        got = [c for (c,) in ws.iter_rows(min_row=2, max_row=len(texts) + 1)]
        assert [c.value for c in got] == [expected(t) for t in texts]
        for cell in got:
            if cell.value is not None:
                assert cell.data_type == "s"
                assert cell.quotePrefix == is_formula_like(cell.value)
        illegal = any(ILLEGAL.search(t) for t in texts)
        assert any(issubclass(w.category, ExportTextWarning) for w in caught) == illegal
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)

    @SETTINGS
    @given(
        st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=12)
    )
    def test_numbers_stay_numbers(self, numbers: list[float]) -> None:
        book, _, _ = write_and_read([Column("x", np.array(numbers, dtype=float))])
        got = [c for (c,) in book["Data"].iter_rows(min_row=2, max_row=len(numbers) + 1)]
        for number, cell in zip(numbers, got, strict=True):
            if np.isnan(number):
                assert cell.value is None
            elif np.isinf(number):
                assert cell.value == ("inf" if number > 0 else "-inf")
                assert cell.data_type == "s"
            else:
                assert cell.data_type == "n"
                assert cell.value == number  # exact, and -0.0 == 0.0

    @SETTINGS
    @given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=8))
    def test_integers_exact(self, numbers: list[int]) -> None:
        book, _, _ = write_and_read([Column("n", np.array(numbers, dtype=np.int64))])
        got = [c.value for (c,) in book["Data"].iter_rows(min_row=2)]
        assert got == numbers

    def test_mixed_column_and_booleans(self) -> None:
        values = np.array([1, "one", 2.5, True, None, float("nan"), "=2"], dtype=object)
        book, _, _ = write_and_read(
            [Column("v", values), Column("b", np.array([True, False] * 3 + [True]))]
        )
        got = [(c.value, c.data_type) for (c, _) in book["Data"].iter_rows(min_row=2)]
        assert got == [
            (1, "n"),
            ("one", "s"),
            (2.5, "n"),
            (True, "b"),
            (None, "n"),
            (None, "n"),
            ("=2", "s"),
        ]
        assert [c.value for (_, c) in book["Data"].iter_rows(min_row=2)] == [True, False] * 3 + [
            True
        ]

    def test_excel_escapes_and_carriage_returns_survive(self) -> None:
        texts = ["_x0041_", "a\rb", "a\r\nb", "<&>", "  both  "]
        book, data, _ = write_and_read([Column("t", np.array(texts, dtype=object))])
        assert [c.value for (c,) in book["Data"].iter_rows(min_row=2)] == texts
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            shared = archive.read("xl/sharedStrings.xml").decode()
        assert "_x005F_x0041_" in shared  # Excel would otherwise show "A"
        assert "a&#13;b" in shared  # a raw CR would be read back as a line feed

    def test_illegal_characters_replaced_with_a_warning(self) -> None:
        texts = ["ok", "bell\x07", "nul\x00 and \x1f"]
        with pytest.warns(ExportTextWarning, match=r"Data sheet, column 'note': 2 text"):
            buffer = io.BytesIO()
            write_workbook(
                [Sheet("Data", (Column("note", np.array(texts, dtype=object)),))],
                buffer,
                created=pd.Timestamp("2026-01-01").to_pydatetime(),
            )
        ws = openpyxl.load_workbook(buffer)["Data"]
        assert [c.value for (c,) in ws.iter_rows(min_row=2)] == [
            "ok",
            "bell\ufffd",
            "nul\ufffd and \ufffd",
        ]

    def test_over_long_text_cut_with_a_warning(self) -> None:
        long = "=" + "x" * (MAX_CELL_TEXT + 10)
        book, _, caught = write_and_read([Column("t", np.array([long], dtype=object))])
        assert [str(w.message) for w in caught if w.category is ExportTextWarning] == [
            "Data sheet, column 't': 1 text(s) longer than a cell holds (32,767 characters, "
            "the longest 32,778) were cut"
        ]
        cell = book["Data"]["A2"]
        assert cell.value == long[:MAX_CELL_TEXT] and cell.quotePrefix

    def test_styles_per_row_and_header(self) -> None:
        red, green = Style(fill="#7F0000", font_colour="#FFFFFF"), Style(fill="#009E73")
        book, _, _ = write_and_read(
            [
                Column(
                    "c",
                    np.array(["a", "-b", "c"], dtype=object),
                    styles=(red, green),
                    style_index=np.array([0, 1, 0]),
                )
            ]
        )
        cells = [c for (c,) in book["Data"].iter_rows(min_row=2)]
        assert [c.fill.fgColor.rgb for c in cells] == ["FF7F0000", "FF009E73", "FF7F0000"]
        assert [c.quotePrefix for c in cells] == [False, True, False]
        assert cells[0].font.color.rgb == "FFFFFFFF"

    def test_bad_sheets_refused(self) -> None:
        one = Column("a", np.zeros(2))
        with pytest.raises(ValueError, match="unique"):
            write_workbook(
                [Sheet("S", (one,)), Sheet("S", (one,))],
                io.BytesIO(),
                created=pd.Timestamp("2026-01-01").to_pydatetime(),
            )
        with pytest.raises(ValueError, match="has 3 rows, expected 2"):
            write_workbook(
                [Sheet("S", (one, Column("b", np.zeros(3))))],
                io.BytesIO(),
                created=pd.Timestamp("2026-01-01").to_pydatetime(),
            )

    def test_column_letters(self) -> None:
        assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
            "A",
            "Z",
            "AA",
            "AZ",
            "BA",
            "ZZ",
            "AAA",
        ]


# --- the whole workbook: any text in any field -------------------------------------------

NONBLANK = TEXT.filter(lambda t: t.strip() != "")


@st.composite
def councils(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "titles": [draw(NONBLANK) for _ in range(2)],
        "descriptions": [draw(TEXT) for _ in range(2)],
        "requested_by": [draw(TEXT) for _ in range(2)],
        "names": [draw(NONBLANK) for _ in range(2)],
        "reasons": [draw(TEXT) for _ in range(12)],
        "rationale": draw(TEXT),
        "decided_by": draw(TEXT),
        "dissent": draw(TEXT),
    }


def evaluate(texts: dict[str, Any], criteria: pz.CriteriaSet | None = None) -> pz.Evaluation:
    criteria = criteria or pz.load_criteria(tiny_criteria_mapping())
    requirements = pd.DataFrame(
        {
            "id": ["=R1", "-R2"],
            "title": texts["titles"],
            "description": texts["descriptions"],
            "requested_by": texts["requested_by"],
        }
    )
    members = pd.DataFrame(
        {
            "id": ["m1", "m2"],
            "name": texts["names"],
            "department": ["Legal", "Finance"],
            "role": "member",
        }
    )
    keys = pd.MultiIndex.from_product(
        [["=R1", "-R2"], ["m1", "m2"], list(criteria.ids)],
        names=["requirement_id", "member", "criterion"],
    )
    scores = keys.to_frame(index=False)
    scores["score"] = [5, 4, 3, 2, 1, 0, 3, 3, 2, 2, 5, 9]
    scores["reason"] = texts["reasons"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pz.evaluate(criteria, requirements, scores, members=members)


@SETTINGS
@given(councils())
def test_any_text_in_any_field_is_never_a_formula(texts: dict[str, Any]) -> None:
    every = [t for v in texts.values() for t in (v if isinstance(v, list) else [v])]
    assume(not any("x005f_" in t.lower() for t in every))
    ev = evaluate(texts)
    decisions = pd.DataFrame(
        {
            "requirement_id": ["=R1", "-R2"],
            "outcome": ["approve"] * 2,
            "rationale": [texts["rationale"]] * 2,
            "decided_by": [texts["decided_by"]] * 2,
            "dissent": [texts["dissent"]] * 2,
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = portfolio_xlsx(ev, decisions=decisions, generated_at="2026-01-01T00:00:00Z")
    book = openpyxl.load_workbook(io.BytesIO(data))
    text_cells = []
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                assert cell.data_type != "e", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert cell.quotePrefix == is_formula_like(cell.value), (
                        ws.title,
                        cell.coordinate,
                        cell.value,
                    )
                    text_cells.append(cell.value)
    # every text the evaluation holds comes back, as `expected` says
    frame = ev.requirements.frame
    held = [
        *frame["title"],
        *frame["description"],
        *frame["requested_by"],
        *ev.scores.frame["reason"],
        *(ev.members.frame["name"] if ev.members else []),
        texts["rationale"],
        texts["decided_by"],
        texts["dissent"],
    ]
    for text in held:
        assert expected(text) is None or expected(text) in text_cells
    requirements = book["Requirements"]
    assert [r[1] for r in requirements.iter_rows(min_row=2, values_only=True)] == [
        expected(t) for t in frame["title"]
    ]
    decided = book["Decisions"]
    header = [c.value for c in decided[1]]
    got = [
        dict(zip(header, r, strict=True)) for r in decided.iter_rows(min_row=2, values_only=True)
    ]
    assert [r["rationale"] for r in got] == [expected(texts["rationale"])] * 2
    assert [r["dissent"] for r in got] == [expected(texts["dissent"])] * 2
    scores = [c.value for c in book["Scores"]["G"][1:]]
    assert all(isinstance(v, int | float) for v in scores)  # numbers stay numbers
    illegal = any(ILLEGAL.search(str(t)) for t in held)
    assert any(issubclass(w.category, ExportTextWarning) for w in caught) == illegal
