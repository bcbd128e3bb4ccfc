"""Loaders: every format, every bad input, all-or-nothing, and where errors point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import prioritize as pz

REQUIREMENTS_CSV = """id,title,requested_by,personas
R1,Validate customer fields,Sales,Sales rep;Order clerk
R2,One product catalogue,Operations,
R3,Fourth approval signature,Finance,Approver
"""

SCORES_CSV = """requirement_id,member,criterion,score,reason
R1,ann,impact,5,Most errors start at entry
R1,bob,impact,4,
R2,ann,impact,3,
"""


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


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


class TestMembers:
    def test_roles(self, tmp_path: Path) -> None:
        path = write(
            tmp_path, "id,name,department,role\na,Ann,Sales,Facilitator\nb,Bob,IT,member\n", "m.csv"
        )
        members = pz.load_members(path)
        assert [m.role for m in members] == ["facilitator", "member"]
        assert members["b"].department == "IT"

    def test_role_column_optional(self, tmp_path: Path) -> None:
        members = pz.load_members(write(tmp_path, "id,name,department\na,Ann,Sales\n", "m.csv"))
        assert members["a"].role == "member"

    def test_unknown_role(self, tmp_path: Path) -> None:
        path = write(tmp_path, "id,name,department,role\na,Ann,Sales,boss\n", "m.csv")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_members(path)
        assert (exc.value.first.row, exc.value.first.column, exc.value.first.value) == (
            2,
            "role",
            "boss",
        )


class TestImportForms:
    def test_aliases(self, tmp_path: Path) -> None:
        path = write(
            tmp_path, "Req ID,Scorer,Criteria,Rating,Comment\nR1,ann,impact,4,why\n", "s.csv"
        )
        table = pz.load_scores(path).table
        assert table.iloc[0][
            ["requirement_id", "member", "criterion", "score", "reason"]
        ].tolist() == ["R1", "ann", "impact", 4.0, "why"]
        members = pz.load_members(write(tmp_path, "Member ID,Full Name,Dept\na,Ann,IT\n", "m.csv"))
        assert members["a"].department == "IT"

    def test_canonical_name_wins_and_two_aliases_are_ambiguous(self, tmp_path: Path) -> None:
        reqs = pz.load_requirements(write(tmp_path, "id,key,title\nR1,K,t\n", "r.csv"))
        assert list(reqs.ids) == ["R1"]
        with pytest.raises(pz.ValidationError, match="all mean 'member'"):
            pz.load_scores(
                write(
                    tmp_path, "requirement_id,scorer,rater,criterion,score\nR1,a,b,c,1\n", "s.csv"
                )
            )

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

    def test_oversized_file_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, REQUIREMENTS_CSV, "r.csv")
        with pytest.raises(pz.ValidationError, match="larger than the 0 MB limit") as exc:
            pz.load_requirements(path, max_bytes=10)
        assert exc.value.first.file == str(path)
        assert len(pz.load_requirements(path, max_bytes=None)) == 3

    def test_upload_like_objects(self) -> None:
        import io

        upload = io.BytesIO(REQUIREMENTS_CSV.encode())
        upload.name = "uploaded.csv"  # type: ignore[attr-defined]
        assert list(pz.load_requirements(upload).ids) == ["R1", "R2", "R3"]
        big = io.BytesIO(b"id,title\n" + b"R,t\n" * 100)
        big.name = "big.csv"  # type: ignore[attr-defined]
        with pytest.raises(pz.ValidationError, match="limit") as exc:
            pz.load_requirements(big, max_bytes=50)
        assert exc.value.first.file == "big.csv"
