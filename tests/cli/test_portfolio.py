"""``prioritize portfolio`` (issue 13): the selection, its reasons, the core index and the
frontier as the library gives them, on the bundled example and its estimates; nothing fits
-> exit 1 with the reason; a clean standard output whatever the solver prints."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.cli.main import main
from prioritize.cli.portfolio import CSV_COLUMNS, solver_output_silenced
from prioritize.export.text import csv_unquote
from prioritize.portfolio import efficient_frontier, next_step, portfolio, portfolio_acceptability
from tests.cli.test_main import CONTROL, ESC, Terminal, hostile_requirements

BUDGET = 1_000_000.0
#: HiGHS's debug line, which it writes to file descriptor 1 for some problems.
HIGHS = "HighsMipSolverData"


@pytest.fixture(scope="module")
def example() -> pz.Evaluation:
    return pz.evaluate_example()


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["portfolio", *argv], out=out)
    return code, out.getvalue()


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), index_col="id", keep_default_na=False, na_values=[""])


def test_text_shows_the_selection_totals_and_every_reason(example: pz.Evaluation) -> None:
    code, text = run("--budget", str(BUDGET), "--capacity", "1200")
    best = portfolio(example, BUDGET, capacity=1200)
    assert code == 0 and best.feasible
    assert str(best) in text  # the totals against budget and capacity, as the library says
    assert "88% of the budget (117,500.00 left)" in text
    assert "94% of the capacity (69.0 person-days left)" in text
    assert "maximising value" in text
    lines = {line.split()[1]: line for line in text.splitlines() if line[:5].strip().isdigit()}
    assert list(lines) == list(best.table.index)  # every ranked requirement, rank order
    for rid, row in best.table.iterrows():
        assert lines[rid].endswith(row["reason"])
        assert (" yes " in lines[rid]) == row["selected"]
    header = next(line for line in text.splitlines() if line.lstrip().startswith("rank"))
    assert header.split() == ["rank", "id", "title", "in", "cost", "effort", "value", "reason"]
    assert "Efficient frontier" not in text


def test_csv_is_the_library_selection_one_row_per_requirement(example: pz.Evaluation) -> None:
    code, text = run("--budget", str(BUDGET), "--value", "benefit", "--format", "csv")
    assert code == 0
    rows = read_csv(text)
    best = portfolio(example, BUDGET, value="benefit")
    assert ["id", *rows.columns] == list(CSV_COLUMNS)
    assert list(rows.index) == list(best.table.index)
    assert rows["selected"].tolist() == best.table["selected"].tolist()
    for column in ("cost", "effort", "value"):
        assert np.array_equal(rows[column].to_numpy(), best.table[column].to_numpy())
    assert rows["reason"].tolist() == best.table["reason"].tolist()
    assert rows["title"].tolist() == example.table.loc[rows.index, "title"].tolist()
    assert rows["core_index"].isna().all() and rows["class"].isna().all()  # not asked for


def test_samples_give_the_core_index_and_class(example: pz.Evaluation) -> None:
    core = portfolio_acceptability(example, BUDGET, samples=300, seed=4)
    code, text = run("--budget", str(BUDGET), "--samples", "300", "--seed", "4", "--format", "csv")
    assert code == 0
    rows = read_csv(text)
    assert np.array_equal(rows["core_index"].to_numpy(), core.table["core_index"].to_numpy())
    assert rows["class"].tolist() == core.table["class"].tolist()
    code, text = run("--budget", str(BUDGET), "--samples", "300", "--seed", "4")
    counts = core.table["class"].value_counts()
    assert code == 0 and "Core index: 300 samples of council weights, seed 4" in text
    assert f"core {counts.get('core', 0)}, borderline {counts.get('borderline', 0)}" in text
    borderline = core.table.index[core.table["class"] == "borderline"]
    if len(borderline):
        assert "Borderline" in text and all(
            rid in text.split("Borderline")[1] for rid in borderline
        )


def test_frontier_prints_every_breakpoint_and_the_next_ten_percent(example: pz.Evaluation) -> None:
    code, text = run("--budget", str(BUDGET), "--capacity", "1200", "--frontier")
    frontier = efficient_frontier(example, capacity=1200)
    assert code == 0
    assert f"Efficient frontier ({len(frontier)} breakpoints" in text
    section = text.split("Efficient frontier")[1]
    table = section.split("\n\nWhat the next")[0].splitlines()
    assert table[1].split()[:2] == ["budget", "value"]
    shown = [line.split() for line in table[2:]]
    assert [cells[0] for cells in shown] == [f"{b:,.2f}" for b in frontier["budget"]]
    assert [cells[1] for cells in shown] == [f"{v:.3f}" for v in frontier["value"]]
    assert sum("<-" in line for line in section.splitlines()) == 1  # the set at the budget
    step = next_step(frontier, BUDGET)
    assert f"What the next 10% of budget would buy: {step}" in text


def test_nothing_fits_is_said_in_words_and_exits_1(
    example: pz.Evaluation, capsys: pytest.CaptureFixture[str]
) -> None:
    best = portfolio(example, 100_000)
    assert not best.feasible
    code, text = run("--budget", "100000", "--samples", "50", "--frontier")
    assert code == 1
    assert text.rstrip().endswith(f"No portfolio fits: {best.infeasible}")
    assert "182,000.00 over the budget" in text
    code, text = run("--budget", "1000000", "--capacity", "300", "--format", "csv")
    assert code == 1 and text == ""  # the CSV's reader gets nothing, the person the reason
    err = capsys.readouterr().err
    assert err.startswith("no portfolio fits: ") and "over the capacity of 300.0" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--budget", "-5"], "budget"),
        (["--budget", "1e6", "--samples", "-1"], "--samples"),
        (["--budget", "1e6", "--frontier", "--format", "csv"], "--frontier"),
    ],
)
def test_bad_settings_are_errors_not_tracebacks(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv) == (2, "")
    err = capsys.readouterr().err
    assert err.startswith("error: ") and said in err


def test_requirements_without_estimates_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    requirements.loc[2, "cost"] = ""
    path = tmp_path / "requirements.csv"
    requirements.to_csv(path, index=False)
    argv = ["--requirements", str(path), "--scores", str(example / "scores.csv")]
    assert run("--budget", "1e6", *argv, "--members", str(example / "members.csv"))[0] == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and requirements.loc[2, "id"] in err


def test_user_text_cannot_drive_a_terminal_and_csv_is_formula_safe(tmp_path: Path) -> None:
    options = hostile_requirements(tmp_path)
    code, text = run("--budget", str(BUDGET), *options)
    assert code == 0 and CONTROL.search(text) is None and ESC not in text
    code, piped = run("--budget", str(BUDGET), *options, "--format", "csv")
    assert code == 0
    titles = [r["title"] for r in csv.DictReader(io.StringIO(piped, newline=""))]
    formula = next(t for t in titles if "Clear screen" in t)
    assert "\r'=1" in formula  # a cell that a reader may start after the line break
    assert csv_unquote(formula).endswith("Clear screen\r=1")
    terminal = Terminal()
    assert main(["portfolio", "--budget", str(BUDGET), *options, "--format", "csv"], terminal) == 0
    assert CONTROL.search(terminal.getvalue()) is None


def test_solver_output_silenced_hides_descriptor_1_and_restores_it(
    capfd: pytest.CaptureFixture[str],
) -> None:
    os.write(1, b"before\n")
    with solver_output_silenced():
        os.write(1, b"solver noise\n")
    os.write(1, b"after\n")
    with pytest.raises(RuntimeError), solver_output_silenced():
        raise RuntimeError("a failed solve")
    os.write(1, b"still there\n")
    assert capfd.readouterr().out == "before\nafter\nstill there\n"


@pytest.mark.parametrize(
    "argv",
    [
        # problems for which HiGHS printed its debug line (scipy 1.15/1.16)
        ["--budget", "1200000", "--value", "benefit", "--format", "csv", "--samples", "20"],
        ["--budget", "1200000", "--frontier"],
    ],
)
def test_standard_output_holds_only_the_report(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prioritize", "portfolio", *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    assert HIGHS not in result.stdout
    if "csv" in argv:
        rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
        assert rows[0] == list(CSV_COLUMNS)
        assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    else:
        assert result.stdout.startswith("Customer operations")
