"""The workbook opens in LibreOffice, not only in openpyxl: the example council's workbook
with its weights debate (a proposal whose reason looks like a formula), a budget, the
optimal portfolio and a core index is converted sheet by sheet by Debian's LibreOffice
(``soffice --headless``), and what LibreOffice read is checked. Skipped, with the reason,
where LibreOffice is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from prioritize.export import portfolio_xlsx
from prioritize.export.workbook.benefits import Outcomes
from prioritize.model.scorecard import ExpectedEffect
from prioritize.portfolio import decided, portfolio_acceptability
from tests.conftest import ExampleCouncil

SOFFICE = shutil.which("soffice")
#: Comma-separated, UTF-8 (76), every sheet to its own file (-1).
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
FORMULA_LIKE = "=SUM(A1) customers first"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_every_sheet_and_no_formula(
    example_council: ExampleCouncil, tmp_path: Path
) -> None:
    store = example_council.store()
    round_id = example_council.example.round.id
    facilitator = store.session("m01", "m01-demo")
    ids = facilitator.criteria(round_id).ids
    store.session("m02", "m02-demo").propose_weights(
        round_id,
        "points",
        {"points": {c: 19 if i == 0 else 9 for i, c in enumerate(ids)}},
        FORMULA_LIKE,
    )
    facilitator.adopt_weights(
        round_id, facilitator.weight_proposals(round_id).aggregate("mean").weights.to_dict()
    )
    facilitator.set_budget(round_id, 2_000_000, capacity=3_000)
    facilitator.record_decision(
        round_id,
        "REQ-001",
        "approve",
        rationale="controls",
        effects=[ExpectedEffect("first_time_right", 8.0, None, "fewer re-entries")],
    )
    facilitator.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))
    facilitator.add_reading("data_quality", dt.date(2026, 11, 20), 90.0, note=FORMULA_LIKE)
    evaluation = facilitator.evaluation(round_id)
    selection = facilitator.optimal_portfolio(round_id)
    assert selection is not None and selection.feasible
    log = facilitator.decisions(round_id)
    include, exclude = decided(log)
    core = portfolio_acceptability(
        evaluation, 2_000_000, capacity=3_000, samples=50, include=include, exclude=exclude
    )
    book = tmp_path / "portfolio.xlsx"
    book.write_bytes(
        portfolio_xlsx(
            evaluation,
            decisions=log,
            proposals=facilitator.weight_proposals(round_id),
            selection=selection,
            core=core,
            outcomes=Outcomes(
                facilitator.scorecard(),
                facilitator.readings(),
                facilitator.benefit_realisation(),
            ),
        )
    )
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            ALL_SHEETS_CSV,
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sheets = {p.stem.removeprefix("portfolio-"): p for p in tmp_path.glob("portfolio-*.csv")}
    assert {"Portfolio", "Weights", "Benefits", "Readings", "About"} <= set(sheets), sheets

    def rows(name: str) -> list[list[str]]:
        with sheets[name].open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    weights = rows("Weights")
    reasons = [row[weights[0].index("reason")] for row in weights[1:]]
    assert FORMULA_LIKE in reasons  # LibreOffice read text, computed no formula
    portfolio = rows("Portfolio")
    assert {"optimal", "cost", "reason", "core index", "class"} <= set(portfolio[0])
    assert len(portfolio) > 1
    benefits = rows("Benefits")
    assert benefits[1][:2] == ["REQ-001", evaluation.table.at["REQ-001", "title"]]
    assert benefits[1][benefits[0].index("status")] == "delivering"
    readings = rows("Readings")
    assert FORMULA_LIKE in [row[readings[0].index("note")] for row in readings[1:]]
