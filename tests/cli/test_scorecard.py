"""``prioritize scorecard``: import readings, state an approval's expected effect, record
its go-live and an event, then show the benefits and the triggers, through the real
command line on the example council."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import prioritize as pz
from prioritize.cli import main
from prioritize.cli.scorecard import parse_expectations
from prioritize.errors import ValidationError
from tests.conftest import ExampleCouncil


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_the_loop_from_the_command_line(
    example_council: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(example_council.path)
    round_id = str(example_council.example.round.id)
    monkeypatch.setenv("PRIORITIZE_MEMBER", "m01")
    monkeypatch.setenv("PRIORITIZE_PASSCODE", "m01-demo")
    readings = pz.example_dir() / "readings.csv"
    code, out = _run("scorecard", "import", str(readings), "--db", db)
    assert code == 2  # the example council has them already: correcting needs --replace
    code, out = _run("scorecard", "import", str(readings), "--replace", "--db", db)
    assert code == 0 and "132 readings stored" in out
    code, out = _run(
        "round", "decide", round_id, "REQ-001", "approve", "--db", db,
        "--expect", "first_time_right=+8@2026-09-30", "--expect", "data_quality=+3",
        "--expect-rationale", "missing customer fields cause most corrections",
    )  # fmt: skip
    assert code == 0 and "REQ-001 approve" in out
    assert _run("scorecard", "go-live", round_id, "REQ-001", "2026-05-01", "--db", db)[0] == 0
    code, out = _run("scorecard", "show", "--db", db)
    assert code == 0 and "first_time_right" in out and "REQ-001" in out
    assert "delivering" in out
    code, out = _run(
        "scorecard", "event", "2027-01-01", "legal", "A court ruling on returns",
        "--criteria", "legal_necessity", "--db", db,
    )  # fmt: skip
    assert code == 0
    code, out = _run("scorecard", "triggers", "--round", round_id, "--db", db)
    assert code == 0
    assert "Complaints per 1,000 orders" in out and "A court ruling on returns" in out
    assert pz.Store(db).verify_log().ok


def test_a_malformed_expectation_names_the_argument() -> None:
    with pytest.raises(ValidationError, match="--expect") as caught:
        parse_expectations(["first_time_right+8", "x=1@tomorrow"], "why")
    assert len(caught.value.problems) == 2


def test_a_reading_file_with_problems_exits_2_and_stores_nothing(
    example_council: ExampleCouncil,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,measure,value\n2026-01-01,first_time_right,high\n2099-01-01,complaints,3\n"
    )
    monkeypatch.setenv("PRIORITIZE_MEMBER", "m01")
    monkeypatch.setenv("PRIORITIZE_PASSCODE", "m01-demo")
    code, _ = _run("scorecard", "import", str(bad), "--db", str(example_council.path))
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "high" in err and "2099-01-01" in err
    stored = example_council.store().session("m01", "m01-demo").readings().frame
    assert len(stored) == 132 and "2099" not in set(stored["date"].dt.strftime("%Y"))


def test_export_adds_the_benefits_sheet_from_files(tmp_path: Path) -> None:
    import openpyxl

    ex = pz.example_dir()
    target = tmp_path / "portfolio.xlsx"
    code, out = _run(
        "export", "-o", str(target),
        "--readings", str(ex / "readings.csv"), "--deliveries", str(ex / "deliveries.csv"),
    )  # fmt: skip
    assert code == 0, out
    book = openpyxl.load_workbook(target, read_only=True)
    assert {"Benefits", "Readings"} <= set(book.sheetnames)
    rows = list(book["Benefits"].iter_rows(values_only=True))
    header = list(rows[0])
    card = pz.load_scorecard()
    expected = pz.benefit_realisation(
        card,
        pz.load_readings(ex / "readings.csv", card),
        pz.load_deliveries(ex / "deliveries.csv", card),
    ).table
    assert len(rows) - 1 == len(expected)
    first = dict(zip(header, rows[1], strict=True))
    assert first["requirement"] == expected["requirement_id"].iloc[0]
    assert first["after"] == pytest.approx(expected["after"].iloc[0], abs=1e-12)
    book.close()
