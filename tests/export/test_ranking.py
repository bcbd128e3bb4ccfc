"""The ranking exports (CSV and JSON): every number round-trips exactly, titles are protected
for spreadsheets in CSV only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.export import (
    csv_unquote,
    export_ranking,
)
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
