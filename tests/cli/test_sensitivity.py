"""``prioritize sensitivity``: the module the command line wires (add_arguments + run)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.cli import sensitivity as cli_sensitivity
from prioritize.sensitivity import smaa, stability_intervals


@pytest.fixture(scope="module")
def example() -> pz.Evaluation:
    return pz.evaluate_example()


def run(evaluation: pz.Evaluation, *argv: str) -> str:
    parser = argparse.ArgumentParser()
    cli_sensitivity.add_arguments(parser)
    out = io.StringIO()
    assert cli_sensitivity.run(evaluation, parser.parse_args(list(argv)), out) == 0
    return out.getvalue()


def test_table_shows_intervals_acceptability_and_fragile(example: pz.Evaluation) -> None:
    text = run(example, "--samples", "2000", "--top-k", "5")
    assert "Weight stability" in text and "Most critical for the top 5" in text
    assert "Fragile placements" in text
    ranking = stability_intervals(example, scope="ranking")
    lower, upper = ranking.loc["legal_necessity", ["lower", "upper"]]
    assert f"{lower:.3f} to {upper:.3f}" in text
    for rid in example.table.index:
        assert rid in text


def test_csv_has_one_row_per_requirement_and_consistent_flags(example: pz.Evaluation) -> None:
    text = run(
        example,
        "--format",
        "csv",
        "--samples",
        "3000",
        "--seed",
        "4",
        "--min-acceptability",
        "0.9",
        "--min-change",
        "0.5",
    )
    rows = pd.read_csv(io.StringIO(text), index_col="id", keep_default_na=False, na_values=[""])
    assert list(rows.index) == list(example.table.index)
    acceptability = smaa(example, samples=3000, seed=4, pairwise=False)
    expected = acceptability.acceptability_of(example.table["category"])
    assert np.allclose(rows["acceptability"], expected, atol=1e-6)
    shares = rows[[c for c in rows.columns if c.startswith("p_")]]
    assert np.allclose(shares.sum(axis=1), 1, atol=1e-5)
    low = rows["acceptability"] < 0.9
    close = rows["flip_relative_change"].fillna(np.inf) < 0.5
    assert (rows["fragile"] == (low | close)).all()
    assert rows["fragile"].any() and not rows["fragile"].all()
    # the nearest flip agrees with the category intervals
    category = stability_intervals(example, scope="category")
    tightest = category["relative_change"].groupby(level="requirement").min()
    finite = np.isfinite(tightest.loc[rows.index])
    assert np.allclose(
        rows.loc[finite[finite].index, "flip_relative_change"],
        tightest.loc[finite[finite].index],
        atol=1e-6,
    )


def test_json_is_complete_and_strict(example: pz.Evaluation) -> None:
    text = run(
        example, "--format", "json", "--samples", "1000", "--weights", "council", "--top-k", "3"
    )

    def no_constants(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name}")

    data = json.loads(text, parse_constant=no_constants)
    assert data["settings"]["weights"] == "council"
    assert data["settings"]["concentration"] == 100.0
    assert len(data["ranking_intervals"]) == len(example.criteria)
    assert len(data["top_k_intervals"]) == len(example.criteria)
    assert len(data["placements"]) == len(example.table)
    assert len(data["category_intervals"]) == len(example.table) * len(example.criteria)
    assert data["most_critical"]["criterion"] in example.criteria.ids


def test_same_seed_same_output(example: pz.Evaluation) -> None:
    assert run(example, "--samples", "500", "--seed", "9") == run(
        example, "--samples", "500", "--seed", "9"
    )


@pytest.mark.parametrize(
    "argv",
    [["--min-acceptability", "1.5"], ["--top-k", "0"], ["--samples", "0"], ["--min-change", "-1"]],
)
def test_bad_options_are_validation_errors(example: pz.Evaluation, argv: list[str]) -> None:
    with pytest.raises(pz.ValidationError):
        run(example, *argv)


ESC = "\x1b"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile() -> pz.Evaluation:
    """The example with a title and a requirement id that hold escape codes and formulas."""
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    scores = pd.read_csv(example / "scores.csv", dtype={"requirement_id": str})
    first = requirements.loc[0, "id"]
    hostile_id = "=1+1;" + ESC + "[2J"
    requirements.loc[0, "id"] = hostile_id
    scores.loc[scores["requirement_id"] == first, "requirement_id"] = hostile_id
    requirements.loc[1, "title"] = ESC + "]0;owned\x07x\r@SUM(1);-2"
    return pz.evaluate(
        "customer-operations",
        requirements,
        scores,
        members=pd.read_csv(example / "members.csv"),
    )


def test_table_prints_no_terminal_escapes(hostile: pz.Evaluation) -> None:
    text = run(hostile, "--samples", "200", "--min-change", "1000")  # most rows fragile
    assert CONTROL.search(text) is None and ESC not in text
    assert "=1+1;\ufffd" in text and "\ufffdx @SUM(1);-2" in text


def test_csv_follows_the_export_text_rule(hostile: pz.Evaluation) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = run(hostile, "--format", "csv", "--samples", "200")
    assert sorted(str(w.message).split(":")[0] for w in caught) == [
        "sensitivity CSV, column 'id'",
        "sensitivity CSV, column 'title'",
    ]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(hostile.table) + 1
    cells = [cell for row in rows for cell in row]
    assert "'=1+1;\ufffd[2J" in cells and "\ufffd]0;owned\ufffdx\r'@SUM(1);'-2" in cells
    for separator in (",", ";"):
        for line in re.split(r"\r\n|\r|\n", text):
            for cell in next(csv.reader([line], delimiter=separator), []):
                if cell.startswith(("=", "+", "-", "@", "\t")):
                    float(cell)  # only a number may start so
