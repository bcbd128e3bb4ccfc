"""Files are written atomically: a failure or an interruption leaves the old file (or
nothing) and no temporary behind; new files follow the umask."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.export import (
    ExportWarning,
    export_portfolio,
    export_ranking,
    portfolio_xlsx,
)
from prioritize.export.files import atomic_write
from tests.export.council import DECISIONS, EVALUATION, IDS, STAMP


class TestAtomicWrite:
    def test_overwrites_an_existing_file(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        target.write_bytes(b"old")
        export_portfolio(EVALUATION, target, generated_at=STAMP)
        assert target.read_bytes() == portfolio_xlsx(EVALUATION, generated_at=STAMP)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.xlsx"]

    def test_a_failure_leaves_the_old_file_and_no_temporary(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        target.write_bytes(b"old")
        bad = pd.DataFrame({"requirement_id": [IDS[0]], "outcome": ["perhaps"]})
        with pytest.raises(pz.ValidationError):
            export_portfolio(EVALUATION, target, decisions=bad, generated_at=STAMP)
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.xlsx"]
        with pytest.raises(pz.ValidationError):
            export_ranking(EVALUATION, tmp_path / "ranking.csv", "yaml")  # type: ignore[arg-type]
        assert not (tmp_path / "ranking.csv").exists()

    def test_an_interrupted_write_leaves_nothing(self, tmp_path: Path) -> None:
        target = tmp_path / "out.bin"
        with pytest.raises(RuntimeError), atomic_write(target) as stream:
            stream.write(b"half")
            raise RuntimeError("disk full")
        assert list(tmp_path.iterdir()) == []

    def test_a_warning_turned_error_aborts_the_write(self, tmp_path: Path) -> None:
        target = tmp_path / "portfolio.xlsx"
        with warnings.catch_warnings():
            warnings.simplefilter("error", ExportWarning)
            with pytest.raises(ExportWarning):
                export_portfolio(EVALUATION, target, decisions=DECISIONS)
        assert list(tmp_path.iterdir()) == []

    def test_missing_folder_is_an_os_error(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            export_portfolio(EVALUATION, tmp_path / "nope" / "p.xlsx")

    def test_new_file_permissions_follow_the_umask(self, tmp_path: Path) -> None:
        old = os.umask(0o027)
        try:
            path = export_ranking(EVALUATION, tmp_path / "r.csv", "csv")
        finally:
            os.umask(old)
        assert path is not None
        assert path.stat().st_mode & 0o777 == 0o640
