"""Hostile input (issue 10): every file that used to cost gigabytes, minutes or a traceback,
and every one that was silently accepted, is refused with a clear error naming the file and
the limit or rule. Each test builds its file in ``tmp_path`` (see :mod:`tests.load.hostile`);
how fast and how small each refusal is lives in ``benchmarks/bench_hostile.py``, not here.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.store.example import DEMO_SUFFIX
from tests.conftest import ExampleCouncil
from tests.load import hostile
from tests.load.tables import write


def refused(action: object, *args: object) -> pz.ValidationError:
    assert callable(action)
    with pytest.raises(pz.ValidationError) as caught:
        action(*args)
    return caught.value


# --- cost: memory and time ------------------------------------------------------------------


def test_sparse_sheet_is_refused_at_its_first_far_cell(tmp_path: Path) -> None:
    path = hostile.sparse_xlsx(tmp_path / "sparse.xlsx")
    assert path.stat().st_size < 2_000
    error = refused(pz.load_requirements, path)
    problem = error.first
    assert problem.file == f"{path} [sheet Sheet1]"
    assert problem.limit == "max_columns"
    assert (problem.row, problem.column) == (2, "XFD")
    assert "16,384" in str(problem.value) and "1,000" in str(problem.expected)


def test_a_value_in_the_last_row_of_a_sheet_is_refused_by_the_row_limit(tmp_path: Path) -> None:
    path = hostile.far_row_xlsx(tmp_path / "far.xlsx")
    problem = refused(pz.load_requirements, path).first
    assert (problem.limit, problem.row) == ("max_rows", 1_048_576)
    assert problem.file is not None and str(path) in problem.file


def test_shared_string_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = hostile.shared_string_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1_000_000  # 210 MB of text inside
    problem = refused(pz.load_requirements, path).first
    assert problem.file == str(path)
    assert problem.limit == "max_part_bytes"
    assert "sharedStrings.xml" in problem.message and "MB" in str(problem.value)


def test_billion_laughs_is_refused_while_composing(tmp_path: Path) -> None:
    path = hostile.billion_laughs(tmp_path / "lol.yaml")
    assert path.stat().st_size < 400
    error = refused(pz.load_criteria, path)
    assert (error.first.file, error.first.limit) == (str(path), "max_yaml_nodes")
    assert len(str(error)) < 1_000  # the expanded value is never formatted
    table = hostile.billion_laughs(tmp_path / "lol-requirements.yaml", criteria=False)
    assert refused(pz.load_requirements, table).first.limit == "max_yaml_nodes"


def test_csv_of_100000_columns_is_refused_from_its_header(tmp_path: Path) -> None:
    path = hostile.wide_csv(tmp_path / "wide.csv")
    problem = refused(pz.load_requirements, path).first
    assert (problem.file, problem.row, problem.limit) == (str(path), 1, "max_columns")
    assert problem.value == "100,000 columns"


# --- tracebacks that are now errors ---------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["title,Title", "title,title", "Title, title", "due-date,Due Date"]
)
def test_columns_with_the_same_name_are_an_error_naming_both(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"id,{header}\nR1,a,b\n", "r.csv")
    problem = refused(pz.load_requirements, path).first
    first, second = header.split(",")
    assert problem.file == str(path) and problem.row == 1
    assert problem.message == "columns 2 and 3 have the same name"
    assert problem.value == f"{first!r} and {second!r}"


def test_columns_with_the_same_name_in_a_sheet_yaml_or_dataframe(tmp_path: Path) -> None:
    rows = (
        '<row r="1">'
        + "".join(
            hostile.text_cell(f"{c}1", t)
            for c, t in zip("ABC", ["id", "title", "Title"], strict=True)
        )
        + '</row><row r="2">'
        + hostile.text_cell("A2", "R1")
        + "</row>"
    )
    sheet = hostile.write_xlsx(tmp_path / "r.xlsx", rows)
    assert refused(pz.load_requirements, sheet).first.value == "'title' and 'Title'"
    yaml_path = write(tmp_path, "- {id: R1, title: a, Title: b}\n", "r.yaml")
    assert refused(pz.load_requirements, yaml_path).first.column == "title"
    frame = pd.DataFrame([["R1", "a", "b"]], columns=["id", "title", "TITLE"])
    assert refused(pz.load_requirements, frame).first.file == "<DataFrame>"


@pytest.mark.parametrize(("cell", "kind"), [("[a, b]", "list"), ("{x: 1}", "mapping")])
def test_a_list_or_mapping_in_a_yaml_cell_names_row_and_column(
    tmp_path: Path, cell: str, kind: str
) -> None:
    path = write(tmp_path, f"- {{id: R1, title: ok}}\n- {{id: R2, title: {cell}}}\n", "r.yaml")
    problem = refused(pz.load_requirements, path).first
    assert (problem.file, problem.row, problem.column) == (str(path), 2, "title")
    assert problem.message == f"a {kind} in a cell"


def test_yaml_nested_50000_deep_is_refused_by_the_depth_limit(tmp_path: Path) -> None:
    path = hostile.deep_yaml(tmp_path / "deep.yaml")
    problem = refused(pz.load_requirements, path).first
    assert (problem.file, problem.limit) == (str(path), "max_yaml_depth")
    criteria = hostile.deep_yaml(tmp_path / "deep-criteria.yaml", key="criteria")
    assert refused(pz.load_criteria, criteria).first.limit == "max_yaml_depth"


def test_a_workbook_without_a_sheet_is_an_error(tmp_path: Path) -> None:
    path = hostile.no_sheet_xlsx(tmp_path / "empty.xlsx")
    problem = refused(pz.load_requirements, path).first
    assert (problem.file, problem.message) == (str(path), "the workbook has no sheet")


def test_a_file_that_is_not_a_zip_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "id,title\nR1,a\n", "r.xlsx")
    assert "not a readable XLSX workbook" in refused(pz.load_requirements, path).first.message


# --- silent acceptances that are now errors ---------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "message", "limit"),
    [
        ("1.0e+308", "weight too large", "max_weight"),
        ("2.0e+6", "weight too large", "max_weight"),
        (".inf", "weight must be a non-negative number", None),
    ],
)
def test_huge_or_infinite_weights_are_refused_in_a_criteria_file(
    tmp_path: Path, weight: str, message: str, limit: str | None
) -> None:
    path = hostile.heavy_weights_yaml(tmp_path / "heavy.yaml", weight)
    error = refused(pz.load_criteria, path)
    assert [(p.file, p.column, p.message, p.limit) for p in error.problems] == [
        (str(path), "weight", message, limit)
    ] * 2
    assert all(p.expected == "a number from 0 to 1e+06" for p in error.problems)


def test_huge_weights_are_refused_by_with_weights_and_the_store(
    example_council: ExampleCouncil,
) -> None:
    criteria = pz.load_criteria("customer-operations")
    for weight in (1e308, math.inf, 2e6):
        assert refused(criteria.with_weights, {"customer_impact": weight}).first.column == "weight"
    assert criteria.with_weights({"customer_impact": 1e6})["customer_impact"].weight == 1e6
    store, example = example_council.store(), example_council.example
    facilitator = store.session(example.facilitator, example.facilitator + DEMO_SUFFIX)
    before = facilitator.criteria(example.round.id).raw_weights
    for weight in (1e308, math.inf):
        problem = refused(facilitator.set_weights, example.round.id, {"customer_impact": weight})
        assert problem.first.column == "weight"
    pd.testing.assert_series_equal(facilitator.criteria(example.round.id).raw_weights, before)


def test_complex_boolean_and_non_finite_scores_name_their_row() -> None:
    keys = {"requirement_id": ["R1", "R2"], "member": ["a", "a"], "criterion": ["c", "c"]}
    complex_scores = pd.DataFrame({**keys, "score": np.array([3 + 0j, 4 + 2j])})
    error = refused(pz.load_scores, complex_scores)
    assert [(p.row, p.message) for p in error.problems] == [
        ("0", "score is a complex number"),
        ("1", "score is a complex number"),
    ]
    mixed = pd.DataFrame({**keys, "score": pd.Series([True, 4.0], dtype=object)})
    assert refused(pz.load_scores, mixed).first.message == "score is a yes/no value, not a number"
    for bad in (math.inf, -math.inf):
        frame = pd.DataFrame({**keys, "score": [3.0, bad]})
        problem = refused(pz.load_scores, frame).first
        assert (problem.row, problem.message) == ("1", "score is not a finite number")


def test_non_finite_scores_in_a_file_name_their_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "requirement_id,member,criterion,score\nR1,a,c,inf\nR2,a,c,NaN\nR3,a,c,true\n",
        "s.csv",
    )
    found = [(p.row, p.message) for p in refused(pz.load_scores, path).problems]
    assert found == [
        (2, "score is not a finite number"),
        (3, "score is not a finite number"),
        (4, "score is not a number"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "how"),
    [
        ("R1", "r1", "case"),
        ("Caf\u00e9", "Cafe\u0301", "Unicode form"),
        ("R\u200b2", "R2", "invisible characters"),
        ("\ufeffR3", "r3", "invisible characters and case"),
    ],
)
def test_ids_that_look_the_same_are_an_error_naming_both(
    tmp_path: Path, first: str, second: str, how: str
) -> None:
    path = write(tmp_path, f"id,title\n{first},a\nR9,b\n{second},c\n", "r.csv")
    problem = refused(pz.load_requirements, path).first
    assert (problem.file, problem.row, problem.column) == (str(path), 4, "id")
    assert problem.message.startswith("requirement id of row 4 differs from that of row 2 only by")
    assert how in problem.message
    assert problem.value == f"{first} | {second}"


def test_look_alike_ids_in_members_and_scores(tmp_path: Path) -> None:
    members = write(tmp_path, "id,name,department\nann,Ann,IT\nANN,Ann B,Legal\n", "m.csv")
    assert refused(pz.load_members, members).first.column == "id"
    scores = write(
        tmp_path,
        "requirement_id,member,criterion,score\nR1,ann,impact,3\nR1,ann,Impact,4\n"
        "R1,bob,impact,2\nR1,b\u200bob,cost,2\n",
        "s.csv",
    )
    found = {(p.column, p.row) for p in refused(pz.load_scores, scores).problems}
    assert found == {("criterion", 3), ("member", 5)}


def test_ids_are_kept_as_typed(tmp_path: Path) -> None:
    path = write(tmp_path, "id,title\nCaf\u00e9,a\nR-1,b\n", "r.csv")
    assert list(pz.load_requirements(path).ids) == ["Caf\u00e9", "R-1"]
