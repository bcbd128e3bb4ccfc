"""The portfolio workbook, read back with openpyxl and checked against the evaluation it came
from (issue 5, items 1, 4 and 5). The ranking exports are in test_ranking.py."""

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
from prioritize.council.decisions import chain_entry
from prioritize.export import (
    ExportWarning,
    export_portfolio,
    portfolio_table,
    portfolio_xlsx,
)
from prioritize.sensitivity import smaa, stability_intervals
from tests.export.council import DECISIONS, EVALUATION, FORMULA_TITLE, IDS, STAMP

STABILITY = pd.DataFrame(
    {
        "weight": EVALUATION.weights.to_numpy(),
        "lower": np.linspace(0.0, 0.05, len(EVALUATION.criteria)),
        "upper": np.r_[np.inf, np.linspace(0.3, 0.9, len(EVALUATION.criteria) - 1)],
    },
    index=pd.Index(EVALUATION.criteria.ids, name="criterion"),
)
ACCEPTABILITY = pd.DataFrame(
    np.random.default_rng(5).dirichlet(np.ones(6), len(EVALUATION.table)),
    index=EVALUATION.table.index,
    columns=list(pz.CATEGORIES),
)
SMAA = {"seed": 12345, "samples": 10_000, "weights": "dirichlet"}

SHEETS = [
    "Portfolio",
    "Ranking",
    "Scores",
    "Requirements",
    "Members",
    "Criteria",
    "Sensitivity",
    "Acceptability",
    "Decisions",
    "About",
]
HEADERS = {
    "Portfolio": [
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
    ],
    "Ranking": [
        "rank",
        "tied",
        "id",
        "title",
        "requested by",
        "category",
        "usual response",
        "score",
        "value",
        "effort",
        "urgency",
        "net value",
        "mandatory",
        "rule",
        "category acceptability",
        "explanation",
    ],
    "Scores": [
        "requirement id",
        "title",
        "member",
        "name",
        "department",
        "criterion",
        "score",
        "counted",
        "reason",
    ],
    "Requirements": [
        "id",
        "title",
        "description",
        "requested by",
        "personas",
        "scenario",
        "evidence",
        "status",
    ],
    "Members": ["id", "name", "department", "role"],
    "Criteria": [
        "id",
        "name",
        "group",
        "direction",
        "weight",
        "weight share",
        "axes",
        "owners",
        "gate",
        "scale min",
        "scale max",
        "anchors",
        "description",
    ],
    "Sensitivity": ["criterion", "weight", "lower", "upper"],
    "Acceptability": ["rank", "id", "title", "category", *pz.CATEGORIES],
    "Decisions": [
        "time",
        "requirement id",
        "title",
        "outcome",
        "override",
        "category",
        "rank",
        "rationale",
        "decided by",
        "dissent",
        "basis hash",
        "prev hash",
        "hash",
    ],
    "About": ["item", "value"],
}
FREEZE = {
    "Portfolio": "C2",
    "Ranking": "D2",
    "Requirements": "B2",
    "Criteria": "B2",
    "Sensitivity": "B2",
    "Acceptability": "D2",
}


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "portfolio.xlsx"
    with pytest.warns(ExportWarning, match="NOPE-1"):
        export_portfolio(
            EVALUATION,
            path,
            decisions=DECISIONS,
            stability=STABILITY,
            acceptability=ACCEPTABILITY,
            smaa_info=SMAA,
            generated_at=STAMP,
        )
    return path


@pytest.fixture(scope="module")
def book(workbook_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook_path)


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


def cells(ws: Worksheet, header: str) -> list[Any]:
    """The cells (not values) of a column, header excluded."""
    position = [c.value for c in ws[1]].index(header)
    return [row[position] for row in ws.iter_rows(min_row=2)]


def formats(ws: Worksheet, header: str) -> set[str]:
    """The number formats of a column's non-empty cells."""
    return {c.number_format for c in cells(ws, header) if c.value is not None}


def about(book: openpyxl.Workbook) -> dict[str, Any]:
    return {r["item"]: r["value"] for r in rows(book["About"])}


def contrast_text(fill: str) -> str:
    """Brute-force WCAG 2 choice of black or white text on ``fill``."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"


class TestStructure:
    def test_sheets_in_order(self, book: openpyxl.Workbook) -> None:
        assert book.sheetnames == SHEETS

    @pytest.mark.parametrize("name", SHEETS)
    def test_headers_frozen_filtered(self, book: openpyxl.Workbook, name: str) -> None:
        ws = book[name]
        header = [c.value for c in ws[1]]
        assert header == HEADERS[name]
        assert ws.freeze_panes == FREEZE.get(name, "A2")
        last = openpyxl.utils.get_column_letter(len(header))
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
        assert all(c.font.b for c in ws[1])
        widths = [
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
            for i in range(len(header))
        ]
        assert all(6 <= w <= 100 for w in widths)

    def test_row_counts(self, book: openpyxl.Workbook) -> None:
        ev = EVALUATION
        assert book["Ranking"].max_row == 1 + len(ev.table) + len(ev.unscored)
        assert book["Scores"].max_row == 1 + len(ev.scores)
        assert book["Requirements"].max_row == 1 + len(ev.requirements)
        assert book["Members"].max_row == 1 + len(ev.members or [])
        assert book["Criteria"].max_row == 1 + len(ev.criteria)
        assert book["Sensitivity"].max_row == 1 + len(STABILITY)
        assert book["Acceptability"].max_row == 1 + len(ev.table)
        assert book["Decisions"].max_row == 1 + len(DECISIONS)

    def test_no_formula_cell_anywhere(self, book: openpyxl.Workbook) -> None:
        for ws in book:
            assert not [
                c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"
            ], ws.title

    def test_deterministic_given_generated_at(self) -> None:
        one = portfolio_xlsx(EVALUATION, acceptability=ACCEPTABILITY, generated_at=STAMP)
        two = portfolio_xlsx(EVALUATION, acceptability=ACCEPTABILITY, generated_at=STAMP)
        later = portfolio_xlsx(
            EVALUATION, acceptability=ACCEPTABILITY, generated_at="2026-03-01T09:30:01Z"
        )
        assert one == two
        assert one != later

    def test_optional_sheets_absent_without_their_inputs(self) -> None:
        data = portfolio_xlsx(EVALUATION, generated_at=STAMP)
        names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
        assert names == [
            "Portfolio",
            "Ranking",
            "Scores",
            "Requirements",
            "Members",
            "Criteria",
            "About",
        ]


class TestRanking:
    def test_rank_order_and_values(self, book: openpyxl.Workbook) -> None:
        table = EVALUATION.table
        got = rows(book["Ranking"])
        ranked, unranked = got[: len(table)], got[len(table) :]
        assert [r["id"] for r in ranked] == IDS
        ranks = [r["rank"] for r in ranked]
        assert ranks == sorted(ranks)
        for r in ranked:
            row = table.loc[r["id"]]
            assert r["rank"] == row["rank"]
            assert r["tied"] is bool(row["tied"])
            assert r["title"] == row["title"]
            assert r["category"] == row["category"]
            assert r["usual response"] == pz.USUAL_RESPONSE[row["category"]]
            for column in ("score", "value", "effort", "urgency", "net_value"):
                assert r[column.replace("_", " ")] == row[column]  # exact: no rounding
            assert r["mandatory"] is bool(row["mandatory"])
            assert r["rule"] == row["rule"]
            assert r["explanation"] == row["explanation"]
            own = ACCEPTABILITY.loc[r["id"], row["category"]]
            assert r["category acceptability"] == own
        assert [r["id"] for r in unranked] == list(EVALUATION.unscored.index)
        assert all(r["rank"] is None and r["category"] is None for r in unranked)
        assert unranked[0]["explanation"].startswith(
            "Not ranked: no usable score on implementation_cost"
        )

    def test_tie_and_mandatory_visible(self, book: openpyxl.Workbook) -> None:
        got = rows(book["Ranking"])
        tied = [r for r in got if r["tied"]]
        assert len(tied) >= 2 and len({r["rank"] for r in tied}) < len(tied)
        assert any(r["mandatory"] for r in got)

    def test_number_formats(self, book: openpyxl.Workbook) -> None:
        ws = book["Ranking"]
        assert formats(ws, "score") == {"0.000"}
        assert formats(ws, "net value") == {"0.000"}
        assert formats(ws, "category acceptability") == {"0.0%"}
        assert formats(ws, "rank") == {"0"}

    def test_category_fills(self, book: openpyxl.Workbook) -> None:
        for name in ("Ranking", "Portfolio", "Acceptability", "Decisions"):
            for cell in cells(book[name], "category"):
                if cell.value is None:
                    assert cell.fill.fill_type is None
                    continue
                colour = pz.CATEGORY_COLOURS[cell.value]
                assert cell.fill.fill_type == "solid"
                assert cell.fill.fgColor.rgb == "FF" + colour[1:]
                assert cell.font.color.rgb == "FF" + contrast_text(colour)[1:]

    def test_formula_like_title_is_text(self, book: openpyxl.Workbook) -> None:
        title = next(c for c in cells(book["Ranking"], "title") if c.value == FORMULA_TITLE)
        assert title.data_type == "s"
        assert title.quotePrefix
        plain = next(c for c in cells(book["Ranking"], "title") if c.value != FORMULA_TITLE)
        assert not plain.quotePrefix


class TestScores:
    def test_every_score_and_reason(self, book: openpyxl.Workbook) -> None:
        frame = EVALUATION.scores.frame
        expected = sorted(
            zip(
                frame["requirement_id"],
                frame["member"],
                frame["criterion"],
                frame["score"],
                frame["reason"],
                strict=True,
            )
        )
        got = sorted(
            (r["requirement id"], r["member"], r["criterion"], r["score"], r["reason"])
            for r in rows(book["Scores"])
        )
        assert got == expected

    def test_order_rank_then_criterion_then_member(self, book: openpyxl.Workbook) -> None:
        ev = EVALUATION
        requirement_order = IDS + [r for r in ev.requirements.ids if r not in IDS]
        criterion_order = list(ev.criteria.ids)
        member_order = list(ev.members.ids) if ev.members is not None else []
        keys = [
            (
                requirement_order.index(r["requirement id"]),
                criterion_order.index(r["criterion"]),
                member_order.index(r["member"]),
            )
            for r in rows(book["Scores"])
        ]
        assert keys == sorted(keys)

    def test_members_and_counted(self, book: openpyxl.Workbook) -> None:
        members = EVALUATION.members
        assert members is not None
        for r in rows(book["Scores"]):
            member = members[r["member"]]
            assert (r["name"], r["department"]) == (member.name, member.department)
            owners = {o.casefold() for o in EVALUATION.criteria[r["criterion"]].owners}
            counts = not owners or member.department.casefold() in owners
            assert r["counted"] == ("yes" if counts else "advisory")
            assert r["title"] == EVALUATION.requirements[r["requirement id"]].title
        assert {r["counted"] for r in rows(book["Scores"])} == {"yes", "advisory"}

    def test_formula_like_reasons_quoted(self, book: openpyxl.Workbook) -> None:
        reasons = {c.value: c for c in cells(book["Scores"], "reason")}
        for text in ("-5% returns", "@risk", "+1 for this"):  # the loader strips spaces
            assert reasons[text].data_type == "s" and reasons[text].quotePrefix

    def test_split_over_sheets_when_too_long(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from prioritize.export.workbook import columns, sheets

        monkeypatch.setattr(columns, "MAX_ROWS", 101)  # 100 data rows per sheet
        parts = sheets.scores_sheets(EVALUATION)
        assert [p.name for p in parts] == ["Scores"] + [
            f"Scores {i}" for i in range(2, len(parts) + 1)
        ]
        assert [p.n_rows for p in parts[:-1]] == [100] * (len(parts) - 1)
        assert sum(p.n_rows for p in parts) == len(EVALUATION.scores)


class TestInputsAndCriteria:
    def test_criteria_sheet(self, book: openpyxl.Workbook) -> None:
        got = rows(book["Criteria"])
        criteria = EVALUATION.criteria
        assert [r["id"] for r in got] == list(criteria.ids)
        for r in got:
            c = criteria[r["id"]]
            assert (r["name"], r["group"], r["direction"]) == (c.name, c.group, c.direction)
            assert r["weight"] == c.weight
            assert r["weight share"] == pytest.approx(EVALUATION.weights[c.id], abs=0)
            assert (r["scale min"], r["scale max"]) == (c.scale.min, c.scale.max)
            for level, text in c.scale.levels.items():
                assert f"{level}: {text}" in r["anchors"]
            assert (r["owners"] or "") == "; ".join(c.owners)
        assert sum(r["weight share"] for r in got) == pytest.approx(1.0)
        legal = next(r for r in got if r["id"] == "legal_necessity")
        assert legal["gate"].startswith(">= 5")
        assert formats(book["Criteria"], "weight share") == {"0.0%"}

    def test_export_then_import_reproduces_the_ranking(self, workbook_path: Path) -> None:
        requirements = pz.load_requirements(workbook_path, sheet="Requirements")
        scores = pz.load_scores(workbook_path, sheet="Scores")
        members = pz.load_members(workbook_path, sheet="Members")
        assert list(requirements.ids) == list(EVALUATION.requirements.ids)
        assert (
            requirements.frame["title"].tolist() == EVALUATION.requirements.frame["title"].tolist()
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pz.IncompleteScoresWarning)
            again = pz.evaluate(EVALUATION.criteria, requirements, scores, members=members)
        pd.testing.assert_frame_equal(again.table, EVALUATION.table)


class TestPortfolio:
    def expected(self, decided: bool) -> list[tuple[str, str]]:
        """Brute force: (id, status) in priority order."""
        table = EVALUATION.table
        if not decided:
            recommended = {"do now", "approve", "plan and fund"}
            return [
                (
                    rid,
                    "mandatory, not yet decided"
                    if row["mandatory"]
                    else f"recommended ({pz.USUAL_RESPONSE[row['category']]}), not yet decided",
                )
                for rid, row in table.iterrows()
                if row["mandatory"] or pz.USUAL_RESPONSE[row["category"]] in recommended
            ]
        latest: dict[str, dict[str, Any]] = {}
        for entry in DECISIONS.to_dict(orient="records"):
            latest[entry["requirement_id"]] = entry
        out = []
        for rid, row in table.iterrows():
            entry = latest.get(rid)
            if entry and entry["outcome"] == "approve":
                out.append((rid, "approved (override)" if entry["override"] else "approved"))
            elif row["mandatory"]:
                out.append(
                    (
                        rid,
                        f"mandatory, not approved (latest decision: {entry['outcome']})"
                        if entry
                        else "mandatory, no decision yet",
                    )
                )
        for rid in EVALUATION.unscored.index:
            if latest.get(rid, {}).get("outcome") == "approve":
                out.append((rid, "approved (not ranked: incomplete scores)"))
        return out

    def test_with_decisions(self, book: openpyxl.Workbook) -> None:
        got = rows(book["Portfolio"])
        assert [(r["id"], r["status"]) for r in got] == self.expected(decided=True)
        by_id = {r["id"]: r for r in got}
        assert by_id[IDS[0]]["rationale"] == "second look: approve"  # the latest entry
        assert by_id[IDS[0]]["decided at"] == "2026-02-03T10:00:00Z"
        assert IDS[6] not in by_id  # approved, then removed
        assert "NOPE-1" not in by_id
        for r in got:
            if r["id"] in EVALUATION.table.index:
                row = EVALUATION.table.loc[r["id"]]
                assert (r["rank"], r["score"], r["category"]) == (
                    row["rank"],
                    row["score"],
                    row["category"],
                )
                assert r["owner"] == EVALUATION.requirements[r["id"]].requested_by
        rationale = next(
            c for c in cells(book["Portfolio"], "rationale") if c.value == "=clear win"
        )
        assert rationale.data_type == "s" and rationale.quotePrefix

    def test_without_decisions(self) -> None:
        table = portfolio_table(EVALUATION)
        assert list(zip(table.index, table["status"], strict=True)) == self.expected(decided=False)
        book = openpyxl.load_workbook(io.BytesIO(portfolio_xlsx(EVALUATION, generated_at=STAMP)))
        assert [r["id"] for r in rows(book["Portfolio"])] == list(table.index)

    def test_bad_decision_log(self) -> None:
        with pytest.raises(pz.ValidationError, match=r"unknown outcome.*'maybe'"):
            portfolio_table(
                EVALUATION, pd.DataFrame({"requirement_id": [IDS[0]], "outcome": ["maybe"]})
            )
        with pytest.raises(pz.ValidationError, match="missing column outcome"):
            portfolio_table(EVALUATION, pd.DataFrame({"requirement_id": [IDS[0]]}))


class TestSensitivityDecisionsAbout:
    def test_sensitivity(self, book: openpyxl.Workbook) -> None:
        got = rows(book["Sensitivity"])
        assert [r["criterion"] for r in got] == list(STABILITY.index)
        assert [r["weight"] for r in got] == STABILITY["weight"].tolist()
        assert got[0]["upper"] == "inf"  # no bound: text, since a sheet has no infinity
        assert [r["upper"] for r in got[1:]] == STABILITY["upper"].tolist()[1:]

    def test_acceptability(self, book: openpyxl.Workbook) -> None:
        ws = book["Acceptability"]
        got = rows(ws)
        assert [r["id"] for r in got] == IDS
        for r in got:
            assert [r[c] for c in pz.CATEGORIES] == ACCEPTABILITY.loc[r["id"]].tolist()
        for cell in ws[1][4:]:
            assert cell.fill.fgColor.rgb == "FF" + pz.CATEGORY_COLOURS[cell.value][1:]
        assert formats(ws, "Harmful requirement") == {"0.0%"}

    def test_decisions(self, book: openpyxl.Workbook) -> None:
        got = rows(book["Decisions"])
        assert [r["hash"] for r in got] == DECISIONS["hash"].tolist()  # order of record
        assert [r["requirement id"] for r in got] == DECISIONS["requirement_id"].tolist()
        assert [r["override"] for r in got] == DECISIONS["override"].tolist()
        assert got[0]["title"] == EVALUATION.requirements[IDS[0]].title
        assert got[-1]["title"] is None  # unknown requirement
        assert [r["rank"] for r in got[:-2]] == DECISIONS["rank"].tolist()[:-2]
        assert formats(book["Decisions"], "rank") == {"0"}
        assert formats(book["Decisions"], "hash") == {"General"}

    def test_about(self, book: openpyxl.Workbook) -> None:
        info = about(book)
        assert EVALUATION.criteria.sha256
        assert info["criteria SHA-256"] == EVALUATION.criteria.sha256
        assert info["tool"] == f"prioritize {pz.__version__}"
        assert info["generated at (UTC)"] == STAMP
        assert info["criteria file"] == EVALUATION.criteria.source
        assert info["aggregation"] == "mean"
        assert (info["SMAA seed"], info["SMAA samples"]) == (12345, 10_000)
        assert info["SMAA weights"] == "dirichlet"
        assert info["decisions"] == len(DECISIONS)
        assert info["decision log head (last entry's hash)"] == DECISIONS["hash"].iloc[-1]
        assert info["requirements ranked"] == len(EVALUATION.table)
        assert info["requirements not ranked (incomplete scores)"] == 1
        for name in ("Portfolio", "Ranking", "Scores", "Decisions"):
            assert f"how to read: {name}" in info
        rules = [k for k in info if k.startswith("category rule")]
        assert len(rules) == len(EVALUATION.criteria.matrix.rules)

    def test_generated_at_in_utc(self) -> None:
        data = portfolio_xlsx(EVALUATION, generated_at="2026-03-01T11:30:00+02:00")
        info = about(openpyxl.load_workbook(io.BytesIO(data)))
        assert info["generated at (UTC)"] == STAMP
        with pytest.raises(pz.ValidationError, match="not a date and time"):
            portfolio_xlsx(EVALUATION, generated_at="yesterday")


def test_with_the_sensitivity_and_decision_modules(tmp_path: Path) -> None:
    """What the sibling modules return goes in as it is."""
    ev = EVALUATION
    acceptability = smaa(ev, samples=300, seed=11)
    stability = stability_intervals(ev, scope="category")
    entries, previous = [], None
    for rid in IDS[:3]:
        previous = chain_entry(
            previous,
            round_id=1,
            requirement_id=rid,
            outcome="approve",
            category=str(ev.table.loc[rid, "category"]),
            rank=int(ev.table.loc[rid, "rank"]),
            rationale="agreed",
            decided_by="facilitator",
            dissent="",
            decided_at="2026-02-01T10:00:00Z",
            basis_sha256="0" * 64,
            override=False,
        )
        entries.append(previous)
    path = export_portfolio(
        ev,
        tmp_path / "p.xlsx",
        decisions=entries,
        stability=stability,
        acceptability=acceptability,
        generated_at=STAMP,
    )
    book = openpyxl.load_workbook(path)
    assert [r["id"] for r in rows(book["Portfolio"]) if r["status"] == "approved"] == IDS[:3]
    assert [r["entry hash"] for r in rows(book["Decisions"])] == [e.entry_hash for e in entries]
    assert book["Sensitivity"].max_row == 1 + len(stability)
    info = about(book)
    assert (info["SMAA seed"], info["SMAA samples"]) == (11, 300)
    assert info["decision log head (last entry's hash)"] == entries[-1].entry_hash
