"""The ranking exports (CSV and JSON): every number round-trips exactly, text is quoted and
protected for spreadsheets in CSV only."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.export import (
    csv_unquote,
    export_ranking,
)
from tests.conftest import make_council
from tests.export.council import EVALUATION, FORMULA_TITLE, IDS, STAMP


class TestRankingExports:
    def test_csv_round_trips_the_numbers(self, tmp_path: Path) -> None:
        path = export_ranking(EVALUATION, tmp_path / "ranking.csv", "csv")
        assert path == tmp_path / "ranking.csv"
        back = pd.read_csv(path, keep_default_na=False)
        table = EVALUATION.table
        assert back["id"].tolist() == IDS
        for column in ("score", "value", "effort", "urgency", "net_value"):
            assert back[column].tolist() == table[column].tolist()  # exact
        assert back["rank"].tolist() == table["rank"].tolist()
        assert back["category"].tolist() == table["category"].astype(str).tolist()
        assert back["mandatory"].tolist() == table["mandatory"].tolist()
        titles = back["title"].tolist()
        assert f"'{FORMULA_TITLE}" in titles  # protected for spreadsheets
        assert [csv_unquote(t) for t in titles] == table["title"].tolist()

    def test_csv_unprotected_on_request(self) -> None:
        buffer = io.StringIO()
        assert export_ranking(EVALUATION, buffer, "csv", formula_safe=False) is None
        back = pd.read_csv(io.StringIO(buffer.getvalue()), keep_default_na=False)
        assert back["title"].tolist() == EVALUATION.table["title"].tolist()

    def test_json_round_trips_the_numbers(self) -> None:
        buffer = io.BytesIO()
        export_ranking(EVALUATION, buffer, "json", generated_at=STAMP)
        document = json.loads(buffer.getvalue().decode("utf-8"))
        assert document["criteria_sha256"] == EVALUATION.criteria.sha256
        assert document["generated_at"] == STAMP
        assert document["tool"] == f"prioritize {pz.__version__}"
        records = document["requirements"]
        assert [r["id"] for r in records] == IDS
        table = EVALUATION.table
        for r in records:
            row = table.loc[r["id"]]
            assert r["score"] == row["score"] and r["net_value"] == row["net_value"]
            assert r["rank"] == row["rank"] and r["category"] == row["category"]
            assert r["title"] == row["title"]  # JSON is data: no apostrophe
        assert document["weights"] == EVALUATION.weights.to_dict()
        assert [u["id"] for u in document["unscored"]] == list(EVALUATION.unscored.index)

    def test_unknown_format(self) -> None:
        with pytest.raises(pz.ValidationError, match="unknown export format"):
            export_ranking(EVALUATION, io.StringIO(), "xml")  # type: ignore[arg-type]


class TestHostileTitles:
    """The ranking CSV (the page's download, ``export --format csv``, ``evaluate --format
    csv``) keeps a formula after a line break or a separator inside its field."""

    @staticmethod
    def ranking_csv(titles: list[str]) -> tuple[pz.Evaluation, str]:
        requirements, scores, members = make_council(len(titles), 6, seed=5)
        requirements["title"] = titles
        ev = pz.evaluate("customer-operations", requirements, scores, members=members)
        buffer = io.StringIO()
        export_ranking(ev, buffer, "csv")
        return ev, buffer.getvalue()

    def test_a_carriage_return_does_not_start_a_row(self) -> None:
        title = "x" + "\r" + "=cmd|' /C calc'!A0"
        ev, text = self.ranking_csv([title, "plain"])
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 3  # header and two requirements: the CR stayed in its field
        assert f'"{title[:2]}\'{title[2:]}"' in text  # quoted, the formula after CR protected
        for line in re.split(r"\r\n|\r|\n", text):  # a reader that splits rows first
            assert not line.startswith(("=", '"=')), line
        assert [csv_unquote(r[1]) for r in rows[1:]] == ev.table["title"].tolist()

    def test_a_separator_in_a_title_does_not_make_a_cell(self) -> None:
        title = "x" + ";" + "=2+5" + ";"
        _, text = self.ranking_csv([title, "plain"])
        for line in text.splitlines():
            cells = next(csv.reader([line], delimiter=";"))
            assert not any(c.startswith("=") for c in cells), cells
        row = next(r for r in csv.DictReader(io.StringIO(text)) if "x;" in r["title"])
        assert row["title"] == "x;'=2+5;" and csv_unquote(row["title"]) == title
