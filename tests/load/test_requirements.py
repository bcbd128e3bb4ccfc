"""Loading requirements: every format, every bad input, and where errors point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import prioritize as pz
from tests.load.tables import REQUIREMENTS_CSV, write


class TestRequirements:
    def test_csv(self, tmp_path: Path) -> None:
        reqs = pz.load_requirements(write(tmp_path, REQUIREMENTS_CSV, "r.csv"))
        assert list(reqs.ids) == ["R1", "R2", "R3"]
        first = reqs["R1"]
        assert first.personas == ("Sales rep", "Order clerk")
        assert first.requested_by == "Sales"
        assert [r.id for r in reqs] == ["R1", "R2", "R3"]
        assert reqs.table.loc["R2", "description"] == ""

    def test_xlsx_and_yaml_give_the_same_requirements(self, tmp_path: Path) -> None:
        from_csv = pz.load_requirements(write(tmp_path, REQUIREMENTS_CSV, "r.csv"))
        frame = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)
        frame.to_excel(tmp_path / "r.xlsx", index=False)
        (tmp_path / "r.yaml").write_text(
            yaml.safe_dump({"requirements": frame.to_dict(orient="records")})
        )
        for name in ("r.xlsx", "r.yaml"):
            loaded = pz.load_requirements(tmp_path / name)
            pd.testing.assert_frame_equal(loaded.table, from_csv.table)

    def test_columns_match_case_and_spaces(self, tmp_path: Path) -> None:
        reqs = pz.load_requirements(
            write(tmp_path, " ID ,Title,Requested By\nA,t,Sales\n", "r.csv")
        )
        assert reqs["A"].requested_by == "Sales"

    def test_dataframe_with_id_index(self) -> None:
        frame = pd.DataFrame({"title": ["a", "b"]}, index=pd.Index(["X", "Y"], name="id"))
        assert list(pz.load_requirements(frame).ids) == ["X", "Y"]

    def test_duplicate_ids_name_both_rows(self, tmp_path: Path) -> None:
        path = write(tmp_path, "id,title\nR1,a\nR2,b\nR1,c\n", "r.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_requirements(path)
        problem = exc.value.first
        assert (problem.file, problem.row, problem.value) == (str(path), 4, "R1")
        assert "first at row 2" in problem.message

    def test_missing_column(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_requirements(write(tmp_path, "id,label\nR1,a\n", "r.csv"))
        assert "missing required column title" in exc.value.first.message
        assert exc.value.first.value == "id, label"

    def test_blank_title(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_requirements(write(tmp_path, "id,title\nR1,a\nR2,  \n", "r.csv"))
        assert (exc.value.first.row, exc.value.first.column) == (3, "title")

    @pytest.mark.parametrize("text", ["", "id,title\n"])
    def test_empty_file(self, tmp_path: Path, text: str) -> None:
        with pytest.raises(pz.ValidationError, match=r"empty|no data rows"):
            pz.load_requirements(write(tmp_path, text, "r.csv"))

    def test_unsupported_type_and_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError, match="unsupported file type"):
            pz.load_requirements(write(tmp_path, "x", "r.json"))
        with pytest.raises(pz.ValidationError, match="no such file"):
            pz.load_requirements(tmp_path / "missing.csv")

    def test_malformed_csv(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError, match="malformed CSV"):
            pz.load_requirements(write(tmp_path, 'id,title\nR1,"unclosed\n', "r.csv"))

    def test_formula_looking_text_stays_text(self, tmp_path: Path) -> None:
        reqs = pz.load_requirements(write(tmp_path, 'id,title\nR1,"=1+1"\n', "r.csv"))
        assert reqs["R1"].title == "=1+1"
