"""The command line writes the ranking through the one serializer: a title a spreadsheet
would run as a formula is protected in ``prioritize evaluate --format csv`` as it is in
``prioritize export``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

import prioritize as pz
from prioritize.cli.main import main


def test_evaluate_csv_protects_formula_titles_like_export(tmp_path: Path) -> None:
    example = pz.example_dir()
    requirements = pd.read_csv(example / "requirements.csv", dtype=str, keep_default_na=False)
    requirements.loc[0, "title"] = '=HYPERLINK("http://evil.example","click")'
    requirements.loc[1, "title"] = "@SUM(1+1)"
    path = tmp_path / "requirements.csv"
    requirements.to_csv(path, index=False)
    common = [
        "--requirements",
        str(path),
        "--scores",
        str(example / "scores.csv"),
        "--members",
        str(example / "members.csv"),
    ]
    out = io.StringIO()
    assert main(["evaluate", *common, "--format", "csv"], out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    titles = {r["id"]: r["title"] for r in rows}
    first, second = requirements.loc[0, "id"], requirements.loc[1, "id"]
    assert titles[first].startswith("'=") and titles[second].startswith("'@")
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    exported = tmp_path / "ranking.csv"
    assert main(["export", *common, "--format", "csv", "-o", str(exported)], out=io.StringIO()) == 0
    assert exported.read_text(encoding="utf-8") == out.getvalue()
