"""Rules the pages once copied and let drift, now taken from the core: each test would have
caught its drift (page and workbook colours, the per-requirement editor's scale, the flags
of the Round overview against ``prioritize round results``)."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.app.style import category_css
from prioritize.cli.main import main
from prioritize.export import portfolio_xlsx
from prioritize.model.categories import CATEGORIES
from prioritize.store import DB_ENV, Store
from prioritize.store.example import ExampleImport
from tests.app.conftest import ROOT
from tests.store.council import Council


def _page(at: AppTest, page: str) -> AppTest:
    at.switch_page(str(PAGES / f"{page}.py"))
    return at.run()


def _css_colours(css: str) -> tuple[str, str]:
    fill = re.search(r"background-color: (#[0-9A-Fa-f]{6})", css)
    text = re.search(r"(?<!-)color: (#[0-9A-Fa-f]{6})", css)
    assert fill and text, css
    return fill.group(1).upper(), text.group(1).upper()


def test_page_and_workbook_colour_every_category_alike(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    evaluation = store.session("m01", "m01-demo").evaluation(1)
    book = openpyxl.load_workbook(io.BytesIO(portfolio_xlsx(evaluation)))
    sheet = book["Ranking"]
    header = [c.value for c in sheet[1]]
    column = header.index("category") + 1
    seen: dict[str, tuple[str, str]] = {}
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        fill = "#" + str(cell.fill.fgColor.rgb)[-6:].upper()
        text = "#" + str(cell.font.color.rgb)[-6:].upper()
        seen[str(cell.value)] = (fill, text)
    assert set(seen) == set(CATEGORIES)  # the example places requirements in all six
    for category, colours in seen.items():
        assert _css_colours(category_css(category)) == colours, category


@pytest.fixture
def small_council(council_db: Council, monkeypatch: pytest.MonkeyPatch) -> Council:
    """The small store council (a copy of the run's template) as the page's database."""
    monkeypatch.setenv(DB_ENV, str(council_db.path))
    return council_db


def test_the_per_requirement_form_uses_each_criterion_scale(small_council: Council) -> None:
    # the small council's criteria: impact and legal on 1-5, cost on 0-10
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.SESSION_KEY] = small_council.session("m01")
    at.session_state[state.ROUND_KEY] = small_council.scoring
    at = _page(at.run(), "score")
    at.selectbox(key=f"score-requirement-{small_council.scoring}").set_value("R1").run()
    levels = {r.key: r for r in at.radio}
    prefix = f"score-level-{small_council.scoring}-R1-"
    assert [o.split(" ")[0] for o in levels[prefix + "impact"].options] == [
        *"12345",
        "Cannot",
    ]
    assert [o.split(" ")[0] for o in levels[prefix + "cost"].options] == [
        *map(str, range(11)),
        "Cannot",
    ]


def test_a_score_of_8_on_a_0_to_10_criterion_is_saved_as_8(small_council: Council) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.SESSION_KEY] = small_council.session("m01")
    at.session_state[state.ROUND_KEY] = small_council.scoring
    at = _page(at.run(), "score")
    at.selectbox(key=f"score-requirement-{small_council.scoring}").set_value("R4").run()
    at.radio(key=f"score-level-{small_council.scoring}-R4-cost").set_value(8.0)
    at.text_area(key=f"score-reason-{small_council.scoring}-R4-cost").set_value("two teams")
    at.button(key="score-save").click().run()
    stored = small_council.session("m01").scores(small_council.scoring)
    row = stored[(stored["requirement_id"] == "R4") & (stored["criterion"] == "cost")]
    assert row["score"].tolist() == [8.0] and row["reason"].tolist() == ["two teams"]


def test_round_overview_and_cli_show_the_same_flags(
    council: tuple[Store, ExampleImport], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, example = council
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state[state.SESSION_KEY] = store.session("m01", "m01-demo")
    at = _page(at.run(), "overview")
    # the flags table is the overview's last table (AppTest does not expose table keys)
    page = at.dataframe[-1].value
    assert "requirement_id" in page.columns and "flag" in page.columns
    monkeypatch.setenv("PRIORITIZE_MEMBER", "m01")
    monkeypatch.setenv("PRIORITIZE_PASSCODE", "m01-demo")
    out = io.StringIO()
    assert main(["round", "results", str(example.round.id), "--format", "json"], out=out) == 0
    cli = json.loads(out.getvalue())["flags"]
    assert len(cli) > 2  # the CLI once showed 2 flags; the page 16
    assert [(f["requirement_id"], f["flag"]) for f in cli] == list(
        zip(page["requirement_id"], page["flag"], strict=True)
    )
