"""The command line, run in-process through main() and once as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.cli.main import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_evaluate_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run("evaluate")
    assert code == 0
    for category in pz.CATEGORIES:
        assert category in text
    assert "Customer operations" in text
    assert capsys.readouterr().err == ""


def test_csv_has_the_id_first_and_every_requirement() -> None:
    code, text = run("evaluate", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(text))
    assert frame.columns[0] == "id"
    expected = pz.evaluate_example().table
    assert frame["id"].tolist() == list(expected.index)
    assert frame["score"].to_numpy() == pytest.approx(expected["score"].to_numpy(), abs=1e-6)


def test_json_carries_weights_and_hash() -> None:
    code, text = run("evaluate", "--format", "json", "--aggregation", "median")
    data = json.loads(text)
    assert code == 0
    assert data["aggregation"] == "median"
    assert len(data["criteria_sha256"]) == 64
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    assert {r["category"] for r in data["requirements"]} <= set(pz.CATEGORIES)


def test_own_scores_without_members_warn_about_owners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = pd.read_csv(pz.example_dir() / "scores.csv")
    mine = tmp_path / "my.csv"
    scores.to_csv(mine, index=False)
    code, text = run("evaluate", "--scores", str(mine), "--format", "csv")
    assert code == 0 and text.startswith("id,")
    assert "warning:" in capsys.readouterr().err


def test_bad_input_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "scores.csv"
    bad.write_text("requirement_id,member,criterion,score\nREQ-001,x,customer_impact,lots\n")
    code, _ = run("evaluate", "--scores", str(bad))
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "row 2" in err and "'lots'" in err
    assert "Traceback" not in err


def test_validate_prints_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = pz.example_dir()
    code, text = run(
        "validate",
        str(folder / "requirements.csv"),
        str(folder / "scores.csv"),
        str(folder / "members.csv"),
        "customer-operations",
    )
    assert code == 0, capsys.readouterr().err
    assert text.count("ok: ") == 4
    bad = tmp_path / "scores.csv"
    bad.write_text(
        "requirement_id,member,criterion,score\nREQ-001,nobody,customer_impact,9\n"
        "NOPE,nobody,customer_impact,x\n"
    )
    code, _ = run(
        "validate", str(folder / "requirements.csv"), str(folder / "members.csv"), str(bad)
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "row 3" in err and "not a number" in err


def test_validate_cross_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = pz.example_dir()
    bad = tmp_path / "scores.csv"
    bad.write_text("requirement_id,member,criterion,score\nREQ-001,nobody,customer_impact,9\n")
    code, _ = run(
        "validate",
        str(folder / "requirements.csv"),
        str(folder / "members.csv"),
        str(pz.load_criteria("customer-operations").source),
        str(bad),
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown member" in err and "outside the criterion's scale" in err


def test_python_dash_m_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prioritize", "evaluate", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("id,")
