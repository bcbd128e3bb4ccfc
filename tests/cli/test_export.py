"""``prioritize export`` options (prioritize/cli/export.py), driven through argparse."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import prioritize as pz
from prioritize.cli import export as cli_export
from prioritize.cli.main import main
from tests.conftest import make_council


def _evaluation() -> pz.Evaluation:
    requirements, scores, members = make_council(8, 6, seed=11)
    return pz.evaluate("customer-operations", requirements, scores, members=members)


EVALUATION = _evaluation()


def run(*argv: str, out: io.TextIOBase | None = None) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="prioritize export")
    cli_export.add_arguments(parser)
    stream = out if out is not None else io.StringIO()
    code = cli_export.run(EVALUATION, parser.parse_args(list(argv)), stream)  # type: ignore[arg-type]
    return code, stream.getvalue() if isinstance(stream, io.StringIO) else ""


def about(path: Path | io.BytesIO) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["About"]
    return dict(ws.iter_rows(min_row=2, values_only=True))


def test_default_is_the_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, said = run()
    assert code == 0
    assert (tmp_path / "portfolio.xlsx").is_file()
    assert said.startswith("wrote portfolio.xlsx: portfolio of ")
    assert openpyxl.load_workbook(tmp_path / "portfolio.xlsx").sheetnames[0] == "Portfolio"


def test_format_from_the_suffix(tmp_path: Path) -> None:
    code, said = run("-o", str(tmp_path / "r.json"), "--generated-at", "2026-01-02T03:04:05Z")
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert code == 0 and said == f"wrote {tmp_path / 'r.json'}: 8 ranked requirement(s)\n"
    assert document["generated_at"] == "2026-01-02T03:04:05Z"
    assert [r["id"] for r in document["requirements"]] == list(EVALUATION.table.index)


def test_csv_to_standard_output() -> None:
    code, said = run("--format", "csv", "-o", "-")
    back = pd.read_csv(io.StringIO(said))
    assert code == 0
    assert back["id"].tolist() == list(EVALUATION.table.index)
    assert back["score"].tolist() == EVALUATION.table["score"].tolist()


def test_workbook_to_standard_output() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    code, _ = run("-o", "-", "--generated-at", "2026-01-02T03:04:05Z", out=stream)
    assert code == 0
    assert about(io.BytesIO(raw.getvalue()))["generated at (UTC)"] == "2026-01-02T03:04:05Z"
    with pytest.raises(pz.ValidationError, match="cannot write a workbook"):
        run("-o", "-")  # a StringIO has no binary side


def test_suffix_and_format_disagree(tmp_path: Path) -> None:
    with pytest.raises(pz.ValidationError, match="suffix does not match --format xlsx"):
        run("-o", str(tmp_path / "x.csv"), "--format", "xlsx")
    assert not (tmp_path / "x.csv").exists()


def test_source_date_epoch_makes_the_file_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    run("-o", str(tmp_path / "a.xlsx"))
    run("-o", str(tmp_path / "b.xlsx"))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert about(tmp_path / "a.xlsx")["generated at (UTC)"] == "2026-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(pz.ValidationError, match="SOURCE_DATE_EPOCH"):
        run("-o", str(tmp_path / "c.xlsx"))


def test_decisions_file(tmp_path: Path) -> None:
    first, second = EVALUATION.table.index[:2]
    log = tmp_path / "decisions.csv"
    log.write_text(
        "requirement_id,outcome,rationale,rank\n"
        f"{first},approve,worth it,1\n{second},reject,not now,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _said = run("-o", str(out), "--decisions", str(log))
    book = openpyxl.load_workbook(out)
    portfolio = list(book["Portfolio"].iter_rows(min_row=2, values_only=True))
    assert code == 0 and first in [r[1] for r in portfolio]
    assert second not in [r[1] for r in portfolio if r[3] == "approved"]
    header = [c.value for c in book["Decisions"][1]]
    assert header == ["requirement id", "title", "outcome", "rank", "rationale"]
    decisions = list(book["Decisions"].iter_rows(min_row=2, values_only=True))
    assert [d[0] for d in decisions] == [first, second]
    assert [d[3] for d in decisions] == [1, 2]  # numbers, not text
    with pytest.raises(pz.ValidationError, match="xlsx workbook only"):
        run("--format", "json", "-o", str(tmp_path / "r.json"), "--decisions", str(log))


def copied_example(folder: Path) -> list[str]:
    """The bundled example's inputs copied to ``folder``, as evaluate's options."""
    options = []
    for name in ("requirements", "scores", "members"):
        target = folder / f"{name}.csv"
        shutil.copyfile(pz.example_dir() / f"{name}.csv", target)
        options += [f"--{name}", str(target)]
    return options


def test_export_never_overwrites_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "council.db"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("create table decisions (x)")
        connection.commit()
    before = database.read_bytes()
    assert main(["export", "-o", str(database)], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {database}: refusing to overwrite a SQLite database")
    assert database.read_bytes() == before


@pytest.mark.parametrize("which", ["requirements", "scores", "members", "decisions"])
def test_export_never_overwrites_its_own_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str
) -> None:
    options = copied_example(tmp_path)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("requirement_id,outcome\nREQ-001,approve\n", encoding="utf-8")
    target = tmp_path / f"{which}.csv"
    before = target.read_bytes()
    argv = ["export", *options, "--format", "csv", "-o", str(target)]
    if which == "decisions":
        argv = ["export", *options, "--decisions", str(decisions), "-o", str(target)]
    assert main(argv, out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert f"{target}: refusing to overwrite an input of this export" in err
    assert target.read_bytes() == before
    # the same file by another name is refused too
    other = tmp_path / "sub"
    other.mkdir()
    spelled = other / ".." / f"{which}.csv"
    assert main([*argv[:-1], str(spelled)], out=io.StringIO()) == 2
    assert target.read_bytes() == before


def test_export_never_overwrites_the_bundled_example_it_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scores = pz.example_dir() / "scores.csv"
    before = scores.read_bytes()
    assert main(["export", "--format", "csv", "-o", str(scores)], out=io.StringIO()) == 2
    assert "refusing to overwrite an input" in capsys.readouterr().err
    assert scores.read_bytes() == before


def test_a_previous_export_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "ranking.csv"
    target.write_text("an older export\n", encoding="utf-8")
    code, said = run("-o", str(target))
    assert code == 0 and said.startswith(f"wrote {target}:")
    assert target.read_text(encoding="utf-8").startswith("id,title,")


class Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def test_a_workbook_is_not_written_to_a_terminal() -> None:
    raw = io.BytesIO()
    terminal = Terminal(raw, encoding="utf-8")
    with pytest.raises(pz.ValidationError, match="it is a terminal"):
        run("-o", "-", out=terminal)
    terminal.flush()
    assert raw.getvalue() == b""
