"""The command line, run in-process through main() and once as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
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


# --- user text never drives the terminal (issue 10) -----------------------------------------

ESC, BEL = "\x1b", "\x07"
#: What must never reach a terminal from user data (tab and line feed aside).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def hostile_requirements(folder: Path) -> list[str]:
    """The example with titles holding escape codes, a bell, a carriage return and a bidi
    override (written with every field quoted, so that the CR stays in its field)."""
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    requirements.loc[0, "title"] = ESC + "[2J" + ESC + "]0;owned" + BEL + "Clear screen\r=1"
    requirements.loc[1, "title"] = "\u202eevil" + ESC + "[31m red"
    path = folder / "requirements.csv"
    requirements.to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    return [
        "--requirements",
        str(path),
        "--scores",
        str(example / "scores.csv"),
        "--members",
        str(example / "members.csv"),
    ]


def test_evaluate_table_strips_terminal_escapes(tmp_path: Path) -> None:
    code, text = run("evaluate", *hostile_requirements(tmp_path))
    assert code == 0
    assert CONTROL.search(text) is None and ESC not in text
    assert "\ufffd\ufffdClear screen =1" in text  # one line, the user's text still readable
    assert "\ufffdevil\ufffd red" in text


def test_evaluate_csv_is_exact_on_a_pipe_and_printable_on_a_terminal(tmp_path: Path) -> None:
    options = hostile_requirements(tmp_path)
    code, piped = run("evaluate", *options, "--format", "csv")
    assert code == 0
    titles = [r["title"] for r in csv.DictReader(io.StringIO(piped, newline=""))]
    # data: the text as typed, but for the escape a spreadsheet cannot hold (with a warning)
    assert "\u202eevil\ufffd[31m red" in titles
    terminal = Terminal()
    assert main(["evaluate", *options, "--format", "csv"], out=terminal) == 0
    assert CONTROL.search(terminal.getvalue()) is None
    for fmt in ("json", "table"):
        terminal = Terminal()
        assert main(["evaluate", *options, "--format", fmt], out=terminal) == 0
        assert CONTROL.search(terminal.getvalue()) is None and ESC not in terminal.getvalue()


def test_errors_warnings_and_validate_output_are_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / (ESC + "]0;pwned" + BEL + "data")
    folder.mkdir()
    bad = folder / "scores.csv"
    bad.write_text("requirement_id,member,criterion,score\nREQ-001,x,customer_impact,lots\n")
    assert run("evaluate", "--scores", str(bad))[0] == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "row 2" in err
    assert CONTROL.search(err) is None and "\ufffddata" in err
    requirements = folder / "requirements.csv"
    shutil.copyfile(pz.example_dir() / "requirements.csv", requirements)
    code, text = run("validate", str(requirements), str(bad))
    err = capsys.readouterr().err
    assert code == 1 and text.startswith("ok: ") and "problem: " in err
    assert CONTROL.search(text + err) is None
    # a warning names user text too (here: the owners the scores file cannot check)
    scores = folder / "my-scores.csv"
    shutil.copyfile(pz.example_dir() / "scores.csv", scores)
    assert run("evaluate", "--scores", str(scores), "--format", "csv")[0] == 0
    err = capsys.readouterr().err
    assert "warning:" in err and CONTROL.search(err) is None


def test_argument_errors_are_printable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", ESC + "[2J" + "stray"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "unrecognized arguments: \ufffdstray" in err and ESC not in err
