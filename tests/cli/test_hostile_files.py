"""`prioritize validate` on each hostile file: a clear error naming the limit, never a
traceback (the command's own file-type sniffing goes through the same bounded reader)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from prioritize.cli.main import main
from tests.load import hostile

CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "deep.yaml": (hostile.deep_yaml, "max_yaml_depth"),
    "laughs.yaml": (hostile.billion_laughs, "max_yaml_nodes"),
    "wide.csv": (hostile.wide_csv, "max_columns"),
    "sparse.xlsx": (hostile.sparse_xlsx, "max_columns"),
    "bomb.xlsx": (hostile.shared_string_bomb, "max_part_bytes"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_validate_refuses_each_hostile_file_naming_the_limit(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, limit = CASES[name]
    path = make(tmp_path / name)
    code = main(["validate", str(path)], out=io.StringIO())
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert f"[limit {limit}]" in err and "Traceback" not in err
