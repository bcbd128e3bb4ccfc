"""Loading scores, long and wide: every bad input, all-or-nothing, and where errors point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from tests.load.tables import REQUIREMENTS_CSV, SCORES_CSV, write


class TestScores:
    def test_csv_long_form(self, tmp_path: Path) -> None:
        scores = pz.load_scores(write(tmp_path, SCORES_CSV, "s.csv"))
        table = scores.table
        assert table["score"].tolist() == [5.0, 4.0, 3.0]
        assert table["reason"].tolist() == ["Most errors start at entry", "", ""]
        assert scores.members == ("ann", "bob")

    def test_not_a_number_names_everything(self, tmp_path: Path) -> None:
        path = write(tmp_path, SCORES_CSV.replace("R1,bob,impact,4", "R1,bob,impact,four"), "s.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(path)
        p = exc.value.first
        assert (p.file, p.row, p.column, p.value) == (str(path), 3, "score", "four")
        assert "not a number" in p.message and "scale" in (p.expected or "")

    def test_one_bad_row_loads_nothing_and_all_problems_are_listed(self, tmp_path: Path) -> None:
        text = SCORES_CSV + "R2,bob,impact,x\nR3,bob,impact,\n"
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(write(tmp_path, text, "s.csv"))
        assert [(p.row, p.message) for p in exc.value.problems] == [
            (5, "score is not a number"),
            (6, "missing score"),
        ]

    def test_duplicate_score(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError, match="duplicate score"):
            pz.load_scores(write(tmp_path, SCORES_CSV + "R1,ann,impact,2,\n", "s.csv"))

    def test_missing_column(self, tmp_path: Path) -> None:
        with pytest.raises(pz.ValidationError, match="missing required column score"):
            pz.load_scores(write(tmp_path, "requirement_id,member,criterion\nR1,a,b\n", "s.csv"))

    def test_out_of_scale_and_unknown_references(
        self, tmp_path: Path, tiny: pz.CriteriaSet
    ) -> None:
        text = (
            "requirement_id,member,criterion,score\n"
            "R1,ann,impact,6\n"  # outside 1..5
            "R9,ann,impact,3\n"  # unknown requirement
            "R1,ann,charm,3\n"  # unknown criterion
            "R1,zed,impact,3\n"  # unknown member
            "R1,obs,impact,3\n"  # observers do not score
            "R1,ann,cost,0\n"
        )  # inside 0..10: fine
        reqs = pz.load_requirements(write(tmp_path, REQUIREMENTS_CSV, "r.csv"))
        members = pz.load_members(
            pd.DataFrame(
                {
                    "id": ["ann", "obs"],
                    "name": ["Ann", "Obi"],
                    "department": ["Sales", "Audit"],
                    "role": ["member", "observer"],
                }
            )
        )
        path = write(tmp_path, text, "s.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(path, criteria=tiny, requirements=reqs, members=members)
        found = {(p.row, p.column, p.message) for p in exc.value.problems}
        assert found == {
            (2, "score", "score outside the criterion's scale"),
            (4, "criterion", "unknown criterion"),
            (3, "requirement_id", "score for an unknown requirement"),
            (5, "member", "score by an unknown member"),
            (6, "member", "an observer cannot score"),
        }
        outside = next(p for p in exc.value.problems if p.row == 2)
        assert outside.value == "6" and outside.expected == "a number from 1 to 5 for impact"

    def test_dataframe_rows_are_named_by_index(self) -> None:
        frame = pd.DataFrame(
            {"requirement_id": ["R1"], "member": ["a"], "criterion": ["c"], "score": ["high"]},
            index=pd.Index([41]),
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(frame)
        assert exc.value.first.row == "41"
        assert exc.value.first.file == "<DataFrame>"

    def test_numeric_dataframe(self) -> None:
        frame = pd.DataFrame(
            {
                "requirement_id": ["R1", "R2"],
                "member": ["a", "a"],
                "criterion": ["c", "c"],
                "score": [1, 2.5],
            }
        )
        assert pz.load_scores(frame).table["score"].tolist() == [1.0, 2.5]

    def test_xlsx_named_sheet(self, tmp_path: Path) -> None:
        frame = pd.read_csv(write(tmp_path, SCORES_CSV, "s.csv"), keep_default_na=False)
        with pd.ExcelWriter(tmp_path / "s.xlsx") as writer:
            pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
            frame.to_excel(writer, sheet_name="Scores", index=False)
        scores = pz.load_scores(tmp_path / "s.xlsx", sheet="Scores")
        assert scores.table["score"].tolist() == [5.0, 4.0, 3.0]
        with pytest.raises(pz.ValidationError, match="no such sheet") as exc:
            pz.load_scores(tmp_path / "s.xlsx", sheet="Nope")
        assert exc.value.first.expected == "one of Notes, Scores"

    def test_xlsx_text_that_looks_like_missing_stays_text(self, tmp_path: Path) -> None:
        # ("#N/A" typed in Excel is an error value, not text; pandas writes it as one too)
        frame = pd.DataFrame({"id": ["NA", "null"], "title": ["N/A", "None"]})
        frame.to_excel(tmp_path / "r.xlsx", index=False)
        reqs = pz.load_requirements(tmp_path / "r.xlsx")
        assert list(reqs.ids) == ["NA", "null"]
        assert [r.title for r in reqs] == ["N/A", "None"]

    def test_xlsx_errors_name_the_sheet(self, tmp_path: Path) -> None:
        frame = pd.DataFrame(
            {
                "requirement_id": ["R1", "R2"],
                "member": ["a", "a"],
                "criterion": ["c", "c"],
                "score": [3, "high"],
            }
        )
        with pd.ExcelWriter(tmp_path / "s.xlsx") as writer:
            frame.to_excel(writer, sheet_name="Council", index=False)
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(tmp_path / "s.xlsx")
        p = exc.value.first
        assert (p.file, p.row, p.column, p.value) == (
            f"{tmp_path / 's.xlsx'} [sheet Council]",
            3,
            "score",
            "high",
        )


class TestWideForm:
    def test_wide_scores_equal_long_scores(self, tmp_path: Path, tiny: pz.CriteriaSet) -> None:
        wide = write(
            tmp_path,
            "requirement_id,member,impact,impact_reason,legal,cost\n"
            "R1,ann,5,entry errors,4,2\n"
            "R2,ann,3,,,7\n",
            "wide.csv",
        )
        long = write(
            tmp_path,
            "requirement_id,member,criterion,score,reason\n"
            "R1,ann,impact,5,entry errors\nR1,ann,legal,4,\n"
            "R1,ann,cost,2,\nR2,ann,impact,3,\nR2,ann,cost,7,\n",
            "long.csv",
        )
        key = ["requirement_id", "member", "criterion"]
        a = pz.load_scores(wide, criteria=tiny).table.sort_values(key).reset_index(drop=True)
        b = pz.load_scores(long, criteria=tiny).table.sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)

    def test_wide_errors_point_at_the_source_row(
        self, tmp_path: Path, tiny: pz.CriteriaSet
    ) -> None:
        path = write(
            tmp_path, "requirement_id,member,impact,cost\nR1,ann,5,2\nR2,ann,3,lots\n", "wide.csv"
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(path, criteria=tiny)
        assert (exc.value.first.row, exc.value.first.value) == (3, "lots")
        path = write(tmp_path, "requirement_id,member,impact,cost\nR1,ann,5,11\n", "w2.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(path, criteria=tiny)
        assert (exc.value.first.row, exc.value.first.message) == (
            2,
            "score outside the criterion's scale",
        )

    def test_wide_unknown_criterion_column(self, tmp_path: Path, tiny: pz.CriteriaSet) -> None:
        path = write(tmp_path, "requirement_id,member,impact,charm\nR1,ann,5,2\n", "w.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scores(path, criteria=tiny)
        assert (exc.value.first.column, exc.value.first.message) == (
            "charm",
            "unknown criterion column",
        )
